"""The overdue control page: scoped counts by territory, process and step, the oldest items,
charts, drill-down and the .xlsx export of the current filter."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.core import reports
from workflows.core.calendar import WorkCalendar, deadline_instant
from workflows.core.models import TaskDeadline

from .conftest import bulk_open_tasks


@pytest.fixture
def landscape(territory, methodist):
    """Overdue and due-soon tasks in two municipalities of one region, and one in another region."""
    now = timezone.now()
    region = territory["region"]
    other_muni = make_municipality(region, name="Кушва (тест)")
    other_school = make_organization(region, municipality=other_muni, name="Школа Кушвы")
    foreign_region = make_region(name="Чужой край", code="99", timezone="Europe/Moscow")
    foreign_school = make_organization(foreign_region, municipality=make_municipality(foreign_region),
                                       name="Чужая школа")
    old = now - dt.timedelta(days=30)
    rows = {
        "tura_old": bulk_open_tasks(methodist, 1, due_at=old, organization=territory["school"], role=Role.SCHOOL_HEAD),
        "tura_recent": bulk_open_tasks(methodist, 2, due_at=now - dt.timedelta(days=2),
                                       organization=territory["mms"], role=Role.MMS_METHODIST),
        "tura_future": bulk_open_tasks(methodist, 1, due_at=now + dt.timedelta(days=60), organization=territory["mms"]),
        "kushva": bulk_open_tasks(methodist, 3, due_at=now - dt.timedelta(days=5), organization=other_school),
        "foreign": bulk_open_tasks(methodist, 4, due_at=old, organization=foreign_school),
    }
    closed = bulk_open_tasks(methodist, 1, due_at=old, organization=other_school)
    TaskDeadline.objects.filter(task_id=closed[0].task_id).update(is_open=False, status="DONE")
    return {"rows": rows, "kushva": other_muni, "kushva_school": other_school}


def page(client, **params):
    response = client.get(reverse("workflow:overdue"), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
class TestOverdueReport:
    def test_regional_admin_sees_the_region_by_municipality(self, client, territory, landscape):
        admin = make_user("region-admin", role=Role.PD_ADMIN,
                          organization=make_organization(territory["region"], kind=OrganizationKind.MINISTRY,
                                                         name="Министерство (тест)"))
        client.force_login(admin)
        response = page(client)
        report = response.context["report"]
        # Overdue is counted in working days, as in the notices («просрочен на N раб. дн.»).
        oldest = landscape["rows"]["tura_old"][0].due_at
        expected = WorkCalendar.load().working_days_between(oldest.date(), timezone.localdate())
        assert report.totals["overdue"] == 6 and abs(report.totals["oldest_days"] - expected) <= 1
        assert report.totals["oldest_days"] < (timezone.now() - oldest).days
        assert "раб. дн." in response.content.decode()
        by_name = {row["name"]: row["overdue"] for row in report.by_municipality}
        assert by_name == {"Кушва (тест)": 3, "Нижняя Тура (тест)": 3}
        assert report.oldest[0].task_id == landscape["rows"]["tura_old"][0].task_id
        assert {row.task_id for row in report.oldest}.isdisjoint({r.task_id for r in landscape["rows"]["foreign"]})
        body = response.content.decode()
        assert "<svg" in body and "Кушва (тест)" in body.split('id="chart-municipalities"')[1].split("</svg>")[0]
        assert sum(point["violated"] for point in report.trend) == 6

    def test_drill_down_to_municipality_organization_and_step(self, client, territory, landscape):
        admin = make_user("admin2", role=Role.PD_ADMIN, organization=territory["authority"])
        client.force_login(admin)
        report = page(client, municipality=landscape["kushva"].pk).context["report"]
        assert report.totals["overdue"] == 3
        assert [row["name"] for row in report.by_organization] == ["Школа Кушвы"]
        report = page(client, organization=territory["mms"].pk, state="open").context["report"]
        assert len(report.oldest) == 3
        step_ref = report.by_step[0]["flow_task"]
        assert report.by_step[0]["name"] == "Сбор данных"
        assert page(client, step=step_ref).context["report"].totals["overdue"] == 6

    def test_municipal_official_sees_only_their_municipality(self, client, territory, landscape, methodist):
        client.force_login(methodist)  # ММС methodist: municipal scope
        report = page(client).context["report"]
        assert report.totals["overdue"] == 3
        assert {row["name"] for row in report.by_municipality} == {"Нижняя Тура (тест)"}

    def test_teacher_and_strangers_get_404(self, client, territory, landscape):
        teacher = make_user("teacher", role=Role.TEACHER, organization=territory["school"])
        client.force_login(teacher)
        assert client.get(reverse("workflow:overdue")).status_code == 404
        assert client.get(reverse("workflow:overdue_export")).status_code == 404

    def test_export_holds_the_current_filter(self, client, territory, landscape):
        admin = make_user("admin3", role=Role.PD_ADMIN, organization=territory["authority"])
        client.force_login(admin)
        response = client.get(reverse("workflow:overdue_export"), {"municipality": landscape["kushva"].pk})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[1][:4] == ("Задача", "Процесс №", "Процесс", "Шаг")
        assert sorted(row[0] for row in rows[2:]) == sorted(r.task_id for r in landscape["rows"]["kushva"])
        assert all(row[4] == "Кушва (тест)" and row[10] >= 4 for row in rows[2:])


@pytest.mark.django_db
class TestReportDatesAndExportCap:
    def test_oldest_list_and_export_use_the_regions_date(self, client, territory, methodist):
        """Defect 5: the report showed a Kaliningrad deadline of 10.03.2026 as 11.03.2026."""
        row = bulk_open_tasks(methodist, 1, due_at=deadline_instant(dt.date(2026, 3, 10), "Europe/Kaliningrad"),
                              organization=territory["mms"])[0]
        TaskDeadline.objects.filter(task_id=row.task_id).update(timezone="Europe/Kaliningrad")
        admin = make_user("admin-tz", role=Role.PD_ADMIN, organization=territory["authority"])
        client.force_login(admin)
        body = page(client).content.decode()
        cell = body.split(f'data-task="{row.task_id}"')[1].split("</tr>")[0]
        assert "10.03.2026" in cell and "11.03.2026" not in cell and "МСК−1" in cell
        sheet = load_workbook(io.BytesIO(client.get(reverse("workflow:overdue_export")).content)).active
        exported = [r for r in sheet.iter_rows(values_only=True) if r[0] == row.task_id][0]
        assert exported[9].date() == dt.date(2026, 3, 10) and exported[12] == "МСК−1"

    def test_export_is_capped_with_a_request_to_narrow_the_filter(self, client, territory, landscape, monkeypatch):
        """Defect 9: the export claimed to stream but built any number of rows in memory."""
        admin = make_user("admin-cap", role=Role.PD_ADMIN, organization=territory["authority"])
        client.force_login(admin)
        monkeypatch.setattr(reports, "EXPORT_LIMIT", 2)
        url = reverse("workflow:overdue_export")
        response = client.get(url, {"municipality": landscape["kushva"].pk})  # 3 overdue rows
        assert response.status_code == 302
        kushva = landscape["kushva"].pk
        assert response["Location"] == f"{reverse('workflow:overdue')}?state=overdue&municipality={kushva}"
        body = client.get(response["Location"]).content.decode()
        assert "В выгрузке больше 2 строк" in body and "Сузьте отбор" in body

        monkeypatch.setattr(reports, "EXPORT_LIMIT", 3)
        response = client.get(url, {"municipality": landscape["kushva"].pk})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 2 + 3


@pytest.mark.django_db
def test_oldest_list_and_export_show_what_the_task_is_about(client, territory, methodist):
    row = bulk_open_tasks(methodist, 1, due_at=timezone.now() - dt.timedelta(days=3), organization=territory["mms"],
                          subject="Петрова Ольга Ивановна, ММС")[0]
    admin = make_user("admin-subject", role=Role.PD_ADMIN, organization=territory["authority"])
    client.force_login(admin)
    body = page(client).content.decode()
    assert "Кого/что касается" in body
    assert "Петрова Ольга Ивановна, ММС" in body.split(f'data-task="{row.task_id}"')[1].split("</tr>")[0]
    rows = list(load_workbook(io.BytesIO(client.get(reverse("workflow:overdue_export")).content)).active.iter_rows(
        values_only=True
    ))
    assert rows[1][-1] == "Кого/что касается"
    assert [r for r in rows if r[0] == row.task_id][0][-1] == "Петрова Ольга Ивановна, ММС"


@pytest.mark.django_db
def test_export_keeps_a_name_that_looks_like_a_formula_as_text(client, territory, methodist):
    """Issue 11: a staff name imported as «=HYPERLINK(…)» must not become a live formula."""
    methodist.first_name, methodist.last_name = '=HYPERLINK("http://example.org","Открыть")', "+7"
    methodist.save()
    row = bulk_open_tasks(methodist, 1, due_at=timezone.now() - dt.timedelta(days=3), organization=territory["mms"],
                          subject="=1+1")[0]
    admin = make_user("admin-formula", role=Role.PD_ADMIN, organization=territory["authority"])
    client.force_login(admin)
    response = client.get(reverse("workflow:overdue_export"))
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [cells for cells in sheet.iter_rows() if cells[0].value == row.task_id][0]
    owner, subject = exported[6], exported[13]
    assert owner.value == '=HYPERLINK("http://example.org","Открыть") +7' and owner.data_type == "s"
    assert subject.value == "=1+1" and subject.data_type == "s" and subject.quotePrefix
