"""Align a run a block of stories at a time: the same result as aligning it whole, in memory
that grows with the largest block instead of with the run.

Everything align computes looks inside one story (a claim's frame inside its document, candidate
pairs inside a story, groups inside those pairs) except two things, which are computed for the
whole run first and handed to each block: the stories themselves (documents are clustered
across the run) and the inverse document frequencies of the sentence contexts. Each block of
whole stories is then aligned by :func:`~auditor.align.groups.align_claims`, and the blocks are
put back in the claims' order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..ruleset import Rules
from .groups import align_claims, claim_contexts, context_idf
from .stories import assign_stories

BLOCK_CLAIMS = 2_000  # claims aligned at once (a story larger than this is one block of its own); 1,000-10,000 measured at 4,450 documents


def align_in_blocks(
    claims: pd.DataFrame,
    rules: Rules,
    documents: pd.DataFrame | None = None,
    story_overrides: dict | None = None,
    texts=None,
    block_claims: int = BLOCK_CLAIMS,
) -> pd.DataFrame:
    """:func:`~auditor.align.groups.align_claims` of ``claims``, a block of stories at a time.

    Without documents (stories then come from the claims' sentences) or with fewer claims than a
    block, the claims are aligned whole."""
    if documents is None or len(documents) == 0 or len(claims) <= block_claims:
        return align_claims(claims, rules, documents, story_overrides=story_overrides, texts=texts)
    claims = claims.reset_index(drop=True)
    stories = assign_stories(documents, rules, story_overrides, texts)
    doc_ids = claims["doc_id"].astype(str)
    blocks = story_blocks(doc_ids.map(stories).fillna(doc_ids).to_numpy(), block_claims)
    idf = context_idf(claim_contexts(claims))
    # every document now has its story: the blocks only look them up (no clustering, no texts)
    parts = [align_claims(claims.take(rows), rules, documents, story_overrides=stories, idf=idf) for rows in blocks]
    del claims
    return in_claim_order(parts, np.concatenate(blocks))


def story_blocks(story: np.ndarray, block_claims: int) -> list[np.ndarray]:
    """The claims' positions split into blocks of whole stories of about ``block_claims`` claims,
    each block's positions in claim order."""
    codes, _ = pd.factorize(story)
    sizes = np.bincount(codes)
    block_of_story = np.zeros(len(sizes), dtype=np.int64)
    block, filled = 0, 0
    for code, size in enumerate(sizes):
        if filled and filled + size > block_claims:
            block, filled = block + 1, 0
        block_of_story[code] = block
        filled += size
    block_of_claim = block_of_story[codes]
    order = np.argsort(block_of_claim, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(block_of_claim[order])) + 1)


def in_claim_order(parts: list[pd.DataFrame], positions: np.ndarray) -> pd.DataFrame:
    """The aligned blocks as one table, row i the claim that was at position i. A column whose
    dtype differs between blocks (all None in one, numbers in another) is inferred again from
    its values, as it would have been from the whole run's."""
    mixed = [c for c in parts[0].columns if len({str(part[c].dtype) for part in parts}) > 1]
    aligned = pd.concat(parts, ignore_index=True)
    parts.clear()
    for column in mixed:
        aligned[column] = pd.Series(aligned[column].tolist(), dtype=None)
    return aligned.take(np.argsort(positions, kind="stable")).reset_index(drop=True)
