"""Align: give every claim a story and a group of claims about the same thing.

Inside a story, a claim in one document is paired with at most one claim in each other
document: the one whose sentence reads most alike around the figure (scikit-learn TF-IDF
over the sentence with the claim's own figure masked as `qself` and every other figure as
`qnum`, so "$11.1bn from $10.9bn" gives its two figures different contexts). Only compatible
claims can pair: same dimension (count, percent, one currency, one kind of measure), same kind
of figure (a level, a rise or a fall), same role (a current figure, or an earlier one it is
compared with: "from $10.9bn"), and the same metric or counted noun when both have one
("20 boats and 76 deaths" never pair). Candidate pairs are linked best first into groups that
never hold two claims of one document. The interval each claim asserts is judged here too
(auditor.align.judge), so the check stage only compares columns.
"""

from __future__ import annotations

import re
import numpy as np
import pandas as pd

from ..extract.counted import singular
from ..columns import ALIGN_COLUMNS
from .judge import judge_intervals
from ..ruleset import Rules
from .stories import assign_stories

CURRENT, PREVIOUS = "current", "previous"
_NUMBER = re.compile(r"\d[\d,.]*")


def align_claims(
    claims: pd.DataFrame,
    rules: Rules,
    documents: pd.DataFrame | None = None,
    story_overrides: dict | None = None,
    texts=None,
) -> pd.DataFrame:
    """Return a copy of ``claims`` with the ALIGN_COLUMNS: story, group, role and interval.

    ``texts`` (doc_ids -> an iterator of their texts) is read when ``documents`` has no ``text`` column."""
    aligned = claims.reset_index(drop=True).copy()
    if len(aligned) == 0:
        return aligned.assign(**{c: pd.Series(dtype=object) for c in ALIGN_COLUMNS})
    stories = assign_stories(_story_documents(aligned, documents), rules, story_overrides, texts)
    aligned["story_id"] = aligned["doc_id"].astype(str).map(stories).fillna(aligned["doc_id"].astype(str))
    aligned = aligned.join(judge_intervals(aligned, rules))
    contexts = claim_contexts(aligned)
    aligned["role"] = [claim_role(context, rules.judgement.get("alignment", {})) for context in contexts]
    aligned["group_id"] = group_claims(aligned, contexts, rules.judgement.get("alignment", {}))
    return aligned


def _story_documents(claims: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The documents to group into stories; without them, the claims' documents with their
    story, and for those without one, their claim sentences standing in for the text."""
    if documents is not None and len(documents):
        return documents
    docs = claims.drop_duplicates("doc_id")[["doc_id", "story", "published_at"]].assign(title="")
    loose = claims[claims["story"].isna() | (claims["story"].astype(str) == "")].drop_duplicates(["doc_id", "sentence"])
    text = loose.groupby("doc_id", sort=False)["sentence"].agg(lambda s: " ".join(s.fillna("").astype(str)))
    return docs.assign(text=docs["doc_id"].map(text).astype(object).fillna(""))


def claim_contexts(claims: pd.DataFrame) -> list[str]:
    """Each claim's sentence with its own figure as `qself` and every other figure as `qnum`."""
    occurrence = claims.groupby(["doc_id", "sentence", "surface"], sort=False, dropna=False).cumcount()
    return [
        mask_sentence(str(sentence or ""), str(surface or ""), int(nth))
        for sentence, surface, nth in zip(claims["sentence"], claims["surface"], occurrence)
    ]


def mask_sentence(sentence: str, surface: str, nth: int = 0) -> str:
    """Replace the nth occurrence of the surface with qself, other numbers with qnum."""
    at = -1
    for _ in range(nth + 1):
        at = sentence.find(surface, at + 1) if surface else -1
        if at < 0:
            break
    if at < 0:  # the sentence does not contain the figure as written: context without its position
        return _NUMBER.sub(" qnum ", sentence).lower() + " qself"
    before, after = sentence[:at], sentence[at + len(surface):]
    masked = (_NUMBER.sub(" qnum ", before) + " qself " + _NUMBER.sub(" qnum ", after)).lower()
    return masked + " " + window_tokens(masked)


def window_tokens(masked: str, width: int = 3) -> str:
    """The words right beside the figure, tagged by side: in a list of figures ("A took $5m,
    B took $8m") the whole sentence is shared, only the neighbours tell the figures apart."""
    before, _, after = masked.partition("qself")
    left = [f"l_{w}" for w in re.findall(r"\w+", before)[-width:]]
    right = [f"r_{w}" for w in re.findall(r"\w+", after)[:width]]
    return " ".join(left + right)


def claim_role(context: str, settings: dict) -> str:
    """previous when the words around the figure mark it as an earlier value ("up from $10.9bn")."""
    before, _, after = context.partition("qself")
    before_words, after_words = " ".join(before.split()[-3:]), " ".join(after.split()[:4])
    if any(before_words.endswith(marker) for marker in settings.get("previous_before", [])):
        return PREVIOUS
    if any(after_words.startswith(marker) for marker in settings.get("previous_after", [])):
        return PREVIOUS
    return CURRENT


def group_claims(aligned: pd.DataFrame, contexts: list[str], settings: dict) -> list[str]:
    """A group id per claim: candidate pairs scored, then linked best first into groups.

    Memory is bounded by the largest block of claims that can pair (one story, one kind of
    figure, one subject), never by the archive: the contexts are hashed (no vocabulary of the
    archive's word pairs is kept) and the pairs are made and scored a few blocks at a time,
    keeping only those similar enough to link.
    """
    vectors = context_vectors(contexts)
    subject = _subjects(aligned)
    position = aligned.sort_values("start").groupby(["doc_id", "sentence"], sort=False, dropna=False).cumcount().sort_index().to_numpy()
    subject_bonus = float(settings.get("same_subject_bonus", 0.5))
    position_bonus = float(settings.get("same_position_bonus", 0.0))
    min_similarity = float(settings.get("min_similarity", 0.5))
    kept_left, kept_right, kept_score = [], [], []
    for left, right in candidate_pairs(aligned, subject):
        score = pair_similarity(vectors, left, right)
        score += subject_bonus * ((subject[left] == subject[right]) & (subject[left] != ""))
        score += position_bonus * (position[left] == position[right])
        keep = score >= min_similarity
        kept_left.append(left[keep])
        kept_right.append(right[keep])
        kept_score.append(score[keep])
    left, right, score = (np.concatenate(parts) if parts else np.array([], dtype=dt)
                          for parts, dt in ((kept_left, np.int64), (kept_right, np.int64), (kept_score, float)))
    order = np.lexsort((right, left))  # a fixed order, so ties in score link the same way every run
    roots = chain_links(score[order], left[order], right[order], aligned["doc_id"].to_numpy())
    return _group_labels(aligned, roots, subject)


def pair_similarity(vectors, left: np.ndarray, right: np.ndarray, chunk: int = 5_000) -> np.ndarray:
    """Cosine similarity of each pair of rows (rows are unit length), a chunk of pairs at a time
    (each side of a chunk copies its rows' terms: 50,000 pairs took some 70 MB)."""
    out = np.empty(len(left), dtype=float)
    for at in range(0, len(left), chunk):
        l, r = left[at:at + chunk], right[at:at + chunk]
        out[at:at + chunk] = np.asarray(vectors[l].multiply(vectors[r]).sum(axis=1)).ravel()
    return out


def context_vectors(contexts: list[str], n_features: int = 2**24, chunk: int = 5000):
    """TF-IDF of the contexts' words and word pairs (sublinear tf, smooth idf, rows of unit
    length), with the terms hashed instead of kept in a vocabulary, hashed a chunk at a time.

    Weighted a chunk at a time too (the weights of a row do not depend on the others once the
    document frequencies are known), and the chunks are copied into the one matrix as they are
    let go: whole-matrix temporaries cost several times the matrix itself."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    hasher = HashingVectorizer(
        ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", n_features=n_features, alternate_sign=False, norm=None,
    )
    parts = [hasher.transform(contexts[at:at + chunk]) for at in range(0, len(contexts), chunk)]
    for part in parts:
        part.sum_duplicates()
    # document frequency of each term: per chunk, then summed over the chunks
    seen = [np.unique(part.indices, return_counts=True) for part in parts]
    terms, inverse = np.unique(np.concatenate([t for t, _ in seen] or [np.zeros(0, dtype=np.int32)]), return_inverse=True)
    df = np.bincount(inverse, weights=np.concatenate([c for _, c in seen] or [np.zeros(0)]), minlength=len(terms)).astype(np.int64)
    del seen, inverse
    idf = np.log((1.0 + len(contexts)) / (1.0 + df)) + 1.0
    nnz = sum(part.nnz for part in parts)
    data, indices = np.empty(nnz, dtype=np.float64), np.empty(nnz, dtype=np.int32)
    indptr = np.zeros(len(contexts) + 1, dtype=np.int64)
    row = at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        part.data = (1.0 + np.log(part.data)) * idf[np.searchsorted(terms, part.indices)]
        normalize(part, norm="l2", copy=False)
        rows = part.shape[0]
        data[at:at + part.nnz], indices[at:at + part.nnz] = part.data, part.indices
        indptr[row + 1:row + rows + 1] = part.indptr[1:] + at
        row, at = row + rows, at + part.nnz
        del part
    return csr_matrix((data, indices, indptr), shape=(len(contexts), n_features))


def candidate_pairs(aligned: pd.DataFrame, subject: np.ndarray, batch: int = 200_000):
    """Positions (left, right) of every compatible pair of claims from two documents of one story,
    in batches: same dimension, same kind (level, rise, fall), same role, and the same subject
    when both have one. The left claim's document sorts first. Pairs are made inside blocks:
    claims with one subject among themselves, and claims without a subject with every claim of
    their story and kind."""
    kind = aligned["dimension"].astype(str) + "|" + aligned["change"].fillna("level").astype(str) + "|" + aligned["role"].astype(str)
    story_kind = pd.factorize(pd.Series(list(zip(aligned["story_id"].astype(str), kind))))[0] if len(aligned) else np.array([], dtype=np.int64)
    doc = pd.factorize(aligned["doc_id"].astype(str), sort=True)[0]  # ranks follow the documents' sort order
    has_subject = subject != ""
    subject_code = pd.factorize(subject)[0]
    # blocks of claims that pair among themselves: (story, kind, subject), subject given
    same = np.flatnonzero(has_subject)
    yield from _block_pairs(same, pd.factorize(pd.Series(list(zip(story_kind[same], subject_code[same]))))[0] if len(same) else same,
                            same, np.zeros(0, dtype=np.int64), doc, batch)
    # claims without a subject pair with every claim of their (story, kind)
    bare = np.flatnonzero(~has_subject)
    if len(bare):
        keys_with_bare = np.unique(story_kind[bare])
        members = np.flatnonzero(np.isin(story_kind, keys_with_bare))
        yield from _block_pairs(members, story_kind[members], bare, has_subject, doc, batch, one_bare=True)


def _block_pairs(members: np.ndarray, block: np.ndarray, left_pool: np.ndarray, has_subject: np.ndarray,
                 doc: np.ndarray, batch: int, one_bare: bool = False):
    """Pairs inside each block of ``members``, a batch of blocks at a time. With ``one_bare``,
    only pairs with a claim without subject on the left (``left_pool``), each unordered pair once."""
    if len(members) == 0:
        return
    order = np.lexsort((members, block))
    members, block = members[order], block[order]
    starts = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    sizes = np.diff(np.r_[starts, len(members)])
    in_pool = np.isin(members, left_pool) if one_bare else np.ones(len(members), dtype=bool)
    cells = np.cumsum(sizes * sizes)
    first = 0
    while first < len(starts):
        last = int(np.searchsorted(cells, (cells[first - 1] if first else 0) + batch, side="right"))
        last = max(last, first + 1)
        lo, hi = starts[first], starts[last - 1] + sizes[last - 1]
        size = np.repeat(sizes[first:last], sizes[first:last])  # block size of each member
        begin = np.repeat(starts[first:last], sizes[first:last])
        at = np.arange(lo, hi)
        keep = in_pool[at]
        at, size, begin = at[keep], size[keep], begin[keep]
        i = np.repeat(at, size)
        j = np.repeat(begin, size) + (np.arange(len(i)) - np.repeat(np.cumsum(size) - size, size))
        left, right = members[i], members[j]
        if one_bare:  # bare x subject: orient by document; bare x bare: each pair once
            valid = (doc[left] != doc[right]) & (has_subject[right] | (doc[left] < doc[right]))
            left, right = left[valid], right[valid]
            swap = doc[left] > doc[right]
            left, right = np.where(swap, right, left), np.where(swap, left, right)
        else:
            valid = doc[left] < doc[right]
            left, right = left[valid], right[valid]
        yield left, right
        first = last


def _subjects(aligned: pd.DataFrame) -> np.ndarray:
    """What a figure is about: its metric, else its counted noun in the singular."""
    counted = aligned["counted"].fillna("").astype(str).str.lower().str.strip().map(singular)
    return aligned["metric"].fillna("").astype(str).where(aligned["metric"].notna() & (aligned["metric"] != ""), counted).to_numpy()


def _group_labels(aligned: pd.DataFrame, roots: np.ndarray, subject: np.ndarray) -> list[str]:
    """story|subject-or-dimension|n: readable, and stable for the same claims in the same order."""
    labels, numbers = {}, {}
    out = []
    for story, root, subj, dim in zip(aligned["story_id"], roots, subject, aligned["dimension"]):
        if root not in labels:
            stem = f"{story}|{subj or dim}"
            numbers[stem] = numbers.get(stem, 0) + 1
            labels[root] = f"{stem}|{numbers[stem]}"
        out.append(labels[root])
    return out


def chain_links(score: np.ndarray, left: np.ndarray, right: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
    """Join linked claims into groups, best links first, and never two claims of one document
    in a group. So each claim pairs with at most one claim of each other document (the one it
    reads most alike), and with three or more documents a chain of pairs cannot join two
    figures that one document states separately."""
    parent = np.arange(len(doc_ids))
    docs: dict[int, set] = {}  # root -> documents in its group, kept for groups that grew
    for k in np.argsort(-score, kind="stable"):
        ri, rj = _find(parent, left[k]), _find(parent, right[k])
        docs_i, docs_j = docs.get(ri, {doc_ids[ri]}), docs.get(rj, {doc_ids[rj]})
        if ri != rj and not docs_i & docs_j:
            parent[max(ri, rj)] = min(ri, rj)
            docs[min(ri, rj)] = docs_i | docs_j
    return np.array([_find(parent, i) for i in range(len(doc_ids))])


def _find(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return int(i)
