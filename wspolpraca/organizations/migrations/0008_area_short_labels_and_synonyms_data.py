"""Short plain-language names and search synonyms of the public benefit areas.

Read from data/public_benefit_areas.csv by area code. Only empty fields are filled, so the
migration can run again (or after edits in the back office) without overwriting anything.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
FIELDS = ("short_label_pl", "short_label_en", "synonyms")


def fill(apps, schema_editor):
    Area = apps.get_model("organizations", "PublicBenefitArea")
    with open(DATA / "public_benefit_areas.csv", encoding="utf-8") as f:
        rows = {row["code"]: row for row in csv.DictReader(f)}
    for area in Area.objects.filter(code__in=rows):
        row = rows[area.code]
        changed = [field for field in FIELDS if not getattr(area, field) and row.get(field)]
        for field in changed:
            setattr(area, field, row[field])
        if changed:
            area.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0007_area_short_labels_invitation_cancel")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
