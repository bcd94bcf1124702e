"""The role registry on its own: a tiny fake process (the sample flow's app, with its real
permission `sampleflow.can_do_sample`) registers a role mapping beside РМА's; one set of receivers
keeps the shared groups «Роль: …» in step with memberships for both."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from orgstructure.models import Membership, Role
from tests.factories import make_organization, make_region, make_user
from workflows.core import roles

pytestmark = pytest.mark.django_db

SAMPLE = "sampleflow"


@pytest.fixture
def sample_roles():
    roles.register_role_permissions(SAMPLE, {Role.MMS_METHODIST: ("can_do_sample",),
                                             Role.RMA_MUNI_COORDINATOR: ("can_do_sample", "view_sampleprocess")})
    roles.sync_all_role_groups()
    yield
    roles.unregister_role_permissions(SAMPLE)


@pytest.fixture
def org(db):
    return make_organization(make_region())


def fresh(user):
    """The user read again: Django caches permissions on the user object."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_membership_gives_the_role_s_permissions_and_losing_it_takes_them_away(sample_roles, org):
    user = make_user(role=Role.MMS_METHODIST, organization=org)
    assert fresh(user).has_perm("sampleflow.can_do_sample")
    assert list(fresh(user).groups.values_list("name", flat=True)) == ["Роль: Методист ММС"]

    membership = Membership.objects.get(user=user)
    membership.is_active = False
    membership.save()
    assert not fresh(user).has_perm("sampleflow.can_do_sample")
    assert not fresh(user).groups.exists()

    membership.is_active = True
    membership.save()
    assert fresh(user).has_perm("sampleflow.can_do_sample")
    membership.delete()
    assert not fresh(user).has_perm("sampleflow.can_do_sample")


def test_one_group_per_role_holds_the_permissions_of_every_process(sample_roles, org):
    group = Group.objects.get(name=roles.role_group_name(Role.RMA_MUNI_COORDINATOR))
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {("sampleflow", "can_do_sample"), ("sampleflow", "view_sampleprocess")} <= held
    assert {("rma", "verify_documents"), ("rma", "view_rmaapplicationprocess")} <= held
    assert Group.objects.filter(name__startswith=roles.GROUP_PREFIX, name__contains="координатор РМА").count() == 1

    coordinator = fresh(make_user(role=Role.RMA_MUNI_COORDINATOR, organization=org))
    assert coordinator.has_perm("sampleflow.can_do_sample") and coordinator.has_perm("rma.verify_documents")
    teacher = fresh(make_user(role=Role.TEACHER, organization=org))
    assert teacher.has_perm("rma.submit_application") and not teacher.has_perm("sampleflow.can_do_sample")


def test_two_roles_two_groups_and_one_of_them_lost(sample_roles, org):
    user = make_user(role=Role.MMS_METHODIST, organization=org)
    Membership.objects.create(user=user, role=Role.RMA_MUNI_COORDINATOR, organization=org)
    assert fresh(user).groups.count() == 2
    Membership.objects.filter(user=user, role=Role.MMS_METHODIST).delete()
    assert list(fresh(user).groups.values_list("name", flat=True)) == ["Роль: Муниципальный координатор РМА"]
    assert fresh(user).has_perm("sampleflow.can_do_sample")  # still, through the coordinator role


def test_bulk_loads_are_brought_in_step_after_migrate(sample_roles, org):
    """bulk_create sends no signals; the post_migrate receiver (and load commands) re-sync."""
    user = make_user()
    Membership.objects.bulk_create([Membership(user=user, role=Role.MMS_METHODIST, organization=org)])
    assert not fresh(user).has_perm("sampleflow.can_do_sample")

    from django.apps import apps

    roles.on_post_migrate(sender=apps.get_app_config("auth"))  # not a registered process: nothing
    assert not fresh(user).has_perm("sampleflow.can_do_sample")
    roles.on_post_migrate(sender=apps.get_app_config(SAMPLE))
    assert fresh(user).has_perm("sampleflow.can_do_sample")


def test_a_mapping_taken_back_is_revoked_and_hand_made_grants_do_not_survive(org):
    # A role no installed process gives permissions to (the processes' mappings grow over time).
    free_role = next(role for role in Role if role not in roles.registered_roles())
    roles.register_role_permissions(SAMPLE, {free_role: ("can_do_sample",)})
    try:
        roles.sync_all_role_groups()
        user = make_user(role=free_role, organization=org)
        group = Group.objects.get(name=roles.role_group_name(free_role))
        group.permissions.add(Permission.objects.get(codename="change_person"))  # by hand, in the admin
        assert fresh(user).has_perm("orgstructure.change_person")
        roles.sync_all_role_groups()
        assert not fresh(user).has_perm("orgstructure.change_person")
        assert fresh(user).has_perm("sampleflow.can_do_sample")
    finally:
        roles.unregister_role_permissions(SAMPLE)
    roles.sync_all_role_groups()  # the role is no process's any more
    assert not fresh(user).has_perm("sampleflow.can_do_sample")
    assert not group.permissions.exists() and not fresh(user).groups.exists()


def test_unknown_roles_fail_at_registration():
    with pytest.raises(ValueError, match="неизвестная роль «auditor»"):
        roles.register_role_permissions(SAMPLE, {"auditor": ("can_do_sample",)})
    assert SAMPLE not in roles.registered_app_labels()


def test_rma_is_registered_through_the_registry():
    assert "rma" in roles.registered_app_labels()
    assert ("rma", "approve_list") in roles.role_permissions(Role.MINISTRY_SIGNATORY)


def test_a_process_may_name_another_app_s_permission_explicitly(org):
    roles.register_role_permissions(SAMPLE, {Role.IRO_STAFF: ("can_do_sample", "orgstructure.view_person")})
    try:
        roles.sync_all_role_groups()
        user = fresh(make_user(role=Role.IRO_STAFF, organization=org))
        assert user.has_perm("orgstructure.view_person") and user.has_perm("sampleflow.can_do_sample")
        assert not user.has_perm("sampleflow.view_person")
    finally:
        roles.unregister_role_permissions(SAMPLE)
