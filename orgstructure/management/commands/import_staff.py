"""`manage.py import_staff FILE [--dry-run] [--user LOGIN]`: the staff import from a shell, for a
first load of a region or a scheduled re-import. Exits non-zero and prints every error when the
file is refused (nothing is written then)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from orgstructure.importing import staff_import


class Command(BaseCommand):
    help = "Импорт педагогических работников из файла .xlsx или .csv (формат: docs/import-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="путь к файлу .xlsx или .csv")
        parser.add_argument("--dry-run", action="store_true", help="только проверить файл и показать, что изменится")
        parser.add_argument("--user", help="логин пользователя, от имени которого записать импорт в журнал")

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Пользователь «{user}» не найден")
        with path.open("rb") as handle:
            result = staff_import(file=handle, filename=path.name, actor=actor, dry_run=dry_run)
        if not result.ok:
            for issue in result.errors:
                self.stderr.write(str(issue))
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(result.summary()))
