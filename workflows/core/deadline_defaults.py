"""A process's shipped deadline rules, installed into the regional regulation profiles.

A process declares the rules its flows refer to (`Due(rule="rma.verification")`) once, as
`DeadlineDefault`s given to `register_process(...)`; `manage.py install_process_deadlines
[--region 59] [--process rma]` adds the missing ones to the profiles. Idempotent: a rule already
present in a profile is left as an administrator may have edited it. A region whose profile lacks
a rule still gets a due date: `DeadlineDefault.due(role)` gives the node a `Due` that falls back to
the declared number of working days.

Not a migration on purpose: a profile's rules are copied into every process of the region, of
every flow (regulation.process_deadlines_snapshot), so changing the shipped profiles is an
administrator's decision, not a side effect of installing an app."""

from __future__ import annotations

from dataclasses import dataclass

from .deadlines import Due
from .models import DeadlineAnchor, DeadlineKind

# process code → its rules, in declaration order
_REGISTRY: dict[str, tuple[DeadlineDefault, ...]] = {}


@dataclass(frozen=True)
class DeadlineDefault:
    """One rule a process ships. Counted rules give `working_days`; annual or dated ones (the
    monitoring cycle's «до 20.01») give `kind` and its parameters in `params` (month, day,
    end_month, periods_per_year, one_off_date), as in `DeadlineRule`."""

    code: str
    title: str
    working_days: int | None = None
    position: int = 0
    reminder_days: int | None = 2
    escalation_after_days: int | None = 2
    escalation_role: str = ""
    source: str = ""
    kind: str = DeadlineKind.WORKING_DAYS
    anchor: str = DeadlineAnchor.TASK_CREATED
    params: tuple[tuple[str, object], ...] = ()

    def __post_init__(self):
        from .models import rule_parameter_errors

        errors = rule_parameter_errors(self.rule())
        if errors:
            details = "; ".join(f"{name}: {message}" for name, message in errors.items())
            raise ValueError(f"Правило срока «{self.code}»: {details}")

    def rule(self) -> dict:
        """The rule as `DeadlineRule.snapshot()` would give it."""
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "position": self.position,
            "days": self.working_days if self.kind == DeadlineKind.WORKING_DAYS else dict(self.params).get("days"),
            "anchor": self.anchor,
            "moves_to_working_day": True,
            "reminder_days": self.reminder_days,
            "escalation_after_days": self.escalation_after_days,
            "escalation_role": self.escalation_role,
            **{name: value for name, value in self.params if name != "days"},
        }

    def model_defaults(self) -> dict:
        rule = self.rule()
        rule.pop("code")
        return {**rule, "source": self.source}

    def due(self, role: str = "") -> Due:
        """A node's deadline: the region's profile rule, or — where the profile lacks it — the
        declared working days with the declared reminder and escalation."""
        return Due(
            rule=self.code,
            fallback_working_days=self.working_days if self.kind == DeadlineKind.WORKING_DAYS else None,
            reminder_days=self.reminder_days,
            escalation_after_days=self.escalation_after_days,
            escalation_role=self.escalation_role,
            role=role,
        )


def register_deadline_defaults(process_code: str, rules) -> None:
    rules = tuple(rules)
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{process_code}: коды правил сроков повторяются")
    for other, declared in _REGISTRY.items():
        taken = set(codes) & {rule.code for rule in declared}
        if other != process_code and taken:
            raise ValueError(f"{process_code}: правило {sorted(taken)[0]} уже объявлено процессом {other}")
    _REGISTRY[process_code] = rules


def unregister_deadline_defaults(process_code: str) -> None:
    _REGISTRY.pop(process_code, None)


def deadline_defaults(process_code: str | None = None) -> list[DeadlineDefault]:
    if process_code is not None:
        if process_code not in _REGISTRY:
            raise LookupError(f"Процесс «{process_code}» не объявляет правил сроков")
        return list(_REGISTRY[process_code])
    return [rule for rules in _REGISTRY.values() for rule in rules]


def install_deadline_defaults(*, region_code: str | None = None, process_code: str | None = None) -> int:
    """Add the missing declared rules (of every process, or of one) to the profiles (all, or the
    versions of one region); returns how many were created."""
    from django.db import transaction

    from .models import DeadlineRule, RegulationProfile

    rules = deadline_defaults(process_code)
    profiles = RegulationProfile.objects.all()
    if region_code:
        profiles = profiles.filter(region_code=region_code)
    created = 0
    with transaction.atomic():
        for profile in profiles:
            present = set(DeadlineRule.objects.filter(profile=profile).values_list("code", flat=True))
            missing = [rule for rule in rules if rule.code not in present]
            DeadlineRule.objects.bulk_create(
                [DeadlineRule(profile=profile, code=rule.code, **rule.model_defaults()) for rule in missing]
            )
            created += len(missing)
    return created
