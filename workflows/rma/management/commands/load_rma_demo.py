"""`manage.py load_rma_demo`: РМА applications in the demo region (see workflows/rma/demo.py and
the walk-through in workflows/rma/README.md). Run after `load_demo`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.rma.demo import DemoNotLoaded, load_rma_demo


class Command(BaseCommand):
    help = "Загружает демо-заявки РМА: отказы по пограничным случаям, члена РМА по приказу, кандидата на проверке"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            report = load_rma_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(report.summary())
            self.stdout.write("Сценарий показа: workflows/rma/README.md (school_head выдвигает Голубева М.Ю., …)")
