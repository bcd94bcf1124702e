"""GET /api/v1/me/: the user, the person card if any, the memberships."""

from orgstructure.models import Membership, Role


def test_me_lists_memberships_with_russian_role_labels(client_for, world):
    user = world.users.school_head
    Membership.objects.create(user=user, role=Role.RMA_MEMBER, organization=world.orgs.school)
    Membership.objects.create(user=user, role=Role.TEACHER, organization=world.orgs.mms, is_active=False)

    body = client_for(user).get("/api/v1/me/").json()

    assert body["username"] == "head"
    assert body["person"] is None
    assert sorted(body["memberships"], key=lambda m: m["role"]) == [
        {
            "role": "rma_member",
            "role_display": "Член РМА",
            "organization": {
                "id": world.orgs.school.pk,
                "name": "Школа № 1",
                "short_name": "",
                "kind": "school",
            },
        },
        {
            "role": "school_head",
            "role_display": "Руководитель / заместитель руководителя ОО",
            "organization": {
                "id": world.orgs.school.pk,
                "name": "Школа № 1",
                "short_name": "",
                "kind": "school",
            },
        },
    ]


def test_me_links_the_teachers_person_card(client_for, world):
    body = client_for(world.users.teacher).get("/api/v1/me/").json()

    assert body["person"] == {"id": world.persons.teacher.pk, "full_name": "Самойлова Анна Игоревна"}
    assert [m["role"] for m in body["memberships"]] == ["teacher"]
