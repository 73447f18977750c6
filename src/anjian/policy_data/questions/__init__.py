"""The starter question bank shipped with anjian (CSV files written by the team from the facts in
shared/domain/regulations.md and general safety knowledge), read without Django."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from anjian.domain.exam.questions import Question, questions_from_rows


@cache
def shipped_questions() -> tuple[Question, ...]:
    """Every starter question, checked; a broken shipped file fails loudly."""
    rows = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".csv"):
            reader = csv.DictReader(io.StringIO(entry.read_text(encoding="utf-8")))
            rows += [(n, row) for n, row in enumerate(reader, start=2)]
    return tuple(questions_from_rows(rows))
