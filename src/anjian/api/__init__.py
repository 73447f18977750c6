"""The JSON API (django-ninja, OpenAPI at /api/v1/openapi.json) over the same services, selectors
and data scope as the pages. Authentication is the web session (CSRF-checked for writes)."""
