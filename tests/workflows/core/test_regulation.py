"""Regulation profiles as data: seeds, rule kinds, the snapshot at start and the audited re-plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_region, make_user
from workflows.core.audit import history
from workflows.core.calendar import WorkCalendar, deadline_instant
from workflows.core.models import DeadlineKind, DeadlineRule, ProcessDeadline, RegulationProfile, TaskDeadline
from workflows.core.regulation import (
    RegulationError,
    process_deadlines_replan,
    process_deadlines_snapshot,
    profile_for,
    rule_day,
)

from .conftest import at, start_sample

D = dt.date.fromisoformat
YEKATERINBURG = "Asia/Yekaterinburg"


def due(day, tz=YEKATERINBURG):
    return deadline_instant(D(day), tz)


@pytest.mark.django_db
class TestSeedProfiles:
    def test_three_profiles_shipped_sverdlovsk_is_default(self):
        codes = set(RegulationProfile.objects.values_list("region_code", flat=True))
        assert {"66", "61", "59"} <= codes
        default = RegulationProfile.objects.get(is_default=True)
        assert default.region_code == "66"
        assert [(r.code, r.month, r.day) for r in default.rules.order_by("position")] == [
            ("monitoring.collection", 1, 20),
            ("monitoring.analysis", 3, 30),
            ("monitoring.contests", 8, 31),
            ("monitoring.measures", 12, 31),
            ("monitoring.effectiveness", 8, 31),
        ]

    def test_rostov_and_perm(self):
        rostov = RegulationProfile.objects.get(region_code="61").rules.get()
        assert (rostov.kind, rostov.month, rostov.day) == (DeadlineKind.FIXED_ANNUAL, 7, 15)
        perm = {r.code: r for r in RegulationProfile.objects.get(region_code="59").rules.all()}
        assert perm["monitoring.collection"].kind == DeadlineKind.PERIODIC
        assert perm["monitoring.collection"].periods_per_year == 2
        assert (perm["monitoring.report"].month, perm["monitoring.report"].end_month) == (11, 12)

    def test_load_command_is_idempotent(self):
        from django.core.management import call_command

        before = DeadlineRule.objects.count()
        call_command("load_regulation_profiles")
        assert DeadlineRule.objects.count() == before


class TestRuleKinds:
    calendar = WorkCalendar()

    def day(self, anchor, **rule):
        return rule_day(rule, anchor=D(anchor), calendar=self.calendar)

    def test_fixed_annual_takes_next_occurrence(self):
        assert self.day("2025-12-01", kind="fixed_annual", month=1, day=20) == D("2026-01-20")
        assert self.day("2026-01-20", kind="fixed_annual", month=1, day=20) == D("2026-01-20")
        assert self.day("2026-01-21", kind="fixed_annual", month=1, day=20) == D("2027-01-20")

    def test_half_yearly_ends_with_the_half_year(self):
        assert self.day("2026-03-15", kind="periodic", periods_per_year=2) == D("2026-06-30")
        assert self.day("2026-07-01", kind="periodic", periods_per_year=2) == D("2026-12-31")

    def test_month_window_ends_with_its_last_month(self):
        assert self.day("2026-03-15", kind="month_window", month=11, end_month=12) == D("2026-12-31")

    def test_working_and_calendar_days_count_from_the_day_after(self):
        assert self.day("2025-12-29", kind="working_days", days=2) == D("2026-01-12")
        assert self.day("2026-02-10", kind="calendar_days", days=5) == D("2026-02-15")

    def test_parameters_are_validated(self):
        rule = DeadlineRule(code="x", title="x", kind=DeadlineKind.FIXED_ANNUAL, month=2, day=30)
        with pytest.raises(ValidationError):
            rule.clean()
        DeadlineRule(code="x", title="x", kind=DeadlineKind.FIXED_ANNUAL, month=2, day=29).clean()
        with pytest.raises(ValidationError):
            DeadlineRule(code="x", title="x", kind=DeadlineKind.PERIODIC, periods_per_year=5).clean()


@pytest.mark.django_db
class TestSnapshot:
    def test_sverdlovsk_cycle_chains_and_moves_31_december(self, sverdlovsk):
        process = start_sample(region=sverdlovsk, started_at=at("2025-12-01"))
        got = dict(ProcessDeadline.objects.filter(process=process).values_list("rule_code", "due_at"))
        assert got == {
            "monitoring.collection": due("2026-01-20"),
            "monitoring.analysis": due("2026-03-30"),
            "monitoring.contests": due("2026-08-31"),  # «до 31 августа» [001:L99-101]
            # 31.12.2026 is a day off (transfer) → the next working day after the holidays
            "monitoring.measures": due("2027-01-11"),
            "monitoring.effectiveness": due("2027-08-31"),
        }

    @pytest.mark.parametrize("started, collection", [("2026-03-15", "2026-06-30"), ("2026-11-02", "2026-12-30")])
    def test_perm_half_years_and_the_years_november_december_report(self, started, collection):
        """«1 раз в полгода» [003:L1476-1477]: each half-year by its end — the second by its last
        working day inside it, 30.12.2026 (31.12 is a day off); the report «Ежегодно,
        ноябрь-декабрь» [003:L1478] is that year's for both halves: the second's collection falls
        inside the window, which does not make the report the next year's."""
        perm = make_region(name="Пермский край (тест)", code="59", timezone="Asia/Yekaterinburg")
        process = start_sample(region=perm, started_at=at(started))
        got = dict(ProcessDeadline.objects.filter(process=process).values_list("rule_code", "due_at"))
        assert got == {
            "monitoring.collection": due(collection),
            "monitoring.report": due("2026-12-30"),
            "rma.list_approval": due("2027-03-31"),  # РМА's «Февраль-март» in the Perm profile (003:L1483)
        }

    def test_rostov_in_moscow_time(self):
        rostov = make_region(name="Ростовская область (тест)", code="61", timezone="Europe/Moscow")
        process = start_sample(region=rostov, started_at=at("2026-08-01"))
        row = ProcessDeadline.objects.get(process=process)
        assert row.due_at == deadline_instant(D("2027-07-15"), "Europe/Moscow")
        assert row.timezone == "Europe/Moscow" and row.profile_version == 1

    def test_region_without_profile_gets_the_default(self):
        kaliningrad = make_region(name="Калининградская область (тест)", code="39", timezone="Europe/Kaliningrad")
        process = start_sample(region=kaliningrad, started_at=at("2026-01-05"))
        row = ProcessDeadline.objects.get(process=process, rule_code="monitoring.collection")
        assert row.profile.region_code == "66"
        assert row.due_at == deadline_instant(D("2026-01-20"), "Europe/Kaliningrad")

    def test_new_profile_version_applies_from_its_date(self):
        old = RegulationProfile.objects.get(region_code="61")
        new = RegulationProfile.objects.create(region_code="61", name="Ростов", version=2, valid_from=D("2027-01-01"))
        assert profile_for("61", D("2026-12-31")) == old
        assert profile_for("61", D("2027-01-01")) == new

    def test_first_task_takes_its_due_date_from_the_snapshot(self, territory, methodist):
        process = start_sample(assignee=methodist, region=territory["region"], started_at=at("2025-12-01"))
        task = Task.objects.get(process=process, flow_task_type="HUMAN")
        deadline = TaskDeadline.objects.get(task=task)
        assert deadline.due_at == due("2026-01-20")
        assert deadline.rule_code == "monitoring.collection"
        assert deadline.role == Role.MMS_METHODIST and deadline.organization == territory["mms"]
        assert deadline.municipality == territory["municipality"] and deadline.region == territory["region"]


@pytest.mark.django_db
class TestProfileEditAndReplan:
    def test_profile_edit_does_not_move_running_process_until_replanned(self, territory, methodist):
        admin = make_user("admin-replan")
        process = start_sample(assignee=methodist, region=territory["region"], started_at=at("2025-12-01"))
        task_deadline = TaskDeadline.objects.get(process=process)
        rule = DeadlineRule.objects.get(profile__region_code="66", code="monitoring.collection")
        rule.day = 27
        rule.save()

        task_deadline.refresh_from_db()
        assert task_deadline.due_at == due("2026-01-20")
        snapshot = ProcessDeadline.objects.get(process=process, rule_code="monitoring.collection")
        assert snapshot.due_at == due("2026-01-20")
        later = start_sample(region=territory["region"], started_at=at("2025-12-01"))
        assert ProcessDeadline.objects.get(process=later, rule_code="monitoring.collection").due_at == due("2026-01-27")

        changes = process_deadlines_replan(process=process, actor=admin, reason="Приказ № 1 от 01.12.2025")
        assert set(changes) == {"monitoring.collection"}
        task_deadline.refresh_from_db()
        assert task_deadline.due_at == due("2026-01-27")
        event = history(process).get(event="deadlines.replanned")
        assert event.actor == admin and event.comment == "Приказ № 1 от 01.12.2025"
        assert event.data["changes"]["monitoring.collection"][1] == due("2026-01-27").isoformat()

    def test_replan_needs_a_reason(self, sverdlovsk):
        process = start_sample(region=sverdlovsk, started_at=at("2025-12-01"))
        with pytest.raises(RegulationError):
            process_deadlines_replan(process=process, actor=None, reason=" ")

    def test_snapshot_is_idempotent(self, sverdlovsk):
        process = start_sample(region=sverdlovsk, started_at=at("2025-12-01"))
        assert process_deadlines_snapshot(process=process, region=sverdlovsk) == []
        assert ProcessDeadline.objects.filter(process=process).count() == 5


@pytest.mark.django_db
class TestReplanRespectsExtensions:
    """Defect 2: a re-plan overwrote due dates an official had already extended, wrote no event
    for the tasks it moved, and wrote a process event even when nothing had changed."""

    def start(self, territory, methodist):
        process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"],
                               started_at=at("2025-12-01"))
        return process, TaskDeadline.objects.get(process=process)

    def extend(self, territory, deadline, day):
        from workflows.core import clock
        from workflows.core.deadlines import task_deadline_extend

        official = make_user(f"official-{day}", role=Role.MUNI_AUTHORITY, organization=territory["authority"])
        with clock.set_now(at("2026-01-16")):  # before the task's due date, as when an official extends it
            task_deadline_extend(actor=official, task_id=deadline.task_id, new_due_date=D(day), reason="письмо № 7")

    def move_rule_to_27_january(self):
        rule = DeadlineRule.objects.get(profile__region_code="66", code="monitoring.collection")
        rule.day = 27
        rule.save()

    def test_an_extension_later_than_the_new_rule_date_is_kept(self, territory, methodist):
        process, deadline = self.start(territory, methodist)
        self.extend(territory, deadline, "2026-02-10")
        self.move_rule_to_27_january()

        changes = process_deadlines_replan(process=process, actor=None, reason="Приказ № 2")
        assert set(changes) == {"monitoring.collection"}  # the process's own snapshot moves
        deadline.refresh_from_db()
        assert deadline.due_at == due("2026-02-10") and deadline.extension_count == 1
        assert not history(deadline).filter(event="deadline.replanned").exists()

    def test_an_extension_earlier_than_the_new_rule_date_gets_the_later_date(self, territory, methodist):
        process, deadline = self.start(territory, methodist)
        self.extend(territory, deadline, "2026-01-23")
        self.move_rule_to_27_january()

        process_deadlines_replan(process=process, actor=None, reason="Приказ № 3")
        deadline.refresh_from_db()
        assert deadline.due_at == due("2026-01-27")
        event = history(deadline).get(event="deadline.replanned")
        assert (event.from_state, event.to_state) == (due("2026-01-23").isoformat(), due("2026-01-27").isoformat())
        assert event.comment == "Приказ № 3" and event.data["extended"] is True

    def test_every_moved_task_gets_its_own_event(self, territory, methodist):
        admin = make_user("admin-replan-3")
        process, deadline = self.start(territory, methodist)
        self.move_rule_to_27_january()

        process_deadlines_replan(process=process, actor=admin, reason="Приказ № 4")
        event = history(deadline).get(event="deadline.replanned")
        assert event.actor == admin and event.to_state == due("2026-01-27").isoformat()
        assert event.data == {
            "task_id": deadline.task_id, "process_id": process.pk, "rule_code": "monitoring.collection",
            "extended": False, "new_due_date": "2026-01-27",
        }

    def test_nothing_changed_writes_no_process_event(self, territory, methodist):
        process, deadline = self.start(territory, methodist)
        assert process_deadlines_replan(process=process, actor=None, reason="Проверка") == {}
        assert not history(process).filter(event="deadlines.replanned").exists()
        assert not history(deadline).filter(event="deadline.replanned").exists()
