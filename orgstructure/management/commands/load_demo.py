"""`manage.py load_demo [--quiet]`: the demo region «Пермский край» (see orgstructure/demo.py).
Safe to run again and again: only what is missing is created, nothing present is changed or
deleted. The demo users share the password `profrost-demo` — for a demo installation only."""

from django.core.management.base import BaseCommand

from orgstructure.demo import demo_users_table, load_demo


class Command(BaseCommand):
    help = (
        "Загружает демо-регион «Пермский край»: муниципалитеты, организации, около 1000 педагогов "
        "и демо-пользователей по одному на роль. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="ничего не выводить")
        parser.add_argument("--no-users", action="store_true", help="не печатать таблицу демо-пользователей")

    def handle(self, *args, quiet, no_users, verbosity, **options):
        report = load_demo()
        if quiet or verbosity == 0:
            return
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if no_users:
            return
        self.stdout.write("")
        self.stdout.write("Демо-пользователи:")
        self.stdout.write(demo_users_table())
