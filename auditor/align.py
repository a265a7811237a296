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
(auditor.judge), so the check stage only compares columns.
"""

from __future__ import annotations

import re
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
    """A group id per claim: candidate pairs scored, then linked best first into groups."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True).fit_transform(contexts)
    subject = _subjects(aligned)
    left, right = candidate_pairs(aligned, subject)
    position = aligned.sort_values("start").groupby(["doc_id", "sentence"], sort=False, dropna=False).cumcount().sort_index().to_numpy()
    score = np.asarray(vectors[left].multiply(vectors[right]).sum(axis=1)).ravel()  # cosine: rows are unit length
    score += float(settings.get("same_subject_bonus", 0.5)) * ((subject[left] == subject[right]) & (subject[left] != ""))
    score += float(settings.get("same_position_bonus", 0.0)) * (position[left] == position[right])
    keep = score >= float(settings.get("min_similarity", 0.5))
    roots = chain_links(score[keep], left[keep], right[keep], aligned["doc_id"].to_numpy())
    return _group_labels(aligned, roots, subject)


def candidate_pairs(aligned: pd.DataFrame, subject: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of every compatible pair of claims from two documents of one story: same
    dimension, same kind (level, rise, fall), same role, and the same subject when both have one."""
    kind = aligned["dimension"] + "|" + aligned["change"].fillna("level").astype(str) + "|" + aligned["role"]
    table = pd.DataFrame({"story": aligned["story_id"], "kind": kind, "doc": aligned["doc_id"].astype(str),
                          "subject": subject, "at": np.arange(len(aligned))})
    pairs = table.merge(table, on=["story", "kind"], suffixes=("", "_other"))
    pairs = pairs[(pairs["doc"] < pairs["doc_other"])
                  & ((pairs["subject"] == pairs["subject_other"]) | (pairs["subject"] == "") | (pairs["subject_other"] == ""))]
    return pairs["at"].to_numpy(), pairs["at_other"].to_numpy()


def _subjects(aligned: pd.DataFrame) -> np.ndarray:
    """What a figure is about: its metric, else its counted noun in the singular."""
    counted = aligned["counted"].fillna("").astype(str).str.lower().str.strip().map(_singular)
    return aligned["metric"].fillna("").astype(str).where(aligned["metric"].notna() & (aligned["metric"] != ""), counted).to_numpy()


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
