"""Survey answers are published in batches per phase *and role* (was per phase).

A batch of k people holding a single mentee moved the mentees' figures by one person.
The old per-phase cuts are replaced by per-role cuts recomputed from the answers, with
the same pure batching rule the application uses.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from upward.feedback.aggregates import published_until


def per_role_cuts(apps: Any, schema_editor: Any) -> None:
    Publication = apps.get_model("feedback", "Publication")
    SurveyResponse = apps.get_model("feedback", "SurveyResponse")
    Program = apps.get_model("programs", "Program")
    Publication.objects.filter(kind__in=["survey-pre", "survey-post"]).delete()
    for program in Program.objects.all():
        for phase in ("pre", "post"):
            for role in ("mentor", "mentee"):
                answers = list(
                    SurveyResponse.objects.filter(
                        enrollment__program=program, phase=phase, enrollment__role=role
                    )
                    .order_by("submitted_at", "pk")
                    .values_list("enrollment__person_id", "submitted_at")
                )
                cut = published_until(answers, threshold=program.anonymity_threshold)
                if cut is not None:
                    Publication.objects.create(
                        program=program, kind=f"survey-{phase}-{role}", until=cut
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_support_request_closed_by_and_reply"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publication",
            name="kind",
            field=models.CharField(max_length=24),
        ),
        migrations.RunPython(per_role_cuts, migrations.RunPython.noop),
    ]
