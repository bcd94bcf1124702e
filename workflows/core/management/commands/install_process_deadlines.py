"""`manage.py install_process_deadlines [--region 59] [--process rma]`: add the deadline rules the
registered processes ship to the regional regulation profiles (workflows/core/deadline_defaults.py).
Rules already in a profile are left as they are; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from workflows.core.deadline_defaults import install_deadline_defaults
from workflows.core.processes import get_process, processes


class Command(BaseCommand):
    help = "Добавляет в профили регламентов недостающие сроки шагов зарегистрированных процессов"

    def add_arguments(self, parser):
        parser.add_argument("--region", help="код региона (по умолчанию — все профили)")
        parser.add_argument("--process", help="код процесса (по умолчанию — все процессы)")

    def handle(self, *args, region=None, process=None, **options):
        chosen = processes()
        if process:
            try:
                chosen = [get_process(process)]
            except LookupError as exc:
                known = ", ".join(p.code for p in processes()) or "нет"
                raise CommandError(f"{exc}. Зарегистрированы: {known}") from exc
        for item in chosen:
            if not item.deadline_rules:
                continue
            created = install_deadline_defaults(region_code=region, process_code=item.code)
            self.stdout.write(f"{item.title}: добавлено правил сроков — {created}")
