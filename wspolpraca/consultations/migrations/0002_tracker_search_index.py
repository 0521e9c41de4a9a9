"""Full-text index of tracked postulates: FTS5 on SQLite, GIN on PostgreSQL (see core.search)."""

from django.db import migrations

from wspolpraca.core.search import install_sql, uninstall_sql

TABLE = "consultations_trackedpostulate"


def install(apps, schema_editor):
    for statement in install_sql(TABLE, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    for statement in uninstall_sql(TABLE, schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
