"""Pages of the training app: institutions (filled in by the issue-7 work)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
