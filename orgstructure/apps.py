from django.apps import AppConfig


class OrgstructureConfig(AppConfig):
    name = "orgstructure"
    verbose_name = "Оргструктура"
