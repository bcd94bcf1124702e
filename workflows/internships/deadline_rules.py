"""Deadlines of the selection's steps [gap — inferred: the seeds give none]: working days from
the day a task arrives; a region edits them in its profile (workflows/core/deadline_defaults.py)."""

from workflows.core.deadline_defaults import DeadlineDefault

SOURCE = "регламент отбора площадок по умолчанию (в источниках сроков нет)"

RULES = tuple(
    DeadlineDefault(code=code, title=title, working_days=days, position=position, source=SOURCE)
    for code, title, days, position in (
        ("internships.endorsement", "Площадки: согласование заявки ММС", 5, 300),
        ("internships.revision", "Площадки: доработка заявки школой", 5, 301),
        ("internships.decision_approval", "Площадки: утверждение перечня приказом", 10, 303),
        ("internships.decision_revision", "Площадки: доработка решения комиссии", 5, 304),
        ("internships.site_status_approval", "Площадки: приказ об изменении статуса площадки", 10, 306),
    )
) + (
    # a late expert's task is escalated to the coordinator, who may replace them
    DeadlineDefault(
        code="internships.expert_scoring",
        title="Площадки: экспертная оценка заявки",
        working_days=10,
        position=302,
        source=SOURCE,
        escalation_role="cnppm_coordinator",
        escalation_after_days=2,
    ),
)
RULES += (
    # the due date is the one the приказ set (put on the task); the working days are a fallback;
    # a site late with its report is escalated to the coordinator who keeps the register
    DeadlineDefault(
        code="internships.site_report",
        title="Площадки: годовой отчёт площадки",
        working_days=20,
        position=305,
        source=SOURCE,
        escalation_role="cnppm_coordinator",
        escalation_after_days=5,
    ),
)
_BY_CODE = {rule.code: rule for rule in RULES}


def due(code: str, role: str = ""):
    return _BY_CODE[code].due(role)
