"""A submission page offers a button only for the tasks the user may do (flowkit.tasks_for): with two
ММС methodists the review waits in their queue, and the school head — who sees the submission —
got its button and a 404 on click."""

import pytest

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user
from workflows.core.flowkit import flow_url, task_action_url
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.opening import campaign_open

from .test_campaign import _client, _form
from .test_review import _open


@pytest.mark.django_db
def test_the_review_in_the_methodists_queue_has_no_button_for_the_school(world):
    mms = make_organization(world.region, kind=OrganizationKind.MMS, municipality=world.berezniki, name="ЦСОРО")
    first = make_user("methodist_a", role=Role.MMS_METHODIST, organization=mms)
    make_user("methodist_b", role=Role.MMS_METHODIST, organization=mms)
    campaign_open(actor=world.official, campaign=world.campaign)
    submission, fill = _open(world, MonitoringFlow.fill)
    assert _client(world.head).post(task_action_url(fill, "execute"), _form()).status_code == 302
    _, review = _open(world, MonitoringFlow.review)
    assert review.owner_id is None  # in the queue of both methodists

    page_url = flow_url(MonitoringFlow, "submission", submission.pk)
    review_prefix = f"/{review.pk}/"
    head_page = _client(world.head).get(page_url)
    assert head_page.status_code == 200
    assert review_prefix not in head_page.content.decode()
    methodist_page = _client(first).get(page_url).content.decode()
    assert review_prefix in methodist_page


@pytest.mark.django_db
def test_the_submission_time_is_shown_in_the_regions_zone_like_its_history(world):
    """The status line read «представлено … 02:32» (the server's zone) above the history's «04:32 МСК+2»."""
    from workflows.core.templatetags.profrost_format import local_datetime

    campaign_open(actor=world.official, campaign=world.campaign)
    submission, fill = _open(world, MonitoringFlow.fill)
    assert _client(world.head).post(task_action_url(fill, "execute"), _form()).status_code == 302
    submission.refresh_from_db()
    page = _client(world.head).get(flow_url(MonitoringFlow, "submission", submission.pk)).content.decode()
    local = local_datetime(submission.submitted_at, world.region.timezone)
    assert f'представлено <span class="pf-nowrap">{local:%d.%m.%Y %H:%M}</span>' in page
