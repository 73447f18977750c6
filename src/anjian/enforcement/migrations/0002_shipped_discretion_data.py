"""Load the starter benchmarks and flexible-enforcement lists shipped in policy_data/discretion,
so that a new deployment's engine has them from its first day (the legal office replaces them
with the official tables by import)."""

from django.db import migrations


def load(apps, schema_editor):
    from anjian.domain.discretion.benchmark import benchmark_from_dict
    from anjian.domain.discretion.lists import list_from_dict
    from anjian.enforcement.services.discretion import jsonable
    from anjian.policy_data.discretion import (
        shipped_benchmark_dicts,
        shipped_list_dicts,
        shipped_statute,
    )

    BenchmarkVersion = apps.get_model("enforcement", "BenchmarkVersion")
    ListVersion = apps.get_model("enforcement", "ListVersion")
    for raw in shipped_benchmark_dicts():
        data = jsonable(raw)
        b = benchmark_from_dict(data, shipped_statute())
        BenchmarkVersion.objects.get_or_create(
            key=b.id,
            version=b.version,
            defaults=dict(
                name=b.name,
                issuer=b.issuer,
                document=b.document,
                family=b.family,
                sectors=sorted(b.sectors),
                effective_from=b.effective_from,
                effective_until=b.effective_until,
                note=b.note,
                data=data,
                entry_count=len(b.entries),
                tier_count=sum(len(e.tiers) for e in b.entries),
                origin="shipped",
            ),
        )
    for raw in shipped_list_dicts():
        data = jsonable(raw)
        lst = list_from_dict(data)
        ListVersion.objects.get_or_create(
            key=lst.id,
            version=lst.version,
            defaults=dict(
                kind=lst.kind,
                name=lst.name,
                issuer=lst.issuer,
                effective_from=lst.effective_from,
                effective_until=lst.effective_until,
                note=lst.note,
                data=data,
                item_count=len(lst.items),
                origin="shipped",
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
