"""Indexes that serve the registry's searches on PostgreSQL (issue 17).

The enterprise search (`registry.selectors.enterprises_matching`) tests name, USCC and pinyin
initials with `icontains`, which Django writes as `UPPER(col::text) LIKE UPPER('%x%')`: only a
trigram GIN index on that expression serves it, and PostgreSQL uses indexes for the OR of the three
only when each has one. The picker's lookup tests the USCC with a prefix (`LIKE 'X%'`), which a
`varchar_pattern_ops` b-tree serves whatever the collation. SQLite has neither; there these are
no-ops (a county's data is small)."""

from django.db import migrations

INDEXES = {
    "registry_enterprise_name_trgm": "USING gin (UPPER(name::text) gin_trgm_ops)",
    "registry_enterprise_uscc_trgm": "USING gin (UPPER(uscc::text) gin_trgm_ops)",
    "registry_enterprise_initials_trgm": "USING gin (UPPER(name_initials::text) gin_trgm_ops)",
    "registry_enterprise_uscc_prefix": "(uscc varchar_pattern_ops)",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, how in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_enterprise {how}")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_sm4_id_numbers")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
