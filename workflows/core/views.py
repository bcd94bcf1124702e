"""Pages of the «Задачи» section: inbox, queue and archive with due dates (keyset pages,
constant query count), extension of a due date, handing a task to a colleague, substitutes and
notifications. Objects outside the user's reach answer 404, like missing ones."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from viewflow.workflow.fields import get_flow_ref

from common import spreadsheets
from orgstructure import access

from . import assignment, charts, deadlines, reports, selectors
from .calendar import local_date, timezone_label
from .forms import ExtendDeadlineForm, ReassignForm, SubstitutionForm
from .models import Notification, Substitution, TaskDeadline

BOX_TITLES = {"inbox": "Входящие", "queue": "Очередь", "archive": "Архив"}


class TaskListView(TemplateView):
    """One page of a box. Queries: session, user, memberships/permissions (queue only), the
    calendar overrides, the page itself, and the two menu badges — the same for 10 tasks or
    10,000."""

    template_name = "core/task_list.html"
    box = "inbox"
    flow_classes: list = []

    def get_context_data(self, **kwargs):
        request = self.request
        user = request.user
        params = request.GET
        current_filter = params.get("filter", "")
        if current_filter not in selectors.FILTERS:
            current_filter = ""
        sort = params.get("sort", "due")
        if sort not in selectors.SORTS:
            sort = "due"
        flow = params.get("flow", "")
        cursor = params.get("after", "")
        page = selectors.task_list(
            user=user,
            box=self.box,
            flow_classes=self.flow_classes,
            status_filter=current_filter,
            flow_ref=flow,
            sort=sort,
            cursor=cursor,
        )
        can_extend = self.box == "queue" and (
            user.is_superuser
            or user.has_perm("core.extend_deadline")
            or bool(access.memberships_with_role(user, *deadlines.EXTEND_ROLES))
        )
        return {
            **super().get_context_data(**kwargs),
            "title": BOX_TITLES[self.box],
            "box": self.box,
            "page": page,
            "filters": selectors.FILTERS,
            "current_filter": current_filter,
            "sorts": [(key, label) for key, (_, label) in selectors.SORTS.items()],
            "sort": sort,
            "flow": flow,
            "flows": [(get_flow_ref(fc), fc.process_title) for fc in self.flow_classes],
            "cursor": cursor,
            "can_extend": can_extend,
            "reassignable": assignment.with_colleagues(user, page.rows) if self.box == "inbox" else set(),
        }


def _deadline_or_404(task_id) -> TaskDeadline:
    deadline = TaskDeadline.objects.filter(task_id=task_id).first()
    if deadline is None:
        raise Http404("Задача не найдена")
    return deadline


class DeadlineExtendView(View):
    template_name = "core/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        self.deadline = _deadline_or_404(kwargs["task_id"])
        if not deadlines.can_extend_deadline(request.user, self.deadline):
            raise Http404("Задача не найдена")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, error=""):
        current = (
            f"{local_date(self.deadline.due_at, self.deadline.timezone):%d.%m.%Y}"
            if self.deadline.due_at
            else "не установлен"
        )
        intro = f"Задача №{self.deadline.task_id}. Текущий срок: {current}."
        return render(
            self.request,
            self.template_name,
            {
                "title": "Продление срока",
                "intro": intro,
                "form": form,
                "error": error,
                "submit_label": "Продлить",
                "back_url": reverse("workflow:queue"),
            },
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(ExtendDeadlineForm())

    def post(self, request, *args, **kwargs):
        form = ExtendDeadlineForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            deadlines.task_deadline_extend(
                actor=request.user,
                task_id=self.deadline.task_id,
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
            )
        except deadlines.DeadlineError as exc:
            return self.render_form(form, error=str(exc))
        messages.success(request, f"Срок задачи №{self.deadline.task_id} продлён")
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("workflow:queue")
        return HttpResponseRedirect(next_url)


NOBODY_TO_HAND_TO = "В вашей организации нет других сотрудников с этой ролью — передать задачу некому."


class TaskReassignView(View):
    template_name = "core/form_page.html"

    def dispatch(self, request, *args, **kwargs):
        self.deadline = _deadline_or_404(kwargs["task_id"])
        if not assignment.can_reassign(request.user, self.deadline):
            raise Http404("Задача не найдена")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, error=""):
        nobody = not form.fields["colleague"].queryset.exists()
        return render(
            self.request,
            self.template_name,
            {
                "title": "Передать задачу коллеге",
                "intro": f"Задача №{self.deadline.task_id}. "
                "Передать можно коллеге с той же ролью в той же организации.",
                # With nobody to hand the task to there is no form to fill: only the reason and the way back.
                "form": None if nobody else form,
                "error": error or (NOBODY_TO_HAND_TO if nobody else ""),
                "submit_label": "Передать",
                "back_url": reverse("workflow:inbox"),
            },
        )

    def form(self, data=None):
        return ReassignForm(data, colleagues=assignment.colleagues(self.deadline))

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            assignment.task_reassign(
                actor=request.user,
                task_id=self.deadline.task_id,
                colleague=form.cleaned_data["colleague"],
                reason=form.cleaned_data["reason"],
            )
        except assignment.AssignmentError as exc:
            return self.render_form(form, error=str(exc))
        messages.success(request, f"Задача №{self.deadline.task_id} передана")
        return HttpResponseRedirect(reverse("workflow:inbox"))


class SubstitutionListView(View):
    """Administrators set substitutes for absent officials of the organizations they act on."""

    template_name = "core/substitutions.html"

    def dispatch(self, request, *args, **kwargs):
        if not assignment.can_manage(request.user):
            raise Http404("Страница не найдена")
        return super().dispatch(request, *args, **kwargs)

    def users(self):
        return assignment.managed_users(self.request.user).order_by("last_name", "username")

    def render_page(self, form, error=""):
        users = self.users()
        items = (
            Substitution.objects.filter(absent__in=users)
            .select_related("absent", "substitute")
            .order_by("-starts_on", "-id")[:200]
        )
        return render(
            self.request,
            self.template_name,
            {"title": "Замещения", "form": form, "error": error, "items": items, "today": timezone.localdate()},
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(SubstitutionForm(users=self.users()))

    def post(self, request, *args, **kwargs):
        if "cancel" in request.POST:
            substitution = Substitution.objects.filter(pk=request.POST.get("cancel"), absent__in=self.users()).first()
            if substitution is None:
                raise Http404("Замещение не найдено")
            try:
                assignment.substitution_cancel(actor=request.user, substitution_id=substitution.pk)
            except assignment.AssignmentError as exc:
                raise Http404("Замещение не найдено") from exc
            messages.success(request, "Замещение отменено")
            return HttpResponseRedirect(reverse("workflow:substitutions"))
        form = SubstitutionForm(request.POST, users=self.users())
        if not form.is_valid():
            return self.render_page(form)
        try:
            assignment.substitution_create(actor=request.user, **form.cleaned_data)
        except assignment.AssignmentError as exc:
            return self.render_page(form, error=str(exc))
        messages.success(request, "Замещение назначено")
        return HttpResponseRedirect(reverse("workflow:substitutions"))


class NotificationListView(TemplateView):
    template_name = "core/notifications.html"

    def get_context_data(self, **kwargs):
        items = selectors.notifications_for(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "title": "Уведомления",
            "notifications": items,
            "unread": any(item.read_at is None for item in items),
        }


class NotificationsReadView(View):
    def post(self, request, *args, **kwargs):
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("workflow:notifications"))


class OverdueReportView(TemplateView):
    """Overdue control for administrators and supervising officials, in their scope."""

    template_name = "core/overdue.html"

    def dispatch(self, request, *args, **kwargs):
        if not reports.can_view_report(request.user):
            raise Http404("Страница не найдена")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        report_filter = reports.ReportFilter.from_params(self.request.GET)
        report = reports.build_report(self.request.user, report_filter)
        base = reverse("workflow:overdue")
        municipality_bars = charts.horizontal_bars(
            [
                (row["name"], row["overdue"], f"{base}?{report_filter.query(municipality=row['id'] or '')}")
                for row in report.by_municipality[:15]
                if row["overdue"]
            ],
            empty="Просроченных шагов нет",
        )
        return {
            **super().get_context_data(**kwargs),
            "title": "Контроль сроков",
            "report": report,
            "f": report_filter,
            "states": reports.STATES,
            "municipality_chart": municipality_bars,
            "trend_chart": charts.weekly_columns(report.trend),
            "export_query": report_filter.query(),
            "drill": {
                "municipality": [
                    (row, report_filter.query(municipality=row["id"] or "")) for row in report.by_municipality
                ],
                "organization": [
                    (row, report_filter.query(organization=row["id"] or "")) for row in report.by_organization
                ],
                "process": [(row, report_filter.query(process=row["flow_class"])) for row in report.by_process],
                "step": [(row, report_filter.query(step=row["flow_task"])) for row in report.by_step],
            },
            "can_extend": self.request.user.is_superuser
            or bool(access.memberships_with_role(self.request.user, *deadlines.EXTEND_ROLES)),
            "reset_query": reports.ReportFilter(state=report_filter.state).query(),
        }


class OverdueExportView(View):
    """The current filter of the overdue report as .xlsx (common.spreadsheets), at most
    `reports.EXPORT_LIMIT` rows: a larger selection is refused, before any row is read, with a
    request to narrow the filter rather than taking a web worker's memory."""

    def get(self, request, *args, **kwargs):
        if not reports.can_view_report(request.user):
            raise Http404("Страница не найдена")
        report_filter = reports.ReportFilter.from_params(request.GET)
        limit = reports.EXPORT_LIMIT
        try:
            if reports.export_count(request.user, report_filter, cap=limit) > limit:
                raise spreadsheets.TooManyRows(limit)
            exported_at = timezone.localtime()
            return spreadsheets.xlsx_response(
                filename=f"Контроль сроков на {exported_at:%d.%m.%Y}.xlsx",
                sheet_title="Контроль сроков",
                title=f"Контроль сроков: {reports.STATES[report_filter.state]}, выгружено "
                f"{exported_at:%d.%m.%Y %H:%M} ({timezone_label(exported_at.tzinfo)})",
                header=reports.EXPORT_HEADER,
                rows=reports.export_rows(request.user, report_filter, limit=limit),
                limit=limit,
            )
        except spreadsheets.TooManyRows as refusal:
            messages.error(request, refusal.message("выберите муниципалитет, организацию, процесс или шаг"))
            query = report_filter.query()
            return HttpResponseRedirect(reverse("workflow:overdue") + (f"?{query}" if query else ""))
