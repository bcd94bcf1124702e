"""`manage.py load_internships_demo`: the selection of sites in the demo region (see
workflows/internships/demo.py and the walk-through in workflows/internships/README.md). Run after
`load_demo`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.internships.demo import DemoNotLoaded, load_internships_demo


class Command(BaseCommand):
    help = "Загружает демо-отборы площадок: решённый отбор с реестром площадок и открытый с заявками во всех состояниях"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            report = load_internships_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(report.summary())
