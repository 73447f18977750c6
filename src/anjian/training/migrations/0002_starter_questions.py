"""Load the starter question bank shipped in policy_data/questions as version 1 of each question,
in use, with the prior IRT parameters a=1.0, b=0.0 until the items are calibrated (the office
replaces and extends it by import)."""

from django.db import migrations


def load(apps, schema_editor):
    from anjian.policy_data.questions import shipped_questions

    Question = apps.get_model("training", "Question")
    known = set(Question.objects.values_list("code", flat=True))
    Question.objects.bulk_create(
        [
            Question(
                code=q.code,
                version=1,
                sector=q.sector,
                job=q.job,
                topic=q.topic,
                kind=q.kind,
                stem=q.stem,
                options=list(q.options),
                answer=q.answer,
                explanation=q.explanation,
                source=q.source,
                status="active",
                origin="starter",
                a=1.0,
                b=0.0,
            )
            for q in shipped_questions()
            if q.code not in known
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("training", "Question").objects.filter(origin="starter", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
