"""Stories: which documents report the same event.

A document that carries `story` keeps it (that is also how a user overrides the grouping).
The others are grouped by the similarity of their words (scikit-learn TF-IDF, cosine
distance, average-linkage agglomerative clustering), and only with documents published
within a time window of each other. The settings live in rules/judgement.yaml under
`stories:`. An automatic story is named after its first document: "auto:<doc_id>".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rules import Rules

AUTO_PREFIX = "auto:"


def assign_stories(documents: pd.DataFrame, rules: Rules, overrides: dict | None = None) -> dict[str, str]:
    """doc_id -> story id for every document: given, overridden, or found by clustering."""
    docs = documents.drop_duplicates("doc_id").reset_index(drop=True)
    if len(docs) == 0:
        return {str(doc): str(story) for doc, story in (overrides or {}).items()}
    given = docs["story"].where(docs["story"].notna() & (docs["story"].astype(str) != ""), None)
    stories = {doc: str(story) for doc, story in zip(docs["doc_id"], given) if story is not None}
    stories.update({str(doc): str(story) for doc, story in (overrides or {}).items()})
    loose = docs[~docs["doc_id"].isin(list(stories))]
    stories.update(cluster_documents(loose, rules.judgement.get("stories", {})))
    return stories


def cluster_documents(docs: pd.DataFrame, settings: dict) -> dict[str, str]:
    """Group documents without a story by text similarity within a publication window."""
    if len(docs) == 0:
        return {}
    doc_ids = docs["doc_id"].astype(str).to_numpy()
    if len(docs) == 1:
        return {doc_ids[0]: AUTO_PREFIX + doc_ids[0]}
    from sklearn.cluster import AgglomerativeClustering

    distance = text_distance(docs)
    distance[~within_window(docs["published_at"], settings.get("window_days", 3))] = 1.0
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=1.0 - float(settings.get("min_similarity", 0.5)),
    ).fit_predict(distance)
    first_doc = {}
    for label, doc in sorted(zip(labels, doc_ids), key=lambda pair: pair[1]):
        first_doc.setdefault(label, doc)
    return {doc: AUTO_PREFIX + first_doc[label] for doc, label in zip(doc_ids, labels)}


def text_distance(docs: pd.DataFrame) -> np.ndarray:
    """Cosine distance between the documents' titles and texts, as TF-IDF vectors."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    text = docs["title"].fillna("").astype(str) + "\n" + docs["text"].fillna("").astype(str)
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(text)
    return np.clip(cosine_distances(vectors), 0.0, 1.0)


def within_window(published_at: pd.Series, window_days: float) -> np.ndarray:
    """Pairs of documents published at most window_days apart (an unknown date fits any)."""
    days = pd.to_datetime(published_at, errors="coerce", utc=True, format="mixed")
    stamp = (days - pd.Timestamp(0, tz="UTC")).dt.total_seconds().to_numpy() / 86400.0
    gap = np.abs(stamp[:, None] - stamp[None, :])
    return np.isnan(gap) | (gap <= float(window_days))
