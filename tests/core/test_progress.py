"""Progress bars appear for a person at a terminal and stay out of logs and pipes."""

from __future__ import annotations

import io
import sys

import pytest
from tqdm import tqdm

from upward.core.progress import terminal_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    rows = [1, 2, 3]
    assert terminal_progress(rows, desc="checking") is rows


def test_bar_on_a_terminal_counts_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    wrapped = terminal_progress(range(500), desc="checking", unit="row")
    assert isinstance(wrapped, tqdm)
    assert sum(wrapped) == sum(range(500))
    assert "checking" in terminal.getvalue() and "500/500" in terminal.getvalue()
