"""Align: give every claim a story and a group of claims about the same thing.

Inside a story, a claim in one document is paired with at most one claim in each other
document: the one whose sentence reads most alike around the figure (scikit-learn TF-IDF
over the sentence with the claim's own figure masked as `qself` and every other figure as
`qnum`, so "$11.1bn from $10.9bn" gives its two figures different contexts). Only compatible
claims can pair: same dimension (count, percent, one currency, one kind of measure), same kind
of figure (a level, a rise or a fall), same role (a current figure, or an earlier one it is
compared with: "from $10.9bn"), and the same metric or counted noun when both have one
("20 boats and 76 deaths" never pair). The pairs are chosen per pair of documents by an
optimal one-to-one assignment (scipy), and chained into groups. The interval each claim
asserts is judged here too (auditor.judge), so the check stage only compares columns.
"""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd

from .columns import ALIGN_COLUMNS
from .judge import judge_intervals
from .rules import Rules
from .stories import assign_stories

CURRENT, PREVIOUS = "current", "previous"
_NUMBER = re.compile(r"\d[\d,.]*")


def align_claims(
    claims: pd.DataFrame,
    rules: Rules,
    documents: pd.DataFrame | None = None,
    story_overrides: dict | None = None,
) -> pd.DataFrame:
    """Return a copy of ``claims`` with the ALIGN_COLUMNS: story, group, role and interval."""
    aligned = claims.reset_index(drop=True).copy()
    if len(aligned) == 0:
        return aligned.assign(**{c: pd.Series(dtype=object) for c in ALIGN_COLUMNS})
    stories = assign_stories(_story_documents(aligned, documents), rules, story_overrides)
    aligned["story_id"] = aligned["doc_id"].astype(str).map(stories).fillna(aligned["doc_id"].astype(str))
    aligned = aligned.join(judge_intervals(aligned, rules))
    contexts = claim_contexts(aligned)
    aligned["role"] = [claim_role(context, rules.judgement.get("alignment", {})) for context in contexts]
    aligned["group_id"] = group_claims(aligned, contexts, rules.judgement.get("alignment", {}))
    return aligned


def _story_documents(claims: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The documents to group into stories; without them, each document's claim sentences stand in."""
    if documents is not None and len(documents):
        return documents
    sentences = claims.drop_duplicates(["doc_id", "sentence"]).groupby("doc_id", sort=False)
    return pd.DataFrame(
        {
            "doc_id": list(sentences.groups),
            "story": sentences["story"].first().to_numpy(),
            "published_at": sentences["published_at"].first().to_numpy(),
            "title": "",
            "text": sentences["sentence"].apply(lambda s: " ".join(s.fillna("").astype(str))).to_numpy(),
        }
    )


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
    """A group id per claim: pairs chosen per pair of documents, chained into groups."""
    from scipy.optimize import linear_sum_assignment
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True).fit_transform(contexts)
    subject = _subjects(aligned)
    kind = (aligned["dimension"] + "|" + aligned["change"].fillna("level").astype(str) + "|" + aligned["role"]).to_numpy()
    metric = aligned["metric"].fillna("").astype(str).to_numpy()
    bonus, threshold = float(settings.get("same_metric_bonus", 0.3)), float(settings.get("min_similarity", 0.5))
    position_bonus = float(settings.get("same_position_bonus", 0.0))
    position = aligned.sort_values("start").groupby(["doc_id", "sentence"], sort=False, dropna=False).cumcount().sort_index().to_numpy()
    links = []
    for _, story in aligned.groupby("story_id", sort=False).indices.items():
        by_doc = [np.asarray(ix) for ix in pd.Series(story).groupby(aligned["doc_id"].to_numpy()[story]).agg(list)]
        for a, b in combinations(by_doc, 2):
            score = (vectors[a] @ vectors[b].T).toarray()
            score += bonus * ((metric[a][:, None] == metric[b][None, :]) & (metric[a][:, None] != ""))
            score += position_bonus * (position[a][:, None] == position[b][None, :])
            compatible = (kind[a][:, None] == kind[b][None, :]) & _same_subject(subject[a], subject[b])
            score[~compatible] = -1.0
            rows, cols = linear_sum_assignment(score, maximize=True)
            links += [(score[i, j], a[i], b[j]) for i, j in zip(rows, cols) if score[i, j] >= threshold]
    roots = chain_links(links, aligned["doc_id"].to_numpy())
    return _group_labels(aligned, roots, subject)


def _subjects(aligned: pd.DataFrame) -> np.ndarray:
    """What a figure is about: its metric, else its counted noun in the singular."""
    counted = aligned["counted"].fillna("").astype(str).str.lower().str.strip().map(_singular)
    return aligned["metric"].fillna("").astype(str).where(aligned["metric"].notna() & (aligned["metric"] != ""), counted).to_numpy()


def _same_subject(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal subjects, or one of them unknown (the context then decides)."""
    return (a[:, None] == b[None, :]) | (a[:, None] == "") | (b[None, :] == "")


def _singular(noun: str) -> str:
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun


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


def chain_links(links: list[tuple], doc_ids: np.ndarray) -> np.ndarray:
    """Join linked claims into groups, best links first, never two claims of one document in a
    group: with three or more documents, a chain of pairs could otherwise join two figures that
    one document states separately."""
    parent = np.arange(len(doc_ids))
    docs: dict[int, set] = {}  # root -> documents in its group, kept for groups that grew
    for _, i, j in sorted(links, key=lambda link: -link[0]):
        ri, rj = _find(parent, i), _find(parent, j)
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
