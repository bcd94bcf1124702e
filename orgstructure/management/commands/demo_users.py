from django.core.management.base import BaseCommand

from orgstructure.demo import demo_users_table


class Command(BaseCommand):
    help = "Печатает демо-пользователей (логин, роль, организация) и общий демо-пароль."

    def handle(self, *args, **options):
        self.stdout.write("Демо-пользователи:")
        self.stdout.write(demo_users_table())
