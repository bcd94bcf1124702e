"""Fixtures of the API tests: one region with two municipalities and a second region, users in
the roles the API cares about, and the test-only flow (tests/api/testflow) for tasks."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(api_client):
    """An API client signed in as the given user (session authentication)."""

    def _client_for(user):
        api_client.force_login(user)
        return api_client

    return _client_for


@pytest.fixture
def world(db):
    region = make_region("Свой край", code="91")
    other_region = make_region("Чужая область", code="92", timezone="Europe/Moscow")
    own_muni = make_municipality(region, "Свой город")
    neighbour_muni = make_municipality(region, "Соседний город")
    far_muni = make_municipality(other_region, "Далёкий город")
    orgs = SimpleNamespace(
        ministry=make_organization(region, OrganizationKind.MINISTRY, name="Министерство образования"),
        cnppmpr=make_organization(region, OrganizationKind.CNPPMPR, name="ЦНППМПР"),
        mms=make_organization(region, OrganizationKind.MMS, own_muni, "Методический центр"),
        school=make_organization(region, municipality=own_muni, name="Школа № 1"),
        school_same_muni=make_organization(region, municipality=own_muni, name="Школа № 2"),
        school_neighbour_muni=make_organization(region, municipality=neighbour_muni, name="Школа № 3"),
        school_other_region=make_organization(other_region, municipality=far_muni, name="Школа № 4"),
        other_ministry=make_organization(other_region, OrganizationKind.MINISTRY, name="Министерство"),
    )
    persons = SimpleNamespace(
        teacher=make_person(orgs.school, last_name="Самойлова"),
        colleague=make_person(orgs.school, last_name="Коллегова"),
        same_muni=make_person(orgs.school_same_muni, last_name="Соседова"),
        neighbour_muni=make_person(orgs.school_neighbour_muni, last_name="Дальнева"),
        other_region=make_person(orgs.school_other_region, last_name="Чужакова"),
    )
    users = SimpleNamespace(
        teacher=make_user("teacher", role=Role.TEACHER, organization=orgs.school, person=persons.teacher),
        school_head=make_user("head", role=Role.SCHOOL_HEAD, organization=orgs.school),
        mms_methodist=make_user("mms", role=Role.MMS_METHODIST, organization=orgs.mms),
        ministry_officer=make_user("ministry", role=Role.MINISTRY_OFFICER, organization=orgs.ministry),
        rma_member=make_user("rma", role=Role.RMA_MEMBER, organization=orgs.school_same_muni),
        cnppm_methodist=make_user("cnppm", role=Role.CNPPM_METHODIST, organization=orgs.cnppmpr),
        nobody=make_user("nobody"),
    )
    return SimpleNamespace(
        region=region,
        other_region=other_region,
        own_muni=own_muni,
        neighbour_muni=neighbour_muni,
        orgs=orgs,
        persons=persons,
        users=users,
    )


@pytest.fixture
def review_flow(settings, monkeypatch):
    """The test flow (tests/api/testflow), installed as an app for this test only: viewflow
    stores a flow as «app_label/module.Class», so it has to live in an installed app. It is
    mounted on a test URLconf (task pages resolve) and registered for the shared queue."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.api.testflow.apps.TestFlowConfig"]
    settings.ROOT_URLCONF = "tests.api.testflow.urls"
    from workflows.core import flows as flow_registry

    from .testflow import urls
    from .testflow.flows import ReviewFlow

    monkeypatch.setattr(flow_registry, "FLOW_VIEWSETS", [urls.review_flow_viewset])
    return ReviewFlow
