"""Deadlines of the ИОМ steps [gap — inferred: the seeds give none]: working days from the day a
task arrives; a region edits them in its profile (workflows/core/deadline_defaults.py). The
teacher's own steps (an activity, the self-report) are due on the dates of the route itself
(flows.py sets them from the plan)."""

from workflows.core.deadline_defaults import DeadlineDefault

SOURCE = "регламент ИОМ по умолчанию (Положение об ИОМ, 003:L1512, в источниках отсутствует)"

RULES = tuple(
    DeadlineDefault(
        code=code, title=title, working_days=days, position=position, source=SOURCE, escalation_role=escalation
    )
    for code, title, days, position, escalation in (
        ("iom.assignment", "ИОМ: назначение куратора", 3, 400, ""),
        ("iom.design", "ИОМ: разработка маршрута куратором с педагогом", 15, 401, "cnppm_coordinator"),
        ("iom.agreement", "ИОМ: согласование маршрута педагогом", 5, 402, ""),
        ("iom.endorsement", "ИОМ: согласование маршрута образовательной организацией", 5, 403, ""),
        ("iom.registration", "ИОМ: регистрация маршрута в реестре ИОМ", 3, 404, "cnppm_coordinator"),
        ("iom.activity", "ИОМ: выполнение мероприятия (срок — по плану маршрута)", 10, 405, ""),
        ("iom.report", "ИОМ: самоотчёт педагога (срок — окончание периода маршрута)", 10, 406, ""),
        ("iom.confirmation", "ИОМ: подтверждение результата куратором", 10, 407, "cnppm_coordinator"),
    )
)
_BY_CODE = {rule.code: rule for rule in RULES}


def due(code: str, role: str = ""):
    return _BY_CODE[code].due(role)
