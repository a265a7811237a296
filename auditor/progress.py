"""Progress for the CLI: a tqdm bar on a terminal, nothing when output goes to a log."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """Yield a callback for ``pipeline.run(progress=...)``, or None when disabled.

    The number of documents is not known in advance (inputs are streamed), so the
    bar counts documents and shows the rate, with new/changed/unchanged so far. It
    appears at the first document, so start-up time does not skew the rate, and log
    lines are printed above it instead of through it.
    """
    if not enabled:
        yield None
        return
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    counts: Counter = Counter()
    bar = None

    def advance(outcome: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False)
        counts[outcome] += 1
        bar.set_postfix(counts, refresh=False)
        bar.update(1)

    try:
        with logging_redirect_tqdm(loggers=[logging.getLogger("auditor")]):
            yield advance
    finally:
        if bar is not None:
            bar.close()
