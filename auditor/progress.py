"""Progress for the CLI: a tqdm bar on a terminal, nothing when output goes to a log."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """Yield a callback for ``pipeline.run(progress=...)``, or None when disabled.

    The number of documents is not known in advance (inputs are streamed), so the
    bar counts documents and shows the rate, with new/changed/unchanged so far.
    """
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    counts: Counter = Counter()
    with tqdm(desc="documents", unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False) as bar:

        def advance(outcome: str) -> None:
            counts[outcome] += 1
            bar.set_postfix(counts, refresh=False)
            bar.update(1)

        yield advance
