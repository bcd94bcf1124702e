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
        assert report.totals["overdue"] == 6 and report.totals["oldest_days"] >= 29
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
