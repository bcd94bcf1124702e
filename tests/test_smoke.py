import pytest


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/workflow/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_page_is_russian_and_branded(client):
    response = client.get("/accounts/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Профрост" in body
    assert "Порядок" not in body
