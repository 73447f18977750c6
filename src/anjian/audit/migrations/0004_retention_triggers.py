"""Database triggers that keep the audit trail append-only whatever path a change takes:
updates are refused (except clearing `actor_id` when the account is deleted: the entry keeps its
sealed copy of the username), and rows younger than 185 days (the legal minimum of 等保 level 2)
cannot be deleted. The lawful prune (`anjian audit prune`) deletes only older rows.

PostgreSQL: a row trigger; TRUNCATE does not fire it, and needs table ownership or the TRUNCATE
privilege, which the application's role should not have (docs/ops).
SQLite: BEFORE DELETE/UPDATE triggers. The delete trigger calls `anjian_audit_wiping()`, a
function the application registers on its own connections (`audit/apps.py`): it is true only
while Django's `flush` empties an in-memory test database, and unknown to any other client, so a
delete from the sqlite3 shell fails too. A table rebuild by a later migration drops SQLite
triggers: tests/web/test_audit_truncation.py checks they are there."""

from django.db import migrations

RETENTION_FLOOR_DAYS = 185
COLUMNS_KEPT = (
    "id, created_at, actor_username, actor_name, action, target_type, target_id, target_repr, "
    "changes, ip, algorithm, prev_hash, hash"
)

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_auditentry_keep_young BEFORE DELETE ON audit_auditentry
    WHEN OLD.created_at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-{RETENTION_FLOOR_DAYS} days')
        AND NOT anjian_audit_wiping()
    BEGIN SELECT RAISE(ABORT, '审计记录保存期（{RETENTION_FLOOR_DAYS} 天）内不得删除'); END""",
    f"""CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE OF {COLUMNS_KEPT}
    ON audit_auditentry
    BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_auditentry_actor_cleared_only BEFORE UPDATE OF actor_id
    ON audit_auditentry WHEN NEW.actor_id IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_keep_young",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_actor_cleared_only",
]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_auditentry_guard() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.actor_id IS NULL
                AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '审计记录只能追加，不能修改（第 % 号）', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF OLD.created_at > now() - interval '{RETENTION_FLOOR_DAYS} days' THEN
            RAISE EXCEPTION '审计记录保存期（{RETENTION_FLOOR_DAYS} 天）内不得删除（第 % 号）', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END
    $$""",
    """CREATE TRIGGER audit_auditentry_guard BEFORE DELETE OR UPDATE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_guard()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_guard ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_guard()",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_CREATE)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seal_head_and_start_chain")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
