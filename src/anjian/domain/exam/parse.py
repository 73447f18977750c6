"""Reading the `anjian exam simulate` input (interfaces.md) into a `SimulateRequest`.

Every problem is collected with its field (`bank.items[3].a`, `max_items` …), a stable code and a
Chinese message. Unknown extra fields are ignored. Limits keep one command affordable: at most
`MAX_BANK` items, `MAX_SIMULEES` simulees and `MAX_LENGTH` items per exam; `0 < a ≤ 10`,
`|b| ≤ 10`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from anjian.domain.exam.irt import Bank, Item
from anjian.domain.exam.simulate import METHODS, generate_bank
from anjian.domain.registry import ErrorCollector, FieldError, FieldErrors

MAX_BANK = 20_000
MAX_SIMULEES = 100_000
MAX_LENGTH = 200
DEFAULT_TOPIC = "general"


@dataclass(frozen=True, eq=False)
class SimulateRequest:
    bank: Bank
    simulees: int
    seed: int
    method: str
    max_items: int
    min_se: float | None


class SimulateInputInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


class _Reader(ErrorCollector):
    def number(self, data: Mapping[str, Any], key: str, path: str) -> float | None:
        """A finite number, or None (after recording MISSING_FIELD or BAD_NUMBER)."""
        value = data.get(key)
        if value is None:
            self.fail(path, "MISSING_FIELD", f"缺少 {path}")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "BAD_NUMBER", f"{path} 应为数字：{value!r}")
            return None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.fail(path, "BAD_NUMBER", f"{path} 应为有限的数字")
            return None
        return number

    def integer(self, data: Mapping[str, Any], key: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            self.fail(key, "BAD_NUMBER", f"{key} 应为整数：{value!r}")
            return None
        number = self.number(data, key, key)
        if number is None:
            return None
        if not low <= number <= high:
            self.fail(key, "BAD_NUMBER", f"{key} 应在 {low} 到 {high} 之间：{value}")
            return None
        return int(number)

    def item(self, raw: Any, path: str) -> Item | None:
        if not isinstance(raw, Mapping):
            self.fail(path, "NOT_AN_OBJECT", f"{path} 应为对象")
            return None
        before = len(self.errors)
        item_id = raw.get("id")
        if item_id is None or item_id == "":
            self.fail(f"{path}.id", "MISSING_FIELD", f"缺少 {path}.id")
        elif isinstance(item_id, bool) or not isinstance(item_id, str | int):
            self.fail(f"{path}.id", "BAD_VALUE", f"{path}.id 应为文字或整数：{item_id!r}")
        a = self.number(raw, "a", f"{path}.a")
        if a is not None and not 0 < a <= 10:
            self.fail(f"{path}.a", "BAD_NUMBER", f"{path}.a（区分度）应大于 0 且不超过 10：{a}")
        b = self.number(raw, "b", f"{path}.b")
        if b is not None and abs(b) > 10:
            self.fail(f"{path}.b", "BAD_NUMBER", f"{path}.b（难度）应在 -10 到 10 之间：{b}")
        topic = raw.get("topic", DEFAULT_TOPIC)
        if not isinstance(topic, str) or not topic.strip():
            self.fail(f"{path}.topic", "BAD_VALUE", f"{path}.topic 应为非空文字：{topic!r}")
        if len(self.errors) > before or a is None or b is None:
            return None
        return Item(str(item_id).strip(), a, b, str(topic).strip())


def _bank_items(reader: _Reader, bank: Any) -> list[Item]:
    if not isinstance(bank, Mapping):
        reader.fail("bank", "NOT_AN_OBJECT", "bank 应为对象")
        return []
    raw = bank.get("items")
    if not isinstance(raw, list):
        code = "MISSING_FIELD" if raw is None else "BAD_VALUE"
        reader.fail("bank.items", code, "bank.items 应为题目列表")
        return []
    if not raw:
        reader.fail("bank.items", "EMPTY_BANK", "题库为空：bank.items 至少需要一道题")
    if len(raw) > MAX_BANK:
        reader.fail("bank.items", "BAD_VALUE", f"题库过大：最多 {MAX_BANK} 道题")
        return []
    items, seen = [], set()
    for n, entry in enumerate(raw):
        item = reader.item(entry, f"bank.items[{n}]")
        if item is None:
            continue
        if item.id in seen:
            reader.fail(f"bank.items[{n}].id", "DUPLICATE_ITEM", f"题目编号重复：{item.id}")
        seen.add(item.id)
        items.append(item)
    return items


def _bank(reader: _Reader, data: Mapping[str, Any]) -> Bank | None:
    has_bank, has_generate = data.get("bank") is not None, data.get("generate") is not None
    if has_bank == has_generate:
        code = "AMBIGUOUS_BANK" if has_bank else "MISSING_FIELD"
        reader.fail("bank", code, "请给出 bank（题库）或 generate（生成题库）二者之一")
        return None
    if has_bank:
        items = _bank_items(reader, data["bank"])
        return Bank.of(items) if items else None
    spec = data["generate"]
    if not isinstance(spec, Mapping):
        reader.fail("generate", "NOT_AN_OBJECT", "generate 应为对象")
        return None
    size = reader.integer({"generate.items": spec.get("items")}, "generate.items", 1, MAX_BANK)
    seed = reader.integer({"generate.seed": spec.get("seed")}, "generate.seed", 0, 2**63 - 1)
    if size is None or seed is None:
        return None
    return generate_bank(size, seed)


def _min_se(reader: _Reader, data: Mapping[str, Any]) -> float | None:
    if data.get("min_se") is None:
        return None
    value = reader.number(data, "min_se", "min_se")
    if value is not None and value <= 0:
        reader.fail("min_se", "BAD_NUMBER", f"min_se 应为正数或 null：{value}")
        return None
    return value


def parse_simulate_input(data: Any) -> SimulateRequest:
    """The request, or SimulateInputInvalid listing every problem."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise SimulateInputInvalid([FieldError("", "NOT_AN_OBJECT", "输入应为 JSON 对象")])
    bank = _bank(reader, data)
    bank_ok = not reader.errors
    simulees = reader.integer(data, "simulees", 1, MAX_SIMULEES)
    seed = reader.integer(data, "seed", 0, 2**63 - 1)
    max_items = reader.integer(data, "max_items", 1, MAX_LENGTH)
    min_se = _min_se(reader, data)
    method = data.get("method")
    if method is None:
        reader.fail("method", "MISSING_FIELD", "缺少 method")
    elif not isinstance(method, str) or method not in METHODS:
        reader.fail("method", "UNKNOWN_METHOD", f"method 未知：{method!r}（可用：cat、random）")
    if bank_ok and bank is not None and max_items is not None and max_items > len(bank):
        reader.fail("max_items", "BAD_NUMBER", f"max_items（{max_items}）超过题库题量 {len(bank)}")
    if reader.errors or bank is None or None in (simulees, seed, max_items):
        raise SimulateInputInvalid(reader.errors)
    assert simulees is not None and seed is not None and max_items is not None
    return SimulateRequest(bank, simulees, seed, str(method), max_items, min_se)
