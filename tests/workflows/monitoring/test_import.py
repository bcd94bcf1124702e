"""Issue 12 §4, the .xlsx import: the methodist loads many schools' forms of the municipality at
once from the campaign's template; an .xlsx with one bad row imports nothing and names the row
(in Russian); a school head loads their own school only; a file that is not a clean workbook is
refused by common.uploads before openpyxl opens it."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.errors import InvalidInput
from orgstructure.models import OrganizationKind, Role
from tests import corpus
from tests.factories import make_organization, make_user
from workflows.core.audit import history
from workflows.core.flowkit import flow_url
from workflows.monitoring import imports
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Submission, SubmissionStatus
from workflows.monitoring.opening import campaign_open

from .test_campaign import _client

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(world):
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    world.methodist = make_user("mms", role=Role.MMS_METHODIST, organization=mms)
    campaign_open(actor=world.official, campaign=world.campaign)
    return world


def _template(client, campaign):
    response = client.get(flow_url(MonitoringFlow, "import_template", campaign.pk))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _upload(workbook, name="данные.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _fill(sheet, *, bad_row=None):
    header = [cell.value for cell in sheet[1]]
    assert header == ["Код школы", "Школа", "IND-03: числитель", "IND-03: знаменатель", "IND-06: числитель",
                      "IND-06: знаменатель", "IND-22 (да/нет)", "NOTE"]
    for row in range(2, sheet.max_row + 1):
        numerator = 50 if row == bad_row else 10  # 50 of 40: above 100 %
        for column, value in zip(range(3, 9), [numerator, 40, 3, 4, "да", ""], strict=True):
            sheet.cell(row=row, column=column, value=value)


def test_the_methodist_loads_every_school_of_the_municipality_at_once(opened):
    w = opened
    workbook = _template(_client(w.methodist), w.campaign)
    sheet = workbook.active
    assert sheet.max_row == 4  # Березники's three schools, not Кунгур's
    _fill(sheet)
    assert imports.import_forms(actor=w.methodist, campaign=w.campaign, upload=_upload(workbook)) == 3
    for submission in Submission.objects.filter(campaign=w.campaign, organization__in=w.schools):
        assert submission.status == SubmissionStatus.DRAFT
        assert submission.values["IND-03"] == {"numerator": "10", "denominator": "40"}
        assert submission.values["IND-22"] is True
        assert [e.event for e in history(submission)] == ["monitoring.imported"]


def test_one_bad_row_imports_nothing_and_names_the_row(opened):
    w = opened
    workbook = _template(_client(w.methodist), w.campaign)
    _fill(workbook.active, bad_row=3)
    school = workbook.active.cell(row=3, column=2).value
    response = _client(w.methodist).post(flow_url(MonitoringFlow, "import", w.campaign.pk),
                                         {"file": _upload(workbook)})
    assert response.status_code == 200
    text = response.content.decode()
    assert (f"Строка 3 ({school}): IND-03 «Доля педагогических работников, освоивших программы ДПО из ФР ДПП»: "
            "числитель (50) больше знаменателя (40) — доля больше 100 %") in text
    assert "Строка 2" not in text and "Строка 4" not in text
    assert not Submission.objects.filter(campaign=w.campaign).exclude(status=SubmissionStatus.NOT_STARTED).exists()
    assert all(s.values == {} for s in Submission.objects.filter(campaign=w.campaign))


def test_a_school_head_may_load_only_their_school(opened):
    w = opened
    workbook = _template(_client(w.methodist), w.campaign)
    _fill(workbook.active)
    with pytest.raises(InvalidInput) as refused:
        imports.import_forms(actor=w.head, campaign=w.campaign, upload=_upload(workbook))
    messages = refused.value.errors["file"]
    assert len(messages) == 2 and all("не найдена среди ваших школ этой кампании" in m for m in messages)
    own = _template(_client(w.head), w.campaign)
    assert own.active.max_row == 2
    _fill(own.active)
    assert imports.import_forms(actor=w.head, campaign=w.campaign, upload=_upload(own)) == 1


def test_a_macro_workbook_is_refused_before_it_is_opened(opened):
    w = opened
    upload = SimpleUploadedFile("данные.xlsx", corpus.xlsx_macro())
    with pytest.raises(InvalidInput) as refused:
        imports.import_forms(actor=w.methodist, campaign=w.campaign, upload=upload)
    assert "данные.xlsx" in refused.value.errors["file"][0]


def test_a_submitted_school_in_the_file_is_a_row_error(opened):
    w = opened
    workbook = _template(_client(w.methodist), w.campaign)
    _fill(workbook.active)
    first = Submission.objects.get(campaign=w.campaign, organization=w.schools[0])
    Submission.objects.filter(pk=first.pk).update(status=SubmissionStatus.SUBMITTED)
    with pytest.raises(InvalidInput) as refused:
        imports.import_forms(actor=w.methodist, campaign=w.campaign, upload=_upload(workbook))
    assert any("данные уже представлены (статус «Представлено»)" in m for m in refused.value.errors["file"])
