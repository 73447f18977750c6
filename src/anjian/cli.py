"""The `anjian` command. JSON commands follow docs/interfaces.md: JSON out on standard output,
exit 2 with an error object on bad input, never a traceback. Anything else is handed to
Django's management commands (`anjian migrate`, `anjian runserver`, `anjian createsuperuser` …).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from anjian.domain.ids import validate_id_number, validate_uscc
from anjian.domain.registry import FieldErrors


class InputError(Exception):
    def __init__(self, code: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []


def refused(invalid: FieldErrors) -> InputError:
    """The input error for every problem a domain reader found: the first one's code, all the
    messages, every field."""
    first = invalid.errors[0]
    fields = [e.field for e in invalid.errors]
    return InputError(first.code, "；".join(e.message for e in invalid.errors), fields)


def emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def fail(error: InputError) -> int:
    emit({"error": {"code": error.code, "message": error.message, "details": error.details}})
    return 2


def cmd_validate(args: Sequence[str]) -> int:
    validators: dict[str, Callable[[str], Any]] = {
        "uscc": validate_uscc,
        "idcard": validate_id_number,
    }
    if not args or args[0] not in validators:
        raise InputError("UNKNOWN_KIND", "用法：anjian validate uscc|idcard 代码…", ["kind"])
    if len(args) < 2:
        raise InputError("MISSING_FIELD", "请至少给出一个代码", ["code"])
    check = validators[args[0]]
    for code in args[1:]:
        emit(check(code).as_dict())
    return 0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    import django

    django.setup()


def cmd_audit(args: Sequence[str]) -> int:
    usage = (
        "用法：anjian audit verify [--checkpoint FILE] | anjian audit checkpoint | "
        "anjian audit prune --before YYYY-MM-DD"
    )
    if not args or args[0] not in ("verify", "checkpoint", "prune"):
        raise InputError("UNKNOWN_COMMAND", usage, ["command"])
    _django()
    from django.db import DatabaseError

    from anjian.audit.commands import SUBCOMMANDS, AuditCommandError

    try:
        code, answer = SUBCOMMANDS[args[0]](args[1:])
    except AuditCommandError as exc:
        raise InputError(exc.code, exc.message, exc.details) from None
    except DatabaseError as exc:
        raise InputError(
            "DATABASE_ERROR", f"无法读取审计日志：{exc}（是否已执行 anjian migrate？）"
        ) from exc
    emit(answer)
    return code


def _read_json(args: Sequence[str], usage: str) -> Any:
    if len(args) != 1:
        raise InputError("USAGE", usage, ["FILE"])
    try:
        if args[0] == "-":
            text = sys.stdin.read()
        else:
            with open(args[0], encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("UNREADABLE_FILE", f"无法读取输入文件：{exc}", ["FILE"]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"输入不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}"
        raise InputError("INVALID_JSON", message) from exc


def cmd_check_entry(args: Sequence[str]) -> int:
    from anjian.domain.rules import check_entry
    from anjian.domain.rules.parse import CheckInputInvalid, parse_check_input
    from anjian.policy_data.rulesets import ruleset_for

    data = _read_json(args, "用法：anjian check-entry FILE（- 表示标准输入）")
    try:
        parsed = parse_check_input(data)
    except CheckInputInvalid as invalid:
        raise refused(invalid) from None
    try:
        rules = ruleset_for(parsed.policy, parsed.proposed.date)
    except LookupError as exc:
        code, message = exc.args
        raise InputError(code, message, ["policy"]) from None
    verdict = check_entry(
        rules, parsed.enterprise, parsed.quiet_days, parsed.history, parsed.proposed
    )
    emit(verdict.as_dict())
    return 0


def cmd_plan(args: Sequence[str]) -> int:
    from anjian.domain.planning.parse import PlanInputInvalid, parse_plan_input
    from anjian.domain.planning.planner import make_plan

    data = _read_json(args, "用法：anjian plan FILE（- 表示标准输入）")
    try:
        plan = parse_plan_input(data)
    except PlanInputInvalid as invalid:
        raise refused(invalid) from None
    emit(make_plan(plan).as_dict())
    return 0


def cmd_penalty(args: Sequence[str]) -> int:
    from datetime import date

    from anjian.domain.discretion.engine import suggest_penalty
    from anjian.domain.discretion.parse import PenaltyInputInvalid, parse_penalty_input
    from anjian.policy_data.discretion import shipped_benchmarks, shipped_lists, shipped_statute

    data = _read_json(args, "用法：anjian penalty FILE（- 表示标准输入）")
    try:
        request = parse_penalty_input(data, today=date.today())
    except PenaltyInputInvalid as invalid:
        raise refused(invalid) from None
    try:
        suggestion = suggest_penalty(
            request,
            statute=shipped_statute(),
            benchmarks=shipped_benchmarks(),
            lists=shipped_lists(),
        )
    except LookupError as exc:
        code, message = exc.args
        raise InputError(code, message, ["violation"]) from None
    emit(suggestion.as_dict())
    return 0


def cmd_exam(args: Sequence[str]) -> int:
    import time

    from anjian.domain.exam.cat import ExamRules
    from anjian.domain.exam.parse import SimulateInputInvalid, parse_simulate_input
    from anjian.domain.exam.simulate import DEFAULT_RANDOMESQUE, simulate

    if list(args[:1]) != ["simulate"]:
        raise InputError("UNKNOWN_COMMAND", "用法：anjian exam simulate FILE", ["command"])
    data = _read_json(args[1:], "用法：anjian exam simulate FILE（- 表示标准输入）")
    try:
        request = parse_simulate_input(data)
    except SimulateInputInvalid as invalid:
        raise refused(invalid) from None
    rules = ExamRules(
        max_items=request.max_items, min_se=request.min_se, randomesque=DEFAULT_RANDOMESQUE
    )
    began = time.perf_counter()
    result = simulate(
        request.bank,
        simulees=request.simulees,
        seed=request.seed,
        method=request.method,
        rules=rules,
    )
    seconds = round(time.perf_counter() - began, 3)
    emit({**result.summary().as_dict(), "seconds": seconds})
    return 0


def keys_refused(argv: Sequence[str]) -> str | None:
    """Why the keys stop this command (a key not given in production, or keys that cannot read
    the stored data: anjian/crypto/startup.py), or None to go on."""
    from anjian.crypto.startup import command_is_checked

    if not command_is_checked(list(argv)):
        return None
    from django.core.exceptions import ImproperlyConfigured

    try:
        _django()
        from anjian.crypto.startup import refuse_without_keys

        refuse_without_keys()
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


def cmd_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    from django.core.management import execute_from_command_line

    refusal = keys_refused(argv)
    if refusal:
        sys.stderr.write(refusal + "\n")
        return 3
    execute_from_command_line(["anjian", *argv])
    return 0


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "validate": cmd_validate,
    "audit": cmd_audit,
    "check-entry": cmd_check_entry,
    "plan": cmd_plan,
    "penalty": cmd_penalty,
    "exam": cmd_exam,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(
            "anjian demo [--port 8000]        load the demo county and serve it\n"
            "anjian validate uscc|idcard CODE  check identifiers (JSON)\n"
            "anjian audit verify [--checkpoint FILE]  check the audit trail's hash chain (JSON)\n"
            "anjian audit checkpoint           publish a signed checkpoint (for a daily timer)\n"
            "anjian audit prune --before DATE  remove entries past the retention period\n"
            "anjian check-entry FILE           may this entry be made? verdict and reasons (JSON)\n"
            "anjian plan FILE                  merge a month's planned visits into entries (JSON)\n"
            "anjian penalty FILE               discretion outcome for one violation (JSON)\n"
            "anjian exam simulate FILE         measurement quality of simulated exams (JSON)\n"
            "anjian <django command>           e.g. migrate, runserver, createsuperuser\n"
        )
        return 0
    handler = COMMANDS.get(args[0])
    if handler is None:
        return cmd_django(args)
    try:
        return handler(args[1:])
    except InputError as error:
        return fail(error)


if __name__ == "__main__":
    sys.exit(main())
