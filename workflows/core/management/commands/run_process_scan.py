"""`manage.py run_process_scan [name …]`: run registered nightly scans now, in this process
(what beat runs on its schedule, project/celery.py). Without a name it lists them."""

from django.core.management.base import BaseCommand, CommandError

from workflows.core.scans import registered_scans


class Command(BaseCommand):
    help = "Запускает зарегистрированные ночные проверки процессов (без имени — выводит их список)"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="имя проверки, например rma.lapsed_categories")

    def handle(self, *args, names=(), **options):
        scans = registered_scans()
        if not names:
            for name, scan in sorted(scans.items()):
                self.stdout.write(f"{name} — {scan.title}")
            return
        unknown = [name for name in names if name not in scans]
        if unknown:
            raise CommandError(f"Нет такой проверки: {', '.join(unknown)}. Список: manage.py run_process_scan")
        for name in names:
            result = scans[name].run_detailed()
            self.stdout.write(
                f"{scans[name].title}: изменено — {result.acted}, без изменений — {result.skipped}, "
                f"с ошибкой — {result.failed}"
            )
