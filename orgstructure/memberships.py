"""Roles a process grants by its own act: РМА admission makes a teacher a member of the asset,
exclusion takes the role away. The process keeps its register and the role in step through these
two writes, inside its own transaction; each change is audited (orgstructure.events → the audit
trail of workflows.core), so the register, the role and their history commit or roll back
together.

What the role carries for other processes lives on the membership itself (`subjects`, `basis`),
so that ИОМ (routes by subject and municipality) and the indicators read who is an РМА member of
which subject from orgstructure alone, without importing the process that granted the role.
The municipality comes from the membership's organization (the member's school).
"""

from __future__ import annotations

from django.db import models

from .events import announce
from .models import Membership


class MembershipEvent(models.TextChoices):
    GRANTED = "org.role_granted", "Назначена роль"
    REVOKED = "org.role_revoked", "Роль снята"


def grant(*, user, role: str, organization, actor, basis: str = "", subjects=None) -> Membership:
    """Give `user` the role at `organization` (or make the existing membership active again), with
    its subjects and basis. Idempotent: granting a held role updates what it carries."""
    membership = Membership.objects.select_for_update().filter(user=user, role=role, organization=organization).first()
    was_active = membership is not None and membership.is_active
    if membership is None:
        membership = Membership(user=user, role=role, organization=organization)
    membership.is_active = True
    membership.basis = (basis or "")[:300]
    membership.save()
    subject_ids = []
    if subjects is not None:
        subjects = list(subjects)
        membership.subjects.set(subjects)
        subject_ids = sorted(getattr(s, "pk", s) for s in subjects)
    announce(
        actor=actor,
        obj=membership,
        event=MembershipEvent.GRANTED,
        comment=basis,
        data={
            "user_id": user.pk,
            "role": str(role),
            "organization_id": organization.pk,
            "subjects": subject_ids,
            "was_active": was_active,
        },
    )
    return membership


def revoke(*, user, role: str, actor, basis: str, organization=None) -> list[Membership]:
    """Take the role away (every active membership of it, or the one at `organization`): the
    membership stays, inactive, with the basis, so its history remains readable."""
    queryset = Membership.objects.select_for_update().filter(user=user, role=role, is_active=True)
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    revoked = []
    for membership in queryset.order_by("pk"):
        membership.is_active = False
        membership.basis = (basis or "")[:300]
        membership.save()
        announce(
            actor=actor,
            obj=membership,
            event=MembershipEvent.REVOKED,
            comment=basis,
            data={"user_id": user.pk, "role": str(role), "organization_id": membership.organization_id},
        )
        revoked.append(membership)
    return revoked


def holders(role: str):
    """Active memberships of the role with what they carry (for ИОМ and the indicators):
    `.filter(organization__municipality=…, subjects=…)`."""
    return Membership.objects.filter(role=role, is_active=True).select_related("user", "organization__municipality")
