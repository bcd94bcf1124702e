"""The form of each human step. A step view shows what the official decides on and hands the
decision to services.task_complete — conditional claim, the artefact's service, the next task —
so a view holds no rule and no status of its own."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.generic import FormView

from workflows.core.models import TaskDeadline

from . import forms, links, selectors, services

TASK_TEMPLATE = "rma/task.html"


class RoleTaskView(FormView):
    """Base of the step views; `perform(form, activation)` calls the artefact service."""

    template_name = TASK_TEMPLATE
    title = ""
    intro = ""
    submit_label = "Выполнить"
    success_message = "Задача выполнена"
    artefact = "application"  # or "list"

    def dispatch(self, request, *args, **kwargs):
        self.task = request.activation.task
        if self.artefact == "list":
            self.rma_list = selectors.list_of_process(self.task.process)
            self.application = None
            if self.rma_list is None:
                raise Http404("Задача не найдена")
        else:
            self.application = selectors.application_of_process(self.task.process)
            self.rma_list = None
            if self.application is None:
                raise Http404("Задача не найдена")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deadline = TaskDeadline.objects.filter(task_id=self.task.pk).first()
        context.update(
            title=self.title,
            intro=self.intro,
            submit_label=self.submit_label,
            task=self.task,
            deadline=deadline,
            application=self.application,
            rma_list=self.rma_list,
        )
        if self.application is not None:
            context["files"] = self.application.files.filter(is_current=True).order_by("kind")
            context["application_url"] = links.application_url(self.application.pk)
        if self.rma_list is not None:
            context["members"] = selectors.list_members(self.rma_list)
            context["list_url"] = links.list_url(self.rma_list.pk)
        return context

    def perform(self, form, activation):  # pragma: no cover - abstract
        raise NotImplementedError

    def form_valid(self, form):
        try:
            services.task_complete(
                actor=self.request.user,
                task_id=self.task.pk,
                task=self.task,
                perform=lambda activation: self.perform(form, activation),
            )
        except services.TaskAlreadyProcessed as exc:
            return render(
                self.request,
                "core/task_done.html",
                {"title": str(exc), "message": str(exc), "task": self.task},
                status=409,
            )
        except services.TaskUnavailable as exc:
            raise Http404("Задача не найдена") from exc
        except services.RmaValidationError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        except services.RmaError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if self.application is not None:
            return links.application_url(self.application.pk)
        return links.list_url(self.rma_list.pk)


class VerifyView(RoleTaskView):
    form_class = forms.VerifyForm
    title = "Проверка документов кандидата в РМА"
    intro = "Сверьте приложенные документы со сведениями о педагоге."

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.RETURN:
            self.success_message = "Заявка возвращена на доработку"
            return services.application_return(
                actor=self.request.user,
                application=self.application,
                comment=data["comment"],
                due_date=data["due_date"],
            )
        self.success_message = "Документы подтверждены: заявка передана на оценку компетенций"
        return services.application_verify(
            actor=self.request.user, application=self.application, comment=data["comment"]
        )


class CorrectView(RoleTaskView):
    form_class = forms.CorrectForm
    title = "Доработка заявки в РМА"
    submit_label = "Отправить"

    def get_initial(self):
        return {"subjects": list(self.application.subjects.all())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = f"Замечания координатора: {self.application.return_comment}"
        return context

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.WITHDRAW:
            self.success_message = "Заявка отозвана"
            return services.application_withdraw(
                actor=self.request.user, application=self.application, reason=data["comment"]
            )
        application = services.application_resubmit(
            actor=self.request.user,
            application=self.application,
            subjects=data["subjects"] or None,
            files=form.files_by_kind(),
            comment=data["comment"],
        )
        self.success_message = (
            "Заявка отправлена повторно и прошла формальную проверку"
            if not application.refusals
            else "Заявка отправлена повторно, но не прошла формальную проверку"
        )
        return application


class AssessView(RoleTaskView):
    form_class = forms.AssessForm
    title = "Результаты оценки предметных и методических компетенций"

    def perform(self, form, activation):
        data = form.cleaned_data
        application = services.application_assess(
            actor=self.request.user,
            application=self.application,
            subject_score=data["subject_score"],
            methodical_score=data["methodical_score"],
            assessed_on=data["assessed_on"],
            reference=data["reference"],
        )
        self.success_message = (
            "Оценка пройдена: кандидат передан в ЦНППМПР" if application.status == "qualified" else "Оценка не пройдена"
        )
        return application


class IncludeView(RoleTaskView):
    form_class = forms.IncludeForm
    title = "Включение кандидата в проект списка РМА"
    submit_label = "Включить в проект списка"
    success_message = "Кандидат включён в проект списка РМА"

    def perform(self, form, activation):
        application, _, _ = services.application_include(actor=self.request.user, application=self.application)
        return application


class PrepareView(RoleTaskView):
    form_class = forms.PrepareForm
    artefact = "list"
    title = "Подготовка приказа об утверждении списка РМА"
    intro = "Проверьте состав списка и реквизиты приказа; скачайте проект и направьте на подпись."
    submit_label = "Направить на подпись"
    success_message = "Проект приказа направлен на подпись"

    def get_initial(self):
        return {"academic_year": self.rma_list.academic_year, "basis": self.rma_list.basis}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.rma_list.return_comment:
            context["intro"] = f"Замечания подписанта: {self.rma_list.return_comment}"
        context["preview_url"] = links.list_preview_url(self.rma_list.pk)
        return context

    def perform(self, form, activation):
        data = form.cleaned_data
        return services.list_send_to_signing(
            actor=self.request.user, rma_list=self.rma_list, academic_year=data["academic_year"], basis=data["basis"]
        )


class SignView(RoleTaskView):
    form_class = forms.SignForm
    artefact = "list"
    title = "Утверждение списка регионального методического актива"
    submit_label = "Подтвердить решение"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_url"] = links.list_preview_url(self.rma_list.pk)
        return context

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.RETURN:
            self.success_message = "Проект приказа возвращён на доработку"
            return services.list_return(actor=self.request.user, rma_list=self.rma_list, comment=data["comment"])
        rma_list = services.list_approve(actor=self.request.user, rma_list=self.rma_list)
        self.success_message = (
            f"Список утверждён: приказ от {rma_list.order_date:%d.%m.%Y} № {rma_list.order_number}; "
            "справки членам РМА формируются"
        )
        return rma_list


class ReviewView(RoleTaskView):
    form_class = forms.ReviewForm
    title = "Перепроверка членства в РМА"
    submit_label = "Подтвердить решение"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = "Основания перепроверки: " + "; ".join(item["message"] for item in self.application.refusals)
        return context

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.EXCLUDE:
            self.success_message = "Педагог исключён из РМА"
            return services.membership_exclude(
                actor=self.request.user, application=self.application, reason=data["reason"]
            )
        self.success_message = "Членство в РМА подтверждено"
        return services.membership_confirm(
            actor=self.request.user, application=self.application, comment=data["reason"]
        )
