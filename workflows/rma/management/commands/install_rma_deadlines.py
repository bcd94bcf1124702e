"""`manage.py install_rma_deadlines [--region 59]`: the РМА part of `install_process_deadlines`
(workflows/core/deadline_defaults.py), kept under its old name. Safe to run again."""

from django.core.management.base import BaseCommand

from workflows.core.deadline_defaults import install_deadline_defaults


class Command(BaseCommand):
    help = "Добавляет в профили регламентов сроки шагов процесса РМА (недостающие правила)"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="код региона (по умолчанию — все профили)")

    def handle(self, *args, region=None, **options):
        created = install_deadline_defaults(region_code=region, process_code="rma")
        self.stdout.write(f"Добавлено правил сроков РМА: {created}")
