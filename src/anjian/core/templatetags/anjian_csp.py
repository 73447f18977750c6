"""Server-drawn charts under the Content-Security-Policy, which allows no inline script and no
inline style except a ``<style>`` element carrying the request's nonce.

pygal (``anjian.ui.charts``) puts the chart's styles in a ``<style>`` element scoped to the
chart, a ``<script>`` that only stores its configuration for the tooltip script we do not load,
and ``style="opacity: 0"`` on the (unused) tooltip. ``{{ chart|inline_chart:request.csp_nonce }}``
stamps the nonce on the style, drops the script, turns style attributes into SVG presentation
attributes (``opacity="0"``) and marks the chart safe. Use it only on SVG this server drew, never
on user text."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

STYLE_TAG = re.compile(r"<style(?=[\s>])")
SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*([^;]*?)\s*$")


def _presentation(match: re.Match[str]) -> str:
    """``style="opacity: 0"`` → `` opacity="0"`` (SVG attributes are not inline style)."""
    pairs = (DECLARATION.match(part) for part in match.group(1).split(";"))
    return "".join(f' {pair[1]}="{pair[2]}"' for pair in pairs if pair)


@register.filter
def inline_chart(svg: str, nonce: object) -> SafeString:
    text = STYLE_ATTRIBUTE.sub(_presentation, SCRIPT_ELEMENT.sub("", str(svg)))
    # django-csp's lazy nonce is falsy until read: str() reads it, which also puts it in the
    # header; a request without the middleware gives "" and the chart keeps its bare <style>
    value = "" if nonce is None else str(nonce)
    if value:
        text = STYLE_TAG.sub(f'<style nonce="{escape(value)}"', text)
    return mark_safe(text)  # server-drawn SVG: pygal escapes its labels
