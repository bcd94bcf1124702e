"""The OpenAPI schema generates without warnings and is served to signed-in users."""

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/persons/{id}/" in schema
    assert "/api/v1/auth/token/" in schema


def test_schema_and_swagger_are_served_to_signed_in_users(client_for, world):
    client = client_for(world.users.teacher)

    schema = client.get("/api/schema/", {"format": "json"})
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Профрост API"
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
