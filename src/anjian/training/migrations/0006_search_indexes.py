"""Trigram indexes for the personnel search on PostgreSQL (issue 17): a person's name and a
certificate's number are searched with `icontains` (`UPPER(col::text) LIKE UPPER('%x%')`).
No-ops on SQLite."""

from django.db import migrations

INDEXES = {
    "training_person_name_trgm": ("training_person", "UPPER(name::text) gin_trgm_ops"),
    "training_certificate_number_trgm": ("training_certificate", "UPPER(number::text) gin_trgm_ops"),
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("training", "0005_sm4_id_numbers")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
