"""A database with no tables, built in one step: the tables of the current models, the data the
project's migrations ship (rule set, benchmarks, starter questions, the audit chain's genesis,
triggers and PostgreSQL search indexes), then every migration recorded as applied.

Running the ~90 migrations one by one costs about 20 s on a 2-core machine, nearly all of it
Django rendering the project's model state again after each operation; this path costs about a
second. `anjian demo` uses it for its first run and the test suite for each test database;
`anjian migrate` (deployments, upgrades) still runs the migrations themselves.

It is only right if it ends where the migrations end. `tests/web/test_fresh_schema.py` builds a
database both ways and compares tables, columns, constraints, indexes, triggers and rows; it
also fails on a migration whose operation this module does not know how to replay, so a new
data migration is either replayed here (RunPython, run against the current models) or the build
refuses.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import RunPython, RunSQL, SeparateDatabaseAndState

OWN_PACKAGE = "anjian."  # the project's own migrations; other apps' are replayed by state only
# Data migrations that only rewrite rows an older version stored (moved, re-encrypted, split):
# a blank database has none, and their code reads models or fields that no longer exist.
ROWS_ONLY = frozenset(
    {
        ("documents", "0002_move_serials_and_register"),
        ("enforcement", "0004_fined_parties_adoption"),
        ("inspections", "0003_document_register"),
        ("policy", "0006_register_legacy_notices"),
        ("registry", "0002_encrypt_id_numbers"),
        ("registry", "0005_sm4_id_numbers"),
        ("training", "0005_sm4_id_numbers"),
    }
)


class CannotReplay(Exception):
    """A migration operation this module does not replay (see the module's docstring)."""


def is_blank(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database has no tables at all (the only case `build` handles)."""
    return not connection.introspection.table_names()


def _replayed(migration: Migration) -> bool:
    key = (migration.app_label, migration.name)
    return type(migration).__module__.startswith(OWN_PACKAGE) and key not in ROWS_ONLY


def data_operations(migration: Migration) -> list[RunPython]:
    """The operations of one of the project's migrations that write data or schema objects the
    models do not describe. Raises `CannotReplay` for RunSQL and SeparateDatabaseAndState,
    which this path does not run."""
    found: list[RunPython] = []
    for operation in migration.operations:
        if isinstance(operation, RunSQL | SeparateDatabaseAndState):
            name = f"{migration.app_label}.{migration.name}"
            raise CannotReplay(f"{name}: {type(operation).__name__} is not replayed")
        if isinstance(operation, RunPython):
            found.append(operation)
    return found


def create_tables(connection: BaseDatabaseWrapper) -> None:
    """Every managed model's table (with its many-to-many tables, indexes and constraints)."""
    with connection.schema_editor() as editor:
        for app_config in global_apps.get_app_configs():
            for model in router.get_migratable_models(
                app_config, connection.alias, include_auto_created=False
            ):
                editor.create_model(model)


def replay_and_record(connection: BaseDatabaseWrapper) -> int:
    """Run the project's data operations in migration order against the current models, and
    record every migration as applied. Returns how many migrations were recorded: none when
    some are recorded already (the database was migrated)."""
    executor = MigrationExecutor(connection)
    if executor.recorder.has_table() and executor.recorder.applied_migrations():
        return 0
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    with connection.schema_editor() as editor:
        for migration, _backwards in plan:
            if _replayed(migration):
                for operation in data_operations(migration):
                    _run(operation, migration.app_label, editor, connection)
    for migration, _backwards in plan:
        executor.recorder.record_applied(migration.app_label, migration.name)
    return len(plan)


def _run(
    operation: Operation, app_label: str, editor: object, connection: BaseDatabaseWrapper
) -> None:
    assert isinstance(operation, RunPython)
    if router.allow_migrate(connection.alias, app_label, **operation.hints):
        operation.code(global_apps, editor)


def build(connection: BaseDatabaseWrapper) -> int:
    """Build a blank database to where `migrate` would take it. Returns the number of
    migrations recorded as applied. Raises ValueError if the database has tables."""
    if not is_blank(connection):
        raise ValueError("数据库已有数据表：请使用 anjian migrate")
    emit_pre_migrate_signal(0, False, connection.alias)
    create_tables(connection)
    recorded = replay_and_record(connection)
    emit_post_migrate_signal(0, False, connection.alias)
    return recorded
