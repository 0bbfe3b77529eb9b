"""Background work for reports (django-tasks; the database backend by default)."""

from __future__ import annotations

from django_tasks import task

from upward.programs.models import Program


@task()
def releases_make(program_id: int) -> None:
    """Make the releases a new month made due (`publication.release_of`), so no one
    waits for them on their next report; a report makes them itself if this has not run.
    """
    from upward.feedback.selectors import checkin_report, survey_report

    program = Program.objects.get(pk=program_id)
    checkin_report(program=program)
    survey_report(program=program)
