"""Keys apart from each other and from the data (issue 16, defect 6): three keys from their own
variables or files, generated only for development into a private key folder; ID numbers in
SM4-GCM; the Fernet values of earlier versions migrated; `anjian rekey`; and a start that refuses
when the keys cannot read the data."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from anjian.audit.models import AuditEntry
from anjian.config.keys import (
    GENERATED,
    adopt_legacy_secret,
    load_keys,
    private_dir,
    private_file,
)
from anjian.crypto.checks import data_folders_private, keys_given_explicitly
from anjian.crypto.migration import sm4_from_fernet
from anjian.crypto.startup import KeysMissing, audit_key_problems, key_problems
from anjian.crypto.startup import refuse_without_keys as refuse
from anjian.domain.ciphers import parse_field_key
from anjian.registry.models import Officer

ID_NUMBER = "11010519491231002X"
KEY_NAMES = ("ANJIAN_SECRET_KEY", "ANJIAN_AUDIT_KEY", "ANJIAN_FIELD_KEY", "ANJIAN_FIELD_KEY_OLD")
NEW_KEY = "00112233445566778899aabbccddeeff"
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def no_key_env(monkeypatch):  # type: ignore[no-untyped-def]
    for name in KEY_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    return monkeypatch


def _stored(officer: Officer) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_officer WHERE id = %s", [officer.pk])
        return str(cursor.fetchone()[0])


def _store(officer: Officer, raw: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_officer SET id_number = %s WHERE id = %s", [raw, officer.pk]
        )


# --- three separate keys ---------------------------------------------------------------------


def test_changing_the_secret_key_changes_neither_other_key(no_key_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=False)
    assert first.sources == dict.fromkeys(KEY_NAMES[:3], GENERATED)
    assert len({first.secret_key, first.audit_key, first.field_key}) == 3
    no_key_env.setenv("ANJIAN_SECRET_KEY", "a secret key given by the administrator")
    second = load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=False)
    assert second.secret_key == "a secret key given by the administrator"
    assert (second.audit_key, second.field_key) == (first.audit_key, first.field_key)
    assert second.sources["ANJIAN_AUDIT_KEY"] == "key_dir"


def test_a_key_file_wins_over_the_variable(no_key_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "field").write_text(NEW_KEY + "\n", encoding="utf-8")
    no_key_env.setenv("ANJIAN_FIELD_KEY", "ffeeddccbbaa99887766554433221100")
    no_key_env.setenv("ANJIAN_FIELD_KEY_FILE", str(tmp_path / "field"))
    no_key_env.setenv("ANJIAN_FIELD_KEY_OLD", "ffeeddccbbaa99887766554433221100, " + "ab" * 16)
    keys = load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=False)
    assert keys.field_key == NEW_KEY
    assert keys.sources["ANJIAN_FIELD_KEY"] == "file"
    assert keys.field_key_fallbacks == ["ffeeddccbbaa99887766554433221100", "ab" * 16]


def test_production_refuses_a_key_that_is_not_given(no_key_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    no_key_env.setenv("ANJIAN_SECRET_KEY", "s" * 50)
    no_key_env.setenv("ANJIAN_FIELD_KEY", NEW_KEY)
    with pytest.raises(ImproperlyConfigured, match="未配置密钥 ANJIAN_AUDIT_KEY"):
        load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=True)
    assert not (tmp_path / "keys").exists()  # nothing generated
    no_key_env.setenv("ANJIAN_AUDIT_KEY", "s" * 50)
    with pytest.raises(ImproperlyConfigured, match="三个不同的密钥"):
        load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=True)
    no_key_env.setenv("ANJIAN_AUDIT_KEY", "a" * 64)
    keys = load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=True)
    assert set(keys.sources.values()) == {"environment"}


def test_a_malformed_field_key_stops_the_start(no_key_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    no_key_env.setenv("ANJIAN_FIELD_KEY", "not-a-128-bit-key")
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_FIELD_KEY 无效"):
        load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=False)


def test_the_old_data_folder_secret_moves_into_the_key_folder(no_key_env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Earlier versions kept the secret key beside the database and sealed the audit trail with
    it: both stay readable, as separate files, and the field key is a new one."""
    (tmp_path / "secret_key").write_text("the old development key", encoding="utf-8")
    keys = load_keys(data_dir=tmp_path, key_dir=tmp_path / "keys", require=False)
    assert not (tmp_path / "secret_key").exists()
    assert keys.secret_key == keys.audit_key == "the old development key"
    assert keys.sources["ANJIAN_SECRET_KEY"] == "key_dir"
    parse_field_key(keys.field_key)
    adopt_legacy_secret(data_dir=tmp_path, key_dir=tmp_path / "keys")  # nothing left to move


# --- a private data folder -------------------------------------------------------------------


@posix_only
def test_generated_keys_and_the_data_folder_are_private_whatever_the_umask(  # type: ignore[no-untyped-def]
    no_key_env, tmp_path
) -> None:
    data = tmp_path / "data"
    previous = os.umask(0)
    try:
        private_dir(data)
        database = private_file(data / "anjian.sqlite3")
        load_keys(data_dir=data, key_dir=data / "keys", require=False)
    finally:
        os.umask(previous)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data) == 0o700
    assert mode(data / "keys") == 0o700
    assert mode(database) == 0o600
    for name in ("secret_key", "audit_key", "field_key"):
        assert mode(data / "keys" / name) == 0o600
    assert sorted(p.name for p in (data / "keys").iterdir()) == [
        "audit_key",
        "field_key",
        "secret_key",
    ]


@posix_only
def test_an_existing_open_folder_is_tightened_and_uploads_are_private(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "media"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    previous = os.umask(0)
    try:
        name = default_storage.save("evidence/2026/photo.jpg", ContentFile(b"evidence"))
    finally:
        os.umask(previous)
    saved = Path(default_storage.path(name))
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700


@posix_only
def test_the_deploy_check_names_generated_keys_and_open_folders(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.KEY_SOURCES = {"ANJIAN_SECRET_KEY": "environment", "ANJIAN_FIELD_KEY": GENERATED}
    assert [w.id for w in keys_given_explicitly()] == ["anjian.W101"]
    assert "ANJIAN_FIELD_KEY" in keys_given_explicitly()[0].msg
    settings.KEY_SOURCES = dict.fromkeys(KEY_NAMES[:3], "file")
    assert keys_given_explicitly() == []
    settings.DATA_DIR = settings.KEY_DIR = settings.MEDIA_ROOT = tmp_path
    tmp_path.chmod(0o755)
    assert [w.id for w in data_folders_private()] == ["anjian.W102"]
    tmp_path.chmod(0o700)
    assert data_folders_private() == []


# --- SM4 at rest, the Fernet migration, rekey ------------------------------------------------


def test_id_numbers_are_sm4_under_the_field_key(world, settings) -> None:  # type: ignore[no-untyped-def]
    officer = world.officers["county"]
    key_id = parse_field_key(settings.FIELD_ENCRYPTION_KEY).key_id
    assert _stored(officer).startswith(f"sm4gcm:v1:{key_id}:")
    assert ID_NUMBER not in _stored(officer)
    assert Officer.objects.get(pk=officer.pk).id_number == ID_NUMBER


def test_a_fernet_value_reads_and_the_migration_turns_it_into_sm4(world, settings) -> None:  # type: ignore[no-untyped-def]
    """A value as django-fernet-encrypted-fields wrote it (key from SECRET_KEY + SALT_KEY)."""
    from encrypted_fields.fields import EncryptedCharField

    officer = world.officers["county"]
    legacy = EncryptedCharField(max_length=18).get_prep_value(ID_NUMBER)
    assert legacy.startswith("gAAAAA")
    _store(officer, legacy)
    assert Officer.objects.get(pk=officer.pk).id_number == ID_NUMBER  # partly migrated works
    forwards, backwards = sm4_from_fernet("registry", "officer", "id_number")
    editor = SimpleNamespace(connection=connection)
    forwards(apps, editor)
    assert _stored(officer).startswith("sm4gcm:v1:")
    assert Officer.objects.get(pk=officer.pk).id_number == ID_NUMBER
    backwards(apps, editor)
    assert EncryptedCharField(max_length=18).to_python(_stored(officer)) == ID_NUMBER


def test_rekey_moves_every_value_under_the_new_key(world, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    old_key = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    settings.FIELD_ENCRYPTION_KEY_FALLBACKS = [old_key]
    officer = world.officers["county"]
    assert key_problems() == []  # rotating: the old key is a fallback
    call_command("rekey", check=True)
    assert parse_field_key(old_key).key_id in capsys.readouterr().out
    call_command("rekey")
    new_id = parse_field_key(NEW_KEY).key_id
    assert _stored(officer).startswith(f"sm4gcm:v1:{new_id}:")
    assert "重新加密 1 条" in capsys.readouterr().out
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.action == "crypto.field_key.rekey"
    settings.FIELD_ENCRYPTION_KEY_FALLBACKS = []
    assert Officer.objects.get(pk=officer.pk).id_number == ID_NUMBER


def test_rekey_changes_nothing_when_a_value_cannot_be_read(world, settings) -> None:  # type: ignore[no-untyped-def]
    from anjian.domain.ciphers import sm4_encrypt

    officer = world.officers["county"]
    before = _stored(officer)
    stray = world.officers["other"]
    _store(stray, sm4_encrypt(parse_field_key("ab" * 16), "110105194912310037"))
    entries = AuditEntry.objects.count()
    settings.FIELD_ENCRYPTION_KEY_FALLBACKS = [settings.FIELD_ENCRYPTION_KEY]
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    with pytest.raises(CommandError, match="未做任何改动"):
        call_command("rekey")
    assert _stored(officer) == before
    assert AuditEntry.objects.count() == entries


# --- a lost key is never silent --------------------------------------------------------------


def test_the_start_refuses_when_the_field_key_is_lost(world, settings) -> None:  # type: ignore[no-untyped-def]
    refuse()  # the right keys: nothing to say
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY  # e.g. the key folder was lost and regenerated
    with pytest.raises(KeysMissing) as refused:
        refuse()
    message = str(refused.value)
    assert "缺少个人信息加密密钥 ANJIAN_FIELD_KEY：数据库中有 1 条加密数据" in message
    assert "执法人员.身份证号码 1 条" in message
    assert "请从密钥备份恢复" in message


def test_the_start_refuses_a_tampered_value_under_the_current_key(world) -> None:  # type: ignore[no-untyped-def]
    officer = world.officers["county"]
    stored = _stored(officer)
    _store(officer, stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB=="))
    with pytest.raises(KeysMissing, match="ANJIAN_FIELD_KEY"):
        refuse()


def test_the_start_refuses_old_values_whose_secret_key_is_gone(world, settings) -> None:  # type: ignore[no-untyped-def]
    from anjian.domain.ciphers import fernet_encrypt, legacy_fernet_keys

    key = legacy_fernet_keys(["a secret key nobody kept"], ["anjian-id-numbers"])[0]
    _store(world.officers["county"], fernet_encrypt(ID_NUMBER, key))
    with pytest.raises(KeysMissing, match="1 条旧格式加密数据无法解密"):
        refuse()


def test_the_start_refuses_when_the_audit_key_is_lost(world, settings) -> None:  # type: ignore[no-untyped-def]
    assert AuditEntry.objects.exists()
    settings.AUDIT_HMAC_KEY = "a newly generated audit key"
    problems = audit_key_problems()
    assert len(problems) == 1
    assert "审计密钥 ANJIAN_AUDIT_KEY 无法验证最新一条审计记录" in problems[0]
    assert "请从密钥备份恢复 ANJIAN_AUDIT_KEY" in problems[0]
    with pytest.raises(KeysMissing, match="ANJIAN_AUDIT_KEY"):
        refuse()


def test_an_upgrade_that_sealed_with_the_secret_key_is_told_so(world, settings) -> None:  # type: ignore[no-untyped-def]
    audit_key = settings.AUDIT_HMAC_KEY
    settings.AUDIT_HMAC_KEY = "a newly generated audit key"
    settings.SECRET_KEY = audit_key  # as if the trail was sealed with the Django secret key
    (problem,) = audit_key_problems()
    assert "把 ANJIAN_AUDIT_KEY 设为该值" in problem


@pytest.mark.django_db
def test_a_database_without_personal_data_starts_under_any_field_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    assert key_problems() == []


def test_the_command_line_refuses_before_serving(world, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    from anjian.cli import keys_refused, main

    settings.FIELD_ENCRYPTION_KEY = NEW_KEY
    assert main(["runserver", "--noreload"]) == 3
    assert "缺少个人信息加密密钥 ANJIAN_FIELD_KEY" in capsys.readouterr().err
    assert keys_refused(["db_worker"]) is not None
    for command in ("migrate", "rekey", "check", "shell"):  # the repair commands still run
        assert keys_refused([command]) is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_stored_fernet_id_numbers_into_sm4() -> None:
    """Through the real migrations: an officer saved by django-fernet-encrypted-fields (the
    historic model of registry 0004) is SM4 after registry 0005."""
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):  # type: ignore[no-untyped-def]
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        return executor.migrate(targets).apps

    old = migrate([("registry", "0004_enterprise_major_hazard")])
    body = old.get_model("accounts", "EnforcementBody").objects.create(
        name="文水县", level="county"
    )
    officer = old.get_model("registry", "Officer").objects.create(
        name="王明",
        id_number=ID_NUMBER,
        body_id=body.pk,
        certificate_no="C-9",
        certificate_valid_until="2030-01-01",
    )
    assert _stored(officer).startswith("gAAAAA")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _stored(officer).startswith("sm4gcm:v1:")
    assert Officer.objects.get(pk=officer.pk).id_number == ID_NUMBER
