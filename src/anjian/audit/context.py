"""The request that is being served, for the IP address in audit entries."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("anjian_current_ip", default=None)
