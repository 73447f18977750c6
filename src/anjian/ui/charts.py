"""Charts rendered on the server as inline SVG with pygal: no script, no CDN."""

from __future__ import annotations

import pygal
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#333",
    foreground_strong="#222",
    foreground_subtle="#888",
    colors=("#0d6efd", "#198754", "#fd7e14", "#dc3545", "#6f42c1", "#20c997"),
    font_family="'Noto Sans CJK SC','Microsoft YaHei',sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
)


def bar_svg(title: str, labels: list[str], values: list[int]) -> str:
    chart = pygal.Bar(
        style=STYLE,
        js=[],  # pygal's default tooltip script lives on the internet
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        height=260,
        width=600,
        margin=10,
        title=title,
    )
    chart.x_labels = labels
    chart.add(title, values)
    return str(chart.render(is_unicode=True))


def line_svg(title: str, labels: list[str], lines: list[tuple[str, list[float]]]) -> str:
    """One line per named series over the labels (at most eight), legend below."""
    chart = pygal.Line(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        height=300,
        width=760,
        margin=10,
        title=title,
        legend_at_bottom=True,
        x_label_rotation=30,
    )
    chart.x_labels = labels
    for name, values in lines[:8]:
        chart.add(name, values)
    return str(chart.render(is_unicode=True))
