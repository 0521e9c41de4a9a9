"""The one row of legal rules, with the law's numbers, so that reading them never writes."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("competitions", "LegalRules").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
