"""Who may call the API: anonymous → 401 in Russian, session and token authentication, the
token endpoint and its brute-force guard."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from workflows.core.models import AuditEvent

NOT_AUTHENTICATED = {"detail": "Требуется аутентификация", "code": "not_authenticated"}
PASSWORD = "pass-Профрост-1"  # tests/factories.make_user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/",
        "/api/v1/organizations/1/",
        "/api/v1/persons/",
        "/api/v1/persons/1/",
        "/api/v1/me/",
        "/api/v1/tasks/",
        "/api/schema/",
        "/api/docs/",
    ],
)
def test_anonymous_gets_401_json_in_russian(api_client, db, url):
    response = api_client.get(url)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == NOT_AUTHENTICATED
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_is_not_redirected_to_the_html_login(client, db):
    response = client.get("/api/v1/me/", HTTP_ACCEPT="text/html")

    assert response.status_code == 401
    assert response.json() == NOT_AUTHENTICATED


def test_session_authentication_works(client, world):
    client.force_login(world.users.school_head)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "head"


def test_token_is_issued_for_good_credentials_and_authenticates(api_client, world):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "head", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=world.users.school_head).key

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "head"


def test_token_is_stable_and_its_issue_is_audited_once(api_client, world):
    credentials = {"username": "head", "password": PASSWORD}
    first = api_client.post("/api/v1/auth/token/", credentials, format="json").json()["token"]
    second = api_client.post("/api/v1/auth/token/", credentials, format="json").json()["token"]

    assert first == second
    events = AuditEvent.objects.filter(event="api_token_created")
    assert [event.actor for event in events] == [world.users.school_head]


def test_token_accepts_a_form_post_too(api_client, world):
    response = api_client.post("/api/v1/auth/token/", {"username": "head", "password": PASSWORD})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "head", "password": "wrong"},
        {"username": "nosuchuser", "password": PASSWORD},
    ],
)
def test_bad_credentials_answer_400_in_russian(api_client, world, credentials):
    response = api_client.post("/api/v1/auth/token/", credentials, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Неверное имя пользователя или пароль",
        "code": "invalid_credentials",
        "errors": {"non_field_errors": ["Неверное имя пользователя или пароль"]},
    }
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(api_client, world):
    world.users.school_head.is_active = False
    world.users.school_head.save()

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "head", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_are_listed_per_field(api_client, db):
    response = api_client.post("/api/v1/auth/token/", {}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"] == "Проверьте введённые данные"
    assert body["errors"] == {"username": ["Обязательное поле."], "password": ["Обязательное поле."]}


def test_token_endpoint_needs_no_csrf_token_from_a_signed_in_browser(world):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.users.school_head)

    response = browser.post("/api/v1/auth/token/", {"username": "head", "password": PASSWORD}, format="json")

    assert response.status_code == 200


def test_wrong_token_answers_401_in_russian(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Неверный токен или учётные данные",
        "code": "authentication_failed",
    }
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_a_deactivated_user_stops_working(api_client, world):
    token = Token.objects.create(user=world.users.school_head)
    world.users.school_head.is_active = False
    world.users.school_head.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Неверный токен или учётные данные",
        "code": "authentication_failed",
    }


def test_password_guessing_for_one_account_is_throttled(api_client, world):
    for _ in range(10):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "head", "password": "guess"}, format="json"
        )
        assert response.status_code == 400

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "HEAD ", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["detail"].startswith("Слишком много запросов. Повторите через ")
    assert int(response["Retry-After"]) > 0
