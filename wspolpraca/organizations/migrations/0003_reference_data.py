"""Public benefit areas (art. 4 of the act) and common target groups, as editable data."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Area = apps.get_model("organizations", "PublicBenefitArea")
    TargetGroup = apps.get_model("organizations", "TargetGroup")
    with open(DATA / "public_benefit_areas.csv", encoding="utf-8") as f:
        for position, row in enumerate(csv.DictReader(f)):
            Area.objects.update_or_create(
                code=row["code"],
                defaults={"label_pl": row["label_pl"], "label_en": row["label_en"], "position": position},
            )
    with open(DATA / "target_groups.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            TargetGroup.objects.update_or_create(name_pl=row["name_pl"], defaults={"name_en": row["name_en"]})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_search_index")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
