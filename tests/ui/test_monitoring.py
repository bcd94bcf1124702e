"""The monitoring main path in a real browser, as the demo users (load_demo): the school head of
МАОУ «СОШ № 7» г. Березники fills and submits the form from the inbox, the ММС methodist returns
it with a reason, the school sees the reason and resubmits, the methodist sees what changed and
accepts."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from orgstructure.demo import DEMO_PASSWORD
from orgstructure.models import Membership, Role
from workflows.core.demo import demo_user
from workflows.monitoring.models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind
from workflows.monitoring.opening import campaign_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/workflow/inbox/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def _open_first_task(page, base_url):
    page.goto(f"{base_url}/workflow/inbox/")
    page.click("#task-table tbody tr a")
    page.wait_for_url("**/execute/")
    page.wait_for_selector("#task-form")


@pytest.fixture
def campaign():
    call_command("load_demo", quiet=True)
    head = demo_user("school_head")
    school = Membership.objects.get(user=head, role=Role.SCHOOL_HEAD).organization
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        region=school.region, municipality=school.municipality, title="Мониторинг (браузерный тест)",
        created_by=demo_user("admin"), period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31),
        opens_on=today - dt.timedelta(days=1),
    )
    CampaignIndicator.objects.create(campaign=campaign, code="IND-03", position=1, kind=ValueKind.SHARE, target=30,
                                     title="Доля педагогических работников, освоивших ДПП из ФР ДПП")
    CampaignIndicator.objects.create(campaign=campaign, code="IND-22", position=2, kind=ValueKind.YES_NO,
                                     title="Наличие методических структур")
    campaign_open(actor=demo_user("admin"), campaign=campaign)
    return Submission.objects.get(campaign=campaign, organization=school)


def test_submit_return_resubmit_accept(page, live_server, campaign):
    submission, base = campaign, live_server.url
    _login(page, base, "school_head")
    _open_first_task(page, base)
    assert "IND-03" in page.content()
    page.fill("input[name='v_IND-03__numerator']", "12")
    page.fill("input[name='v_IND-03__denominator']", "40")
    page.select_option("select[name='v_IND-22']", "1")
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    _login(page, base, "mms_berezniki")
    _open_first_task(page, base)
    page.check("input[name=decision][value=return]")
    page.fill("textarea[name=reason]", "IND-03: в знаменателе учтены внешние совместители")
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED

    _login(page, base, "school_head")
    _open_first_task(page, base)
    assert "IND-03: в знаменателе учтены внешние совместители" in page.content()  # the school sees why
    page.fill("input[name='v_IND-03__denominator']", "36")
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED

    _login(page, base, "mms_berezniki")
    _open_first_task(page, base)
    assert "изменено: IND-03" in page.content()
    page.check("input[name=decision][value=accept]")
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.values["IND-03"]["denominator"] == "36"
