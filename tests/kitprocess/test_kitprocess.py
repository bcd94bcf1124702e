"""The second process, built only on the kit (issue 8): a start, one human step with a due date
and a file, a state change with its audit event, a register with keyset pages — and the kit's
guarantees it inherits without a line of its own: routing to the role in the right
organization, 404 for a foreign task, Russian errors that keep the form, files removed when the
step fails, stock viewflow pages as missing for a foreign user."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests import corpus
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.core.audit import history
from workflows.core.flowkit import task_action_url, task_url
from workflows.core.models import TaskDeadline

from . import flows
from .flows import ReportFlow
from .models import Report, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = make_region()
    berezniki, kungur = make_municipality(region, "Березники"), make_municipality(region, "Кунгур")
    school = make_organization(region, municipality=berezniki, name="МАОУ «СОШ № 3»")
    mms = make_organization(region, kind=OrganizationKind.MMS, municipality=berezniki, name="ЦСОРО")
    other_mms = make_organization(region, kind=OrganizationKind.MMS, municipality=kungur, name="ММС Кунгура")
    methodist = make_user("methodist", role=Role.MMS_METHODIST, organization=mms)
    foreign = make_user("foreign", role=Role.MMS_METHODIST, organization=other_mms)
    head = make_user("head", role=Role.SCHOOL_HEAD, organization=school)
    return type("World", (), {"school": school, "mms": mms, "methodist": methodist, "foreign": foreign, "head": head})


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _start(world, title="Отчёт о повышении квалификации"):
    report = ReportFlow.start.run(actor=world.head, organization=world.school, title=title)
    return report, Task.objects.get(process__artifact_object_id=report.pk, flow_task=ReportFlow.review)


def _file(data=corpus.PDF, name="zaklyuchenie.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_step_goes_to_the_methodist_of_the_schools_municipality_with_a_due_date(world):
    report, task = _start(world)
    deadline = TaskDeadline.objects.get(task=task)
    assert task.owner == world.methodist  # the sole holder in the municipality's ММС
    assert deadline.organization == world.mms and deadline.role == Role.MMS_METHODIST
    assert deadline.due_at is not None and deadline.subject == str(report)


def test_accepting_with_a_file_changes_the_status_once_with_its_audit_event(world):
    report, task = _start(world)
    response = _client(world.methodist).post(task_action_url(task, "execute"), {"conclusion": _file()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.conclusion.name.startswith("kitprocess/")
    events = [(e.event, e.from_state, e.to_state, e.actor) for e in history(report)]
    assert events == [
        ("kitprocess.submitted", "", "submitted", world.head),
        ("kitprocess.accepted", "submitted", "accepted", world.methodist),
    ]


def test_a_hostile_file_gets_a_russian_error_and_nothing_changes(world, settings):
    report, task = _start(world)
    response = _client(world.methodist).post(
        task_action_url(task, "execute"), {"conclusion": _file(corpus.pdf_javascript(), "z.pdf")}
    )
    assert response.status_code == 200
    assert "Заключение: файл «z.pdf»" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.conclusion
    task.refresh_from_db()
    assert task.status != "DONE"


def test_a_step_that_fails_after_storing_its_file_leaves_no_file(world, settings, monkeypatch):
    report, task = _start(world)

    def broken(*args, **kwargs):
        raise RuntimeError("the next task cannot be created")

    monkeypatch.setattr(ReportFlow.end, "activation_class", type("Broken", (), {"create": broken}))
    with pytest.raises(RuntimeError):
        _client(world.methodist).post(task_action_url(task, "execute"), {"conclusion": _file()})
    media = settings.MEDIA_ROOT / "kitprocess"
    assert not media.exists() or not any(media.iterdir())
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_foreign_methodist_gets_404_on_the_task_and_on_stock_pages_like_a_missing_id(world):
    report, task = _start(world)
    foreign = _client(world.foreign)
    missing = foreign.get(task_url(task).replace(f"/{task.pk}/", "/999999/"))
    assert foreign.get(task_url(task)).status_code == 404 == missing.status_code
    assert foreign.post(task_action_url(task, "execute"), {"conclusion": _file()}).status_code == 404
    assert foreign.get(task_action_url(task, "assign")).status_code == 404
    start = Task.objects.get(process=task.process, flow_task=ReportFlow.start)
    for page in ("", "detail/"):
        url = f"{ReportFlow.start.reverse('index', args=[task.process_id, start.pk])}{page}".replace("//", "/")
        assert foreign.get(url).status_code == 404
    assert foreign.get(ReportFlow.instance.reverse("process_detail", args=[task.process_id])).status_code == 404


def test_stock_pages_that_change_tasks_behind_the_artefacts_back_do_not_exist(world):
    _, task = _start(world)
    methodist = _client(world.methodist)
    start = Task.objects.get(process=task.process, flow_task=ReportFlow.start)
    base = f"/workflow/flows/kitprocess/reportflow/{task.process_id}"
    for url in (
        f"{base}/review/{task.pk}/cancel/",
        f"{base}/review/{task.pk}/undo/",
        f"{base}/review/{task.pk}/revive/",
        f"{base}/start/{start.pk}/cancel/",
        f"{base}/cancel/",
    ):
        assert methodist.post(url).status_code == 404, url


def test_the_register_pages_by_keyset(world, monkeypatch):
    monkeypatch.setattr(flows.RegisterView, "page_size", 2)
    for number in range(5):
        report, task = _start(world, title=f"Отчёт {number}")
        flows.report_accept(actor=world.methodist, report=report, conclusion=_file())
    client = _client(world.methodist)
    seen, url = [], ReportFlow.instance.reverse("index")
    while url:
        page = client.get(url).context["page"]
        seen += [report.title for report in page.rows]
        url = f"{ReportFlow.instance.reverse('index')}?after={page.next_cursor}" if page.next_cursor else None
    assert seen == [f"Отчёт {n}" for n in reversed(range(5))]
    assert _client(world.foreign).get(ReportFlow.instance.reverse("index")).context["page"].rows == []


def test_the_register_exports_what_the_user_sees_as_xlsx(world):
    import io

    from openpyxl import load_workbook

    report, _ = _start(world, title='=HYPERLINK("http://x")')
    flows.report_accept(actor=world.methodist, report=report, conclusion=_file())
    response = _client(world.methodist).get(ReportFlow.instance.reverse("export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Отчёт", "Организация", "Представлен") and rows[1][:2] == (report.title, "МАОУ «СОШ № 3»")
    assert sheet["A2"].data_type == "s"  # a formula-like title stays text
    foreign = load_workbook(io.BytesIO(_client(world.foreign).get(ReportFlow.instance.reverse("export")).content))
    assert list(foreign.active.iter_rows(values_only=True))[1:] == []
