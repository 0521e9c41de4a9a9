"""Logos are stored under a random name (core/uploads.py): the name a person gave the file is
not kept, and nobody can guess another file's address. Files already stored keep their
names; only new uploads are named the new way."""

from django.db import migrations, models

import wspolpraca.core.uploads


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0008_area_short_labels_and_synonyms_data"),
    ]

    # upload_to lives only in Python: on SQLite a plain AlterField would copy the whole
    # table, which drops the triggers that keep the search index current.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="organization",
                    name="logo",
                    field=models.ImageField(
                        blank=True,
                        upload_to=wspolpraca.core.uploads.RandomName("logos"),
                        verbose_name="logo",
                    ),
                ),
            ],
        ),
    ]
