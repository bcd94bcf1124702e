"""The РМА steps' deadlines as rules of the regional regulation profiles.

The seeds give no time limits for the РМА steps [gap — inferred]: the defaults below are working
days counted from the day a task arrives; a region edits them in its profile like any other rule.
The kit installs them (`manage.py install_process_deadlines [--region 59]`, or its alias
`install_rma_deadlines`; `load_rma_demo` does it for the demo region), and a region whose profile
lacks one still gets the same number of working days (workflows/core/deadline_defaults.py)."""

from workflows.core.deadline_defaults import DeadlineDefault

SOURCE = "регламент РМА по умолчанию (в источниках сроков нет)"

RULES = tuple(
    DeadlineDefault(code=code, title=title, working_days=days, position=position, source=SOURCE)
    for code, title, days, position in (
        ("rma.verification", "РМА: проверка документов кандидата", 10, 100),
        ("rma.correction", "РМА: доработка заявки кандидатом", 10, 101),
        ("rma.assessment", "РМА: оценка предметных и методических компетенций", 20, 102),
        ("rma.inclusion", "РМА: включение кандидата в проект списка", 10, 103),
        ("rma.training", "РМА: удостоверение о ПК в области методической поддержки", 60, 107),
        ("rma.document_retry", "РМА: повторный выпуск невыпущенной справки", 3, 108),
        ("rma.list_preparation", "РМА: подготовка приказа об утверждении списка", 10, 104),
        ("rma.list_approval", "РМА: утверждение списка (подписание приказа)", 5, 105),
        ("rma.membership_review", "РМА: перепроверка членства при истечении категории", 10, 106),
    )
)
_BY_CODE = {rule.code: rule for rule in RULES}


def rma_due(code: str, role: str = ""):
    """A step's deadline: the region's profile rule `code`, or its default where the profile lacks it."""
    return _BY_CODE[code].due(role)
