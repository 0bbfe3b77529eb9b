"""Background work for large match runs (django-tasks; the database backend by default)."""

from __future__ import annotations

from django_tasks import task

from upward.matching.models import MatchRun


@task()
def execute_match_run(run_id: int) -> str:
    """Run the engine for a queued run; the run row carries status, progress and errors."""
    from upward.matching.services import match_run_execute

    run = MatchRun.objects.select_related("program").get(pk=run_id)
    return match_run_execute(run=run).status
