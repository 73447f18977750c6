"""The pure-Python domain core: rules, identifiers and validators that import no Django.

Everything here takes plain values or frozen dataclasses and returns results that explain
themselves. `tests/test_architecture.py` and the import-linter contract keep Django out.
"""
