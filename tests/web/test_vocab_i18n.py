"""Labels the domain defines in Chinese reach the catalogue through ui/vocab_i18n.py, and the
choices built from them follow the request's language."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from anjian.domain.discretion import deadlines
from anjian.domain.rules import vocab
from anjian.domain.training.certificates import STATUSES
from anjian.policy.models import ACTIVITY_CHOICES, MODE_CHOICES
from anjian.ui.vocab_i18n import LABELS

DEADLINE = re.compile(r'Deadline\(\s*"[A-Z_]+",\s*"([^"]+)"')


def test_every_rules_vocabulary_label_is_listed() -> None:
    source = Path(deadlines.__file__).read_text(encoding="utf-8")
    labels = [
        *vocab.ACTIVITIES.values(),
        *vocab.MODES.values(),
        *vocab.COUNT_TARGETS.values(),
        *vocab.REASON_CODES.values(),
        *vocab.QUIET_EMERGENCY_GROUNDS.values(),
        *STATUSES.values(),
        *DEADLINE.findall(source),
    ]
    assert len(DEADLINE.findall(source)) >= 5
    missing = [text for text in labels if text not in LABELS]
    assert missing == []


def test_activity_and_mode_choices_are_translated_when_shown() -> None:
    with translation.override("zh-hans"):
        assert dict(ACTIVITY_CHOICES)["enforcement_inspection"] == "执法检查"
        assert dict(MODE_CHOICES)["remote"] == "非现场检查"
    # lazy: each is looked up in the catalogue of the language active when it is shown
    assert all(not isinstance(label, str) for _, label in ACTIVITY_CHOICES)
