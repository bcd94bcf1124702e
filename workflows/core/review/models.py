"""Abstract models of an expert review: a process makes them concrete with a foreign key to its
artefact (`ExpertAssignment(ExpertAssignmentBase)` + `application = ForeignKey(...)`), so the kit
holds no table and no migration of its own; the helpers below work on any concrete pair."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Count

from orgstructure.models import Person

from .scoring import Scheme, Sheet, review_outcome


class AssignmentStatus(models.TextChoices):
    APPOINTED = "appointed", "Назначен, оценивает"
    SUBMITTED = "submitted", "Оценка выставлена"
    REPLACED = "replaced", "Заменён"
    DECLINED = "declined", "Заявил о конфликте интересов: нужна замена"
    CLOSED = "closed", "Не потребовалась: экспертиза завершена"


OPEN_ASSIGNMENT = (AssignmentStatus.APPOINTED,)
# an expert whose place must be filled by the coordinator: late (still appointed) or declined
REPLACEABLE = (AssignmentStatus.APPOINTED, AssignmentStatus.DECLINED)


class ExpertAssignmentBase(models.Model):
    """One expert appointed to one artefact. The concrete model adds the artefact's foreign key
    and a unique constraint (artefact, expert): an expert replaced on an artefact is not appointed
    to it again."""

    expert = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="эксперт")
    status = models.CharField(
        "состояние", max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.APPOINTED
    )
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    replaced_reason = models.TextField("причина замены", blank=True)

    class Meta:
        abstract = True


class ExpertScoreBase(models.Model):
    """One criterion of one expert's sheet; `score` None is «не могу оценить». The concrete model
    adds the assignment's foreign key (related_name="scores") and a unique (assignment, criterion)."""

    criterion = models.CharField("критерий", max_length=40)
    score = models.PositiveSmallIntegerField("балл", null=True, blank=True)
    comment = models.TextField("комментарий")

    class Meta:
        abstract = True


def sheet_of(scores: Iterable[ExpertScoreBase]) -> Sheet:
    return {score.criterion: (score.score, score.comment) for score in scores}


def outcome_of(scheme: Scheme, assignments: Iterable[ExpertAssignmentBase]):
    """The review outcome of the submitted sheets among `assignments` (scores prefetched as
    `scores`)."""
    return review_outcome(
        scheme,
        [sheet_of(a.scores.all()) for a in assignments if a.status == AssignmentStatus.SUBMITTED],
    )


def open_loads(assignment_model, person_ids: Iterable[int]) -> dict[int, int]:
    """{person id: reviews they are still to score} in one query, for the proposal by load."""
    rows = (
        assignment_model.objects.filter(expert_id__in=list(person_ids), status__in=OPEN_ASSIGNMENT)
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return {row["expert_id"]: row["n"] for row in rows}
