"""Issue 12 §6, the collection's pages: the officials who run a campaign create it and open
collection from the UI; the collection control page counts not started / draft / submitted /
returned / accepted / late with completeness and on-time rates by municipality and school, drills
down, exports .xlsx, and shows each official only their territory (foreign = missing)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_user
from workflows.core.flowkit import flow_url
from workflows.core.models import TaskDeadline
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.models import Campaign, CampaignStatus, Submission, SubmissionStatus

from .test_campaign import _client

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_world(world):
    """The world's Березники (3 schools) and Кунгур (1 school), a regional coordinator, an ММС
    methodist of Березники."""
    cnppm = make_organization(world.region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест)")
    world.coordinator = make_user("cnppm", role=Role.CNPPM_COORDINATOR, organization=cnppm)
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    world.methodist = make_user("mms", role=Role.MMS_METHODIST, organization=mms)
    return world


def _create_and_open_in_the_ui(w):
    client = _client(w.coordinator)
    index = client.get(flow_url(MonitoringFlow, "index"))
    assert index.status_code == 200 and 'id="campaign-new"' in index.content.decode()
    form = client.get(flow_url(MonitoringFlow, "campaign_new")).content.decode()
    assert "IND-14. Доля педагогических работников, имеющих первую/высшую квалификационную категорию" in form
    assert "вычисляется системой" in form
    response = client.post(flow_url(MonitoringFlow, "campaign_new"), {
        "title": "Мониторинг края 2026", "municipality": "", "period_start": "2026-01-01",
        "period_end": "2026-12-31", "opens_on": "2026-01-01", "codes": ["IND-03", "IND-14"],
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Мониторинг края 2026")
    assert campaign.municipality is None and campaign.indicators.count() == 2
    assert client.post(flow_url(MonitoringFlow, "campaign_open", campaign.pk)).status_code == 302
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == CampaignStatus.COLLECTING
    assert Submission.objects.filter(campaign=campaign).count() == 4  # both municipalities' schools
    listed = client.get(flow_url(MonitoringFlow, "index")).content.decode()
    assert f'href="{flow_url(MonitoringFlow, "control", campaign.pk)}"' in listed  # one click from the menu
    return campaign


def test_the_coordinator_creates_and_opens_a_regional_campaign_in_the_ui(region_world):
    _create_and_open_in_the_ui(region_world)


def test_a_school_head_cannot_create_or_open(region_world):
    campaign = _create_and_open_in_the_ui(region_world)
    head = _client(region_world.head)
    assert head.get(flow_url(MonitoringFlow, "campaign_new")).status_code == 404
    assert head.post(flow_url(MonitoringFlow, "campaign_open", campaign.pk)).status_code == 404
    assert head.get(flow_url(MonitoringFlow, "campaign", campaign.pk)).status_code == 200  # it reads its own


def _statuses(w, campaign):
    one, two, three = (Submission.objects.get(campaign=campaign, organization=s) for s in w.schools)
    Submission.objects.filter(pk=one.pk).update(status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now())
    Submission.objects.filter(pk=two.pk).update(status=SubmissionStatus.DRAFT)
    # the third is not started and its deadline has passed: late
    TaskDeadline.objects.filter(process__artifact_object_id=three.pk).update(
        due_at=timezone.now() - dt.timedelta(days=2))
    return one, two, three


def test_the_control_page_counts_by_municipality_and_drills_down_to_schools(region_world):
    w = region_world
    campaign = _create_and_open_in_the_ui(w)
    _statuses(w, campaign)
    client = _client(w.coordinator)
    page = client.get(flow_url(MonitoringFlow, "control", campaign.pk)).content.decode()
    assert 'id="by-municipality"' in page and "Березники" in page and "Кунгур" in page
    # 4 schools: 1 submitted (on time), 1 draft, 2 not started, 1 of them late; completeness 25 %
    flat = " ".join(page.replace(",", ".").split())
    for value, label in (("4", "школ"), ("25.0 %", "полнота"), ("100.0 %", "представлено в срок"),
                         ("1", "с опозданием"), ("2", "не начато"), ("1", "черновик")):
        assert f'<div class="pf-tile__value">{value}</div><div class="pf-tile__label">{label}' in flat
    # Березники: 3 schools — 1 not started (late), 1 draft, 1 submitted; 33,3 % complete, all on time
    assert "Березники</a></td><td>3</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1</td>" \
        "<td>33.3 %</td><td>100.0 %</td>" in flat
    drill = client.get(flow_url(MonitoringFlow, "control", campaign.pk) + f"?municipality={w.berezniki.pk}")
    text = drill.content.decode()
    assert 'id="by-school"' in text and "СОШ № 3" in text and "с опозданием" in text and "СОШ Кунгура" not in text

    export = client.get(flow_url(MonitoringFlow, "control", campaign.pk) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Муниципальное образование", "Школа", "Статус")
    assert {row[1] for row in rows[2:]} == {"СОШ № 1", "СОШ № 2", "СОШ № 3", "СОШ Кунгура"}


def test_the_municipal_methodist_sees_only_their_schools_and_a_foreign_municipality_is_missing(region_world):
    w = region_world
    campaign = _create_and_open_in_the_ui(w)
    client = _client(w.methodist)
    page = client.get(flow_url(MonitoringFlow, "control", campaign.pk)).content.decode()
    assert "СОШ № 1" in page and "СОШ Кунгура" not in page and 'id="by-municipality"' not in page
    kungur = Submission.objects.get(campaign=campaign, organization__name="СОШ Кунгура")
    assert client.get(flow_url(MonitoringFlow, "submission", kungur.pk)).status_code == 404
    other = make_municipality(w.region, "Чердынь")
    assert client.get(flow_url(MonitoringFlow, "control", campaign.pk) + f"?municipality={other.pk}").status_code \
        == 404


def test_a_campaign_of_another_region_is_missing(region_world):
    w = region_world
    from tests.factories import make_region

    elsewhere = make_region(name="Другой край", code="77")
    foreign = Campaign.objects.create(region=elsewhere, title="Чужая", created_by=w.coordinator,
                                      period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                      opens_on=dt.date(2026, 1, 1))
    client = _client(w.coordinator)
    for name in ("campaign", "control"):
        assert client.get(flow_url(MonitoringFlow, name, foreign.pk)).status_code == 404
        assert client.get(flow_url(MonitoringFlow, name, 999999)).status_code == 404


def test_the_control_page_reads_a_constant_number_of_queries(region_world, django_assert_max_num_queries):
    w = region_world
    campaign = _create_and_open_in_the_ui(w)
    client = _client(w.coordinator)
    url = flow_url(MonitoringFlow, "control", campaign.pk) + f"?municipality={w.berezniki.pk}"
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(15):
        make_organization(w.region, municipality=w.berezniki, name=f"Новая школа {n}")
    from workflows.monitoring.opening import campaign_open

    campaign_open(actor=w.coordinator, campaign=campaign)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_late_and_on_time_are_counted_by_the_database_as_the_rows_show_them(region_world):
    """Counted in SQL (selectors.progress): Березники's three schools — one handed in after its
    deadline (late, not on time), one accepted before it (on time), one returned past it (neither:
    a returned form has its own term); Кунгур's not started and past due (late)."""
    from workflows.monitoring import selectors

    w = region_world
    campaign = _create_and_open_in_the_ui(w)
    now = timezone.now()
    one, two, three = (Submission.objects.get(campaign=campaign, organization=s) for s in w.schools)
    kungur = Submission.objects.get(campaign=campaign, organization__name="СОШ Кунгура")
    TaskDeadline.objects.filter(process__artifact_object_id__in=[one.pk, two.pk, three.pk, kungur.pk]).update(
        due_at=now - dt.timedelta(days=3))
    Submission.objects.filter(pk=one.pk).update(status=SubmissionStatus.SUBMITTED, submitted_at=now)
    Submission.objects.filter(pk=two.pk).update(status=SubmissionStatus.ACCEPTED,
                                                submitted_at=now - dt.timedelta(days=4))
    Submission.objects.filter(pk=three.pk).update(status=SubmissionStatus.RETURNED,
                                                  submitted_at=now - dt.timedelta(days=4))

    result = selectors.progress(w.coordinator, campaign, now=now)
    assert result.schools == []  # the regional view lists municipalities, not schools
    by_name = {m.name: t for m, t in result.municipalities}
    berezniki, kungur_tally = by_name["Березники"], by_name["Кунгур"]
    assert (berezniki.total, berezniki.submitted, berezniki.accepted, berezniki.returned) == (3, 1, 1, 1)
    assert (berezniki.late, berezniki.on_time, berezniki.completeness, berezniki.on_time_rate) == (1, 1, 66.7, 50.0)
    assert (kungur_tally.not_started, kungur_tally.late, kungur_tally.on_time) == (1, 1, 0)
    assert (result.total.total, result.total.late, result.total.on_time) == (4, 2, 1)

    drilled = selectors.progress(w.coordinator, campaign, municipality_id=w.berezniki.pk, now=now)
    rows = {row.submission_id: (row.late, row.on_time, row.due_at is not None) for row in drilled.schools}
    assert rows == {one.pk: (True, False, True), two.pk: (False, True, True), three.pk: (False, False, True)}


@pytest.mark.parametrize("role", [Role.CNPPM_COORDINATOR, Role.MINISTRY_OFFICER])
def test_the_regional_officials_find_the_campaigns_from_the_start_page_and_processes(world, role):
    """Found walking the demo as `cnppm`: the regional coordinator and the ministry officer run
    campaigns (REGIONAL_RUNNERS) but hold no permission on the school's submission process, so
    neither the start page nor «Процессы» led to «Кампании и контроль сбора». The process's own
    link (register_process(links=…)) is listed now."""
    from django.urls import reverse

    organization = make_organization(world.region, kind=OrganizationKind.CNPPMPR, name="Орган (тест)")
    official = make_user(f"official-{role}", role=role, organization=organization)
    campaigns = flow_url(MonitoringFlow, "index")
    client = _client(official)
    for page in (reverse("home:index"), reverse("workflow:flows:index")):
        html = client.get(page).content.decode()
        assert f'href="{campaigns}"' in html and "Кампании и контроль сбора" in html, page
    assert client.get(campaigns).status_code == 200


def test_a_teacher_is_not_shown_the_campaigns(world):
    from django.urls import reverse

    teacher = make_user("teacher-start", role=Role.TEACHER, organization=world.schools[0])
    html = _client(teacher).get(reverse("home:index")).content.decode()
    assert flow_url(MonitoringFlow, "index") not in html


def test_the_campaign_page_says_how_many_forms_it_leaves_to_the_control_page(region_world):
    """The campaign page lists the first 20 forms by name; a regional campaign has hundreds, and it
    cut the list at 20 in no order and without a word (seen on the demo's 40 schools)."""
    from workflows.monitoring.models import CampaignIndicator, ValueKind
    from workflows.monitoring.opening import campaign_open

    w = region_world
    for n in range(20):
        make_organization(w.region, municipality=w.berezniki, name=f"Школа {n:02d}")
    campaign = Campaign.objects.create(region=w.region, title="Мониторинг края", created_by=w.coordinator,
                                       period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                                       opens_on=dt.date(2026, 1, 1))
    CampaignIndicator.objects.create(campaign=campaign, code="IND-22", title="Наличие", kind=ValueKind.YES_NO)
    campaign_open(actor=w.coordinator, campaign=campaign)
    assert Submission.objects.filter(campaign=campaign).count() == 24
    page = flow_url(MonitoringFlow, "campaign", campaign.pk)
    html = _client(w.coordinator).get(page).content.decode()
    assert "ещё 4 — на странице" in html and f'href="{flow_url(MonitoringFlow, "control", campaign.pk)}"' in html
    names = [name for name in ("Школа 19", "СОШ № 1", "Школа 00") if name in html]
    assert names == ["СОШ № 1", "Школа 00"]  # the first 20 by name: «Школа 19» is left to the control page
    assert "ещё" not in _client(w.head).get(page).content.decode()  # a head's own form: nothing left out


def test_the_control_page_and_its_xlsx_show_the_regions_clock(region_world):
    """Seen at 390 px as mms_berezniki: the control page printed «представлено 02.12.2026 03:57»
    (the server's Moscow time, no label) for a form its own page shows as «05:57 МСК+2»."""
    w = region_world  # Пермский край (тест): Asia/Yekaterinburg, МСК+2
    campaign = _create_and_open_in_the_ui(w)
    one = Submission.objects.get(campaign=campaign, organization=w.schools[0])
    Submission.objects.filter(pk=one.pk).update(status=SubmissionStatus.SUBMITTED,
                                                submitted_at=dt.datetime(2026, 12, 2, 0, 57, tzinfo=dt.UTC))
    client = _client(w.coordinator)
    url = flow_url(MonitoringFlow, "control", campaign.pk) + f"?municipality={w.berezniki.pk}"
    flat = " ".join(client.get(url).content.decode().split())
    assert '02.12.2026 05:57</span> <span class="pf-muted pf-tz">МСК+2' in flat and "03:57" not in flat
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "Представлено (время региона)"
    row = next(row for row in rows[2:] if row[1] == "СОШ № 1")
    assert row[3] == dt.datetime(2026, 12, 2, 5, 57)
