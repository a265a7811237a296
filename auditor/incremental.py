"""Incremental extraction: bring the state store up to date with the input documents.

A document is extracted only when it is new, its content hash changed, or the
extractor changed since it was stored; the rest is marked as seen. Documents
stream through a bounded process pool and are committed in small batches, so
memory stays flat as the archive grows and a killed run keeps what it committed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from pathlib import Path

from .pool import OverBudget, parallel_map

OUTCOMES = ("new", "changed", "unchanged", "failed", "over_budget", "too_dense", "before_since")
# a document with more claims than this is a table or a number list, not an article: aligning it
# with every other document of its story would cost the square of its claims, so it is listed as
# skipped (number-dense) and tried again next run, like a document over the time budget
MAX_CLAIMS_PER_DOCUMENT = 2_000
DEFAULT_BUDGET = 10.0  # seconds of extraction per document; news articles take well under one
WARM_UP = {"doc_id": "", "text": "Officials said 3 boats and 40% of the $2m fund were lost."}



def refresh(
    store, run_id: int, documents: Iterable[dict], *, since=None, workers=None, progress=None, errors: list[dict],
    budget: float | None = DEFAULT_BUDGET,
    rules_dir: Path | None = None,
) -> dict:
    """Bring the store up to date with the input documents; counts of each outcome.

    Streams: unchanged documents are only marked as seen, the others go to the
    extractor a few at a time and are committed in small batches, so memory stays
    flat and a killed run keeps everything committed before the kill. A document whose
    extraction fails or runs past ``budget`` seconds is listed in ``errors`` and not
    stored, so the next run tries it again; the batch goes on.
    """
    from functools import partial

    from .extract import extract_document, extractor_version

    extractor = extractor_version(rules_dir)  # the rules folder actually used: --rules changes it
    counts = dict.fromkeys(OUTCOMES, 0)
    writer = _BatchWriter(store, run_id)

    def note(outcome: str) -> None:
        counts[outcome] += 1
        if progress is not None:
            progress(outcome)

    def todo():
        for doc in documents:
            if since is not None and doc["published_at"] and doc["published_at"][:10] < since.isoformat():
                note("before_since")
                continue
            digest = content_hash(doc)
            known = store.known(doc["doc_id"])
            if known is not None and tuple(known) == (digest, extractor):
                writer.seen(doc["doc_id"])
                note("unchanged")
                continue
            yield doc, digest, "new" if known is None else "changed"

    extract = partial(extract_document, rules_dir=rules_dir)  # the --rules folder, in every worker
    warm_up = lambda: extract(WARM_UP)  # noqa: E731  loads the rules before the workers fork
    for (doc, digest, outcome), claims in parallel_map(extract, todo(), workers, budget=budget, warm_up=warm_up):
        if isinstance(claims, OverBudget):
            errors.append({"input": doc["doc_id"], "reason": f"extraction ran {claims} per document; not audited, tried again next run"})
            note("over_budget")
            continue
        if isinstance(claims, Exception):  # recorded, not raised; the document is retried next run
            errors.append({"input": doc["doc_id"], "reason": f"extraction failed ({type(claims).__name__}: {claims})"})
            note("failed")
            continue
        if len(claims) > MAX_CLAIMS_PER_DOCUMENT:
            errors.append({"input": doc["doc_id"], "reason": f"number-dense: {len(claims):,} claims (more than "
                           f"{MAX_CLAIMS_PER_DOCUMENT:,} a document); not audited, tried again next run"})
            note("too_dense")
            continue
        writer.extracted(doc, digest, extractor, claims)
        note(outcome)
    writer.flush()
    return counts


class _BatchWriter:
    """Commit extracted documents and seen marks in small transactions (every 16 documents or 1 s)."""

    def __init__(self, store, run_id: int, size: int = 16, seconds: float = 1.0):
        self.store, self.run_id, self.size, self.seconds = store, run_id, size, seconds
        self.docs: list[tuple] = []
        self.seen_ids: list[str] = []
        self.last = time.monotonic()

    def extracted(self, doc: dict, digest: str, extractor: str, claims: list[dict]) -> None:
        self.docs.append((doc, digest, extractor, claims))
        self._maybe_flush()

    def seen(self, doc_id: str) -> None:
        self.seen_ids.append(doc_id)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if len(self.docs) >= self.size or len(self.seen_ids) >= 50 * self.size or time.monotonic() - self.last > self.seconds:
            self.flush()

    def flush(self) -> None:
        with self.store.transaction():
            for doc, digest, extractor, claims in self.docs:
                self.store.save_document(doc, digest, extractor, claims, self.run_id)
            self.store.mark_seen(self.seen_ids, self.run_id)
        self.docs, self.seen_ids, self.last = [], [], time.monotonic()


def content_hash(doc: dict) -> str:
    """Every field counts: source, date and story are copied into the claims."""
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
