from .diagnostics import admin as diagnostics_admin  # noqa: F401 (registers the diagnostics models)
