"""PostgreSQL: a GIN index of the names' search vectors, so that "name matches first" can
start from the few names that match a word many descriptions hold (see core.search).
SQLite's FTS5 table already indexes the names."""

from django.db import migrations

TABLE = "organizations_organization"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TABLE}_name_gin ON {TABLE} USING gin (search_name_tsv)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_name_gin")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0012_map_tile_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
