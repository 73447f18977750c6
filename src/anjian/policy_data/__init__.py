"""Shipped policy data: rule sets and the starter inspection item list, with pure loaders."""
