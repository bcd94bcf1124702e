"""`register_process(...)` and the registry of processes, with a tiny fake process registered in
the test (tests/workflows/core/fakeprocess: an app config that is no installed app, the sample
flow's viewset and real permission), and РМА as registered by its AppConfig."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from viewflow.workflow.flow import FlowViewset

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_region, make_user
from tests.workflows.core.sampleflow.flows import SampleFlow
from workflows.core import deadline_defaults, processes, roles, scans
from workflows.core import flows as flow_registry
from workflows.core.deadline_defaults import DeadlineDefault
from workflows.core.models import DeadlineKind, DeadlineRule, RegulationProfile
from workflows.core.processes import ProcessLink, register_process, unregister_process

FAKE_APP = SimpleNamespace(label="sampleflow", name="tests.workflows.core.fakeprocess")
RULES = (
    DeadlineDefault(code="fake.collect", title="Тест: сбор", working_days=4, position=500, source="тест"),
    DeadlineDefault(
        code="fake.report", title="Тест: отчёт", kind=DeadlineKind.FIXED_ANNUAL, params=(("month", 1), ("day", 20)),
        position=501, reminder_days=5,
    ),
)


def _noop_scan():
    return scans.ItemScan(name="fake.nothing", title="Тест", candidates=lambda region, on_date: [],
                          act=lambda item_id, on_date: False)


@pytest.fixture
def fake():
    viewset = FlowViewset(SampleFlow, icon="science")
    scan = _noop_scan()
    process = register_process(
        FAKE_APP,
        code="fake",
        title="Тестовый процесс",
        icon="science",
        position=5,
        flow_viewsets=[viewset],
        role_permissions={Role.MMS_METHODIST: ("can_do_sample", "view_sampleprocess")},
        deadline_rules=RULES,
        scans=[scan],
        links=[
            ProcessLink("Тестовые заявки", url=lambda: "/fake/"),
            ProcessLink("Только для администратора", url=lambda: "/fake/admin/", visible=lambda u: u.is_superuser),
        ],
    )
    yield SimpleNamespace(process=process, viewset=viewset, scan=scan)
    unregister_process("fake")


def test_one_call_registers_every_contribution_and_unregistering_takes_it_back(fake):
    import tests.workflows.core.fakeprocess.documents as documents_module

    assert documents_module.IMPORTED  # its documents.py was imported (kinds register there)
    assert processes.get_process("fake") is fake.process
    assert [p.code for p in processes.processes()][:2] == ["fake", "rma"]  # by position
    assert fake.viewset in flow_registry.FLOW_VIEWSETS
    assert "sampleflow" in roles.registered_app_labels()
    assert [rule.code for rule in deadline_defaults.deadline_defaults("fake")] == ["fake.collect", "fake.report"]
    assert scans.registered_scans()["fake.nothing"] is fake.scan
    assert fake.process.flow_classes == [SampleFlow] and fake.process.roles == [Role.MMS_METHODIST]

    unregister_process("fake")
    assert fake.viewset not in flow_registry.FLOW_VIEWSETS
    assert "sampleflow" not in roles.registered_app_labels()
    assert "fake.nothing" not in scans.registered_scans()
    with pytest.raises(LookupError):
        processes.get_process("fake")
    with pytest.raises(LookupError):
        deadline_defaults.deadline_defaults("fake")


def test_the_same_app_registering_again_replaces_its_registration(fake):
    """Django runs ready() again when INSTALLED_APPS change (tests do that)."""
    again = register_process(FAKE_APP, code="fake", title="Тестовый процесс, снова", scans=[_noop_scan()])
    assert processes.get_process("fake") is again
    assert fake.viewset not in flow_registry.FLOW_VIEWSETS and "sampleflow" not in roles.registered_app_labels()
    assert [p.code for p in processes.processes()].count("fake") == 1


def test_a_failed_registration_leaves_nothing_behind():
    clash = DeadlineDefault(code="rma.verification", title="чужой код", working_days=1)
    with pytest.raises(ValueError, match="rma.verification уже объявлено процессом rma"):
        register_process(FAKE_APP, code="fake", title="Тест", role_permissions={Role.TEACHER: ("can_do_sample",)},
                         deadline_rules=[clash])
    assert "sampleflow" not in roles.registered_app_labels()
    assert "fake" not in {p.code for p in processes.processes()}
    assert deadline_defaults.deadline_defaults("rma")[0].title == "РМА: проверка документов кандидата"


def test_start_up_errors_are_loud(fake):
    with pytest.raises(ValueError, match="Процесс «rma» уже зарегистрирован приложением «rma»"):
        register_process(FAKE_APP, code="rma", title="Чужой код")
    with pytest.raises(ValueError, match="один процесс на приложение"):
        register_process(FAKE_APP, code="fake2", title="Второй процесс того же приложения")
    with pytest.raises(ValueError, match="неизвестный реестр 'gauges'"):
        register_process(SimpleNamespace(label="other", name="tests.workflows.core.fakeprocess"), title="Т",
                         extensions={"gauges": ["x"]})
    assert "other" not in {p.code for p in processes.processes()}


def test_a_registry_added_later_plugs_in_through_extensions():
    received = {}
    processes.register_extension("gauges", lambda code, items: received.update({code: items}),
                                 lambda code: received.pop(code))
    try:
        register_process(SimpleNamespace(label="other", name="tests.workflows.core.fakeprocess"), title="Т",
                         extensions={"gauges": ["IND-99"]})
        assert received == {"other": ("IND-99",)}
        unregister_process("other")
        assert received == {}
    finally:
        processes._EXTENSIONS.pop("gauges", None)


@pytest.mark.django_db
def test_processes_for_lists_what_each_user_may_open(fake):
    region = make_region()
    mms = make_organization(region, kind=OrganizationKind.MMS)
    roles.sync_all_role_groups()
    methodist = make_user(role=Role.MMS_METHODIST, organization=mms)
    coordinator = make_user(role=Role.RMA_MUNI_COORDINATOR, organization=mms)
    officer = make_user(role=Role.MINISTRY_OFFICER, organization=make_organization(region, kind="ministry"))
    nobody = make_user()
    admin = get_user_model().objects.create_superuser("root", password="x")

    def listed(user):
        user = get_user_model().objects.get(pk=user.pk)
        return {process.code: [link.title for link in shown] for process, shown in processes.processes_for(user)}

    assert listed(methodist)["fake"] == ["Тестовые заявки"]
    # the ММС endorses applications for sites, runs the collection of its schools' monitoring data
    # and files municipal ИОМ requests
    assert set(listed(methodist)) == {"fake", "internships", "monitoring", "iom"}
    assert listed(nobody) == {}
    iom = ["ИОМ", "Реестр ИОМ", "Реестр запросов на сопровождение"]
    assert listed(coordinator) == {"rma": ["Заявки в РМА", "Список РМА"], "iom": iom}
    assert listed(officer)["rma"] == ["Заявки в РМА", "Список РМА", "Списки РМА (приказы)"]
    assert listed(admin)["fake"] == ["Тестовые заявки", "Только для администратора"]
    rma_links = dict(processes.processes_for(get_user_model().objects.get(pk=officer.pk)))[processes.get_process("rma")]
    assert [link.url() for link in rma_links] == [
        "/workflow/flows/rma/", "/workflow/flows/rma/register/", "/workflow/flows/rmalist/",
    ]


def test_rma_registers_its_flows_rules_and_scan():
    rma = processes.get_process("rma")
    assert rma.title == "Региональный методический актив (РМА)" and rma.icon == "groups"
    flows = [viewset._flow_class.__name__ for viewset in rma.flow_viewsets]
    assert flows == ["RmaFlow", "RmaListFlow", "RmaReviewFlow", "RmaDocumentFlow"]
    assert all(viewset in flow_registry.FLOW_VIEWSETS for viewset in rma.flow_viewsets)
    assert len(rma.deadline_rules) == 9 and [scan.name for scan in rma.scans] == ["rma.lapsed_categories"]
    assert rma.indicator_codes == ("IND-09",)


def test_an_indicators_module_that_registers_nothing_is_refused():
    import tests.workflows.core.fakeprocess.documents as not_indicators

    with pytest.raises(ValueError, match="не зарегистрировал ни одного показателя"):
        register_process(FAKE_APP, code="fake", title="Т", indicators=not_indicators)
    assert "fake" not in {p.code for p in processes.processes()}


def test_every_registered_scan_is_in_the_beat_schedule():
    from project.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    registered = scans.registered_scans()
    assert registered and all(scan.task in scheduled for scan in registered.values())


# --- deadline rules declared by a process ------------------------------------------------------


def test_a_declared_rule_gives_its_node_a_due_with_the_same_fallback():
    due = RULES[0].due(Role.MMS_METHODIST)
    assert (due.rule, due.fallback_working_days, due.reminder_days, due.role) == (
        "fake.collect", 4, 2, Role.MMS_METHODIST
    )
    assert due.inline_rule()["days"] == 4
    annual = RULES[1].due()
    assert annual.fallback_working_days is None and annual.reminder_days == 5


def test_a_rule_with_bad_parameters_fails_where_it_is_declared():
    with pytest.raises(ValueError, match="«fake.bad»: day: В этом месяце нет такого числа"):
        DeadlineDefault(code="fake.bad", title="x", kind=DeadlineKind.FIXED_ANNUAL, params=(("month", 4), ("day", 31)))
    with pytest.raises(ValueError, match="days: Укажите число дней"):
        DeadlineDefault(code="fake.bad", title="x")


@pytest.mark.django_db
def test_install_process_deadlines_adds_the_missing_rules_once_and_keeps_edits(fake, capsys):
    profiles = RegulationProfile.objects.count()
    assert profiles >= 3  # the shipped profiles
    call_command("install_process_deadlines", "--process", "fake", "--region", "59")
    perm_rules = DeadlineRule.objects.filter(profile__region_code="59", code__startswith="fake.")
    assert perm_rules.count() == 2 * RegulationProfile.objects.filter(region_code="59").count()
    report = perm_rules.get(code="fake.report")
    assert (report.kind, report.month, report.day, report.reminder_days) == ("fixed_annual", 1, 20, 5)
    assert report.days is None
    collect = perm_rules.get(code="fake.collect")
    assert (collect.kind, collect.days, collect.position, collect.source) == ("working_days", 4, 500, "тест")
    collect.days = 9  # an administrator's edit
    collect.save()

    call_command("install_process_deadlines")  # every process, every profile
    out = capsys.readouterr().out
    assert "Тестовый процесс: добавлено правил сроков — " in out
    assert "Региональный методический актив (РМА): добавлено правил сроков — " in out
    assert DeadlineRule.objects.filter(code__startswith="fake.").count() == 2 * profiles
    assert DeadlineRule.objects.filter(code__startswith="rma.").count() == 9 * profiles
    collect.refresh_from_db()
    assert collect.days == 9
    call_command("install_process_deadlines")
    assert "добавлено правил сроков — 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Процесс «nope» не зарегистрирован. Зарегистрированы: fake, rma"):
        call_command("install_process_deadlines", "--process", "nope")


@pytest.mark.django_db
def test_install_rma_deadlines_is_kept_as_the_rma_alias(capsys):
    call_command("install_rma_deadlines", "--region", "66")
    assert "Добавлено правил сроков РМА: 9" in capsys.readouterr().out
    rules = DeadlineRule.objects.filter(code__startswith="rma.")
    installed = rules.exclude(code="rma.list_approval", profile__region_code="59")  # Perm's window: migration
    assert set(installed.values_list("profile__region_code", flat=True)) == {"66"}
