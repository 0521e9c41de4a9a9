"""An index for the directory's "most recently registered" order over public rows.

Written per database: PostgreSQL needs NULLS LAST spelled out to match the query, and
SQLite, which sorts NULLs last in descending order anyway, does not accept the clause.
"""

from django.db import migrations

TABLE = "organizations_organization"
NAME = "organization_registered_idx"
PUBLIC = "NOT (verification = 'rejected') AND NOT is_hidden"


def create(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {NAME} ON {TABLE} (registration_date DESC{nulls}, id DESC) WHERE {PUBLIC}"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_kind_name_index")]
    operations = [migrations.RunPython(create, drop)]
