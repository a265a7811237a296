"""Align: give every claim a story, a frame and a group of claims about the same quantity.

Stories come from the input or from clustering (auditor.align.stories); the interval each claim
asserts is judged here (auditor.align.judge), so the check stage only compares columns; each
claim gets its frame (auditor.align.frames: what it measures, whose, when, in what role) and
its sentence context: its sentence with its own figure masked as `qself` and every other figure
as `qnum` (TF-IDF over hashed words and word pairs), so "$11.1bn from $10.9bn" gives its two
figures different contexts. The pair model (auditor.align.pairs, fitted trees named by rules/links.yaml)
scores every pair of claims from two documents of one story with one dimension and kind, and
groups are formed by average linkage over those scores. Each claim carries the confidence of
its strongest link and the words that link shares.
"""

from __future__ import annotations

import re
import numpy as np
import pandas as pd

from ..columns import ALIGN_COLUMNS
from .judge import judge_intervals
from ..ruleset import Rules
from .frames import claim_frames, states_a_number
from .pairs import average_linkage_groups, candidate_pairs, claim_heads, link_words, link_probabilities, pair_features, pair_model
from .stories import assign_stories

CURRENT, PREVIOUS = "current", "previous"
_NUMBER = re.compile(r"\d[\d,.]*")


def align_claims(
    claims: pd.DataFrame,
    rules: Rules,
    documents: pd.DataFrame | None = None,
    story_overrides: dict | None = None,
    texts=None,
    idf=None,
) -> pd.DataFrame:
    """Return a copy of ``claims`` with the ALIGN_COLUMNS: story, group, role and interval.

    ``texts`` (doc_ids -> an iterator of their texts) is read when ``documents`` has no ``text`` column.
    ``idf``: :func:`context_idf` of a whole run when ``claims`` are a block of its stories (auditor.align.blocks)."""
    aligned, contexts = frame_claims(claims, rules, documents, story_overrides, texts)
    if len(aligned) == 0:
        return aligned.assign(**{c: pd.Series(dtype=object) for c in ALIGN_COLUMNS})
    model = pair_model(str(rules.directory))
    left, right, block, prob = pair_probabilities(aligned, contexts, model, idf=idf)
    doc = pd.factorize(aligned["doc_id"].astype(str))[0]
    roots = average_linkage_groups(len(aligned), left, right, block, prob, doc, model["link_threshold"],
                                   aligned["lo"].to_numpy(dtype=float), aligned["hi"].to_numpy(dtype=float))
    aligned["group_id"] = _group_labels(aligned, roots, claim_heads(aligned))
    confidence, words = link_evidence(aligned, roots, left, right, prob)
    aligned["link_confidence"], aligned["link_words"] = confidence, words
    return aligned.drop(columns=["_window", "_near", "_named", "_mates"])


def frame_claims(claims: pd.DataFrame, rules: Rules, documents=None, story_overrides=None, texts=None):
    """The claims with their story, interval, role and frame (and `_window`, the words beside
    the figure), and each claim's masked sentence context."""
    aligned = claims.reset_index(drop=True).copy()
    if len(aligned) == 0:
        return aligned, []
    stories = assign_stories(_story_documents(aligned, documents), rules, story_overrides, texts)
    aligned["story_id"] = aligned["doc_id"].astype(str).map(stories).fillna(aligned["doc_id"].astype(str))
    aligned = aligned.join(judge_intervals(aligned, rules))
    contexts = claim_contexts(aligned)
    aligned["role"] = [claim_role(context, rules.judgement.get("alignment", {})) for context in contexts]
    aligned = aligned.join(claim_frames(aligned, str(rules.directory), aligned["role"] == PREVIOUS))
    aligned["_window"] = [window_tokens(context).replace("l_", "").replace("r_", "") for context in contexts]
    aligned["_near"] = near_words(contexts, rules)
    # a declared metric stated as a number: an implied count ("a woman was killed") is weaker evidence
    aligned["_named"] = aligned["metric"].isin(rules.named_metrics()) & aligned["surface"].map(states_a_number)
    aligned["_mates"] = sentence_mates(aligned)
    return aligned, contexts


def pair_table(aligned: pd.DataFrame, contexts: list[str]):
    """(left, right, block, features) of every candidate pair (auditor.align.pairs)."""
    left, right, block = candidate_pairs(aligned)
    context = pair_similarity(context_vectors(contexts), left, right) if len(left) else np.zeros(0)
    return left, right, block, pair_features(aligned, context, left, right)


def pair_probabilities(aligned: pd.DataFrame, contexts: list[str], model: dict, max_pairs: int = 200_000, idf=None):
    """(left, right, block, probability) of every candidate pair, with the features computed a few
    whole blocks at a time: a pair's features only look at pairs of its own block, and holding every
    pair's features at once cost ~230 bytes a pair (near copies of articles make millions of pairs)."""
    left, right, block = candidate_pairs(aligned)
    prob = np.zeros(len(left))
    if len(left) == 0:
        return left, right, block, prob
    vectors = context_vectors(contexts, idf=idf)
    edges = np.flatnonzero(np.r_[True, block[1:] != block[:-1], True])  # where each block's pairs start
    start = 0
    while start < len(left):
        stop = edges[np.searchsorted(edges, start + max_pairs, side="right") - 1]
        stop = stop if stop > start else edges[np.searchsorted(edges, start, side="right")]
        l, r = left[start:stop], right[start:stop]
        features = pair_features(aligned, pair_similarity(vectors, l, r), l, r)
        prob[start:stop] = link_probabilities(features, model)
        start = stop
    return left, right, block, prob


def link_evidence(aligned: pd.DataFrame, roots: np.ndarray, left, right, prob) -> tuple[list, list]:
    """Per claim, the probability of its strongest link inside its group and the words that link
    shares (None and "" for a claim alone in its group)."""
    same = roots[left] == roots[right]
    best: dict[int, tuple[float, int]] = {}
    for a, b, p in zip(left[same], right[same], prob[same]):
        for x, y in ((a, b), (b, a)):
            if p > best.get(x, (-1.0, -1))[0]:
                best[x] = (float(p), int(y))
    confidence = [round(best[i][0], 3) if i in best else None for i in range(len(aligned))]
    frame = {key: aligned[key].tolist() for key in ("measured", "metric", "entity")}
    if "_near" in aligned:
        frame["near"] = aligned["_near"].tolist()
    words = [link_words(frame, i, best[i][1]) if i in best else "" for i in range(len(aligned))]
    return confidence, words


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


def near_words(contexts: list[str], rules: Rules, width: int = 6) -> list[frozenset]:
    """The content words within ``width`` words of each figure, singular, without the small
    words of rules/frames.yaml: "served four months in federal prison" and "served five months
    in federal prison" share {serve?, month, federal, prison} whatever else their sentences say."""
    from .frames import frame_words
    from ..extract.counted import singular

    words = frame_words(str(rules.directory))
    skip = set(words["determiners"]) | set(words["phrase_stop"]) | set(words["not_entities"]) | {"qnum", "s"}
    out = []
    for context in contexts:
        before, _, after = context.partition("qself")
        left = [w for w in re.findall(r"[a-z][a-z'-]*", before)][-width:]
        right = [w for w in re.findall(r"[a-z][a-z'-]*", after) if not w.startswith(("l_", "r_"))][:width]
        out.append(frozenset(singular(w) for w in left + right if w not in skip and len(w) > 1))
    return out


def sentence_mates(aligned: pd.DataFrame) -> list[frozenset]:
    """The other values stated in each claim's sentence: two outlets that write "beat the Chiefs
    20-13" or "29 of 34 for 364 yards and three touchdowns" state the same figures around the one
    compared, whatever words they use."""
    key = aligned["doc_id"].astype(str) + "\x00" + aligned["sentence"].fillna("").astype(str)
    value = aligned["value"].astype(float).round(6).to_numpy()
    out: list[frozenset] = [frozenset()] * len(aligned)
    for rows in pd.Series(np.arange(len(aligned))).groupby(key.to_numpy()).agg(list):
        if len(rows) < 2:
            continue
        values = {value[i] for i in rows}
        for i in rows:
            out[i] = frozenset(values - {value[i]})
    return out


def claim_role(context: str, settings: dict) -> str:
    """previous when the words around the figure mark it as an earlier value ("up from $10.9bn")."""
    before, _, after = context.partition("qself")
    before_words, after_words = " ".join(before.split()[-3:]), " ".join(after.split()[:4])
    if any(before_words.endswith(marker) for marker in settings.get("previous_before", [])):
        return PREVIOUS
    if any(after_words.startswith(marker) for marker in settings.get("previous_after", [])):
        return PREVIOUS
    return CURRENT


def pair_similarity(vectors, left: np.ndarray, right: np.ndarray, chunk: int = 5_000) -> np.ndarray:
    """Cosine similarity of each pair of rows (rows are unit length), a chunk of pairs at a time
    (each side of a chunk copies its rows' terms: 50,000 pairs took some 70 MB)."""
    out = np.empty(len(left), dtype=float)
    for at in range(0, len(left), chunk):
        l, r = left[at:at + chunk], right[at:at + chunk]
        out[at:at + chunk] = np.asarray(vectors[l].multiply(vectors[r]).sum(axis=1)).ravel()
    return out


def context_vectors(contexts: list[str], n_features: int = 2**24, chunk: int = 5000, idf=None):
    """TF-IDF of the contexts' words and word pairs (sublinear tf, smooth idf, rows of unit
    length), with the terms hashed instead of kept in a vocabulary, hashed a chunk at a time.

    Weighted a chunk at a time too (the weights of a row do not depend on the others once the
    document frequencies are known), and the chunks are copied into the one matrix as they are
    let go: whole-matrix temporaries cost several times the matrix itself. ``idf``: (terms, weights)
    of :func:`context_idf` over a larger set of contexts that holds these, else computed from these."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    hasher = _context_hasher(n_features)
    parts = [hasher.transform(contexts[at:at + chunk]) for at in range(0, len(contexts), chunk)]
    for part in parts:
        part.sum_duplicates()
    terms, idf = idf if idf is not None else _idf([np.unique(part.indices, return_counts=True) for part in parts], len(contexts))
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


def context_idf(contexts: list[str], n_features: int = 2**24, chunk: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """(terms, inverse document frequencies) of the contexts' hashed terms, as :func:`context_vectors`
    weighs them; hashed a chunk at a time and only each chunk's term counts kept."""
    hasher = _context_hasher(n_features)
    seen = []
    for at in range(0, len(contexts), chunk):
        part = hasher.transform(contexts[at:at + chunk])
        part.sum_duplicates()
        seen.append(np.unique(part.indices, return_counts=True))
    return _idf(seen, len(contexts))


def _context_hasher(n_features: int):
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", n_features=n_features, alternate_sign=False, norm=None,
    )


def _idf(seen: list[tuple[np.ndarray, np.ndarray]], documents: int) -> tuple[np.ndarray, np.ndarray]:
    """Smooth idf of each term from (terms, counts) per chunk: document frequencies summed over the chunks."""
    terms, inverse = np.unique(np.concatenate([t for t, _ in seen] or [np.zeros(0, dtype=np.int32)]), return_inverse=True)
    df = np.bincount(inverse, weights=np.concatenate([c for _, c in seen] or [np.zeros(0)]), minlength=len(terms)).astype(np.int64)
    return terms, smooth_idf(df, documents)


def smooth_idf(df: np.ndarray, documents: int) -> np.ndarray:
    """scikit-learn's smooth idf of terms found in ``df`` of ``documents`` contexts (the Spark
    engine sums the counts over its tasks and weighs the run's contexts alike)."""
    return np.log((1.0 + documents) / (1.0 + df)) + 1.0


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
