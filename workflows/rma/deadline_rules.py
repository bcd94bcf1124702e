"""The РМА steps' deadlines as rules of the regional regulation profiles (workflows/core).

The seeds give no time limits for the РМА steps [gap — inferred]: the defaults below are working
days counted from the day a task arrives; a region edits them in its profile like any other rule.
`manage.py install_rma_deadlines [--region 59]` adds the missing ones to the profiles (idempotent:
rules already present are left as an administrator may have edited them); `load_rma_demo` does it
for the demo region. A region whose profile lacks a rule still gets a due date: the flows fall back
to the same number of working days (`FALLBACK_WORKING_DAYS`, given to each node by `rma_due`).

Not a migration on purpose: a profile's rules are copied into every process of the region, of
every flow (regulation.process_deadlines_snapshot), so changing the shipped profiles is an
administrator's decision, not a side effect of installing the app."""

from workflows.core.deadlines import Due

RMA_DEADLINE_RULES = (
    # code, title, working days, position
    ("rma.verification", "РМА: проверка документов кандидата", 10, 100),
    ("rma.correction", "РМА: доработка заявки кандидатом", 10, 101),
    ("rma.assessment", "РМА: оценка предметных и методических компетенций", 20, 102),
    ("rma.inclusion", "РМА: включение кандидата в проект списка", 10, 103),
    ("rma.list_preparation", "РМА: подготовка приказа об утверждении списка", 10, 104),
    ("rma.list_approval", "РМА: утверждение списка (подписание приказа)", 5, 105),
    ("rma.membership_review", "РМА: перепроверка членства при истечении категории", 10, 106),
)
SOURCE = "регламент РМА по умолчанию (в источниках сроков нет)"


FALLBACK_WORKING_DAYS = {code: days for code, _, days, _ in RMA_DEADLINE_RULES}


def install_rma_deadline_rules(*, region_code: str | None = None) -> int:
    """Add the missing РМА rules to the profiles (all, or the versions of one region); returns how
    many were created."""
    from workflows.core.models import DeadlineRule, RegulationProfile

    created = 0
    profiles = RegulationProfile.objects.all()
    if region_code:
        profiles = profiles.filter(region_code=region_code)
    for profile in profiles:
        for code, title, days, position in RMA_DEADLINE_RULES:
            _, made = DeadlineRule.objects.get_or_create(
                profile=profile,
                code=code,
                defaults={
                    "title": title,
                    "kind": "working_days",
                    "days": days,
                    "position": position,
                    "anchor": "task_created",
                    "moves_to_working_day": True,
                    "reminder_days": 2,
                    "escalation_after_days": 2,
                    "source": SOURCE,
                },
            )
            created += int(made)
    return created


def rma_due(code: str, role: str = "") -> Due:
    """A step's deadline: the region's profile rule `code`, or its default working days where the
    profile lacks it."""
    return Due(rule=code, fallback_working_days=FALLBACK_WORKING_DAYS[code], role=role)
