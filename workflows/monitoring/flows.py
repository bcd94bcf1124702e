"""A school's submission to a monitoring campaign: start (the campaign opens, in bulk through
workflows.core.fanout) → fill (the school head, by the profile's «monitoring.collection»
deadline) → end. The methodist's review comes next (issue 12, step 4)."""

from __future__ import annotations

from django import forms
from viewflow import this
from viewflow.workflow import flow

from orgstructure.models import Role
from workflows.core.deadlines import Due
from workflows.core.flowkit import ArtefactFlow, RoleTask, Route
from workflows.core.step_views import StepView

from . import rules, services
from .models import Submission, SubmissionProcess, SubmissionStatus, ValueKind

COLLECTION = Due(rule="monitoring.collection", role=Role.SCHOOL_HEAD, fallback_working_days=10)
# A returned form: the profile's working days to resubmit (5 where the profile says nothing).
RESUBMISSION = Due(rule="monitoring.resubmission", role=Role.SCHOOL_HEAD, fallback_working_days=5)
REVIEW = Due(rule="monitoring.review", role=Role.MMS_METHODIST, fallback_working_days=5)


def submission_form_class(indicators, computed=None):
    """The school form built from the campaign's indicator set — no code per indicator. A value
    the system computed is marked «вычислено» and has a reason field for a correction."""
    computed = computed or {}
    fields = {}
    for indicator in indicators:
        name, label = f"v_{indicator.code}", f"{indicator.code}. {indicator.title}"
        help_text = ""
        if indicator.code in computed:
            label += " (вычислено)"
            help_text = (f"Вычислено системой: {rules.shown(indicator, computed[indicator.code])}. "
                         "Если значение неверно, исправьте его и укажите причину ниже.")
        if indicator.kind == ValueKind.SHARE:
            fields[f"{name}__numerator"] = forms.DecimalField(label=f"{label}: числитель", required=False,
                                                              min_value=0, help_text=help_text)
            fields[f"{name}__denominator"] = forms.DecimalField(label=f"{indicator.code}: знаменатель", required=False,
                                                                min_value=0)
        elif indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
            suffix = ", %" if indicator.kind == ValueKind.PERCENT else ""
            fields[name] = forms.DecimalField(label=label + suffix, required=False, min_value=0, help_text=help_text)
        elif indicator.kind == ValueKind.YES_NO:
            fields[name] = forms.TypedChoiceField(
                label=label, required=False, choices=[("", "—"), ("1", "Да"), ("0", "Нет")],
                coerce=lambda v: v == "1", empty_value=None, help_text=help_text,
            )
        elif indicator.kind == ValueKind.FILE:
            fields[name] = forms.FileField(label=label, required=False,
                                           help_text="PDF, DOCX, JPEG или PNG; новый файл заменяет приложенный")
        else:
            fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        if indicator.code in computed:
            fields[f"r_{indicator.code}"] = forms.CharField(
                label=f"{indicator.code}: причина изменения вычисленного значения", required=False, max_length=500)
    return type("SubmissionForm", (forms.Form,), fields)


def form_values(indicators, cleaned) -> dict:
    values = {}
    for indicator in indicators:
        name = f"v_{indicator.code}"
        if indicator.kind == ValueKind.SHARE:
            pair = {part: cleaned.get(f"{name}__{part}") for part in ("numerator", "denominator")}
            values[indicator.code] = {k: (str(v) if v is not None else None) for k, v in pair.items()}
        elif indicator.kind in (ValueKind.NUMBER, ValueKind.PERCENT):
            value = cleaned.get(name)
            values[indicator.code] = str(value) if value is not None else None
        elif indicator.kind == ValueKind.FILE:
            continue  # files come apart (form_files); the one given earlier stays
        else:
            values[indicator.code] = cleaned.get(name)
    return values


def form_files(indicators, cleaned) -> dict:
    return {i.code: cleaned.get(f"v_{i.code}") for i in indicators
            if i.kind == ValueKind.FILE and cleaned.get(f"v_{i.code}")}


def form_corrections(indicators, cleaned) -> dict:
    return {i.code: cleaned.get(f"r_{i.code}", "") for i in indicators if f"r_{i.code}" in cleaned}


class FillView(StepView):
    title = "Данные мониторинга школы"
    submit_label = "Представить данные"
    success_message = "Данные мониторинга представлены"

    def indicators(self):
        if not hasattr(self, "_indicators"):
            self._indicators = list(self.artefact.campaign.indicators.all())
        return self._indicators

    def get_form_class(self):
        return submission_form_class(self.indicators(), self.artefact.computed)

    def get_intro(self):
        intro = f"{self.artefact.campaign}. {self.artefact.organization.name}."
        reason = services.return_reason(self.artefact)
        if reason:
            intro += f" Возвращено на доработку: «{reason}»."
        closed = services.input_window_error(self.artefact)
        return f"{intro} {closed}." if closed else intro

    summary_template = "monitoring/_fill_summary.html"

    def get_step_context(self):
        values = self.artefact.values
        return {
            "draft_label": "Сохранить черновик",
            "jump_warnings": services.jump_warnings(self.artefact, values, self.indicators()) if values else [],
            "evidence": list(self.artefact.files.all()),
        }

    def get_initial(self):
        initial = {}
        for indicator in self.indicators():
            value = self.artefact.values.get(indicator.code)
            name = f"v_{indicator.code}"
            if indicator.kind == ValueKind.SHARE and isinstance(value, dict):
                initial[f"{name}__numerator"] = value.get("numerator")
                initial[f"{name}__denominator"] = value.get("denominator")
            elif indicator.kind == ValueKind.YES_NO and value is not None:
                initial[name] = "1" if value else "0"
            elif indicator.kind == ValueKind.FILE:
                continue
            elif value is not None:
                initial[name] = value
        for code, reason in self.artefact.corrections.items():
            initial[f"r_{code}"] = reason
        return initial

    def form_valid(self, form):
        if "save_draft" not in self.request.POST:
            return super().form_valid(form)
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        from common.errors import ActionError, add_to_form

        try:
            self.artefact = services.submission_save_draft(
                actor=self.request.user, submission=self.artefact,
                values=form_values(self.indicators(), form.cleaned_data),
                files=form_files(self.indicators(), form.cleaned_data),
                corrections=form_corrections(self.indicators(), form.cleaned_data),
            )
        except ActionError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Черновик сохранён")
        return HttpResponseRedirect(self.request.get_full_path())

    def perform(self, form, activation):
        cleaned, indicators = form.cleaned_data, self.indicators()
        return services.submission_submit(
            actor=self.request.user, submission=self.artefact, values=form_values(indicators, cleaned),
            files=form_files(indicators, cleaned), corrections=form_corrections(indicators, cleaned),
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="Решение", choices=[("accept", "Принять"), ("return", "Вернуть на доработку")],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label="Что исправить (видит школа)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReviewView(StepView):
    form_class = ReviewForm
    title = "Проверка данных мониторинга школы"
    submit_label = "Сохранить решение"
    success_message = "Решение сохранено"
    summary_template = "monitoring/_review_summary.html"

    def get_step_context(self):
        indicators = list(self.artefact.campaign.indicators.all())
        submission = self.artefact
        return {"rows": [
            {"indicator": i, "value": rules.shown(i, submission.values.get(i.code)),
             "computed": rules.shown(i, submission.computed[i.code]) if i.code in submission.computed else "",
             "reason": submission.corrections.get(i.code, "")}
            for i in indicators
        ], "jump_warnings": submission.warnings, "evidence": list(submission.files.all())}

    def get_intro(self):
        intro = f"{self.artefact.campaign}. {self.artefact.organization.name}."
        changed = services.changed_since_return(self.artefact)
        if changed is not None:
            intro += " Повторное представление; изменено: " + (", ".join(changed) if changed else "ничего") + "."
        return intro

    def perform(self, form, activation):
        return services.submission_review(
            actor=self.request.user, submission=self.artefact,
            accept=form.cleaned_data["decision"] == "accept", reason=form.cleaned_data["reason"],
        )


class MonitoringFlow(ArtefactFlow, flow.Flow):
    process_class = SubmissionProcess
    process_title = "Данные мониторинга школы"
    # ≈ 1,100 schools at one deadline: reminders and escalations come as one digest per official
    # per day (workflows.core.notifications.compose_digests), never one letter per school.
    notification_digest = True
    artefact_model = Submission
    artefact_related = ("organization__region", "campaign")
    deadlines = {"fill": COLLECTION, "revise": RESUBMISSION, "review": REVIEW}

    start = flow.StartHandle(this.start_submission).Next(this.fill)
    fill = (
        RoleTask(FillView.as_view())
        .Annotation(title="Заполнение данных мониторинга")
        .Permission("monitoring.fill_submission")
        .Assign(this.sole_holder)
        .Next(this.review)
    )
    review = (
        RoleTask(ReviewView.as_view())
        .Annotation(title="Проверка данных школы")
        .Permission("monitoring.review_submission")
        .Assign(this.sole_holder)
        .Next(this.after_review)
    )
    after_review = Route(this.is_accepted).Annotation(title="Принято?").Then(this.end).Else(this.revise)
    revise = (
        RoleTask(FillView.as_view())
        .Annotation(title="Доработка данных мониторинга")
        .Permission("monitoring.fill_submission")
        .Assign(this.sole_holder)
        .Next(this.review)
    )
    end = flow.End()

    def is_accepted(self, activation):
        return self.artefact_status(activation) == SubmissionStatus.ACCEPTED

    def start_submission(self, activation, *, submission):
        activation.process.artifact = submission
        return submission

    def artefact_organization(self, submission):
        return submission.organization

    def artefact_subject(self, submission):
        return str(submission)

    def artefact_url(self, submission) -> str:
        return self.reverse("submission", args=[submission.pk])



def submission_submit_step(*, actor, submission, values: dict, corrections=None):
    """Submit a school's values as its head's step does (the API's entry point): the open fill or
    revise task is completed through the kit (conditional claim, the service, the next task in
    one transaction), so a double submit makes one submission and the second is told «Данные уже
    представлены»."""
    from django.contrib.contenttypes.models import ContentType
    from viewflow.workflow.models import Task

    from common.errors import ActionRefused
    from workflows.core.flowkit import TaskAlreadyProcessed, task_complete
    from workflows.core.flowkit.steps import OPEN

    task = (
        Task.objects.select_related("process")
        .filter(process__artifact_content_type=ContentType.objects.get_for_model(Submission),
                process__artifact_object_id=submission.pk, status__in=OPEN,
                flow_task__in=[MonitoringFlow.fill, MonitoringFlow.revise])
        .order_by("-created")
        .first()
    )
    if task is None:
        raise ActionRefused("Данные уже представлены")
    try:
        return task_complete(
            actor=actor, task_id=task.pk, task=task,
            perform=lambda activation: services.submission_submit(
                actor=actor, submission=submission, values=values, corrections=corrections),
        )
    except TaskAlreadyProcessed:
        raise ActionRefused("Данные уже представлены") from None
