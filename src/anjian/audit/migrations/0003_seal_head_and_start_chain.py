"""Seals the chain head and writes the genesis entry `audit.chain.start`.

A fresh database gets a head and its genesis entry here, at migrate time, so a chain is never
legitimately empty. A database upgraded from the unsealed head keeps its entries: the head is
sealed over them as they are (its last entry as it was, the oldest row as the anchor), and the
genesis entry marks where the guarantee starts: rows deleted from the start before the upgrade
cannot be told from rows that never were."""

from django.db import migrations


def seal_head_and_start_chain(apps, schema_editor):
    from anjian.audit.chain import GENESIS, HeadState
    from anjian.audit.services import (
        append_sealed,
        audit_key,
        chain_start_entry,
        head_store,
    )

    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    key = audit_key()
    rows = entry_model.objects.count()
    head = head_model.objects.filter(pk=1).first()
    newest = entry_model.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        head = head_model.objects.create(
            pk=1,
            last_hash=newest[1] if newest else GENESIS,
            last_entry_id=newest[0] if newest else None,
        )
    oldest = entry_model.objects.order_by("id").values_list("id", "prev_hash").first()
    state = HeadState(
        count=rows,
        pruned=0,
        first_id=oldest[0] if oldest else None,
        first_prev_hash=oldest[1] if oldest else "",
        last_id=head.last_entry_id,
        last_hash=head.last_hash or GENESIS,
    )
    head_store(head, state, key=key)
    if rows:
        changes = {"reason": "升级：链头自此封存", "entries_before": rows}
    else:
        changes = {"reason": "新建审计链"}
    start = chain_start_entry(entry_model, changes=changes)
    append_sealed(start, head, key=key, checkpoint_at=start.created_at)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_sealed_chain_head")]

    operations = [
        migrations.RunPython(seal_head_and_start_chain, migrations.RunPython.noop, elidable=False)
    ]
