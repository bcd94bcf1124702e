"""api/registry.py: the process apps add their api.py under /api/v1/ from their AppConfig; api/ itself
names no process (tests/test_architecture.py checks that)."""

import pytest
from django.urls import resolve, reverse

from api.registry import api_urlpatterns, register_api_urls


def test_rma_keeps_its_addresses_and_names():
    assert reverse("api-v1:rma-application-list") == "/api/v1/rma/applications/"
    assert reverse("api-v1:rma-application-detail", args=[7]) == "/api/v1/rma/applications/7/"
    assert resolve("/api/v1/rma/register/").view_name == "api-v1:rma-register"


def test_a_taken_prefix_is_refused_and_the_same_registration_again_is_a_no_op():
    before = [str(pattern.pattern) for pattern in api_urlpatterns()]

    with pytest.raises(ValueError, match="already registered"):
        register_api_urls("rma/", "workflows.core.urls_of_someone_else")
    register_api_urls("rma/", "workflows.rma.api")  # ready() ran again
    with pytest.raises(ValueError, match="must read like"):
        register_api_urls("/iom", [])

    assert [str(pattern.pattern) for pattern in api_urlpatterns()] == before
