"""Remove stored document files that no issued document refers to — left when a caller's
transaction rolled back after the document had been issued in it. Beat runs the same sweep
(documents.tasks.sweep_issued_files); by hand:

    python manage.py sweep_issued_files --dry-run
    python manage.py sweep_issued_files --grace-minutes 180
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from documents.sweep import ORPHAN_GRACE, issued_files_sweep


class Command(BaseCommand):
    help = "Удалить файлы выпущенных документов, на которые не ссылается ни один документ"

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(ORPHAN_GRACE.total_seconds() // 60),
            help="не трогать файлы моложе стольких минут (по умолчанию %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="только показать, что было бы удалено")

    def handle(self, *args, grace_minutes, dry_run, **options):
        if grace_minutes < 0:
            raise CommandError("--grace-minutes не может быть отрицательным")
        removed = issued_files_sweep(grace=dt.timedelta(minutes=grace_minutes), dry_run=dry_run)
        for name in removed:
            self.stdout.write(name)
        verb = "Будет удалено" if dry_run else "Удалено"
        self.stdout.write(self.style.SUCCESS(f"{verb} файлов без документа: {len(removed)}"))
