"""Pages of the РМА process that stock viewflow does not give: the list of applications, the
submission form, the application page (status, reasons, files, documents, full history), the
coordinator's override, the register «Список РМА» with its .xlsx export, and the batch lists.
Every object comes through a scoped selector: outside the user's scope it answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from common import spreadsheets
from common.errors import ActionError, add_to_form
from common.http import content_disposition, viewable
from orgstructure import access
from orgstructure.models import Municipality, Sex, Subject
from workflows.core.flowkit import open_tasks_of
from workflows.core.state import history_rows

from . import flows, forms, links, permissions, rules, selectors, services
from .models import MEMBER_STATUSES, ListStatus, RmaList, Status

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ApplicationListView(TemplateView):
    template_name = "rma/application_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        status = self.request.GET.get("status", "")
        if status not in Status.values:
            status = ""
        return {
            **super().get_context_data(**kwargs),
            "title": "Заявки в региональный методический актив",
            "applications": selectors.application_list(user=user, status=status),
            "statuses": Status.choices,
            "status": status,
            "can_submit": selectors.persons_for_submission(user=user).exists(),
            "submit_url": links.submit_url(),
            "register_url": links.register_url(),
            "lists_url": links.lists_url(),
            "assessments_url": links.assessments_url() if selectors.issues_assessment_protocols(user) else "",
        }


class SubmitView(FormView):
    template_name = "rma/submit.html"
    form_class = forms.SubmitForm

    def dispatch(self, request, *args, **kwargs):
        self.persons = selectors.persons_for_submission(user=request.user)
        if not self.persons.exists():
            raise Http404("Подача заявок вам недоступна")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        persons = self.persons
        self.query = (self.request.GET.get("q") or "").strip()[:100]
        if self.query:  # SQLite folds only ASCII case: match «Ларионова» for «ларио» too
            capitalized = self.query[:1].upper() + self.query[1:].lower()
            persons = persons.filter(Q(last_name__istartswith=self.query) | Q(last_name__startswith=capitalized))
        return {**super().get_form_kwargs(), "persons": persons}

    def form_invalid(self, form):
        if self.request.FILES:
            form.files_lost = True  # a browser cannot refill a file field: say so
        return super().form_invalid(form)

    def get_initial(self):
        own = access.own_person(self.request.user)
        if own is not None and self.persons.filter(pk=own.pk).exists():
            return {"person": own, "subjects": list(own.subjects.all())}
        return {}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": "Заявка в региональный методический актив",
            "back_url": links.application_list_url(),
            "query": getattr(self, "query", ""),
            "many_persons": self.persons.count() > 1,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            application = flows.application_start(
                actor=self.request.user, person=data["person"], subjects=data["subjects"], files=form.files_by_kind()
            )
        except ActionError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)
        if application.status == Status.REJECTED:
            messages.warning(self.request, "Заявка не прошла формальную проверку: причины указаны в заявке")
        else:
            messages.success(self.request, "Заявка принята и передана муниципальному координатору РМА")
        return HttpResponseRedirect(links.application_url(application.pk))


class ApplicationDetailView(TemplateView):
    """Everything about one application, with its full audit history."""

    template_name = "rma/application_detail.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        application = selectors.application_get(user=user, pk=pk)
        tasks = [
            {"task": task, "url": links.task_url(task), "can_do": task.flow_task.can_execute(user, task)}
            for task in open_tasks_of(application)
        ]
        return {
            **super().get_context_data(**kwargs),
            "title": f"Заявка в РМА № {application.pk}",
            "application": application,
            "refusals": application.refusal_list,
            "files": application.files.filter(is_current=True).order_by("kind"),
            "old_files": application.files.filter(is_current=False).order_by("kind", "-uploaded_at"),
            "documents": selectors.application_documents(user=user, application=application),
            "history": history_rows(application),
            "tasks": tasks,
            "can_override": application.status == Status.REJECTED and permissions.can_override(application, user),
            "can_request_statement": permissions.can_request_criteria_statement(application, user)
            and not services.criteria_statement_refusal(application),
            "criteria_statement_url": links.criteria_statement_url(application.pk),
            "override_url": links.override_url(application.pk),
            "back_url": links.application_list_url(),
            "list_url": links.list_url(application.rma_list_id) if application.rma_list_id else "",
            "is_member": application.status in MEMBER_STATUSES,
            "pass_mark_notice": _pass_mark_notice(application),
        }


def _pass_mark_notice(application) -> str:
    """While the application waits for its assessment in a region that has set no pass mark."""
    if application.status != Status.DOCUMENTS_VERIFIED:
        return ""
    marks = services.region_settings_of(application).pass_marks
    if not marks.missing:
        return ""
    return rules.pass_marks_missing_message(marks, application.person.organization.region.name)


class FileDownloadView(View):
    def get(self, request, pk, file_pk):
        """Named «Диплом — Голубев М.Ю.pdf»: a name the server makes and the extension of the type
        detected on upload (the uploader's own file name is never sent back). A PDF or an image opens
        in the browser, so the official checks it without saving it; a .docx downloads."""
        record = selectors.application_file_get(user=request.user, application_id=pk, pk=file_pk)
        person = record.application.person
        initials = "".join(f"{part[0]}." for part in (person.first_name, person.middle_name) if part)
        stem = f"{record.get_kind_display()} — {person.last_name} {initials}".strip()
        return viewable(record.file, stem=stem, extension=record.extension)


class CriteriaStatementView(View):
    """«Справка о соответствии критериям» from the application page (POST only): the applicant,
    the school head or the municipal coordinator asks, the ЦНППМПР's worker issues it; anyone
    else gets 404 like a missing application."""

    def post(self, request, pk):
        application = selectors.application_get(user=request.user, pk=pk)
        if not permissions.can_request_criteria_statement(application, request.user):
            raise Http404("Заявка не найдена")
        try:
            _, document = services.criteria_statement_request(actor=request.user, application=application)
        except ActionError as exc:
            messages.error(request, str(exc))
        else:
            if document is not None:
                messages.info(request, f"Справка уже выпущена: № {document.number} от {document.issued_on:%d.%m.%Y}")
            else:
                messages.success(
                    request, "Справка о соответствии критериям запрошена: она появится в «Выданных документах» заявки"
                )
        return HttpResponseRedirect(links.application_url(application.pk))


class OverrideView(FormView):
    template_name = "core/form_page.html"
    form_class = forms.OverrideForm

    def dispatch(self, request, pk, *args, **kwargs):
        self.application = selectors.application_get(user=request.user, pk=pk)
        if not permissions.can_override(self.application, request.user):
            raise Http404("Заявка не найдена")
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        reasons = "; ".join(item["message"] for item in self.application.refusals)
        return {
            **super().get_context_data(**kwargs),
            "title": f"Допуск вопреки формальным критериям: заявка № {self.application.pk}",
            "intro": f"{self.application.person.full_name}. Причины отказа: {reasons}.",
            "submit_label": "Допустить к проверке документов",
            "back_url": links.application_url(self.application.pk),
        }

    def form_valid(self, form):
        try:
            flows.application_override_start(
                actor=self.request.user, application=self.application, reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Кандидат допущен к проверке документов; основание записано в заявку")
        return HttpResponseRedirect(links.application_url(self.application.pk))


# --- the register «Список РМА» -------------------------------------------------------------------


def _register_filters(request, user):
    municipality_id = _int_or_none(request.GET.get("municipality"))
    subject_id = _int_or_none(request.GET.get("subject"))
    municipalities = access.scope_queryset(user, Municipality.objects.all()).order_by("name")
    return municipality_id, subject_id, municipalities


class RegisterView(TemplateView):
    """«Список РМА»: current members in the user's scope, filterable, keyset pages."""

    template_name = "rma/register.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        municipality_id, subject_id, municipalities = _register_filters(self.request, user)
        cursor = self.request.GET.get("after", "")
        page = selectors.register_page(user=user, municipality_id=municipality_id, subject_id=subject_id, cursor=cursor)
        query = f"municipality={municipality_id or ''}&subject={subject_id or ''}"
        return {
            **super().get_context_data(**kwargs),
            "title": "Список РМА",
            "page": page,
            "rows": [_register_row(application) for application in page.rows],
            "municipalities": municipalities,
            "subjects": Subject.objects.order_by("name"),
            "municipality_id": municipality_id,
            "subject_id": subject_id,
            "query": query,
            "cursor": cursor,
            "export_url": f"{links.register_export_url()}?{query}",
        }


def _register_row(application) -> dict:
    person = application.person
    organization = person.organization
    rma_list = application.rma_list
    return {
        "application": application,
        "url": links.application_url(application.pk),
        "name": person.full_name,
        "position": person.position,
        "organization": organization.short_name or organization.name,
        "municipality": organization.municipality.name if organization.municipality else "—",
        "subjects": ", ".join(sorted(subject.name for subject in application.subjects.all())),
        "order_date": rma_list.order_date if rma_list else None,
        "order_number": rma_list.order_number if rma_list else "",
        "under_review": application.status == Status.UNDER_REVIEW,
        "override_reason": application.override_reason,
    }


EXPORT_LIMIT = spreadsheets.ROW_LIMIT
REGISTER_COLUMNS = (
    "ФИО",
    "Должность",
    "Образовательная организация",
    "Муниципальное образование",
    "Предмет (направление)",
    "Дата приказа",
    "Номер приказа",
    "Отметки",
)


class RegisterExportView(View):
    """The same rows as the register page (same scope and filters), every page, as .xlsx — at
    most EXPORT_LIMIT rows; a larger selection is refused with a request to narrow it."""

    def get(self, request):
        user = request.user
        municipality_id, subject_id, _ = _register_filters(request, user)
        queryset = selectors.register_queryset(user=user, municipality_id=municipality_id, subject_id=subject_id)
        try:
            if spreadsheets.more_than(queryset, EXPORT_LIMIT):
                raise spreadsheets.TooManyRows(EXPORT_LIMIT)
            return spreadsheets.xlsx_response(
                filename=f"Список РМА на {timezone.localdate():%d.%m.%Y}.xlsx",
                sheet_title="Список РМА",
                header=REGISTER_COLUMNS,
                rows=(_register_export_row(application) for application in queryset.iterator(chunk_size=500)),
                limit=EXPORT_LIMIT,
            )
        except spreadsheets.TooManyRows as refusal:
            messages.error(request, refusal.message("выберите муниципалитет или предмет"))
            query = f"municipality={municipality_id or ''}&subject={subject_id or ''}"
            return HttpResponseRedirect(f"{links.register_url()}?{query}")


def _register_export_row(application) -> list:
    row = _register_row(application)
    marks = []
    if row["under_review"]:
        marks.append("членство на перепроверке")
    if row["override_reason"]:
        marks.append(f"допущен вопреки критериям: {row['override_reason']}")
    return [
        row["name"],
        row["position"],
        row["organization"],
        row["municipality"],
        row["subjects"],
        row["order_date"],
        row["order_number"],
        "; ".join(marks),
    ]


# --- the batch lists ----------------------------------------------------------------------------------


class ListListView(TemplateView):
    template_name = "rma/list_list.html"

    def get_context_data(self, **kwargs):
        lists = access.scope_queryset(self.request.user, RmaList.objects.select_related("region")).order_by(
            "-created_at", "-id"
        )[:100]
        return {
            **super().get_context_data(**kwargs),
            "title": "Списки РМА (пакеты)",
            "lists": [{"list": item, "url": links.list_url(item.pk)} for item in lists],
        }


class ListDetailView(TemplateView):
    template_name = "rma/list_detail.html"

    def get_context_data(self, pk, **kwargs):
        rma_list = selectors.list_get(user=self.request.user, pk=pk)
        user = self.request.user
        removable = rma_list.status != ListStatus.APPROVED
        members = [
            {
                "application": application,
                "url": links.application_url(application.pk),
                "remove_url": links.list_remove_url(rma_list.pk, application.pk)
                if removable
                and application.status == Status.IN_DRAFT_LIST
                and permissions.can_remove_from_list(application, user)
                else "",
            }
            for application in selectors.list_members(rma_list)
        ]
        return {
            **super().get_context_data(**kwargs),
            "title": str(rma_list),
            "rma_list": rma_list,
            "members": members,
            "held_back": services.list_held_back(rma_list=rma_list) if removable else [],
            "history": history_rows(rma_list),
            "preview_url": links.list_preview_url(rma_list.pk) if rma_list.status != ListStatus.APPROVED else "",
            "order_url": reverse("documents:download", args=[rma_list.order_id]) if rma_list.order_id else "",
        }


class ListRemoveView(FormView):
    """The ministry takes a candidate off a draft list before the приказ is signed, with a reason."""

    template_name = "core/form_page.html"
    form_class = forms.RemoveFromListForm

    def dispatch(self, request, pk, application_pk, *args, **kwargs):
        self.rma_list = selectors.list_get(user=request.user, pk=pk)
        self.application = selectors.application_get(user=request.user, pk=application_pk)
        if self.application.rma_list_id != self.rma_list.pk or not permissions.can_remove_from_list(
            self.application, request.user
        ):
            raise Http404("Заявка не найдена")
        return super().dispatch(request, pk, application_pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": f"Исключение из проекта списка: {self.application.person.full_name}",
            "intro": f"Заявка № {self.application.pk}; {self.rma_list}. Кандидат не войдёт в приказ.",
            "submit_label": "Исключить из проекта списка",
            "back_url": links.list_url(self.rma_list.pk),
        }

    def form_valid(self, form):
        try:
            services.list_remove_candidate(
                actor=self.request.user, application=self.application, reason=form.cleaned_data["reason"]
            )
        except ActionError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)
        person = self.application.person
        removed = "исключена" if person.sex == Sex.FEMALE else "исключён"
        messages.success(self.request, f"{person.full_name} {removed} из проекта списка")
        return HttpResponseRedirect(links.list_url(self.rma_list.pk))


class ListPreviewView(View):
    """The draft приказ (.docx, «____» for the number): nothing is numbered or stored."""

    def get(self, request, pk):
        rma_list = selectors.list_get(user=request.user, pk=pk)
        try:
            data = services.list_preview(rma_list=rma_list)
        except ActionError as exc:
            return render(
                request,
                "core/task_done.html",
                {"title": "Проект приказа не сформирован", "message": str(exc)},
                status=409,
            )
        response = HttpResponse(data, content_type=DOCX_MIME)
        response["Content-Disposition"] = content_disposition(f"Проект приказа — список РМА № {rma_list.pk}.docx")
        response["Cache-Control"] = "private, no-store"
        return response


# --- the ведомости результатов оценки (ЦОПМКП) -------------------------------------------------------


class AssessmentProtocolsView(TemplateView):
    """«Ведомости оценки»: for ЦОПМКП, the region's assessment dates with their counts, a button to
    issue the ведомость of a date (or a period), and the ведомости issued. Anyone else: 404."""

    template_name = "rma/assessments.html"

    def dispatch(self, request, *args, **kwargs):
        self.regions = list(selectors.assessment_regions(user=request.user))
        if not self.regions:
            raise Http404("Страница не найдена")
        wanted = _int_or_none(request.POST.get("region") or request.GET.get("region"))
        self.region = next((region for region in self.regions if region.pk == wanted), self.regions[0])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or forms.AssessmentProtocolForm(initial={"region": self.region.pk})
        return {
            **super().get_context_data(**kwargs),
            "title": "Ведомости результатов оценки кандидатов в РМА",
            "region": self.region,
            "regions": self.regions if len(self.regions) > 1 else [],
            "days": selectors.assessment_days(region_id=self.region.pk),
            "protocols": selectors.assessment_protocols(user=self.request.user, region_id=self.region.pk),
            "can_issue": permissions.can_issue_assessment_protocol(self.region.pk, self.request.user),
            "form": form,
        }

    def post(self, request, *args, **kwargs):
        form = forms.AssessmentProtocolForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.assessment_protocol_issue(
                    actor=request.user, region=self.region, date_from=data["date_from"], date_to=data["date_to"]
                )
            except ActionError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, f"{services.protocol_reference(document)}: {document.title}")
                return HttpResponseRedirect(f"{links.assessments_url()}?region={self.region.pk}")
        return self.render_to_response(self.get_context_data(form=form))
