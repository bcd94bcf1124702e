"""One measure of the plan (issue 12 §8, «до 31 декабря», 001:L89-187) as a task in its owner's
inbox: start (the official adds the measure) → do (the owner, by the measure's own due date;
reminders, overdue and escalation from the kit's deadline machinery, rule monitoring.measures) →
end. The pages of the analysis and of the management loop hang off this flow's section."""

from __future__ import annotations

from django import forms
from viewflow import this
from viewflow.workflow import flow

from workflows.core.deadlines import Due
from workflows.core.flowkit import ArtefactFlow, RoleTask, assignee, set_task_due_date
from workflows.core.step_views import StepView

from .analysis_models import Measure, MeasureProcess

# The measure's own date replaces the rule's on creation; the rule gives reminders and escalation.
MEASURE_DUE = Due(rule="monitoring.measures", fallback_working_days=20, reminder_days=5, escalation_after_days=3)


class MeasureDoneForm(forms.Form):
    result = forms.CharField(label="Результат (что сделано)", widget=forms.Textarea(attrs={"rows": 4}))


class MeasureView(StepView):
    form_class = MeasureDoneForm
    title = "Выполнение меры по результатам мониторинга"
    submit_label = "Мера выполнена"
    success_message = "Результат меры записан"

    def get_intro(self):
        measure = self.artefact
        return (f"{measure.campaign}. Мера: «{measure.title}» (показатель {measure.indicator_code}), "
                f"срок {measure.due:%d.%m.%Y}.")

    def perform(self, form, activation):
        from .measures_services import measure_complete

        return measure_complete(actor=self.request.user, measure=self.artefact, result=form.cleaned_data["result"])


class MeasureFlow(ArtefactFlow, flow.Flow):
    process_class = MeasureProcess
    process_title = "Мониторинг: анализ и меры"
    artefact_model = Measure
    artefact_related = ("owner_organization__region", "campaign")
    deadlines = {"do": MEASURE_DUE}

    start = flow.StartHandle(this.start_measure).Next(this.do)
    do = (
        RoleTask(MeasureView.as_view())
        .Annotation(title="Выполнение меры по результатам мониторинга")
        .Permission("monitoring.do_measure")
        .Assign(this.owner)
        .onCreate(this.measure_due_date)
        .Next(this.end)
    )
    end = flow.End()

    def start_measure(self, activation, *, measure):
        activation.process.artifact = measure
        return measure

    def owner(self, activation):
        return assignee(self.artefact_of(activation.process).owner_id)

    def measure_due_date(self, activation):
        set_task_due_date(activation.task, self.artefact_of(activation.process).due)

    def artefact_organization(self, measure):
        return measure.owner_organization

    def artefact_subject(self, measure):
        return f"Мера: {measure.title}"

    def artefact_url(self, measure):
        from workflows.core.flowkit import flow_url

        return flow_url(MeasureFlow, "management", measure.campaign_id)
