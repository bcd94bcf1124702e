"""Ships the three regulation profiles from the seed documents; Sverdlovsk is the default."""

from django.db import migrations


def forward(apps, schema_editor):
    from workflows.core.regulation_seed import install_seed_profiles

    install_seed_profiles(apps.get_model("core", "RegulationProfile"), apps.get_model("core", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("core", "0003_deadlines")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
