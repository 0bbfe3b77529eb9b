"""The pair fixtures of the mentoring tests (running_program, program_owner, …)."""

from tests.mentoring.conftest import *  # noqa: F403
