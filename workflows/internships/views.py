from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from common import keyset, spreadsheets
from common.errors import ActionError, add_to_form
from common.http import SAFE_CONTENT_TYPES, attachment, content_disposition, viewable
from common.plural import quantity
from documents.errors import DocumentError
from documents.issuing import document_preview
from orgstructure import access
from orgstructure.models import Role
from workflows.core.flowkit import flow_url, task_url, tasks_for
from workflows.core.form_actions import action_page
from workflows.core.review.models import REPLACEABLE, AssignmentStatus
from workflows.core.state import history_rows

from . import decision_services, documents, forms, register_services, review_services, rules, selectors, services
from .models import (
    IN_FORCE,
    REGISTER_KEEPERS,
    ApplicationStatus,
    CallStatus,
    Decision,
    DecisionStatus,
    ExpertAssignment,
    can_keep_register,
    can_run_review,
)

EXPERTS = ("эксперт", "эксперта", "экспертов")

REVIEW_CANDIDATES = 20
FORM_PAGE = "internships/form.html"  # the action pages (workflows.core.form_actions)
# who sees the ranked list with the scores: the regional bodies that run and decide the selection
RANKING_ROLES = (Role.CNPPM_COORDINATOR, Role.CNPPM_METHODIST, Role.MINISTRY_OFFICER, Role.MINISTRY_SIGNATORY)


def _flow():
    from .flows import InternshipsFlow

    return InternshipsFlow


def _start_expert_task(assignment):
    from .flows import ExpertFlow

    ExpertFlow.start.run(assignment=assignment)


def _can_open_calls(user) -> bool:
    return bool(access.memberships_with_role(user, Role.CNPPM_COORDINATOR))


def _applicant_schools(user, call):
    """The schools the user heads in the call's region (the memberships already hold them)."""
    schools = {
        m.organization_id: m.organization
        for m in access.memberships_with_role(user, Role.SCHOOL_HEAD)
        if m.organization.region_id == call.region_id
    }
    return sorted(schools.values(), key=lambda school: school.name)


def _is_expert(user) -> bool:
    person = access.own_person(user)
    return person is not None and review_services.expert_pool_has(person)


def index(request):
    calls = list(selectors.calls_for(request.user)[:50])
    applications = list(selectors.applications_for(request.user)[:50])
    return render(
        request,
        "internships/index.html",
        {
            "title": "Отбор стажировочных и инновационных площадок",
            "calls": calls,
            "applications": applications,
            "can_open": _can_open_calls(request.user),
            "is_expert": _is_expert(request.user),
            "new_url": flow_url(_flow(), "call_new"),
        },
    )


def call_new(request):
    if not _can_open_calls(request.user):
        raise Http404("Страница не найдена")
    form = forms.CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_open(actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Отбор объявлен")
            return HttpResponseRedirect(flow_url(_flow(), "call", call.pk))
    return render(
        request,
        "internships/call_form.html",
        {
            "title": "Новый отбор площадок",
            "form": form,
            "back_url": flow_url(_flow(), "index"),
        },
    )


def call_detail(request, pk):
    call = selectors.call_for(request.user, pk)
    applications = list(selectors.applications_for(request.user, call))
    can_apply = rules.accepts_applications(
        call.status == CallStatus.OPEN, call.applications_due, timezone.localdate()
    ) and bool(_applicant_schools(request.user, call))
    coordinator = access.reaches_region(request.user, (Role.CNPPM_COORDINATOR,), region_id=call.region_id)
    decision = Decision.objects.filter(call=call).select_related("protocol", "order").first()
    sees_decision = access.reaches_region(request.user, RANKING_ROLES, region_id=call.region_id)
    return render(
        request,
        "internships/call.html",
        {
            "title": call.title,
            "call": call,
            "close_url": flow_url(_flow(), "call_close", call.pk)
            if coordinator and call.status == CallStatus.OPEN
            else "",
            "decision_url": flow_url(_flow(), "decision_new", call.pk)
            if coordinator and decision is None and call.status != CallStatus.DECIDED
            else "",
            "decision_context": selectors.decision_summary(decision)
            if decision is not None and sees_decision
            else None,
            "applications": applications,
            "can_apply": can_apply,
            "apply_url": flow_url(_flow(), "apply", call.pk),
            "back_url": flow_url(_flow(), "index"),
            "ranking_url": flow_url(_flow(), "ranking", call.pk)
            if access.reaches_region(request.user, RANKING_ROLES, region_id=call.region_id)
            else "",
        },
    )


def apply(request, pk):
    call = selectors.call_for(request.user, pk)
    schools = _applicant_schools(request.user, call)
    if not schools:
        raise Http404("Страница не найдена")
    form = forms.ApplicationForm(request.POST or None, request.FILES or None)
    programmes = forms.ProgrammeFormSet(request.POST or None, prefix="programmes")
    if request.method == "POST" and form.is_valid() and programmes.is_valid():
        items = [item for item in programmes.cleaned_data if item]
        try:
            from .flows import apply as start

            application = start(
                actor=request.user,
                call=call,
                organization=schools[0],
                programmes=items,
                experience=form.cleaned_data["experience"],
                resources=form.cleaned_data["resources"],
                curator=form.cleaned_data["curator"],
                files=form.cleaned_data["files"],
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Заявка подана и направлена на согласование в ММС")
            return HttpResponseRedirect(flow_url(_flow(), "application", application.pk))
    return render(
        request,
        "internships/apply.html",
        {
            "title": f"Заявка: {call.title}",
            "call": call,
            "school": schools[0],
            "form": form,
            "programmes": programmes,
            "back_url": flow_url(_flow(), "call", call.pk),
        },
    )


def application_detail(request, pk):
    application = selectors.application_for(request.user, pk)
    tasks = tasks_for(request.user, application)
    coordinator = can_run_review(application, request.user)
    return render(
        request,
        "internships/application.html",
        {
            "title": str(application),
            "artefact": application,
            "history": history_rows(application),
            "coordinator": coordinator,
            "assignments": selectors.assignments(application) if coordinator else [],
            "can_appoint": coordinator and application.status == ApplicationStatus.ENDORSED,
            "under_review": application.status == ApplicationStatus.UNDER_REVIEW,
            "replaceable": REPLACEABLE,
            "tasks": [(task, task_url(task)) for task in tasks],
            "back_url": flow_url(_flow(), "call", application.call_id),
        },
    )


# --- the expert review (coordinator) -----------------------------------------------------------


def _review_application(request, pk):
    """The application as its review's coordinator reaches it; else the same 404 as missing."""
    application = selectors.application_for(request.user, pk)
    if not can_run_review(application, request.user):
        raise Http404("Страница не найдена")
    return application


def appoint(request, pk):
    application = _review_application(request, pk)
    candidates = review_services.proposal(application, count=REVIEW_CANDIDATES)
    proposed = [str(p.person.pk) for p in candidates[: application.call.experts_per_application]]
    form = forms.AppointForm(request.POST or None, candidates=candidates, initial={"experts": proposed})
    return action_page(
        request,
        form,
        lambda data: review_services.experts_appoint(
            actor=request.user, application=application, experts=form.chosen(), start_task=_start_expert_task
        ),
        success="Эксперты назначены, им направлены задачи",
        redirect_to=flow_url(_flow(), "application", application.pk),
        template=FORM_PAGE,
        title=f"Назначение экспертов: {application}",
        submit_label="Назначить",
        intro=(
            f"Нужно {quantity(application.call.experts_per_application, EXPERTS)}. "
            "Предложены эксперты с наименьшей нагрузкой; эксперты с конфликтом интересов "
            "(работа в организации-заявителе"
            f"{' или в её муниципалитете' if application.call.municipality_conflict else ''}, иные связи) "
            "исключены."
        ),
        back_url=flow_url(_flow(), "application", application.pk),
    )


def replace(request, pk, assignment_pk):
    application = _review_application(request, pk)
    assignment = get_object_or_404(ExpertAssignment, pk=assignment_pk, application=application)
    candidates = review_services.proposal(application, count=REVIEW_CANDIDATES)
    form = forms.ReplaceForm(request.POST or None, candidates=candidates)
    back = flow_url(_flow(), "application", application.pk)
    return action_page(
        request,
        form,
        lambda data: review_services.expert_replace(
            actor=request.user,
            assignment=assignment,
            new_expert=form.candidates[data["expert"]],
            reason=data["reason"],
            start_task=_start_expert_task,
        ),
        success="Эксперт заменён",
        redirect_to=back,
        template=FORM_PAGE,
        title=f"Замена эксперта {assignment.expert.full_name}",
        submit_label="Заменить",
        back_url=back,
    )


def ranking(request, pk):
    call = selectors.call_for(request.user, pk)
    if not access.reaches_region(request.user, RANKING_ROLES, region_id=call.region_id):
        raise Http404("Страница не найдена")
    return render(
        request,
        "internships/ranking.html",
        {
            "title": f"Рейтинг заявок: {call.title}",
            "call": call,
            "rows": selectors.ranked(call),
            # one reverse for the page, not one per row (a nested namespace reverse costs ~0.3 ms)
            "application_prefix": flow_url(_flow(), "application", 0).removesuffix("0/"),
            "back_url": flow_url(_flow(), "call", call.pk),
        },
    )


# --- the decision (coordinator proposes, the minister approves) ------------------------------


def _decision_call(request, pk):
    call = selectors.call_for(request.user, pk)
    if not access.reaches_region(request.user, (Role.CNPPM_COORDINATOR,), region_id=call.region_id):
        raise Http404("Страница не найдена")
    return call


def call_close(request, pk):
    call = _decision_call(request, pk)
    back = flow_url(_flow(), "call", call.pk)
    return action_page(
        request,
        forms.CloseCallForm(request.POST or None),
        lambda data: decision_services.call_close(actor=request.user, call=call),
        success="Приём заявок завершён",
        redirect_to=back,
        template=FORM_PAGE,
        title=f"Завершение приёма заявок: {call.title}",
        submit_label="Завершить приём",
        intro="Заявки, поданные до этого момента, рассматриваются дальше; новые не принимаются.",
        back_url=back,
    )


def _default_commission(user, call) -> str:
    chair = getattr(user, "person", None)
    lines = []
    if chair is not None:
        lines.append(f"{chair.full_name}, {chair.position or 'координатор ЦНППМПР'}, председатель комиссии")
    experts = (
        ExpertAssignment.objects.filter(application__call=call, status="submitted")
        .select_related("expert__organization")
        .order_by("expert__last_name", "expert__first_name")
    )
    seen = set()
    for assignment in experts:
        expert = assignment.expert
        if expert.pk in seen or (chair is not None and expert.pk == chair.pk):
            continue
        seen.add(expert.pk)
        lines.append(f"{expert.full_name}, {expert.position or 'эксперт'}, {expert.organization}")
    return "\n".join(lines)


def decision_new(request, pk):
    call = _decision_call(request, pk)
    existing = getattr(call, "decision", None) if hasattr(call, "decision") else None
    if existing is not None:
        return HttpResponseRedirect(flow_url(_flow(), "call", call.pk))
    applications = selectors.ranked_applications(call)
    form = forms.DecisionForm(
        request.POST or None,
        applications=applications,
        pass_threshold=call.pass_threshold,
        initial={
            "protocol_date": timezone.localdate(),
            "commission": _default_commission(request.user, call),
            "report_due": rules.default_report_due(call.status_from),
        },
    )
    if request.method == "POST" and form.is_valid():
        from .flows import propose

        data = form.cleaned_data
        try:
            propose(
                actor=request.user,
                call=call,
                protocol_date=data["protocol_date"],
                commission=data["commission"],
                regulation=data["regulation"],
                report_due=data["report_due"],
                choices=form.choices(),
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Протокол комиссии выпущен, решение направлено в министерство на утверждение")
            return HttpResponseRedirect(flow_url(_flow(), "call", call.pk))
    return render(
        request,
        "internships/decision_form.html",
        {
            "title": f"Решение экспертной комиссии: {call.title}",
            "call": call,
            "form": form,
            "unfinished": form.unfinished,
            "not_finished_reason": documents.NOT_FINISHED_REASON,
            "back_url": flow_url(_flow(), "call", call.pk),
        },
    )


def decision_preview(request, pk):
    """The draft приказ as it would be signed, «____» for the number (takes no number)."""
    decision = get_object_or_404(
        access.scope_queryset(request.user, Decision.objects.select_related("call__organizer", "protocol")), pk=pk
    )
    if not access.reaches_region(request.user, RANKING_ROLES, region_id=decision.call.region_id):
        raise Http404("Страница не найдена")
    if decision.status != DecisionStatus.PROPOSED or decision.protocol is None:
        raise Http404("Проекта приказа нет")
    selected = [a for a in selectors.ranked_applications(decision.call) if a.proposed_selected]
    try:
        data = document_preview(
            kind=documents.SITES_ORDER_KIND,
            issuing_organization=decision_services.ministry_of(decision.call.region_id),
            context=documents.sites_order_context(call=decision.call, decision=decision, selected=selected),
        )
    except (DocumentError, ActionError) as exc:
        messages.error(request, f"Проект приказа не сформирован: {exc}")
        return HttpResponseRedirect(flow_url(_flow(), "call", decision.call_id))
    response = HttpResponse(data, content_type=SAFE_CONTENT_TYPES["docx"])
    response["Content-Disposition"] = content_disposition("Проект приказа о перечне площадок.docx")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the register of sites -----------------------------------------------------------------

REGISTER_HEADER = [
    "Образовательная организация",
    "Муниципальное образование",
    "Вид площадки",
    "Программы стажировки",
    "Статус с",
    "Статус по",
    "Приказ",
    "Обучено педагогов (по отчётам)",
    "Состояние",
]


def _programmes_text(site) -> str:
    return "; ".join(
        f"{p.theme} ({p.target_group}, {p.format}, {p.hours} ч.)" for p in site.application.programmes.all()
    )


def register_rows(sites):
    """The register's rows for the .xlsx (and the open export): no personal data."""
    for site in sites:
        yield [
            site.organization.name,
            site.organization.municipality.name if site.organization.municipality_id else "",
            site.get_kind_display(),
            _programmes_text(site),
            site.status_from,
            site.status_to,
            f"от {site.order.issued_on:%d.%m.%Y} № {site.order.number}",
            site.trainees_total or 0,
            site.get_status_display(),
        ]


def _keeps_register(user) -> list:
    """The regions whose register the user keeps (revocation, publication)."""
    return [m.organization.region for m in access.memberships_with_role(user, *REGISTER_KEEPERS)]


def register(request):
    form = forms.RegisterFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = keyset.page(
        selectors.register_sites(request.user, status=status),
        selectors.REGISTER_ORDER,
        cursor=request.GET.get("after", ""),
        size=50,
    )
    regions = {region.pk: region for region in _keeps_register(request.user)}
    return render(
        request,
        "internships/register.html",
        {
            "title": "Реестр стажировочных и инновационных площадок",
            "form": form,
            "page": page,
            "status": status,
            "export_url": flow_url(_flow(), "register_export") + (f"?status={status}" if status else ""),
            "publications": [
                {
                    "region": region,
                    "published": selectors.is_published(region),
                    "url": flow_url(_flow(), "register_publish", region.pk),
                    "open_url": reverse("internships_open:register", args=[region.code]),
                }
                for region in regions.values()
            ],
        },
    )


def register_export(request):
    form = forms.RegisterFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    sites = selectors.register_sites(request.user, status=status).prefetch_related("application__programmes")
    return spreadsheets.xlsx_response(
        filename="Реестр площадок.xlsx", sheet_title="Площадки", header=REGISTER_HEADER, rows=register_rows(sites)
    )


def register_publish(request, region_pk):
    regions = {region.pk: region for region in _keeps_register(request.user)}
    if region_pk not in regions:
        raise Http404("Страница не найдена")
    if request.method != "POST":
        return HttpResponseRedirect(flow_url(_flow(), "register"))
    try:
        publication = register_services.publication_set(
            actor=request.user, region=regions[region_pk], published=request.POST.get("published") == "1"
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Реестр опубликован" if publication.published else "Реестр снят с публикации")
    return HttpResponseRedirect(flow_url(_flow(), "register"))


def site_detail(request, pk):
    site = selectors.site_for(request.user, pk)
    keeper = can_keep_register(site, request.user)
    reports = selectors.reports_of(request.user, site)
    report_tasks = []
    for report in reports:
        report_tasks += [(task, task_url(task)) for task in tasks_for(request.user, report)]
    changes = selectors.status_changes_of(request.user, site)
    change_tasks = [
        (task, task_url(task)) for change in changes if change.is_open for task in tasks_for(request.user, change)
    ]
    return render(
        request,
        "internships/site.html",
        {
            "title": str(site),
            "entry": site,  # «site» is the shell's own (viewflow's Site) in every page
            "programmes": list(site.application.programmes.all()),
            "reports": reports,
            "report_tasks": report_tasks,
            "history": history_rows(site),
            "can_change": keeper and site.status in IN_FORCE and not any(c.is_open for c in changes),
            "changes": changes,
            "change_tasks": change_tasks,
            "can_record": site.status in IN_FORCE
            and access.reaches(request.user, (Role.SCHOOL_HEAD,), organization=site.organization),
            "internships": selectors.internships_of(request.user, site),
            "order_url": reverse("documents:download", args=[site.order_id])
            if access.reaches_region(request.user, RANKING_ROLES, region_id=site.region_id)
            else "",
            "back_url": flow_url(_flow(), "register"),
        },
    )


def site_certificate(request, pk):
    site = selectors.site_for(request.user, pk)
    if site.certificate is None:
        raise Http404("Справка ещё не выпущена")
    return attachment(
        site.certificate.file,
        stem=f"Справка о статусе площадки № {site.certificate.number or site.pk}",
        extension="docx",
    )


def site_change(request, pk):
    """The keeper of the register proposes a change of the site's status; the minister signs the
    приказ from the inbox (SiteStatusFlow)."""
    site = selectors.site_for(request.user, pk)
    if not can_keep_register(site, request.user) or site.status not in IN_FORCE:
        raise Http404("Страница не найдена")
    back = flow_url(_flow(), "site", site.pk)

    def propose(data):
        from .flows import propose_status_change

        return propose_status_change(actor=request.user, site=site, **data)

    return action_page(
        request,
        forms.StatusChangeForm(request.POST or None, site_status=site.status),
        propose,
        success="Изменение статуса направлено министру: приказ на подписи",
        redirect_to=back,
        template=FORM_PAGE,
        title=f"Изменение статуса: {site}",
        submit_label="Направить министру",
        intro=(
            f"Статус по {site.status_to:%d.%m.%Y}. Изменение вступает в силу с подписанием приказа министром: "
            "продление — новый срок статуса; испытательный срок — площадка работает и отчитывается, замечания "
            "устраняет до указанного дня; досрочное прекращение — ожидавшиеся отчёты больше не требуются."
        ),
        back_url=back,
    )


def internship_new(request, pk):
    site = selectors.site_for(request.user, pk)
    if not access.reaches(request.user, (Role.SCHOOL_HEAD,), organization=site.organization):
        raise Http404("Страница не найдена")
    back = flow_url(_flow(), "site", site.pk)
    return action_page(
        request,
        forms.InternshipForm(request.POST or None, programmes=site.application.programmes.all()),
        lambda data: register_services.internship_record(
            actor=request.user,
            site=site,
            programme_id=int(data["programme"]),
            snils=data["snils"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            result=data["result"],
        ),
        success="Стажировка отмечена; справка о прохождении стажировки формируется",
        redirect_to=back,
        template=FORM_PAGE,
        title=f"Прохождение стажировки: {site}",
        submit_label="Отметить",
        back_url=back,
    )


# --- files of an application; conflicts of interest an expert declares -----------------------


def application_file(request, pk, file_pk):
    """A supporting file of an application, for whoever sees the application (its scope: the
    school, the ММС of its municipality, the regional bodies, an expert appointed to it): named by
    the server with the extension of the type detected on upload; a PDF or an image opens in the
    browser, anything else downloads."""
    application = selectors.application_for_reader(request.user, pk)
    record = get_object_or_404(application.files, pk=file_pk)
    extension = record.extension or record.file.name.rsplit(".", 1)[-1].lower()
    stem = f"Заявка № {application.pk} — документ {record.pk}"
    return viewable(record.file, stem=stem, extension=extension)


def conflicts(request):
    person = access.own_person(request.user)
    if person is None or not review_services.expert_pool_has(person):
        raise Http404("Страница не найдена")
    organizations = selectors.applicant_organizations(person.organization.region_id)
    form = forms.ConflictForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.conflict_declare(
                actor=request.user, organization=form.chosen_organization(), reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Конфликт интересов заявлен: заявки этой организации вам не назначаются")
            return HttpResponseRedirect(flow_url(_flow(), "conflicts"))
    return render(
        request,
        "internships/conflicts.html",
        {
            "title": "Мои конфликты интересов",
            "declarations": selectors.declarations_of(person),
            "form": form,
            "back_url": flow_url(_flow(), "index"),
        },
    )


def decline(request, pk):
    """The appointed expert declares a conflict with the applicant instead of scoring."""
    person = access.own_person(request.user)
    assignment = (
        get_object_or_404(
            ExpertAssignment.objects.select_related("application__organization", "expert"),
            pk=pk,
            expert=person,
            status=AssignmentStatus.APPOINTED,
        )
        if person is not None
        else None
    )
    if assignment is None:
        raise Http404("Страница не найдена")
    form = forms.DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.assignment_decline(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Конфликт интересов заявлен, задача снята; координатор назначит замену")
            return HttpResponseRedirect(reverse("workflow:inbox"))
    return render(
        request,
        "internships/form.html",
        {
            "title": f"Конфликт интересов: {assignment.application.organization}",
            "form": form,
            "submit_label": "Заявить и отказаться от оценки",
            "intro": "Заявка вам больше не будет доступна для оценки; координатор ЦНППМПР назначит другого эксперта.",
            "back_url": reverse("workflow:inbox"),
        },
    )
