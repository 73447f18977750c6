"""Starter discretion benchmarks (TOML), one file per version."""
