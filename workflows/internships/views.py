from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from common.errors import ActionError, add_to_form
from common.plural import quantity
from orgstructure import access
from orgstructure.models import Role
from workflows.core.flowkit import flow_url, open_tasks_of, task_url
from workflows.core.state import history_rows

from . import forms, review_services, rules, selectors, services
from .models import ApplicationStatus, CallStatus, ExpertAssignment, can_run_review

EXPERTS = ("эксперт", "эксперта", "экспертов")

REVIEW_CANDIDATES = 20
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
    return render(
        request,
        "internships/call.html",
        {
            "title": call.title,
            "call": call,
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
    tasks = [task for task in open_tasks_of(application) if task.owner_id in (None, request.user.pk)]
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
    if request.method == "POST" and form.is_valid():
        try:
            review_services.experts_appoint(
                actor=request.user, application=application, experts=form.chosen(), start_task=_start_expert_task
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Эксперты назначены, им направлены задачи")
            return HttpResponseRedirect(flow_url(_flow(), "application", application.pk))
    return render(
        request,
        "internships/form.html",
        {
            "title": f"Назначение экспертов: {application}",
            "form": form,
            "submit_label": "Назначить",
            "intro": (
                f"Нужно {quantity(application.call.experts_per_application, EXPERTS)}. "
                "Предложены эксперты с наименьшей нагрузкой; эксперты с конфликтом интересов "
                "(работа в организации-заявителе"
                f"{' или в её муниципалитете' if application.call.municipality_conflict else ''}, иные связи) "
                "исключены."
            ),
            "back_url": flow_url(_flow(), "application", application.pk),
        },
    )


def replace(request, pk, assignment_pk):
    application = _review_application(request, pk)
    assignment = get_object_or_404(ExpertAssignment, pk=assignment_pk, application=application)
    candidates = review_services.proposal(application, count=REVIEW_CANDIDATES)
    form = forms.ReplaceForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.expert_replace(
                actor=request.user,
                assignment=assignment,
                new_expert=form.candidates[form.cleaned_data["expert"]],
                reason=form.cleaned_data["reason"],
                start_task=_start_expert_task,
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Эксперт заменён")
            return HttpResponseRedirect(flow_url(_flow(), "application", application.pk))
    return render(
        request,
        "internships/form.html",
        {
            "title": f"Замена эксперта {assignment.expert.full_name}",
            "form": form,
            "submit_label": "Заменить",
            "back_url": flow_url(_flow(), "application", application.pk),
        },
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
