"""Benchmark of the adaptive-testing engine (issue 7, part 6). Not a test: it prints its figures.

1. measurement: on generated 500-item banks (seeds 1–3), 1,000 simulees each: RMSE, bias, mean SE
   and maximum exposure of CAT at 10 and 20 items (exposure cap 0.2, randomesque 2, content
   balanced over five topics) and of random fixed forms of 10 and 20 items
   (targets: CAT-10 RMSE ≤ 0.41 with max exposure ≤ 0.2; catsim's CAT-10 capped at 0.2: 0.407,
   random-20: 0.416, random-10: 0.55);
2. selection time: one `select_next` on a 2,000-item bank, mid-exam (target ≤ 5 ms);
3. calibration: 200 items × 5,000 people (target ≤ 15 s, RMSE(a) ≤ 0.05, RMSE(b) ≤ 0.06);
4. catsim side by side (same bank, same true abilities, CAT-10, MaxInfoSelector(r_max=0.2),
   numerical ML estimator) when `catsim` is importable. It is not a dependency; to run it:

    python -m venv /tmp/catsim && /tmp/catsim/bin/pip install catsim
    PYTHONPATH=src /tmp/catsim/bin/python bench/exam.py

    python bench/exam.py                 # everything
    python bench/exam.py --only calibration --seed 2
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from anjian.domain.exam.calibration import calibrate
from anjian.domain.exam.cat import ExamRules, record_answer, select_next, start_exam
from anjian.domain.exam.irt import probability
from anjian.domain.exam.simulate import DEFAULT_RANDOMESQUE, generate_bank, simulate

RUNS = [("cat", 10), ("cat", 20), ("random", 10), ("random", 20)]
PARTS = ("measurement", "selection", "calibration", "catsim")


def measurement(seeds: list[int], simulees: int) -> None:
    print(
        f"{'bank':<6}{'method':<8}{'items':>6}{'rmse':>8}{'bias':>8}{'mean se':>9}"
        f"{'max exp.':>10}{'seconds':>9}"
    )
    for bank_seed in seeds:
        bank = generate_bank(500, bank_seed)
        for method, length in RUNS:
            rules = ExamRules(max_items=length, randomesque=DEFAULT_RANDOMESQUE)
            began = time.perf_counter()
            result = simulate(bank, simulees=simulees, seed=7, method=method, rules=rules)
            seconds = time.perf_counter() - began
            s = result.summary()
            print(
                f"{bank_seed:<6}{method:<8}{length:>6}{s.rmse:>8.4f}{s.bias:>8.4f}"
                f"{s.mean_se:>9.4f}{s.max_exposure:>10.3f}{seconds:>9.2f}"
            )


def selection(seed: int) -> None:
    bank = generate_bank(2_000, seed)
    rng = np.random.default_rng(seed)
    rules = ExamRules(max_items=20, randomesque=DEFAULT_RANDOMESQUE)
    eligible = np.ones(len(bank), dtype=bool)
    timings = []
    for _ in range(50):
        state = start_exam()
        for _ in range(10):
            began = time.perf_counter()
            item = select_next(bank, state, rules, rng, eligible).item
            timings.append(time.perf_counter() - began)
            state = record_answer(bank, state, item, bool(rng.random() < 0.5))
    ms = np.array(timings) * 1000
    print(
        f"select_next on 2,000 items: median {np.median(ms):.3f} ms, "
        f"95th percentile {np.percentile(ms, 95):.3f} ms, max {ms.max():.3f} ms "
        f"({ms.size} selections, target ≤ 5 ms)"
    )


def calibration(seed: int) -> None:
    print(
        f"{'seed':<6}{'seconds':>9}{'iterations':>12}{'converged':>11}{'rmse(a)':>9}{'rmse(b)':>9}"
    )
    for run_seed in (seed, seed + 1, seed + 2):
        rng = np.random.default_rng(run_seed)
        a = np.clip(rng.lognormal(0.0, 0.3, 200), 0.4, 2.5)
        b = rng.normal(0.0, 1.0, 200)
        theta = rng.normal(0.0, 1.0, 5_000)
        answers = (rng.random((5_000, 200)) < probability(theta[:, None], a, b)).astype(float)
        began = time.perf_counter()
        result = calibrate(answers)
        seconds = time.perf_counter() - began
        rmse_a = float(np.sqrt(np.mean((result.a - a) ** 2)))
        rmse_b = float(np.sqrt(np.mean((result.b - b) ** 2)))
        print(
            f"{run_seed:<6}{seconds:>9.2f}{result.iterations:>12}{result.converged!s:>11}"
            f"{rmse_a:>9.4f}{rmse_b:>9.4f}"
        )


def catsim_side_by_side(seeds: list[int], simulees: int) -> None:
    try:
        from catsim.estimation import NumericalSearchEstimator
        from catsim.initialization import FixedPointInitializer
        from catsim.selection import MaxInfoSelector
        from catsim.simulation import Simulator
        from catsim.stopping import TestLengthStopper
    except ImportError:
        print(
            "catsim is not importable here; to compare, install it into a separate venv:\n"
            "    python -m venv /tmp/catsim && /tmp/catsim/bin/pip install catsim\n"
            "    PYTHONPATH=src /tmp/catsim/bin/python bench/exam.py --only catsim"
        )
        return
    print(
        f"{'bank':<6}{'engine':<22}{'items':>6}{'rmse':>8}{'bias':>8}{'max exp.':>10}{'seconds':>9}"
    )
    for bank_seed in seeds:
        bank = generate_bank(500, bank_seed)
        truth = simulate(
            bank, simulees=simulees, seed=7, method="random", rules=ExamRules(max_items=1)
        ).true_theta
        for length in (10, 20):
            items = np.column_stack([bank.a, bank.b, np.zeros(len(bank)), np.ones(len(bank))])
            began = time.perf_counter()
            sim = Simulator(
                items,
                truth,
                FixedPointInitializer(0.0),
                MaxInfoSelector(r_max=0.2),
                NumericalSearchEstimator(),
                TestLengthStopper(max_items=length),
                seed=7,
            )
            sim.simulate(verbose=False)
            seconds = time.perf_counter() - began
            exposure = float(np.max(sim.item_bank.exposure_rates))
            print(
                f"{bank_seed:<6}{'catsim MaxInfo r=0.2':<22}{length:>6}{sim.rmse:>8.4f}"
                f"{sim.bias:>8.4f}{exposure:>10.3f}{seconds:>9.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=PARTS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--simulees", type=int, default=1_000)
    args = parser.parse_args()
    seeds = [args.seed, args.seed + 1, args.seed + 2]
    parts = [args.only] if args.only else list(PARTS)
    if "measurement" in parts:
        measurement(seeds, args.simulees)
    if "selection" in parts:
        selection(args.seed)
    if "calibration" in parts:
        calibration(args.seed)
    if "catsim" in parts:
        catsim_side_by_side(seeds, args.simulees)


if __name__ == "__main__":
    main()
