"""`manage.py load_iom_demo`: ИОМ routes in every status in the demo region (workflows/iom/demo.py).
Run after `load_demo`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.iom.demo import DemoNotLoaded, load_iom_demo


class Command(BaseCommand):
    help = "Загружает демо-маршруты ИОМ во всех статусах"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            report = load_iom_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(report.summary())
