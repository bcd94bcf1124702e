"""Changes of a site's status by приказ (issue 14 §5): the keeper of the register proposes renewal
for a new term, probation with a date to fix the remarks, the lifting of probation or revocation;
the minister signs the приказ from the inbox (a numbered .docx in the ministry's register, opened
with python-docx here) or rejects the change. Each step audited, permissioned and scoped; nonsense
answered in Russian and nothing lost."""

import datetime as dt
import io

import docx
import pytest
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user, region_today
from workflows.core.audit import history
from workflows.core.flowkit import flow_url, task_action_url, task_url
from workflows.internships import documents, rules
from workflows.internships.flows import InternshipsFlow, SiteStatusFlow
from workflows.internships.models import (
    InternshipEvent,
    ReportStatus,
    Site,
    SiteReport,
    SiteStatus,
    StatusChange,
    StatusChangeStatus,
)

from .test_application import client, world  # noqa: F401  (the fixture)
from .test_decision import decided  # noqa: F401  (the fixture)
from .test_register import report_task, sites  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

TODAY = region_today()


def change_url(site):
    return flow_url(InternshipsFlow, "site_change", site.pk)


def sign_task(change):
    return Task.objects.get(process__artifact_object_id=change.pk, flow_task=SiteStatusFlow.sign)


def order_text(document) -> str:
    with document.file.open("rb") as handle:
        body = docx.Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in body.paragraphs).replace("\xa0", " ")  # «№ 1/ОД» is printed unbreakable


def propose(world, site, **data):  # noqa: F811
    response = client(world.coordinator).post(change_url(site), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return StatusChange.objects.filter(site=site).latest("pk")


def sign(decided, change, **data):  # noqa: F811
    response = client(decided.signatory).post(task_action_url(sign_task(change), "execute"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    change.refresh_from_db()
    return change


def test_only_the_keepers_propose_and_only_what_the_status_admits(world, decided, sites):  # noqa: F811
    site = sites[0]
    for user in (world.head, world.methodist, decided.signatory):
        assert client(user).get(change_url(site)).status_code == 404, user.username
    coordinator = client(world.coordinator)
    form = coordinator.get(change_url(site))
    assert [value for value, _ in form.context["form"].fields["kind"].choices] == ["renew", "probation", "revoke"]
    short = coordinator.post(change_url(site), {"kind": "revoke", "reason": "коротко"})
    assert short.status_code == 200 and "не короче 10 символов" in short.context["form"].errors["reason"][0]
    lift = coordinator.post(change_url(site), {"kind": "lift", "reason": "замечания устранены полностью"})
    assert lift.status_code == 200 and "kind" in lift.context["form"].errors  # not on probation
    late = coordinator.post(
        change_url(site),
        {"kind": "renew", "reason": "успешный отчёт за год", "new_status_to": site.status_to.isoformat()},
    )
    assert "позже" in late.context["form"].errors["new_status_to"][0]
    too_far = (site.status_to + dt.timedelta(days=4 * 366)).isoformat()
    far = coordinator.post(
        change_url(site), {"kind": "renew", "reason": "успешный отчёт за год", "new_status_to": too_far}
    )
    assert "не больше чем на 3 года" in far.context["form"].errors["new_status_to"][0]
    past = coordinator.post(
        change_url(site),
        {"kind": "probation", "reason": "отчёт не представлен в срок", "probation_until": TODAY.isoformat()},
    )
    assert "позже сегодняшнего дня" in past.context["form"].errors["probation_until"][0]
    assert not StatusChange.objects.exists() and not Task.objects.filter(flow_task=SiteStatusFlow.sign).exists()


def test_probation_then_lifting_by_two_signed_orders(world, decided, sites):  # noqa: F811
    site = sites[0]
    until = TODAY + dt.timedelta(days=60)
    reason = "годовой отчёт не представлен в установленный срок"
    change = propose(world, site, kind="probation", reason=reason, probation_until=until.isoformat())
    assert change.status == StatusChangeStatus.PROPOSED
    again = client(world.coordinator).post(change_url(site), {"kind": "revoke", "reason": "нарушения при стажировках"})
    assert again.status_code == 200 and "ещё на подписи у министра" in again.content.decode()  # one open proposal
    assert StatusChange.objects.filter(site=site).count() == 1
    task = sign_task(change)
    assert task.owner_id == decided.signatory.pk
    # the site's page offers the task to the minister only (a button that works), the keeper sees the proposal
    keeper_page = client(world.coordinator).get(flow_url(InternshipsFlow, "site", site.pk)).content.decode()
    assert f'data-task="{task.pk}"' not in keeper_page and "На подписи у министра" in keeper_page
    minister = client(decided.signatory)
    assert f'data-task="{task.pk}"' in minister.get(flow_url(InternshipsFlow, "site", site.pk)).content.decode()
    form = minister.get(minister.get(task_url(task))["Location"])
    assert form.status_code == 200
    assert "Установить испытательный срок до" in form.content.decode()  # the minister reads the приказ's text
    assert client(world.coordinator).post(task_action_url(task, "execute"), {"decision": "approve"}).status_code == 404

    sign(decided, change, decision="approve")
    site.refresh_from_db()
    assert change.status == StatusChangeStatus.APPROVED and change.order.kind == documents.SITE_STATUS_ORDER_KIND
    assert site.status == SiteStatus.PROBATION and site.probation_until == until and site.probation_reason == reason
    order = change.order
    assert order.organization == decided.ministry and order.number.endswith("/ОД")
    text = order_text(order)
    assert "Об установлении испытательного срока региональной стажировочной площадке" in text
    assert f"испытательный срок до {until:%d.%m.%Y}" in text and f"Основание: {reason}." in text
    assert f"№ {site.order.number}" in text  # the приказ that gave the status
    events = [e.event for e in history(site)]
    assert InternshipEvent.STATUS_CHANGE_PROPOSED in events and InternshipEvent.SITE_PROBATION in events
    # on probation the site still reports and is still in the register «in force»
    assert SiteReport.objects.get(site=site).status == ReportStatus.DUE
    assert client(world.coordinator).get(change_url(site)).context["form"].fields["kind"].choices == [
        ("lift", "Снять испытательный срок"),
        ("revoke", "Прекратить статус досрочно"),
    ]

    lift = propose(world, site, kind="lift", reason="замечания устранены: отчёт представлен, стажировки проведены")
    sign(decided, lift, decision="approve")
    site.refresh_from_db()
    assert site.status == SiteStatus.ACTIVE and site.probation_until is None and site.probation_reason == ""
    lifted = order_text(lift.order)
    assert "О снятии испытательного срока с региональной стажировочной площадки" in lifted
    assert f"№ {order.number}" in lifted  # the приказ that set the probation
    assert lift.order.number != order.number


def test_renewal_gives_a_new_term_and_opens_the_next_report(world, decided, sites):  # noqa: F811
    site = sites[0]
    report = SiteReport.objects.get(site=site)
    # the old term's last report is in and none is due (as at the end of a term)
    SiteReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    Task.objects.filter(pk=report_task(report).pk).update(status="DONE")
    old_end = site.status_to
    new_end = old_end.replace(year=old_end.year + 2)
    change = propose(
        world,
        site,
        kind="renew",
        reason="высокие результаты по итогам годовых отчётов",
        new_status_to=new_end.isoformat(),
    )
    sign(decided, change, decision="approve")
    site.refresh_from_db()
    assert site.status == SiteStatus.ACTIVE and site.status_to == new_end
    following = SiteReport.objects.get(site=site, number=2)
    assert following.due_on == rules.next_report_due(report.due_on, new_end) and following.status == ReportStatus.DUE
    assert report_task(following).owner_id == world.head.pk
    text = order_text(change.order)
    assert "О продлении срока статуса региональной стажировочной площадки" in text
    assert f"по {new_end:%d.%m.%Y}" in text
    renewed = [e for e in history(site) if e.event == InternshipEvent.SITE_RENEWED][0]
    assert f"было по {old_end:%d.%m.%Y}" in renewed.comment and renewed.actor_id == decided.signatory.pk


def test_revocation_by_order_withdraws_the_pending_report(world, decided, sites):  # noqa: F811
    site = sites[0]
    task = report_task(SiteReport.objects.get(site=site))
    reason = "площадка не провела ни одной стажировки за учебный год"
    change = propose(world, site, kind="revoke", reason=reason)
    assert Site.objects.get(pk=site.pk).status == SiteStatus.ACTIVE  # nothing changes before the signature
    sign(decided, change, decision="approve")
    site.refresh_from_db()
    order = change.order
    assert site.status == SiteStatus.REVOKED and site.ended_on == order.issued_on
    assert site.end_reason == f"приказ от {order.issued_on:%d.%m.%Y} № {order.number}: {reason}"
    task.refresh_from_db()
    assert task.status == "CANCELED" and SiteReport.objects.get(site=site).status == ReportStatus.CANCELLED
    assert "О досрочном прекращении статуса региональной стажировочной площадки" in order_text(order)
    assert client(world.coordinator).get(change_url(site)).status_code == 404  # nothing more to change
    active = client(world.methodist).get(flow_url(InternshipsFlow, "register") + "?status=active")
    assert [s.pk for s in active.context["page"].rows] == [sites[1].pk]
    page = client(world.coordinator).get(flow_url(InternshipsFlow, "site", site.pk)).content.decode()
    assert f"№ {order.number}" in page


def test_the_minister_rejects_and_nothing_changes(world, decided, sites):  # noqa: F811
    site = sites[0]
    change = propose(world, site, kind="revoke", reason="нарушения при проведении стажировок")
    refused = client(decided.signatory).post(task_action_url(sign_task(change), "execute"), {"decision": "reject"})
    assert refused.status_code == 200 and StatusChange.objects.get(pk=change.pk).status == StatusChangeStatus.PROPOSED
    sign(decided, change, decision="reject", comment="сначала запросите объяснения у руководителя площадки")
    site.refresh_from_db()
    assert change.status == StatusChangeStatus.REJECTED and change.order_id is None
    assert site.status == SiteStatus.ACTIVE and not IssuedDocument.objects.filter(kind=documents.SITE_STATUS_ORDER_KIND)
    assert InternshipEvent.STATUS_CHANGE_REJECTED in [e.event for e in history(site)]
    assert client(world.coordinator).get(change_url(site)).status_code == 200  # a new proposal may follow


def test_a_failed_order_changes_nothing_and_takes_no_number(world, decided, sites):  # noqa: F811
    """The приказ cannot be made (the ministry removed from the region's data between the proposal
    and the signature: no issuer): the site keeps its status, the task stays open."""
    site = sites[0]
    change = propose(world, site, kind="revoke", reason="нарушения при проведении стажировок")
    decided.ministry.kind = OrganizationKind.IRO
    decided.ministry.save(update_fields=["kind"])
    response = client(decided.signatory).post(task_action_url(sign_task(change), "execute"), {"decision": "approve"})
    assert response.status_code == 200 and "министерство" in response.content.decode()
    assert Site.objects.get(pk=site.pk).status == SiteStatus.ACTIVE
    assert StatusChange.objects.get(pk=change.pk).status == StatusChangeStatus.PROPOSED
    assert sign_task(change).status != "DONE"
    assert not IssuedDocument.objects.filter(kind=documents.SITE_STATUS_ORDER_KIND).exists()


def test_a_foreign_region_sees_no_site_and_no_change(world, decided, sites):  # noqa: F811
    from tests.factories import make_region

    elsewhere = make_region(name="Другой край (тест)", code="96")
    foreign_keeper = make_user(
        role=Role.CNPPM_COORDINATOR, organization=make_organization(elsewhere, kind=OrganizationKind.CNPPMPR)
    )
    site = sites[0]
    assert client(foreign_keeper).get(change_url(site)).status_code == 404
    change = propose(world, site, kind="revoke", reason="нарушения при проведении стажировок")
    foreign_minister = make_user(
        role=Role.MINISTRY_SIGNATORY, organization=make_organization(elsewhere, kind=OrganizationKind.MINISTRY)
    )
    url = task_action_url(sign_task(change), "execute")
    assert client(foreign_minister).post(url, {"decision": "approve"}).status_code == 404
    assert StatusChange.objects.get(pk=change.pk).status == StatusChangeStatus.PROPOSED
