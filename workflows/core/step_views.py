"""The base of every human step's page: it shows what the official decides on (the artefact's
summary, the due date) and hands the decision to the kit's `task_complete` — conditional claim,
the artefact's service, the next task — so a step view holds no rule and no status of its own.

A process's step view names its form, its texts and the summary of its artefact, and implements
`perform(form, activation)` by calling one artefact service:

    class VerifyView(StepView):
        form_class = forms.VerifyForm
        title = "Проверка документов кандидата в РМА"
        summary_template = "rma/_step_application.html"

        def perform(self, form, activation):
            return services.application_verify(actor=self.request.user, application=self.artefact)

Errors of the service (common.errors) come back as the form's errors; «already processed» as a
409 page; a task that is not the user's as 404. On success: a message and the artefact's page.
A step that cannot be done yet (the flow's `step_waits`) shows the flow's sentence above the form;
its service refuses it all the same.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.views.generic import FormView

from common.errors import ActionError, AlreadyProcessed, NotAvailable, add_to_form

from .calendar import is_overdue
from .flowkit import http as flow_http
from .flowkit.routing import step_waiting
from .flowkit.steps import task_complete
from .models import TaskDeadline

STEP_TEMPLATE = "core/step.html"


class StepView(FormView):
    """Base of the step views (see the module docstring)."""

    template_name = STEP_TEMPLATE
    title = ""
    intro = ""
    submit_label = "Выполнить"
    success_message = "Задача выполнена"
    summary_template = ""  # the artefact's part of the page, included above the form
    complete = staticmethod(task_complete)

    def dispatch(self, request, *args, **kwargs):
        self.task = request.activation.task
        self.flow = self.task.flow_task.flow_class.instance
        self.artefact = self.flow.artefact_of(self.task.process)
        if self.artefact is None:
            raise Http404("Задача не найдена")
        return super().dispatch(request, *args, **kwargs)

    def get_intro(self) -> str:
        return self.intro

    def get_step_context(self) -> dict:
        """What the artefact's summary template needs besides `artefact`."""
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = TaskDeadline.objects.filter(task_id=self.task.pk).first()
        context.update(
            title=self.title,
            intro=self.get_intro(),
            waiting=step_waiting(self.task, self.artefact),
            submit_label=self.submit_label,
            task=self.task,
            deadline=deadline,
            due_overdue=bool(deadline and deadline.due_at and is_overdue(deadline.due_at, timezone.now())),
            artefact=self.artefact,
            artefact_url=self.flow.artefact_url(self.artefact),
            summary_template=self.summary_template,
        )
        context.update(self.get_step_context())
        return context

    def perform(self, form, activation):  # pragma: no cover - abstract
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.complete(
                actor=self.request.user,
                task_id=self.task.pk,
                task=self.task,
                perform=lambda activation: self.perform(form, activation),
            )
        except AlreadyProcessed as exc:
            return flow_http.already_processed(self.request, self.task, str(exc))
        except NotAvailable as exc:
            raise Http404("Задача не найдена") from exc
        except ActionError as exc:
            add_to_form(form, exc)
            return self.form_invalid(form)
        if result is not None and getattr(result, "pk", None) == self.artefact.pk:
            self.artefact = result
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.flow.artefact_url(self.artefact)
