"""Every figure's label, group and note reaches the English catalogue."""

from __future__ import annotations

from django.utils import translation

from anjian.steering import cockpit, figures
from anjian.steering.figure_labels_i18n import LABELS


def test_every_figure_label_is_listed_and_translated() -> None:
    shown = {text for f in figures.FIGURES for text in (f.group, f.label, f.note) if text}
    shown |= {text for e in cockpit.EXTRAS.values() for text in (e.label, e.note) if text}
    assert shown <= set(LABELS)
    with translation.override("en"):
        for text in shown:
            assert translation.gettext(text) != text, text
