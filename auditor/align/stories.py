"""Stories: which documents report the same event.

A document that carries `story` keeps it; a story override (``auditor run --stories FILE``)
wins over both. The others are grouped by the similarity of their words (scikit-learn
TF-IDF, cosine distance, average-linkage agglomerative clustering), and only with documents
published within a time window of each other. The settings live in rules/judgement.yaml
under `stories:`. An automatic story is named after its first document: "auto:<doc_id>".

It scales with the archive: no documents x documents matrix is ever built. Average linkage
only joins two clusters whose mean similarity reaches `min_similarity`, so at least one pair
across them must reach it too: every story lies inside one connected component of the sparse
graph of such pairs. That graph is found a block of rows at a time (and only against documents
inside the publication window), and the exact average-linkage clustering then runs inside each
component, which is as small as the story it holds. The result is the one a dense clustering of
all documents gives.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AuditorError
from ..ruleset import Rules

AUTO_PREFIX = "auto:"
# similarities computed at once when finding the graph (a block of rows x the window's documents)
_BLOCK_CELLS = 500_000
# tolerance on the similarity threshold: an edge too many is harmless, one too few is not
_EPSILON = 1e-9


def assign_stories(documents: pd.DataFrame, rules: Rules, overrides: dict | None = None, texts=None) -> dict[str, str]:
    """doc_id -> story id for every document: given, overridden, or found by clustering.

    ``texts`` (doc_ids -> their texts in that order, an iterator) stands in for a ``text``
    column the documents do not have (see :func:`text_vectors`)."""
    docs = documents.drop_duplicates("doc_id").reset_index(drop=True)
    if len(docs) == 0:
        return {str(doc): str(story) for doc, story in (overrides or {}).items()}
    # a missing story is NaN or None, whatever the column's dtype: never the story "nan"
    has_story = (docs["story"].notna() & (docs["story"].astype(str).str.strip() != "")).to_numpy()
    stories = {str(doc): str(story) for doc, story, given in zip(docs["doc_id"], docs["story"], has_story) if given}
    stories.update({str(doc): str(story) for doc, story in (overrides or {}).items()})
    loose = docs[~docs["doc_id"].astype(str).isin(list(stories))]
    stories.update(cluster_documents(loose, rules.judgement.get("stories", {}), texts))
    return stories


def cluster_documents(docs: pd.DataFrame, settings: dict, texts=None) -> dict[str, str]:
    """Group documents without a story by text similarity within a publication window."""
    if len(docs) == 0:
        return {}
    doc_ids = docs["doc_id"].astype(str).to_numpy()
    if len(docs) == 1:
        return {doc_ids[0]: AUTO_PREFIX + doc_ids[0]}
    min_similarity = float(settings.get("min_similarity", 0.5))
    window = float(settings.get("window_days", 3))
    vectors = text_vectors(docs, texts)
    days = publication_days(docs["published_at"])
    labels = np.empty(len(docs), dtype=np.int64)
    for number, members in enumerate(similar_components(vectors, days, window, min_similarity)):
        labels[members] = average_linkage(vectors[members], days[members], window, min_similarity) + len(docs) * number
    first_doc: dict = {}
    for label, doc in sorted(zip(labels, doc_ids), key=lambda pair: pair[1]):
        first_doc.setdefault(label, doc)
    return {doc: AUTO_PREFIX + first_doc[label] for doc, label in zip(doc_ids, labels)}


def text_vectors(docs: pd.DataFrame, texts=None):
    """The documents' titles and texts as TF-IDF vectors of unit length (sparse rows).

    Without a ``text`` column, ``texts(doc_ids)`` gives the texts as an iterator, and the
    vectorizer reads them one by one: no document text need be held for the whole run."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    titles = docs["title"].fillna("").astype(str)
    if "text" in docs.columns or texts is None:
        text = titles + "\n" + docs["text"].fillna("").astype(str)
    else:
        text = (f"{title}\n{body or ''}" for title, body in zip(titles, texts(docs["doc_id"].astype(str).tolist())))
    return TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float64).fit_transform(text).tocsr()


def publication_days(published_at: pd.Series) -> np.ndarray:
    """Days since the epoch for each publication time (NaN when unknown)."""
    days = pd.to_datetime(published_at, errors="coerce", utc=True, format="mixed")
    return (days - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy(dtype=float) / 86400.0


def similar_components(vectors, days: np.ndarray, window_days: float, min_similarity: float) -> list[np.ndarray]:
    """Positions of the documents in each connected component of the graph that links two
    documents published within the window whose similarity reaches min_similarity (sorted,
    components in order of their first document)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = vectors.shape[0]
    rows, cols = similar_pairs(vectors, days, window_days, min_similarity)
    graph = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    order = np.argsort(component, kind="stable")
    bounds = np.flatnonzero(np.diff(component[order])) + 1
    return sorted(np.split(order, bounds), key=lambda members: members[0])


def similar_pairs(vectors, days: np.ndarray, window_days: float, min_similarity: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) published within the window with similarity >= min_similarity, a block of
    rows at a time: documents sorted by date, each block compared only with the documents
    whose dates can fall in its window (and those without a date)."""
    n = vectors.shape[0]
    order = np.argsort(days, kind="stable")  # unknown dates (NaN) last
    known = int(np.count_nonzero(~np.isnan(days)))
    sorted_days = days[order]
    everyone = None  # all documents as columns, transposed once when the window holds them all
    rows, cols = [], []
    start = 0
    while start < n:
        if start < known:
            dated = sorted_days[:known]
            first = dated[start]
            lo = np.searchsorted(dated, first - window_days, side="left")
            estimate = np.searchsorted(dated, first + 2 * window_days, side="right") - lo + (n - known)
            last_in_window = np.searchsorted(dated, first + window_days, side="right")
            stop = min(start + max(1, _BLOCK_CELLS // max(1, estimate)), last_in_window)
            hi = np.searchsorted(dated, dated[stop - 1] + window_days, side="right")
            candidates = np.concatenate([order[lo:hi], order[known:]])
        else:  # undated documents: compared with every document
            stop = min(n, start + max(1, _BLOCK_CELLS // n))
            candidates = order
        block = order[start:stop]
        if len(candidates) == n:
            everyone = vectors[candidates].T.tocsr() if everyone is None else everyone
            similarity = (vectors[block] @ everyone).tocoo()
        else:
            similarity = (vectors[block] @ vectors[candidates].T).tocoo()
        i, j = block[similarity.row], candidates[similarity.col]
        keep = (similarity.data >= min_similarity - _EPSILON) & (i < j)
        keep &= _within_window(days[i], days[j], window_days)
        rows.append(i[keep])
        cols.append(j[keep])
        start = stop
    return np.concatenate(rows), np.concatenate(cols)


def average_linkage(vectors, days: np.ndarray, window_days: float, min_similarity: float) -> np.ndarray:
    """Cluster labels inside one component: average linkage over cosine distance, with pairs
    published outside the window at distance 1, merged while the distance stays below
    1 - min_similarity."""
    n = vectors.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    distance = np.clip(1.0 - (vectors @ vectors.T).toarray(), 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    distance[~_within_window(days[:, None], days[None, :], window_days)] = 1.0
    threshold = 1.0 - min_similarity
    if n == 2:
        return np.array([0, 0 if distance[0, 1] < threshold else 1])
    from sklearn.cluster import AgglomerativeClustering

    return AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold,
    ).fit_predict(distance)


def _within_window(a: np.ndarray, b: np.ndarray, window_days: float) -> np.ndarray:
    """Published at most window_days apart (an unknown date fits any)."""
    gap = np.abs(a - b)
    return np.isnan(gap) | (gap <= float(window_days))


def within_window(published_at: pd.Series, window_days: float) -> np.ndarray:
    """Pairs of documents published at most window_days apart, as a dense matrix (small inputs only)."""
    days = publication_days(published_at)
    return _within_window(days[:, None], days[None, :], window_days)


def read_story_overrides(path: str | Path) -> dict[str, str]:
    """doc_id -> story from a CSV with columns doc_id, story (``auditor run --stories FILE``).

    A missing or malformed file is a user error naming the file and line.
    """
    path = Path(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise AuditorError(f"stories file {path}: cannot read ({exc.strerror or exc})") from None
    overrides: dict[str, str] = {}
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in ("doc_id", "story") if name not in header]
            if missing:
                raise AuditorError(f"{path}, line 1: the header needs columns doc_id, story (missing: {', '.join(missing)})")
            reader.fieldnames = header
            for row in reader:
                line = reader.line_num
                doc, story = (row.get("doc_id") or "").strip(), (row.get("story") or "").strip()
                if None in row:
                    raise AuditorError(f"{path}, line {line}: more fields than the header names")
                if not doc or not story:
                    raise AuditorError(f"{path}, line {line}: doc_id and story must both be given")
                if overrides.get(doc, story) != story:
                    raise AuditorError(f"{path}, line {line}: document {doc!r} is given two stories ({overrides[doc]!r} and {story!r})")
                overrides[doc] = story
        except (csv.Error, UnicodeDecodeError) as exc:
            raise AuditorError(f"{path}, line {getattr(reader, 'line_num', 0) or 1}: not a readable CSV ({exc})") from None
    return overrides
