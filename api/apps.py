from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api.authentication import connect_receivers

        connect_receivers()  # a password change or deactivation revokes the API token
