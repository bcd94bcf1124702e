"""The decision on a call (issue 14, step 4): the coordinator closes the call and proposes the
commission's decision (a reason for every organization not selected, the protocol issued), the
minister returns it or approves it — one transaction: the приказ DOC-2 with its annex, selected and
not selected applications audited, the register entries, the call decided, справки queued; an
unfinished application is not selected and its tasks withdrawn — through the real pages."""

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user, region_today
from workflows.core.audit import history
from workflows.core.flowkit import flow_url, task_action_url
from workflows.internships import decision_services, documents, rules
from workflows.internships.flows import DecisionFlow, InternshipsFlow, apply
from workflows.internships.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Decision,
    DecisionStatus,
    InternshipEvent,
    Site,
)

from .test_application import client, open_call, world  # noqa: F401  (the fixture)
from .test_review import PROGRAMME

pytestmark = pytest.mark.django_db

TODAY = region_today()


def docx_text(document) -> str:
    document.file.open("rb")
    try:
        parsed = docx.Document(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    parts = [p.text for p in parsed.paragraphs]
    for table in parsed.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts).replace("\xa0", " ")


@pytest.fixture
def decided(world):  # noqa: F811
    """A call with four applications: two reviewed above the pass mark, one below, one still at
    the ММС; the region's ministry with its signatory and heads on record (they sign)."""
    region = world.region
    ministry = make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство образования (тест)")
    ministry.head_name, ministry.head_position = "Белых Илья Кузьмич", "министр"
    ministry.save()
    cnppm = world.coordinator.memberships.get().organization
    cnppm.head_name, cnppm.head_position = "Петрова-Водкина Мария Ильинична", "руководитель центра"
    cnppm.save()
    signatory = make_user("minister", role=Role.MINISTRY_SIGNATORY, organization=ministry)
    call = open_call(world)
    schools = [world.school] + [
        make_organization(region, municipality=world.school.municipality, name=f"МБОУ «СОШ № {n}» (тест)")
        for n in (21, 22, 23)
    ]
    applications = []
    for index, school in enumerate(schools):
        head = world.head if index == 0 else make_user(f"head{index}", role=Role.SCHOOL_HEAD, organization=school)
        applications.append(
            apply(
                actor=head,
                call=call,
                organization=school,
                experience="опыт",
                resources="ресурсы",
                programmes=PROGRAMME + ([{**PROGRAMME[0], "theme": "Наставничество"}] if index == 0 else []),
                curator="Иванова Анна Петровна, заместитель директора" if index == 0 else "",
            )
        )
    # the review's outcome as sheet_submit keeps it (tested in test_review): set here directly
    outcomes = [(Decimal("84.50"), True), (Decimal("71.00"), True), (Decimal("52.25"), False)]
    for application, (rating, passed) in zip(applications, outcomes, strict=False):
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.REVIEWED, rating=rating, passed=passed, spread=Decimal(5)
        )
    return type(
        "Decided",
        (),
        {"call": call, "applications": applications, "signatory": signatory, "ministry": ministry},
    )


def decision_post(decided, **overrides):
    best, second, low, _ = decided.applications
    data = {
        "protocol_date": TODAY.isoformat(),
        "commission": "Сидорова Вера Павловна, руководитель ЦНППМПР, председатель\nКим Ольга Сергеевна, методист",
        "regulation": rules.DEFAULT_REGULATION,
        "report_due": rules.default_report_due(decided.call.status_from).isoformat(),
        f"select_{best.pk}": "on",
        f"select_{second.pk}": "on",
        f"reason_{low.pk}": "не набран проходной балл (60 из 100)",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_task(decision):
    return Task.objects.get(
        process__artifact_object_id=decision.pk, flow_task=DecisionFlow.sign, status__in=("NEW", "ASSIGNED")
    )


def test_the_decision_cannot_be_proposed_while_the_call_takes_applications(world, decided):  # noqa: F811
    coordinator = client(world.coordinator)
    page = coordinator.get(flow_url(InternshipsFlow, "decision_new", decided.call.pk))
    assert page.status_code == 200
    refused = coordinator.post(flow_url(InternshipsFlow, "decision_new", decided.call.pk), decision_post(decided))
    assert refused.status_code == 200 and "Приём заявок идёт до" in refused.content.decode()
    assert not Decision.objects.exists() and not IssuedDocument.objects.exists()
    # only the region's coordinator closes a call or decides; the others get the 404 of a missing page
    for user in (world.head, world.methodist):
        assert client(user).get(flow_url(InternshipsFlow, "decision_new", decided.call.pk)).status_code == 404
        assert (
            client(user).post(flow_url(InternshipsFlow, "call_close", decided.call.pk), {"confirm": "on"}).status_code
            == 404
        )
    assert (
        coordinator.post(flow_url(InternshipsFlow, "call_close", decided.call.pk), {"confirm": "on"}).status_code == 302
    )
    assert Call.objects.get().status == CallStatus.CLOSED
    late = client(world.head).get(flow_url(InternshipsFlow, "apply", decided.call.pk))
    assert late.status_code in (200, 404)
    with pytest.raises(decision_services.ActionRefused) as refused:
        services_apply_again(world, decided)
    assert "Приём заявок на этот отбор завершён" in str(refused.value)


def services_apply_again(world, decided):  # noqa: F811
    from workflows.internships import services

    school = make_organization(world.region, municipality=world.school.municipality)
    return services.application_submit(
        actor=make_user(role=Role.SCHOOL_HEAD, organization=school),
        call=Call.objects.get(pk=decided.call.pk),
        organization=school,
        experience="о",
        resources="р",
        programmes=PROGRAMME,
    )


def test_a_bad_decision_is_refused_in_russian_and_changes_nothing(world, decided):  # noqa: F811
    coordinator = client(world.coordinator)
    coordinator.post(flow_url(InternshipsFlow, "call_close", decided.call.pk), {"confirm": "on"})
    best, second, low, _ = decided.applications
    url = flow_url(InternshipsFlow, "decision_new", decided.call.pk)
    response = coordinator.post(
        url,
        decision_post(
            decided,
            **{f"select_{low.pk}": "on", f"reason_{second.pk}": "", f"select_{second.pk}": None},
            commission="Сидорова В.П., председатель",
        ),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "проходной балл" in errors[f"select_{low.pk}"][0]
    assert "почему организация не включена" in errors[f"reason_{second.pk}"][0]
    assert "полностью" in errors["commission"][0]
    assert not Decision.objects.exists() and not IssuedDocument.objects.exists()
    assert Application.objects.filter(proposed_selected__isnull=False).count() == 0


def propose(world, decided):  # noqa: F811
    coordinator = client(world.coordinator)
    coordinator.post(flow_url(InternshipsFlow, "call_close", decided.call.pk), {"confirm": "on"})
    response = coordinator.post(flow_url(InternshipsFlow, "decision_new", decided.call.pk), decision_post(decided))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Decision.objects.get()


def test_the_proposal_issues_the_protocol_and_the_minister_gets_the_task(world, decided):  # noqa: F811
    decision = propose(world, decided)
    best, second, low, unfinished = decided.applications
    assert decision.status == DecisionStatus.PROPOSED
    protocol = decision.protocol
    assert protocol.kind == documents.PROTOCOL_KIND and protocol.organization == decided.call.organizer
    text = docx_text(protocol)
    assert f"ПРОТОКОЛ № {protocol.number}" in text
    assert "Сидорова Вера Павловна, руководитель ЦНППМПР, председатель" in text
    assert "В.П. Сидорова" in text  # the chair signs
    assert "84,50 | рекомендовать" in text and "не набран проходной балл (60 из 100)" in text
    assert documents.NOT_FINISHED_REASON in text  # the application still at the ММС
    assert "Подано заявок: 4, экспертиза завершена: 3" in text
    task = sign_task(decision)
    assert task.owner_id == decided.signatory.pk
    assert Application.objects.get(pk=unfinished.pk).status == ApplicationStatus.SUBMITTED
    # the draft приказ for the minister: «____» for the number, takes none
    preview = client(decided.signatory).get(flow_url(InternshipsFlow, "decision_preview", decision.pk))
    assert preview.status_code == 200 and preview["Content-Type"].endswith("wordprocessingml.document")
    assert client(world.head).get(flow_url(InternshipsFlow, "decision_preview", decision.pk)).status_code == 404
    assert IssuedDocument.objects.filter(kind=documents.SITES_ORDER_KIND).count() == 0


def test_the_minister_returns_and_the_revised_decision_reissues_the_protocol(world, decided):  # noqa: F811
    decision = propose(world, decided)
    minister = client(decided.signatory)
    url = task_action_url(sign_task(decision), "execute")
    assert minister.post(url, {"decision": "return", "comment": ""}).status_code == 200
    assert minister.post(url, {"decision": "return", "comment": "Уточните куратора"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED and decision.return_comment == "Уточните куратора"
    revise = Task.objects.get(process__artifact_object_id=decision.pk, flow_task=DecisionFlow.revise)
    assert revise.owner_id == world.coordinator.pk
    old_protocol = decision.protocol
    data = decision_post(
        decided, commission="Сидорова Вера Павловна, председатель\nКим Ольга Сергеевна\nБелых Сергей Кузьмич"
    )
    assert client(world.coordinator).post(task_action_url(revise, "execute"), data).status_code == 302
    decision.refresh_from_db()
    old_protocol.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.protocol_id != old_protocol.pk
    assert old_protocol.superseded_at is not None and decision.protocol.replaces_id == old_protocol.pk
    assert "Белых Сергей Кузьмич" in docx_text(decision.protocol)
    assert sign_task(decision).owner_id == decided.signatory.pk


def test_approval_issues_the_order_fixes_every_application_and_opens_the_register(
    world,  # noqa: F811
    decided,
    django_capture_on_commit_callbacks,
):
    decision = propose(world, decided)
    best, second, low, unfinished = decided.applications
    endorse_task = Task.objects.get(process__artifact_object_id=unfinished.pk, flow_task=InternshipsFlow.endorse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client(decided.signatory).post(
            task_action_url(sign_task(decision), "execute"), {"decision": "approve"}
        )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    order = decision.order
    assert order.kind == documents.SITES_ORDER_KIND and order.organization == decided.ministry
    assert order.number == "1/ОД"
    text = docx_text(order)
    period = f"{decided.call.status_from.year}-{decided.call.status_to.year}"
    assert f"Об утверждении перечня региональных стажировочных площадок на {period} годы" in text
    assert f"(протокол от {decision.protocol.issued_on:%d.%m.%Y} № {decision.protocol.number})" in text
    assert "И.К. Белых" in text  # the ministry's head signs
    # the annex: the two selected, the first with its two programmes on two rows, its curator
    assert "Иванова Анна Петровна, заместитель директора" in text
    assert "Наставничество" in text and "МБОУ «СОШ № 22» (тест)" not in text
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[best.pk] == statuses[second.pk] == ApplicationStatus.SELECTED
    assert statuses[low.pk] == statuses[unfinished.pk] == ApplicationStatus.NOT_SELECTED
    low_events = [e for e in history(Application.objects.get(pk=low.pk)) if e.event == InternshipEvent.NOT_SELECTED]
    assert "не набран проходной балл" in low_events[0].comment and order.number in low_events[0].comment
    endorse_task.refresh_from_db()
    assert endorse_task.status == "CANCELED"  # the unfinished application's task is withdrawn
    assert Call.objects.get().status == CallStatus.DECIDED
    sites = list(Site.objects.order_by("application_id"))
    assert [s.application_id for s in sites] == [best.pk, second.pk]
    assert all(s.status_from == decided.call.status_from and s.order_id == order.pk for s in sites)
    # справки on the status (queued after commit; eager in tests), linked to the register entries
    certificates = IssuedDocument.objects.filter(kind=documents.SITE_CERTIFICATE_KIND)
    assert certificates.count() == 2
    site = Site.objects.get(application=best)
    certificate_text = docx_text(site.certificate)
    assert (
        f"№ {order.number}" in certificate_text
        and "присвоен статус региональной стажировочной площадки" in certificate_text
    )
    assert "«Наставничество»" in certificate_text
    # a second approval of the same decision is refused (the task is done)
    again = client(decided.signatory).post(task_action_url(sign_task_any(decision), "execute"), {"decision": "approve"})
    assert again.status_code in (404, 409)


def sign_task_any(decision):
    return Task.objects.filter(process__artifact_object_id=decision.pk, flow_task=DecisionFlow.sign).latest("pk")


def test_a_rendering_failure_at_approval_changes_nothing_and_takes_no_number(world, decided, monkeypatch):  # noqa: F811
    decision = propose(world, decided)

    def broken(**kwargs):
        context = original(**kwargs)
        context["sites"][0]["curator"] = ""
        return context

    original = documents.sites_order_context
    monkeypatch.setattr(documents, "sites_order_context", broken)
    response = client(decided.signatory).post(task_action_url(sign_task(decision), "execute"), {"decision": "approve"})
    assert response.status_code == 200 and "Приказ не сформирован" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.order_id is None
    assert not Site.objects.exists() and Call.objects.get().status == CallStatus.CLOSED
    assert not IssuedDocument.objects.filter(kind=documents.SITES_ORDER_KIND).exists()
    assert sign_task(decision).status in ("NEW", "ASSIGNED")
    assert set(Application.objects.values_list("status", flat=True)) <= {
        ApplicationStatus.REVIEWED,
        ApplicationStatus.SUBMITTED,
    }


def test_the_kinds_of_site_name_the_order_in_its_own_words():
    assert documents.kind_words("mentor")["sites_genitive"] == "региональных менторских площадок"
    assert documents.kind_words("innovation")["site_genitive"] == "региональной инновационной площадки"
    assert documents.kind_words(None)["site_genitive"] == "региональной стажировочной площадки"


def test_rules_of_the_decision_at_their_boundaries():
    base = dict(
        commission="Сидорова Вера Павловна, председатель",
        protocol_date=TODAY,
        status_from=dt.date(2027, 9, 1),
        status_to=dt.date(2030, 8, 31),
        today=TODAY,
    )
    ok = rules.decision_errors(choices={1: (True, "")}, passed={1: True}, report_due=dt.date(2030, 8, 31), **base)
    assert ok == {}
    late = rules.decision_errors(choices={1: (True, "")}, passed={1: True}, report_due=dt.date(2030, 9, 1), **base)
    early = rules.decision_errors(choices={1: (True, "")}, passed={1: True}, report_due=dt.date(2027, 9, 1), **base)
    assert "report_due" in late and "report_due" in early
    none = rules.decision_errors(
        choices={1: (False, "причина")}, passed={1: True}, report_due=dt.date(2028, 6, 30), **base
    )
    assert "ни одна организация" in none["__all__"][0]
    future = rules.decision_errors(
        choices={1: (True, "")},
        passed={1: True},
        report_due=dt.date(2028, 6, 30),
        **{**base, "protocol_date": TODAY + dt.timedelta(days=1)},
    )
    assert "protocol_date" in future
    assert rules.default_report_due(dt.date(2027, 9, 1)) == dt.date(2028, 6, 30)
    assert rules.default_report_due(dt.date(2027, 3, 1)) == dt.date(2027, 6, 30)
