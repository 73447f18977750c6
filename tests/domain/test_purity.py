"""The domain core imports no Django and no app code (import-linter enforces the same in CI)."""

from __future__ import annotations

import ast
from pathlib import Path

import anjian.domain

FORBIDDEN = (
    "django",
    "anjian.accounts",
    "anjian.registry",
    "anjian.audit",
    "anjian.core",
    "anjian.config",
    "anjian.documents",
)


def test_domain_imports_no_django() -> None:
    root = Path(anjian.domain.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
