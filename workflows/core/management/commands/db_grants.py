import os

from django.core.management.base import BaseCommand, CommandError

from workflows.core.db_roles import apply_grants


class Command(BaseCommand):
    help = (
        "Выдаёт роли приложения права на таблицы (в журнале аудита — только SELECT и INSERT). "
        "Запускать ролью миграций после migrate; см. workflows/core/db_roles.py."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            default=os.environ.get("PROFROST_DB_APP_ROLE", "profrost_app"),
            help="роль, с которой работают web, worker и beat (PROFROST_DB_APP_ROLE)",
        )

    def handle(self, *args, app_role, **options):
        try:
            statements = apply_grants(app_role)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Права роли {app_role} обновлены ({len(statements)} команд).")
