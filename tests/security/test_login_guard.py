"""Password guessing (issue 11, point 1): lockout per account and per address on the login page
and the token endpoint, the client address from trusted proxies only, and API tokens that
expire, can be revoked and die with the password."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.login_guard import client_ip, login_username
from tests.factories import make_user
from workflows.core.models import AuditEvent

PASSWORD = "pass-Профрост-1"
LOCKED = "Слишком много неудачных попыток входа"
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.AXES_FAILURE_LIMIT = 5
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- the login page ---------------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, db):
    make_user("head")
    for _ in range(4):
        assert _login(client, "head", "guess").status_code == 200  # the form again, with its error

    fifth = _login(client, "head", "guess")
    assert fifth.status_code == 429
    text = fifth.content.decode()
    assert LOCKED in text and "повторите через 15 минут" in text
    assert int(fifth["Retry-After"]) == 15 * 60

    right = _login(client, "head", PASSWORD)
    assert right.status_code == 429
    assert not _signed_in(client)


def test_the_account_counter_ignores_case_and_spaces_of_the_login(client, db):
    make_user("head")
    for variant in ["head", "HEAD", " Head", "head ", "hEaD"]:
        _login(client, variant, "guess")

    assert _login(client, "head", PASSWORD).status_code == 429


def test_a_locked_account_is_locked_from_every_address(db):
    make_user("head")
    for number in range(5):
        _login(APIClient(), "head", "guess", REMOTE_ADDR=f"198.51.100.{number}")

    other = APIClient()
    assert _login(other, "head", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_guessing_many_accounts_from_one_address_locks_the_address(client, db):
    for number in range(5):
        make_user(f"user{number}")
        _login(client, f"user{number}", "Summer2026!")
    make_user("fresh")

    assert _login(client, "fresh", PASSWORD).status_code == 429
    # the accounts themselves are not locked for their owners elsewhere
    elsewhere = APIClient()
    assert _login(elsewhere, "fresh", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_a_rotated_x_forwarded_for_does_not_reset_the_address_counter(client, db):
    """No trusted proxy (the default): the header is the client's own writing and is ignored."""
    for number in range(5):
        make_user(f"user{number}")
        _login(client, f"user{number}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    make_user("fresh")

    response = _login(client, "fresh", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_behind_one_proxy_only_the_address_the_proxy_appended_counts(settings, db):
    settings.PROFROST_TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        make_user(f"user{number}")
        # the client writes anything on the left; the proxy appends the real 198.51.100.7
        _login(APIClient(), f"user{number}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.7")
    make_user("fresh")

    attacker = _login(APIClient(), "fresh", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    neighbour = _login(APIClient(), "fresh", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.8")

    assert attacker.status_code == 429
    assert neighbour.status_code == 302


def test_the_lock_ends_after_the_cool_off(settings, client, db):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    make_user("head")
    for _ in range(5):
        _login(client, "head", "guess")
    assert _login(client, "head", PASSWORD).status_code == 429

    import time

    time.sleep(1.2)
    assert _login(client, "head", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_success_does_not_reset_the_address_counter(client, db):
    """Otherwise an attacker with an account of their own would sign in between guesses."""
    make_user("mine")
    for number in range(4):
        make_user(f"user{number}")
        _login(client, f"user{number}", "guess")
    assert _login(APIClient(), "mine", PASSWORD).status_code == 302  # same address, success

    make_user("victim")
    _login(client, "victim", "guess")

    assert _login(APIClient(), "mine", PASSWORD).status_code == 429


# --- the token endpoint -----------------------------------------------------------------------


def _token(api, username, password, **extra):
    return api.post(TOKEN, {"username": username, "password": password}, format="json", **extra)


def test_token_endpoint_locks_the_account_with_a_russian_answer(db):
    make_user("head")
    for number in range(5):
        response = _token(APIClient(), "head", "guess", REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 400

    response = _token(APIClient(), "head", PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_locked"
    assert body["detail"].startswith(LOCKED)
    assert "повторите через 15 минут" in body["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    assert not Token.objects.exists()


def test_token_endpoint_sprayed_over_many_accounts_with_rotated_x_forwarded_for_is_stopped(db):
    """The issue's attack: 40 accounts, one password, a new X-Forwarded-For each time."""
    for number in range(40):
        make_user(f"user{number}")
    api = APIClient()
    statuses = [
        _token(api, f"user{number}", "Summer2026!", HTTP_X_FORWARDED_FOR=f"10.1.{number}.1").status_code
        for number in range(40)
    ]

    assert statuses[:5] == [400] * 5
    assert set(statuses[5:]) == {429}
    # and a right password from that address is refused while the lock lasts
    assert _token(api, "user39", PASSWORD, HTTP_X_FORWARDED_FOR="10.2.0.1").status_code == 429


def test_login_page_and_token_endpoint_share_the_counters(client, db):
    make_user("head")
    for _ in range(5):
        _login(client, "head", "guess", REMOTE_ADDR="198.51.100.1")

    assert _token(APIClient(), "head", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429


# --- the client address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.1"),
        (0, "10.0.0.1", "192.0.2.1"),
        (1, None, "192.0.2.1"),
        (1, "10.0.0.1, 198.51.100.7", "198.51.100.7"),
        (1, "198.51.100.7", "198.51.100.7"),
        (2, "10.0.0.1, 198.51.100.7, 192.0.2.50", "198.51.100.7"),
        (1, "10.0.0.1, not-an-address", "192.0.2.1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, proxies, forwarded, expected):
    settings.PROFROST_TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1", **extra)

    assert client_ip(request) == expected


def test_a_username_never_shares_a_counter_key_with_an_address():
    assert login_username(None, {"username": "127.0.0.1"}) == "user:127.0.0.1"
    assert login_username(None, {"username": "  "}) is None


# --- tokens: lifetime, revocation, password change --------------------------------------------


@pytest.fixture
def head(db):
    return make_user("head")


def _authenticated(token_key) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
    return api.get("/api/v1/me/").status_code


def _obtain(username="head") -> str:
    response = _token(APIClient(), username, PASSWORD)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_a_token_expires_after_its_lifetime_and_a_fresh_one_is_issued(settings, head):
    settings.PROFROST_API_TOKEN_LIFETIME_HOURS = 24
    old = _obtain()
    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(hours=24, seconds=1))

    assert _authenticated(old) == 401
    new = _obtain()
    assert new != old
    assert _authenticated(new) == 200
    events = list(AuditEvent.objects.filter(event__startswith="api_token").values_list("event", flat=True))
    assert events == ["api_token_created", "api_token_revoked", "api_token_created"]


def test_a_token_works_until_the_last_second_of_its_lifetime(settings, head):
    settings.PROFROST_API_TOKEN_LIFETIME_HOURS = 24
    key = _obtain()
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=23, minutes=59))

    assert _authenticated(key) == 200


def test_delete_revokes_the_current_token(head):
    key = _obtain()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.delete(TOKEN)

    assert response.status_code == 204
    assert _authenticated(key) == 401
    assert AuditEvent.objects.filter(event="api_token_revoked", actor=head).count() == 1


def test_delete_without_a_token_answers_401(db):
    response = APIClient().delete(TOKEN)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("update_fields", [None, ["password"]])
def test_a_password_change_kills_the_token(head, update_fields):
    key = _obtain()
    head.set_password("another-Пароль-2")
    head.save(update_fields=update_fields)

    assert _authenticated(key) == 401
    assert not Token.objects.filter(user=head).exists()
    event = AuditEvent.objects.get(event="api_token_revoked")
    assert event.data == {"reason": "password_changed"}


def test_the_password_change_page_kills_the_token(client, head):
    key = _obtain()
    client.force_login(head)

    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "another-Пароль-2", "new_password2": "another-Пароль-2"},
    )

    assert response.status_code == 302
    assert _authenticated(key) == 401


def test_deactivation_kills_the_token(head):
    key = _obtain()
    head.is_active = False
    head.save()

    assert not Token.objects.filter(key=key).exists()


def test_signing_in_keeps_the_token(client, head):
    """last_login is saved on every sign-in; that is no credential change."""
    key = _obtain()

    assert _login(client, "head", PASSWORD).status_code == 302
    assert Token.objects.filter(key=key).exists()


def test_the_admin_lists_tokens_for_revocation(client, db):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    Token.objects.create(user=admin)
    client.force_login(admin)

    response = client.get("/admin/authtoken/tokenproxy/")

    assert response.status_code == 200
    assert "root" in response.content.decode()
