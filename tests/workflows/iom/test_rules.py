"""The ИОМ rules at their boundaries (workflows/iom/rules.py: pure, no database)."""

import datetime as dt
from types import SimpleNamespace as NS

from workflows.iom import rules
from workflows.iom.rules import ActivityKind, Candidate, Chain

START = dt.date(2026, 9, 1)
END = dt.date(2027, 5, 31)


def activity(**kw):
    fields = dict(
        title="Курсы",
        kind=ActivityKind.SELF_STUDY,
        starts_on=START,
        due_on=START + dt.timedelta(days=13),
        hours=10,
        deficit_id=1,
        programme_title="",
        provider_id=None,
        mentor_id=None,
    )
    fields.update(kw)
    return NS(**fields)


def deficit(pk=1, diagnosed=True, description="Формирующее оценивание"):
    return NS(pk=pk, diagnosed=diagnosed, description=description)


def errors(**kw):
    fields = dict(period_from=START, period_to=END, goal="цель", deficits=[deficit()], activities=[activity()])
    fields.update(kw)
    return rules.route_errors(**fields)


def test_a_complete_route_passes():
    assert errors() == []


def test_every_diagnosed_deficit_is_addressed_but_an_added_one_need_not_be():
    assert errors(deficits=[deficit(1), deficit(2, description="ИТ")]) == [
        "Дефицит «ИТ» не закрыт ни одним мероприятием"
    ]
    assert errors(deficits=[deficit(1), deficit(2, diagnosed=False)]) == []


def test_activity_dates_must_lie_in_the_period_to_the_day():
    assert errors(activities=[activity(starts_on=START, due_on=END)]) == []
    late = errors(activities=[activity(due_on=END + dt.timedelta(days=1))])
    assert late and "вне периода маршрута 01.09.2026–31.05.2027" in late[0]
    early = errors(activities=[activity(starts_on=START - dt.timedelta(days=1))])
    assert early and "вне периода" in early[0]
    assert "раньше начала" in errors(activities=[activity(due_on=START - dt.timedelta(days=1), starts_on=START)])[0]


def test_hours_fit_the_activity_and_the_period():
    two_weeks = dict(starts_on=START, due_on=START + dt.timedelta(days=13))  # 2 weeks = 36 h
    assert errors(activities=[activity(hours=36, **two_weeks)]) == []
    assert "не помещаются" in errors(activities=[activity(hours=37, **two_weeks)])[0]
    one_week_period = dict(period_from=START, period_to=START + dt.timedelta(days=6))
    many = [activity(hours=10, starts_on=START, due_on=START + dt.timedelta(days=6)) for _ in range(2)]
    assert "Общий объём 20 ч. не помещается" in errors(activities=many, **one_week_period)[-1]


def test_the_period_is_bounded():
    assert rules.period_errors(START, START + dt.timedelta(days=450), max_months=15) == []
    assert "не больше 15 месяцев" in rules.period_errors(START, START + dt.timedelta(days=470), max_months=15)[0]
    assert rules.period_errors(END, START) == ["Окончание периода раньше его начала"]
    assert rules.period_errors(None, END)


def test_forms_need_their_parts():
    assert "укажите программу ДПП" in errors(activities=[activity(kind=ActivityKind.COURSE)])[0]
    assert "стажировочную площадку" in errors(activities=[activity(kind=ActivityKind.INTERNSHIP)])[0]
    assert "укажите наставника" in errors(activities=[activity(kind=ActivityKind.MENTORING)])[0]
    assert errors(activities=[activity(kind=ActivityKind.MENTORING, mentor_id=5)]) == []


def test_the_chain_is_configurable():
    assert Chain().stages() == ["design", "agreement", "endorsement", "registration"]
    assert Chain().after("design") == "agreement"
    assert Chain(teacher_agreement=False).after("design") == "endorsement"
    assert Chain(teacher_agreement=False, school_endorsement=False).after("design") == "registration"
    assert Chain(school_endorsement=False).after("agreement") == "registration"


def test_done_needs_evidence_and_a_past_date():
    today = dt.date(2026, 10, 1)
    ok = dict(has_file=False, link="", note="конспект", done_on=today, starts_on=START, today=today)
    assert rules.done_errors(**ok) == []
    assert rules.done_errors(**{**ok, "note": ""}) == ["Приложите подтверждение: файл, ссылку или описание результата"]
    assert rules.done_errors(**{**ok, "done_on": today + dt.timedelta(days=1)}) == [
        "Дата выполнения не может быть в будущем"
    ]


def test_the_least_loaded_member_of_subject_and_municipality_is_proposed():
    def c(uid, load, subject, muni, name="Б"):
        return Candidate(uid, name, "rma_member", 1, load, subject, muni)

    ranked = rules.rank_candidates(
        [c(1, 0, False, True), c(2, 5, True, True), c(3, 2, True, True), c(4, 0, True, False)]
    )
    assert [x.user_id for x in ranked] == [3, 2, 4, 1]
    assert rules.proposed([]) is None


def test_top_themes_fold_case_and_spaces():
    top = rules.top_themes(["Формирующее  оценивание", "формирующее оценивание", "ИТ", "", "Читательская"])
    assert top == [("Формирующее оценивание", 2), ("ИТ", 1), ("Читательская", 1)]
