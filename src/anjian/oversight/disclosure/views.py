"""Placeholder until written."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
"""Placeholder until written."""

from django.urls import URLPattern

public_urlpatterns: list[URLPattern] = []
