"""Fit the pair model (rules/links_forest.json) on hand-labelled stories, cross-validated by story.

    .venv/bin/python scripts/fit_links.py EVAL_DIR/real_links/dev [--folds 5] [--cache FILE] [--write]

Every candidate pair of the pair model (auditor.align.pairs) is labelled 1 when the labels put
the two claims' mentions in one quantity, else 0 (pairs touching an `unsure` quantity are left
out). Boosted trees are fitted on all folds but one and scored on the held-out fold, for each
fold in turn: stories are split by a hash of the story id (the same folds as benchmarks/links.py),
so no story is ever scored by trees fitted on it. --write fits on every story and writes the trees
to rules/links_forest.json and the held-out figures into rules/links.yaml's header; the eval's
text never enters either file, only split thresholds and leaf values over the FEATURES.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

from links import extracted, story_fold  # noqa: E402  (benchmarks/links.py)

def labelled_pairs(aligned, left, right, links):
    """1/0 per pair from the labels, and a mask of the pairs to use (not touching `unsure`)."""
    mentions = defaultdict(list)
    for qi, q in enumerate(links):
        for m in q["members"]:
            mentions[m["doc_id"]].append((m["start"], m["end"], qi))
    unsure = {qi for qi, q in enumerate(links) if q["verdict"] == "unsure"}
    quantities = [
        {qi for s, e, qi in mentions.get(doc, ()) if s < end and start < e}
        for doc, start, end in zip(aligned["doc_id"], aligned["start"], aligned["end"])
    ]
    label = np.array([bool(quantities[a] & quantities[b]) for a, b in zip(left, right)])
    usable = np.array([not ((quantities[a] | quantities[b]) & unsure) for a, b in zip(left, right)])
    return label, usable


def clashing_pairs(aligned, left, right, links):
    """Per pair: the labels call the two claims' mentions a clashing pair of one quantity."""
    spans = defaultdict(list)
    for qi, q in enumerate(links):
        clash = {tuple(sorted(p)) for p in q.get("conflict_pairs", [])}
        for mi, m in enumerate(q["members"]):
            spans[m["doc_id"]].append((m["start"], m["end"], qi, mi, clash))
    held = [
        [(qi, mi, clash) for s, e, qi, mi, clash in spans.get(doc, ()) if s < end and start < e]
        for doc, start, end in zip(aligned["doc_id"], aligned["start"], aligned["end"])
    ]
    return np.array([any(qa == qb and (min(ma, mb), max(ma, mb)) in clash for qa, ma, clash in held[a] for qb, mb, _ in held[b])
                     for a, b in zip(left, right)])


def pair_data(split: Path, folds: int, cache: str | None):
    """(features, label, clash, fold) of every usable candidate pair of the split."""
    from auditor.align.groups import frame_claims, pair_table
    from auditor.ruleset import load_rules

    links = [json.loads(line) for line in (split / "links.jsonl").open(encoding="utf-8") if line.strip()]
    documents, claims = extracted(split / "docs.jsonl", Path(cache) if cache else None)
    aligned, contexts = frame_claims(claims, load_rules(), documents)
    left, right, _, features = pair_table(aligned, contexts)
    label, usable = labelled_pairs(aligned, left, right, links)
    clash = clashing_pairs(aligned, left, right, links)
    fold = aligned["story_id"].astype(str).map(lambda s: story_fold(s, folds)).to_numpy()[left]
    return features[usable], label[usable], clash[usable], fold[usable]


FOREST = dict(max_iter=150, learning_rate=0.05, max_leaf_nodes=7, min_samples_leaf=200, l2_regularization=5.0)


def fit_forest(features, label) -> dict:
    """Boosted trees (scikit-learn's HistGradientBoostingClassifier, fixed settings, no early
    stopping) as plain arrays: auditor.align.pairs.forest_probabilities evaluates them with numpy
    alone, so the audit needs no pickled estimator (and no scikit-learn version) to read them."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(early_stopping=False, random_state=0, **FOREST).fit(features, label)
    trees = []
    for (predictor,) in model._predictors:  # one tree per boosting round (binary: one per round)
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": nodes["feature_idx"].astype(int).tolist(),
            "threshold": [round(float(t), 6) for t in nodes["num_threshold"]],
            "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
            "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
            "value": [round(float(v), 6) if is_leaf else 0.0 for v, is_leaf in zip(nodes["value"], leaf)],
        })
    return {"baseline": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


def fit_forests(features, label) -> dict:
    """The forest of pairs whose values agree (fitted on those pairs, on every feature) and the
    forest of pairs whose values disagree (fitted on all pairs, blind to the values: see
    auditor.align.pairs.link_probabilities)."""
    from auditor.align.pairs import FEATURES, VALUE_FEATURES

    agree = features[:, FEATURES.index("value_overlap")] == 1
    blind = [i for i, name in enumerate(FEATURES) if name not in VALUE_FEATURES]
    return {"agree": {"features": list(FEATURES), **fit_forest(features[agree], label[agree])},
            "disagree": {"features": [FEATURES[i] for i in blind], **fit_forest(features[:, blind], label)}}


def write_forest(path: Path, forest: dict, held) -> None:
    notes = [f"fold {k} held out, threshold {t}: pair precision {prec:.3f}, recall {rec:.3f}" for k, t, prec, rec in held]
    path.write_text(json.dumps({"version": date.today().isoformat(), "settings": FOREST, "held_out": notes, **forest},
                               separators=(",", ":")) + "\n", encoding="utf-8")


def forest_model(forest: dict) -> dict:
    """A fitted forest (as fit_forests returns it) in the form auditor.align.pairs reads."""
    from auditor.align.pairs import FEATURES

    return {"forest": {part: {"baseline": forest[part]["baseline"],
                              "columns": np.array([FEATURES.index(name) for name in forest[part]["features"]]),
                              "trees": [{key: np.asarray(v) for key, v in tree.items()} for tree in forest[part]["trees"]]}
                       for part in ("agree", "disagree")}}


def held_out_figures(features, label, clash, fold, folds: int) -> list[tuple]:
    """(fold, threshold, precision, recall) of the pairs of each fold, scored by trees fitted on
    the other folds; prints them, and the labelled clashes among the disagreeing pairs linked."""
    from auditor.align.pairs import FEATURES, link_probabilities

    disagree = features[:, FEATURES.index("value_overlap")] == 0
    held = []
    for k in range(folds):
        test = fold == k
        p = link_probabilities(features[test], forest_model(fit_forests(features[~test], label[~test])))
        y, c, d = label[test], clash[test], disagree[test]
        for t in (0.5, 0.65, 0.8):
            linked = p >= t
            prec, rec = (linked & y).sum() / max(linked.sum(), 1), (linked & y).sum() / max(y.sum(), 1)
            held.append((k, t, prec, rec))
            print(f"fold {k} held out, threshold {t}: pair precision {prec:.3f} recall {rec:.3f}; disagreeing pairs "
                  f"linked {(linked & d).sum()}, one quantity {(linked & d & y).sum()} of {(d & y).sum()}, "
                  f"labelled clashes {(linked & c).sum()} of {c.sum()}")
    return held


def write_header(path: Path, held, pairs: int, positives: int) -> None:
    """rules/links.yaml with its header comment replaced by the new held-out figures (the settings
    below the header are hand-set and kept)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if not line.startswith("#"))
    header = [
        "# The pair model of auditor/align/pairs.py: boosted trees over pair features (the probability",
        "# that two figures in two documents of one story state the same quantity), in links_forest.json.",
        "# Fitted by scripts/fit_links.py on the real_links dev stories (labels only; no text of them is kept),",
        f"# {pairs} candidate pairs, {positives} of them links; cross-validated by story, 5 folds:",
    ] + [f"#   fold {k} held out, threshold {t}: pair precision {prec:.3f}, recall {rec:.3f}" for k, t, prec, rec in held]
    body = [re.sub(r"^version: .*", f"version: {date.today().isoformat()}", line) for line in lines[start:]]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split_dir")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    features, label, clash, fold = pair_data(Path(args.split_dir), args.folds, args.cache)
    print(f"{len(label)} candidate pairs, {int(label.sum())} linked by the labels")
    held = held_out_figures(features, label, clash, fold, args.folds)
    if args.write:
        write_forest(REPO / "rules" / "links_forest.json", fit_forests(features, label), held)
        write_header(REPO / "rules" / "links.yaml", held, len(label), int(label.sum()))


if __name__ == "__main__":
    main()
