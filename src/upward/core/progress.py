"""Progress bars for long command-line work, shown only to a person at a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def terminal_progress(iterable: Iterable[T], **options: Any) -> Iterable[T]:
    """Wrap `iterable` in a tqdm bar on stderr when stderr is a terminal, else pass through."""
    if not sys.stderr.isatty():
        return iterable
    return tqdm(iterable, file=sys.stderr, dynamic_ncols=True, **options)
