from django.core.management.base import BaseCommand

from workflows.core.models import DeadlineRule, RegulationProfile
from workflows.core.regulation_seed import install_seed_profiles


class Command(BaseCommand):
    help = "Загрузить профили регламентов из исходных документов (Свердловская, Ростовская области, Пермский край)"

    def handle(self, *args, **options):
        created = install_seed_profiles(RegulationProfile, DeadlineRule)
        self.stdout.write(f"Создано записей: {created}")
