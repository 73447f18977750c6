"""Load the rule set shipped with anjian (policy_data/rulesets/shanxi-2025.toml) as version 1,
so that a new deployment has a rule set in force from its first day."""

from django.db import migrations


def load(apps, schema_editor):
    from anjian.domain.rules import ruleset_from_dict, ruleset_to_dict
    from anjian.policy_data.rulesets import shipped_rulesets

    RuleSet = apps.get_model("policy", "RuleSet")
    if RuleSet.objects.exists():
        return
    rules = ruleset_from_dict(shipped_rulesets()["shanxi-2025"])
    RuleSet.objects.create(
        name=rules.name,
        version=1,
        title=rules.title,
        effective_from=rules.effective_from,
        effective_until=None,
        data=ruleset_to_dict(rules),
        change_note="随软件发布的山西 2025 规则集（文水县 2025 年工作方案及省厅频次上限）",
    )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
