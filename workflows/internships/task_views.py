from workflows.core.step_views import StepView

from . import decision_services, documents, forms, register_services, review_services, selectors, services


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


class ReportView(StepView):
    title = "Годовой отчёт стажировочной площадки"
    intro = (
        "Представьте отчёт о деятельности площадки за год статуса: сколько педагогов прошли "
        "стажировку, сколько программ реализовано, итоги."
    )
    submit_label = "Представить отчёт"
    success_message = "Отчёт представлен"
    summary_template = "internships/_report.html"

    def get_form_class(self):
        return forms.ReportForm

    def perform(self, form, activation):
        flow_class = activation.flow_class  # the next year's report is a process of the same flow
        return register_services.report_submit(
            actor=self.request.user,
            report=self.artefact,
            start_report=lambda report: flow_class.start.run(report=report),
            **form.cleaned_data,
        )


class _DecisionStep(StepView):
    summary_template = "internships/_decision.html"

    def get_step_context(self):
        return selectors.decision_summary(self.artefact)


class DecisionSignView(_DecisionStep):
    start_report = None  # given by flows.py: opens a new site's report task (SiteReportFlow)

    form_class = forms.DecisionSignForm
    title = "Утверждение перечня площадок"
    intro = (
        "Проверьте решение экспертной комиссии и проект приказа; утвердите перечень (приказ будет "
        "зарегистрирован, организации получат справки) или верните решение с замечаниями."
    )
    submit_label = "Подтвердить решение"

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.RETURN:
            self.success_message = "Решение возвращено на доработку"
            return decision_services.decision_return(
                actor=self.request.user, decision=self.artefact, comment=data["comment"]
            )
        decision = decision_services.decision_approve(
            actor=self.request.user, decision=self.artefact, start_report=self.start_report
        )
        order = decision.order
        self.success_message = (
            f"Перечень утверждён: приказ от {order.issued_on:%d.%m.%Y} № {order.number}; справки площадкам формируются"
        )
        return decision


class DecisionReviseView(_DecisionStep):
    title = "Доработка решения экспертной комиссии"
    submit_label = "Направить в министерство"
    success_message = "Решение направлено в министерство, протокол выпущен заново"

    def get_intro(self):
        return f"Замечания министерства: {self.artefact.return_comment}"

    def get_form_class(self):
        return forms.DecisionForm

    def get_form_kwargs(self):
        call = self.artefact.call
        return {
            **super().get_form_kwargs(),
            "applications": selectors.ranked_applications(call),
            "pass_threshold": call.pass_threshold,
        }

    def get_initial(self):
        decision = self.artefact
        return {
            "protocol_date": decision.protocol_date,
            "commission": decision.commission,
            "regulation": decision.regulation,
            "report_due": decision.report_due,
        }

    def perform(self, form, activation):
        data = form.cleaned_data
        decision, _ = decision_services.decision_propose(
            actor=self.request.user,
            call=self.artefact.call,
            protocol_date=data["protocol_date"],
            commission=data["commission"],
            regulation=data["regulation"],
            report_due=data["report_due"],
            choices=form.choices(),
        )
        return decision


class StatusChangeSignView(StepView):
    start_report = None  # given by flows.py: a renewed site's next report (SiteReportFlow)

    form_class = forms.StatusChangeSignForm
    title = "Приказ об изменении статуса площадки"
    intro = (
        "Проверьте представление и текст приказа: подпишите приказ (он будет зарегистрирован) или отклоните изменение."
    )
    submit_label = "Подтвердить решение"
    summary_template = "internships/_status_change.html"

    def get_step_context(self):
        change = self.artefact
        return {
            "change": change,
            "order_text": documents.status_order_text(register_services.status_order_data(change)),
        }

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == form.REJECT:
            self.success_message = "Изменение статуса отклонено"
            return register_services.status_change_reject(
                actor=self.request.user, change=self.artefact, comment=data["comment"]
            )
        change = register_services.status_change_approve(
            actor=self.request.user, change=self.artefact, start_report=self.start_report
        )
        order = change.order
        self.success_message = f"Приказ подписан: от {order.issued_on:%d.%m.%Y} № {order.number}"
        return change
