"""Seed the built-in topic taxonomy (see `programs.catalogue`)."""

from django.db import migrations


def seed_topics(apps, schema_editor):
    from upward.programs.catalogue import TOPICS

    Topic = apps.get_model("programs", "Topic")
    for seed in TOPICS:
        Topic.objects.get_or_create(
            slug=seed.slug,
            defaults={
                "name": seed.name,
                "category": seed.category,
                "description": seed.description,
                "prompts": list(seed.prompts),
                "is_builtin": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_programs_topics_enrolment_training")]
    operations = [migrations.RunPython(seed_topics, migrations.RunPython.noop)]
