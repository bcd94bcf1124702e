"""GET /api/v1/programmes/: the catalogue of the user's regions, filters, cursor pages, a card;
another region's programme answers 404 like a missing one; the endpoints are in the schema."""

import datetime as dt

import pytest

from programmes.models import CompetencyArea, Programme, ProgrammeArea, ProgrammeGroup


@pytest.fixture
def catalogue(world):
    def make(title, provider, *, areas=(), register=False, hours=36):
        programme = Programme.objects.create(title=title, provider=provider, hours=hours, in_federal_register=register)
        ProgrammeArea.objects.bulk_create(ProgrammeArea(programme=programme, area=a) for a in areas)
        return programme

    own = make("Функциональная грамотность", world.orgs.cnppmpr, areas=[CompetencyArea.METHODICAL], register=True)
    ProgrammeGroup.objects.create(programme=own, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 10))
    it = make("Цифровые инструменты", world.orgs.cnppmpr, areas=[CompetencyArea.IT])
    foreign = make("Чужая программа", world.orgs.other_ministry, areas=[CompetencyArea.IT])
    return {"own": own, "it": it, "foreign": foreign}


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_a_teacher_reads_the_catalogue_of_the_region(client_for, world, catalogue):
    client = client_for(world.users.teacher)

    assert titles(client.get("/api/v1/programmes/")) == ["Функциональная грамотность", "Цифровые инструменты"]
    assert titles(client.get("/api/v1/programmes/", {"area": "it"})) == ["Цифровые инструменты"]
    assert titles(client.get("/api/v1/programmes/", {"in_federal_register": "true"})) == ["Функциональная грамотность"]

    card = client.get(f"/api/v1/programmes/{catalogue['own'].pk}/").json()
    assert card["competency_areas"] == ["methodical"]
    assert card["in_federal_register"] is True
    assert card["groups"][0]["starts_on"] == "2026-03-01"


def test_another_regions_programme_answers_like_a_missing_one(client_for, world, catalogue):
    client = client_for(world.users.teacher)

    foreign = client.get(f"/api/v1/programmes/{catalogue['foreign'].pk}/")
    missing = client.get("/api/v1/programmes/999999/")

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert titles(client_for(world.users.nobody).get("/api/v1/programmes/")) == []


def test_cursor_pages_and_a_bad_filter(client_for, world, catalogue):
    client = client_for(world.users.teacher)
    first = client.get("/api/v1/programmes/", {"page_size": 1}).json()
    second = client.get(first["next"]).json()

    assert [r["title"] for r in first["results"] + second["results"]] == [
        "Функциональная грамотность", "Цифровые инструменты"
    ]
    assert client.get("/api/v1/programmes/", {"area": "лидерство"}).status_code == 400


def test_the_catalogue_is_in_the_schema(client_for, world):
    schema = client_for(world.users.teacher).get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/programmes/" in schema["paths"] and "/api/v1/programmes/{id}/" in schema["paths"]
