"""GET /api/v1/organizations/: only what the user may see, filters, cursor pages, detail."""

import pytest

from orgstructure.models import OrganizationKind


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("school_head", {"Школа № 1"}),
        ("teacher", {"Школа № 1"}),
        ("mms_methodist", {"Методический центр", "Школа № 1", "Школа № 2"}),
        (
            "ministry_officer",
            {
                "Министерство образования",
                "ЦНППМПР",
                "Методический центр",
                "Школа № 1",
                "Школа № 2",
                "Школа № 3",
            },
        ),
        ("nobody", set()),
    ],
)
def test_list_holds_only_organizations_in_scope(client_for, world, user, expected):
    client = client_for(getattr(world.users, user))

    assert names(client.get("/api/v1/organizations/")) == expected


def test_filters(client_for, world):
    client = client_for(world.users.ministry_officer)

    assert names(client.get("/api/v1/organizations/", {"kind": OrganizationKind.SCHOOL})) == {
        "Школа № 1",
        "Школа № 2",
        "Школа № 3",
    }
    assert names(client.get("/api/v1/organizations/", {"municipality": world.neighbour_muni.pk})) == {
        "Школа № 3"
    }
    assert names(client.get("/api/v1/organizations/", {"search": "Методич"})) == {"Методический центр"}
    assert names(
        client.get("/api/v1/organizations/", {"kind": "school", "municipality": world.own_muni.pk})
    ) == {"Школа № 1", "Школа № 2"}


def test_filter_by_a_foreign_municipality_shows_nothing(client_for, world):
    client = client_for(world.users.school_head)

    assert names(client.get("/api/v1/organizations/", {"municipality": world.neighbour_muni.pk})) == set()


def test_cursor_pages_walk_the_whole_list_once(client_for, world):
    client = client_for(world.users.ministry_officer)

    seen = []
    response = client.get("/api/v1/organizations/", {"page_size": 2})
    while True:
        body = response.json()
        assert len(body["results"]) <= 2
        seen += [row["name"] for row in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])

    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 6


def test_detail(client_for, world):
    client = client_for(world.users.mms_methodist)

    response = client.get(f"/api/v1/organizations/{world.orgs.school.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Школа № 1"
    assert body["kind"] == "school"
    assert body["kind_display"] == "Общеобразовательная организация"
    assert body["region"] == {"id": world.region.pk, "name": "Свой край"}
    assert body["municipality"] == {"id": world.own_muni.pk, "name": "Свой город"}


def test_regional_body_has_no_municipality(client_for, world):
    client = client_for(world.users.ministry_officer)

    response = client.get(f"/api/v1/organizations/{world.orgs.ministry.pk}/")

    assert response.json()["municipality"] is None


def test_other_region_is_not_found(client_for, world):
    client = client_for(world.users.ministry_officer)

    response = client.get(f"/api/v1/organizations/{world.orgs.other_ministry.pk}/")

    assert response.status_code == 404
