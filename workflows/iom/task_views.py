from workflows.core.step_views import StepView

from . import forms, services


class RouteStep(StepView):
    summary_template = "iom/_route.html"

    def get_step_context(self):
        from . import selectors

        return selectors.route_page_context(self.artefact, self.request.user)


class AssignView(RouteStep):
    form_class = forms.AssignForm
    title = "Назначение куратора ИОМ"
    intro = (
        "Выберите куратора маршрута. Первым предложен член РМА того же предмета и муниципалитета с наименьшим "
        "числом маршрутов в работе; можно выбрать и методиста ЦНППМПР."
    )
    submit_label = "Назначить куратора"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": services.curator_candidates(self.artefact)}

    def perform(self, form, activation):
        return services.route_assign(
            actor=self.request.user, route=self.artefact, curator_id=form.cleaned_data["curator"]
        )


class DesignView(RouteStep):
    form_class = forms.DesignSubmitForm
    title = "Разработка ИОМ"
    submit_label = "Направить на согласование"

    def get_intro(self):
        text = (
            "Разработайте маршрут вместе с педагогом на странице «Разработка маршрута»: дефициты, цели, мероприятия, "
            "сроки и результаты. Когда маршрут готов, направьте его на согласование."
        )
        if self.artefact.return_comment:
            text = f"Маршрут возвращён с замечаниями: {self.artefact.return_comment}. " + text
        return text

    def get_initial(self):
        return {"version": self.artefact.version}

    def perform(self, form, activation):
        version = form.cleaned_data.get("version")
        try:
            return services.route_submit(actor=self.request.user, route=self.artefact, version=version)
        except services.RouteChanged as exc:  # the page now shows the current plan: a second press sends it
            form.data = form.data.copy()
            form.data["version"] = str(exc.current)
            raise


class AgreeView(RouteStep):
    form_class = forms.DecisionForm
    title = "Согласование ИОМ педагогом"
    intro = "Проверьте свой маршрут: согласуйте его или верните куратору с замечаниями."
    submit_label = "Принять решение"

    def perform(self, form, activation):
        return services.route_agree(
            actor=self.request.user,
            route=self.artefact,
            agree=form.cleaned_data["decision"] == "agree",
            comment=form.cleaned_data["comment"],
        )


class EndorseView(RouteStep):
    form_class = forms.DecisionForm
    title = "Согласование ИОМ образовательной организацией"
    intro = (
        "Методический совет (руководитель) образовательной организации согласует маршрут педагога или "
        "возвращает его с замечаниями куратору и педагогу."
    )
    submit_label = "Принять решение"

    def perform(self, form, activation):
        return services.route_endorse(
            actor=self.request.user,
            route=self.artefact,
            endorse=form.cleaned_data["decision"] == "agree",
            comment=form.cleaned_data["comment"],
        )


class RegistrationView(RouteStep):
    form_class = forms.SubmitForm
    title = "Регистрация ИОМ в реестре"
    intro = (
        "Маршрут согласован. При регистрации он получает номер в реестре ИОМ, формируется документ ИОМ с листом "
        "согласования, а мероприятия попадают во входящие педагога со сроками по плану."
    )
    submit_label = "Зарегистрировать"

    def perform(self, form, activation):
        return services.route_register(actor=self.request.user, route=self.artefact)


class ReportView(RouteStep):
    form_class = forms.ReportForm
    title = "Самоотчёт о выполнении ИОМ"
    submit_label = "Представить самоотчёт"

    def get_intro(self):
        text = "Когда все мероприятия отмечены, опишите, что сделано и каков результат."
        if self.artefact.return_comment and self.artefact.self_report:
            text = f"Куратор вернул самоотчёт: {self.artefact.return_comment}. " + text
        return text

    def get_initial(self):
        return {"self_report": self.artefact.self_report}

    def perform(self, form, activation):
        return services.route_report(actor=self.request.user, route=self.artefact, **form.cleaned_data)


class ConfirmView(RouteStep):
    form_class = forms.ConfirmForm
    title = "Подтверждение результата ИОМ"
    intro = "Проверьте самоотчёт и подтверждения мероприятий: подтвердите результат или верните самоотчёт."
    submit_label = "Принять решение"

    def perform(self, form, activation):
        data = form.cleaned_data
        return services.route_confirm(
            actor=self.request.user,
            route=self.artefact,
            confirm=data["decision"] == "confirm",
            result=data["result"],
            comment=data["comment"],
        )


class ActivityView(StepView):
    form_class = forms.ActivityForm
    title = "Выполнение мероприятия ИОМ"
    intro = (
        "Отметьте выполнение с подтверждением (файл, ссылка или описание результата) или укажите причину, "
        "по которой мероприятие не выполнено."
    )
    submit_label = "Отметить"
    summary_template = "iom/_activity.html"

    def perform(self, form, activation):
        data = form.cleaned_data
        if data["decision"] == "skip":
            return services.activity_skip(actor=self.request.user, activity=self.artefact, reason=data["reason"])
        return services.activity_done(
            actor=self.request.user,
            activity=self.artefact,
            done_on=data["done_on"],
            evidence=data["evidence"],
            link=data["link"],
            note=data["note"],
        )
