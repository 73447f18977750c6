"""Starter flexible-enforcement lists (TOML), one file per version."""
