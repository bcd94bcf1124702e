from .test_campaign import world  # noqa: F401  (the monitoring tests' territory, shared)
