from workflows.core.step_views import StepView

from . import forms, review_services, services


class EndorseView(StepView):
    form_class = forms.EndorseForm
    title = "Согласование заявки на статус площадки"
    intro = "Проверьте заявку школы вашего муниципалитета: согласуйте её или верните с указанием, что доработать."
    submit_label = "Принять решение"
    summary_template = "internships/_application.html"

    def perform(self, form, activation):
        if form.cleaned_data["decision"] == "return":
            return services.application_return(
                actor=self.request.user, application=self.artefact, reason=form.cleaned_data["reason"]
            )
        return services.application_endorse(actor=self.request.user, application=self.artefact)


class ReviseView(StepView):
    form_class = forms.ReviseForm
    title = "Доработка заявки на статус площадки"
    submit_label = "Подать повторно"
    summary_template = "internships/_application.html"

    def get_intro(self):
        return f"ММС вернула заявку: {self.artefact.return_reason}"

    def get_initial(self):
        return {"experience": self.artefact.experience, "resources": self.artefact.resources}

    def perform(self, form, activation):
        return services.application_resubmit(actor=self.request.user, application=self.artefact, **form.cleaned_data)


class ScoreView(StepView):
    title = "Экспертная оценка заявки на статус площадки"
    intro = (
        "Оцените каждый критерий и поясните оценку. Если по критерию оценить нельзя, выберите «не могу "
        "оценить» и напишите почему: такой критерий не входит в среднюю оценку."
    )
    submit_label = "Выставить оценку"
    summary_template = "internships/_expert_application.html"

    def get_form_class(self):
        return forms.ScoreForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scheme": self.artefact.application.call.scheme()}

    def get_step_context(self):
        return {"application": self.artefact.application}

    def perform(self, form, activation):
        return review_services.sheet_submit(actor=self.request.user, assignment=self.artefact, sheet=form.sheet())
