"""`manage.py load_diagnostics_demo`: diagnosis results of the demo region
(workflows/iom/diagnostics/demo.py). Run after `load_demo`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.core.demo import DemoNotLoaded
from workflows.iom.diagnostics.demo import load_diagnostics_demo


class Command(BaseCommand):
    help = "Загружает демо-результаты диагностики профессиональных дефицитов (около 30 % педагогов)"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            summary = load_diagnostics_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(summary)
