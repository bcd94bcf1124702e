"""The error bodies: Russian text, a machine code, field → messages for validation, and one
404 for "missing" and "not yours" alike."""

import pytest
from rest_framework.test import APIClient

NOT_FOUND = {"detail": "Объект не найден", "code": "not_found"}


@pytest.mark.parametrize("resource", ["organizations", "persons"])
def test_foreign_object_answers_exactly_like_a_missing_one(client_for, world, resource):
    client = client_for(world.users.school_head)
    foreign_id = (
        world.orgs.school_neighbour_muni.pk if resource == "organizations" else world.persons.same_muni.pk
    )

    foreign = client.get(f"/api/v1/{resource}/{foreign_id}/")
    missing = client.get(f"/api/v1/{resource}/999999/")
    not_a_number = client.get(f"/api/v1/{resource}/abc/")

    assert foreign.status_code == missing.status_code == not_a_number.status_code == 404
    assert foreign.content == missing.content == not_a_number.content
    assert foreign.json() == NOT_FOUND


def test_invalid_filter_lists_messages_per_field(client_for, world):
    client = client_for(world.users.ministry_officer)

    response = client.get("/api/v1/organizations/", {"kind": "castle", "municipality": "abc"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Проверьте введённые данные"
    assert body["errors"] == {
        "kind": ["Значения castle нет среди допустимых вариантов."],
        "municipality": ["Введите правильное число."],
    }


def test_method_not_allowed_is_json_in_russian(client_for, world):
    client = client_for(world.users.ministry_officer)

    response = client.post("/api/v1/persons/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "POST" in response.json()["detail"]


def test_bad_json_body_is_a_russian_parse_error(api_client, db):
    response = api_client.post("/api/v1/auth/token/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Тело запроса — не корректный JSON (строка 1, позиция 2)",
        "code": "parse_error",
        "errors": {"non_field_errors": ["Тело запроса — не корректный JSON (строка 1, позиция 2)"]},
    }


@pytest.mark.parametrize("body", ["[", '{"username": "a",}', "\u0000", "{\"a\": 1} trailing"])
def test_every_malformed_json_body_answers_the_validation_shape(client_for, world, body):
    client = client_for(world.users.school_head)

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "parse_error"
    assert data["detail"].startswith("Тело запроса — не корректный JSON")
    assert data["errors"] == {"non_field_errors": [data["detail"]]}


@pytest.mark.parametrize("url", ["/api/v1/persons/1.5/", "/api/v1/nothing/", "/api/v2/persons/"])
def test_unknown_api_address_is_the_same_json_404(client_for, world, url):
    response = client_for(world.users.school_head).get(url)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_unknown_api_address_asks_an_anonymous_caller_to_authenticate(api_client, db):
    response = api_client.get("/api/v1/nothing/")

    assert response.status_code == 401


def test_address_without_trailing_slash_is_still_redirected(client_for, world):
    response = client_for(world.users.school_head).get("/api/v1/persons")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/persons/"


def test_damaged_cursor_is_a_validation_error(client_for, world):
    response = client_for(world.users.school_head).get("/api/v1/persons/", {"cursor": "garbage"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Неверный курсор страницы"]}


def test_id_filter_beyond_the_database_range_is_a_validation_error(client_for, world):
    response = client_for(world.users.school_head).get("/api/v1/persons/", {"organization": 2**64})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["organization"]


def test_csrf_failure_of_a_session_write_is_russian(world):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.users.school_head)

    response = browser.post("/api/v1/nothing/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Не пройдена проверка CSRF: обновите страницу и повторите запрос",
        "code": "csrf_failed",
    }


def test_nested_errors_come_under_dotted_keys_as_the_schema_publishes_them():
    """A nested serializer, a dict field, a list of objects: `errors` stays {field: [message]}
    (ValidationErrorSerializer) — schemathesis found nested objects in the drill (issue 11)."""
    from rest_framework import exceptions, serializers

    from api.exceptions import exception_handler

    class Programme(serializers.Serializer):
        hours = serializers.IntegerField()

    class Body(serializers.Serializer):
        title = serializers.CharField()
        corrections = serializers.DictField(child=serializers.CharField())
        programmes = Programme(many=True, allow_empty=False)
        extra = Programme(many=True)

    body = Body(data={"corrections": {"IND-03": {}}, "programmes": [], "extra": [{"hours": 1}, {"hours": "x"}]})
    assert not body.is_valid()
    response = exception_handler(exceptions.ValidationError(body.errors), {})

    errors = response.data["errors"]
    assert set(errors) == {"title", "corrections.IND-03", "programmes.non_field_errors", "extra.1.hours"}
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in errors.values())
