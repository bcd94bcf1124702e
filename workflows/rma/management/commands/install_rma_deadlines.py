"""`manage.py install_rma_deadlines [--region 59]`: add the РМА steps' default deadlines to the
regional regulation profiles (see workflows/rma/deadline_rules.py). Safe to run again."""

from django.core.management.base import BaseCommand

from workflows.rma.deadline_rules import install_rma_deadline_rules


class Command(BaseCommand):
    help = "Добавляет в профили регламентов сроки шагов процесса РМА (недостающие правила)"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="код региона (по умолчанию — все профили)")

    def handle(self, *args, region=None, **options):
        created = install_rma_deadline_rules(region_code=region)
        self.stdout.write(f"Добавлено правил сроков РМА: {created}")
