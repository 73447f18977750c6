import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("policy", "0003_workday_override"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="QuietDefault",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ranges", models.JSONField(default=list, verbose_name="默认安静期（日期段）")),
                ("effective_from", models.DateField(verbose_name="适用起始日")),
                ("set_at", models.DateTimeField(auto_now_add=True, verbose_name="设置时间")),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="quiet_defaults",
                        to="accounts.enforcementbody",
                        verbose_name="执法主体",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="设置人",
                    ),
                ),
            ],
            options={
                "verbose_name": "本单位默认安静期",
                "verbose_name_plural": "本单位默认安静期",
                "ordering": ["body_id", "-effective_from", "-id"],
            },
        ),
        migrations.AddField(
            model_name="quietexception",
            name="timing",
            field=models.CharField(
                choices=[("prior", "事前审批"), ("backfill", "事后补批")],
                default="prior",
                max_length=10,
                verbose_name="审批方式",
            ),
        ),
        migrations.AddField(
            model_name="quietexception",
            name="emergency_ground",
            field=models.CharField(
                blank=True,
                choices=[
                    ("accident", "生产安全事故"),
                    ("imminent_danger", "紧急危险（重大事故隐患现实危险）"),
                    ("major_hazard_report", "重大事故隐患举报"),
                ],
                max_length=30,
                verbose_name="紧急事由",
            ),
        ),
        migrations.AddField(
            model_name="quietexception",
            name="backfill_due",
            field=models.DateField(blank=True, null=True, verbose_name="补批期限"),
        ),
    ]
