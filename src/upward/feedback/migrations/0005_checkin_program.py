"""Check-ins carry their session's program, indexed with their time, so a report reads
them in order from one index instead of joining sessions and pairs and sorting."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_program(apps: Any, schema_editor: Any) -> None:
    CheckIn = apps.get_model("feedback", "CheckIn")
    Session = apps.get_model("mentoring", "Session")
    program = Session.objects.filter(pk=OuterRef("session_id")).values("pair__program_id")[:1]
    CheckIn.objects.update(program_id=Subquery(program))


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_survey_publication_per_role"),
        ("mentoring", "0002_workspace"),
        ("programs", "0002_seed_topic_taxonomy"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="program",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.program",
            ),
        ),
        migrations.RunPython(fill_program, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="checkin",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.program",
            ),
        ),
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                fields=["program", "created_at", "id"], name="checkin_program_time"
            ),
        ),
    ]
