"""The form of each human step of the РМА flows, on the kit's StepView (workflows/core/step_views.py):
it shows what the official decides on and hands the decision to one artefact service, so a view
holds no rule and no status of its own."""

from __future__ import annotations

from django.utils.functional import cached_property

from documents.kinds import get_spec
from workflows.core.audit import record_event
from workflows.core.step_views import StepView

from . import forms, rules, selectors, services
from .models import RmaEvent, Status


class ApplicationStep(StepView):
    """A step about one application: its summary and current files above the form."""

    summary_template = "rma/_step_application.html"

    @property
    def application(self):
        return self.artefact

    def get_step_context(self):
        return {"files": self.application.files.filter(is_current=True).order_by("kind")}


class ListStep(StepView):
    """A step about one draft list: its members and the draft приказ above the form."""

    summary_template = "rma/_step_list.html"

    @property
    def rma_list(self):
        return self.artefact

    @cached_property
    def held_back(self):
        """Who would be held back if signed today, and why (shown before signing)."""
        return services.list_held_back(rma_list=self.rma_list)

    def get_step_context(self):
        return {
            "members": selectors.list_members(self.rma_list),
            "held_back": self.held_back,
            "preview_url": self.flow.reverse("preview", args=[self.rma_list.pk]),
            "list_url": self.flow.reverse("list", args=[self.rma_list.pk]),
        }


class VerifyView(ApplicationStep):
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


class CorrectView(ApplicationStep):
    form_class = forms.CorrectForm
    title = "Доработка заявки в РМА"
    submit_label = "Отправить"

    def get_initial(self):
        return {"subjects": list(self.application.subjects.all())}

    def get_intro(self):
        return f"Замечания координатора: {self.application.return_comment}"

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


class AssessView(ApplicationStep):
    form_class = forms.AssessForm
    title = "Результаты оценки предметных и методических компетенций"

    def get_intro(self):
        marks = services.region_settings_of(self.application).pass_marks
        if marks.missing:
            return rules.pass_marks_missing_message(marks, self.application.person.organization.region.name)
        return (
            f"Проходной балл региона: предметные компетенции — {rules.percent(marks.subject)}, "
            f"методические — {rules.percent(marks.methodical)} (включительно)."
        )

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


class TrainingView(ApplicationStep):
    form_class = forms.TrainingForm
    title = "Удостоверение о повышении квалификации в области методической поддержки"
    intro = (
        "Оценка компетенций пройдена. В регионе в РМА включаются педагоги, прошедшие повышение "
        "квалификации в области методической поддержки: загрузите удостоверение (PDF или скан)."
    )
    submit_label = "Загрузить и продолжить"
    success_message = "Удостоверение загружено: кандидат передан в ЦНППМПР для включения в список"

    def perform(self, form, activation):
        return services.application_training_upload(
            actor=self.request.user,
            application=self.application,
            certificate=form.cleaned_data["methodical_training"],
        )


class IncludeView(ApplicationStep):
    form_class = forms.IncludeForm
    title = "Включение кандидата в проект списка РМА"
    submit_label = "Включить в проект списка"
    success_message = "Кандидат включён в проект списка РМА"

    def perform(self, form, activation):
        application, _, _ = services.application_include(actor=self.request.user, application=self.application)
        return application


class ReissueView(ApplicationStep):
    form_class = forms.ReissueForm
    title = "Справка по заявке в РМА не выпущена"
    submit_label = "Подтвердить решение"

    def get_intro(self):
        data = self.task.process.data or {}
        label = get_spec(data.get("kind", "")).label if data.get("kind") else "справка"
        return f"«{label}» не выпущена после всех попыток: {data.get('reason', 'причина не указана')}"

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.CLOSE:
            self.success_message = "Задача закрыта: справка выдана иначе"
            record_event(
                actor=self.request.user,
                obj=self.application,
                event=RmaEvent.DOCUMENT_REQUEUED,
                comment=f"Выдана иначе: {data['comment'].strip()}",
                data={"kind": (self.task.process.data or {}).get("kind", "")},
            )
            return self.application
        self.success_message = "Справка поставлена на повторный выпуск"
        process_data = self.task.process.data or {}
        return services.document_requeue(
            actor=self.request.user,
            application=self.application,
            kind=process_data.get("kind", ""),
            comment=data["comment"],
            statement_id=process_data.get("statement_id"),
        )


class PrepareView(ListStep):
    form_class = forms.PrepareForm
    title = "Подготовка приказа об утверждении списка РМА"
    intro = "Проверьте состав списка и реквизиты приказа; скачайте проект и направьте на подпись."
    submit_label = "Направить на подпись"
    success_message = "Проект приказа направлен на подпись"

    def get_initial(self):
        return {"academic_year": self.rma_list.academic_year, "basis": self.rma_list.basis}

    def get_intro(self):
        if self.rma_list.return_comment:
            return f"Замечания подписанта: {self.rma_list.return_comment}"
        return self.intro

    def perform(self, form, activation):
        data = form.cleaned_data
        return services.list_send_to_signing(
            actor=self.request.user, rma_list=self.rma_list, academic_year=data["academic_year"], basis=data["basis"]
        )


class SignView(ListStep):
    form_class = forms.SignForm
    title = "Утверждение списка регионального методического актива"
    submit_label = "Подтвердить решение"

    def get_form_kwargs(self):
        on_list = self.rma_list.applications.filter(status=Status.IN_DRAFT_LIST).count()
        held = len(self.held_back)
        return {**super().get_form_kwargs(), "candidates": on_list - held, "held_back": held}

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


class ReviewView(ApplicationStep):
    form_class = forms.ReviewForm
    title = "Перепроверка членства в РМА"
    submit_label = "Подтвердить решение"

    def get_intro(self):
        return "Основания перепроверки: " + "; ".join(item["message"] for item in self.application.refusals)

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
