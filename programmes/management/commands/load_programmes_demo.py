"""`manage.py load_programmes_demo`: the catalogue of ДПП of the demo region (programmes/demo.py).
Run after `load_demo`; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from programmes.demo import DemoNotLoaded, load_programmes_demo


class Command(BaseCommand):
    help = "Загружает демо-каталог ДПП (названия программ — из источников, §3.4 DOMAIN-DOCUMENTS)"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")

    def handle(self, *args, quiet=False, verbosity=1, **options):
        try:
            report = load_programmes_demo()
        except DemoNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        if not quiet and verbosity:
            self.stdout.write(report.summary())
