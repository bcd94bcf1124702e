"""`manage.py load_monitoring_demo`: the monitoring cycle of the demo region from opening to the
effectiveness analysis (workflows/monitoring/analysis_demo.py). Run after `load_demo`; safe to run
again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.core.demo import DemoNotLoaded
from workflows.monitoring.analysis_demo import load_monitoring_demo


class Command(BaseCommand):
    help = "Загружает демо-кампании мониторинга Пермского края: прошлый и текущий период, справку, меры, эффективность"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            report = load_monitoring_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(report.summary())
