"""Presentation helpers with no models, used by the apps of every layer."""
