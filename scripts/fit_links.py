"""Fit the pair model's weights (rules/links.yaml) on hand-labelled stories, cross-validated by story.

    .venv/bin/python scripts/fit_links.py EVAL_DIR/real_links/dev [--folds 5] [--cache FILE] [--write]

Every candidate pair of the pair model (auditor.align.pairs) is labelled 1 when the labels put
the two claims' mentions in one quantity, else 0 (pairs touching an `unsure` quantity are left
out). A logistic regression (scikit-learn, L2) is fitted on all folds but one and scored on the
held-out fold, for each fold in turn: stories are split by a hash of the story id (the same
folds as benchmarks/links.py), so no story is ever scored by weights fitted on it. --write fits
on every story and writes the weights with the held-out figures into rules/links.yaml; the
eval's text never enters the file, only one number per feature.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

from links import extracted, story_fold  # noqa: E402  (benchmarks/links.py)

COMMENTS = {
    "bias": "the odds of a link before any evidence",
    "context": "TF-IDF cosine of the two sentences around the figures (own figure masked)",
    "window": "share of the words right beside the two figures that are the same",
    "head_same": "both have a head noun (metric, counted noun or measured noun) and it is the same",
    "head_differ": "both have a head noun and they differ (killed vs injured)",
    "measured_overlap": "share of the measured phrases' words in common",
    "measured_same": "the measured phrases are the same",
    "entity_overlap": "share of the entity words in common (possessor, of-complement, names nearby)",
    "entity_differ": "both name an entity and they share no word (his wife vs the suspect)",
    "time_differ": "the time anchors differ (this event vs last year / in 2004)",
    "role_differ": "the frame roles differ (story figure vs part, comparison base, background)",
    "value_overlap": "the two asserted intervals overlap (one feature: disagreeing outlets still link)",
    "value_close": "1 - |log ratio| of the two values, at least 0",
    "surface_same": "the figures are written alike",
    "unit_same": "the same unit word",
    "money": "both are money (one currency)",
    "percent": "both are percents",
    "measure": "both are physical measures (lengths, durations, ages)",
    "bare_count": "counts without a head noun on at least one side",
    "small_count": "both counts are 10 or less (small numbers recur for many things)",
    "age": "both are ages",
    "mutual_best": "each is the other's most alike figure in the other document",
    "best_for_one": "only one of them is the other's most alike figure",
    "described": "both measured phrases say more than the unit of the figure (\"76 deaths\", not \"12 seconds\")",
    "best_of_kind": "same head noun or metric, and each the other's most alike figure of that kind",
    "any_small": "counts where either figure is 10 or less",
    "no_entity": "one of the two names no entity",
    "rare_equal": "written alike, above 10, and each the only figure of that value in its document",
    "both_story": "both are the story's own figure (frame role story)",
    "near_overlap": "share of the words within six of the two figures in common, rare words of the story weighing more",
    "near_shared": "weight of those shared words (a word only these two figures have near them weighs 1), at most 4",
    "value_spread": "equal values: the larger share of the story's documents that state this value",
    "magnitude": "log10 of the smaller value, over 6 (large figures recur less by chance)",
    "metric_same": "both map to one metric of rules/taxonomy.yaml (killed, injured...), ages aside",
}


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


def fit(features, label, c):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=2000, fit_intercept=False)
    model.fit(features, label)
    return model.coef_[0]


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
    """The forest of pairs whose values agree and the forest of pairs whose values disagree."""
    from auditor.align.pairs import FEATURES

    disagree = features[:, FEATURES.index("value_overlap")] == 0
    return {"features": list(FEATURES), "agree": fit_forest(features[~disagree], label[~disagree]),
            "disagree": fit_forest(features[disagree], label[disagree])}


def write_forest(path: Path, forest: dict, held) -> None:
    import json

    notes = [f"fold {k} held out, threshold {t}: pair precision {prec:.3f}, recall {rec:.3f}" for k, t, prec, rec in held]
    path.write_text(json.dumps({"version": date.today().isoformat(), "settings": FOREST, "held_out": notes, **forest},
                               separators=(",", ":")) + "\n", encoding="utf-8")


def fit_models(features, label, c: float = 0.3) -> tuple[dict, dict]:
    """(weights, clash_weights): the model of all pairs and the model of pairs whose values disagree."""
    from auditor.align.pairs import FEATURES

    disagree = features[:, FEATURES.index("value_overlap")] == 0
    return dict(zip(FEATURES, fit(features, label, c))), dict(zip(FEATURES, fit(features[disagree], label[disagree], c)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split_dir")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    parser.add_argument("--cache")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--forest", action="store_true", help="fit boosted trees (rules/links_forest.json) besides the weights")
    args = parser.parse_args()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from auditor.align.pairs import FEATURES, probabilities

    features, label, clash, fold = pair_data(Path(args.split_dir), args.folds, args.cache)
    print(f"{len(label)} candidate pairs, {int(label.sum())} linked by the labels")
    disagree = features[:, FEATURES.index("value_overlap")] == 0
    held = []
    for k in range(args.folds):
        train, test = disagree & (fold != k), disagree & (fold == k)
        weights = fit(features[train], label[train], args.c)
        p = probabilities(features[test], weights)
        y, c = label[test], clash[test]
        for t in (0.3, 0.5, 0.7):
            linked = p >= t
            print(f"fold {k} disagreeing pairs, threshold {t}: linked {linked.sum()}, of which one quantity "
                  f"{(linked & y).sum()} (of {y.sum()}), labelled clashes {(linked & c).sum()} (of {c.sum()})")
    for k in range(args.folds):
        if args.forest:
            from auditor.align.pairs import link_probabilities
            forest = fit_forests(features[fold != k], label[fold != k])
            model = {"forest": {part: {"baseline": forest[part]["baseline"], "columns": np.arange(len(FEATURES)),
                                       "trees": [{key: np.asarray(v) for key, v in tree.items()} for tree in forest[part]["trees"]]}
                                for part in ("agree", "disagree")}, "same_words_link": 0.0}
            p = link_probabilities(features[fold == k], model)
        else:
            weights = fit(features[fold != k], label[fold != k], args.c)
            p = probabilities(features[fold == k], weights)
        y = label[fold == k]
        for t in (0.5, 0.7):
            linked = p >= t
            prec = (linked & y).sum() / max(linked.sum(), 1)
            rec = (linked & y).sum() / max(y.sum(), 1)
            held.append((k, t, prec, rec))
            print(f"fold {k} held out, threshold {t}: pair precision {prec:.3f} recall {rec:.3f}")
    if args.write:
        weights, clash_weights = fit_models(features, label, args.c)
        write_model(REPO / "rules" / "links.yaml", weights, held, len(label), int(label.sum()), clash_weights,
                    forest="links_forest.json" if args.forest else None)
        if args.forest:
            write_forest(REPO / "rules" / "links_forest.json", fit_forests(features, label), held)


def _with_comments(lines: list[str], n: int) -> str:
    start = n
    while start > 0 and lines[start - 1].startswith("#") and not lines[start - 1].startswith("#   fold"):
        start -= 1
    return "\n".join(lines[start:n + 1])


def write_model(path: Path, weights: dict, held, pairs: int, positives: int, blind: dict, source: Path | None = None,
                forest: str | None = None) -> None:
    source = source or path
    old = source.read_text(encoding="utf-8") if source.exists() else ""
    # the hand-set settings and the comment lines just above each are kept as they are
    lines_old = old.splitlines()
    keep = {key: _with_comments(lines_old, n) for n, line in enumerate(lines_old) for key in ("link_threshold:", "confident_conflict:", "same_words_link:") if line.startswith(key)}
    lines = [
        "# The pair model of auditor/align/pairs.py: logistic weights over pair features (the probability",
        "# that two figures in two documents of one story state the same quantity). Fitted by",
        "# scripts/fit_links.py on the real_links dev stories (labels only; no text of them is kept here),",
        f"# {pairs} candidate pairs, {positives} of them links; cross-validated by story, 5 folds:",
    ]
    for k, t, prec, rec in held:
        lines.append(f"#   fold {k} held out, threshold {t}: pair precision {prec:.3f}, recall {rec:.3f}")
    lines += [f"version: {date.today().isoformat()}", ""]
    lines += [keep.get("link_threshold:", "link_threshold: 0.5"), keep.get("confident_conflict:", "confident_conflict: 0.8"), keep.get("same_words_link:", "same_words_link: 0.7"),
              ""]
    if forest:
        lines += ["# the boosted trees that score the pairs (scripts/fit_links.py --forest); the weights below",
                  "# are the logistic model fitted on the same pairs, read only when no forest is named",
                  f"forest: {forest}", ""]
    for title, table in (("weights", weights), ("clash_weights", blind)):
        lines.append(f"{title}:")
        for name, weight in table.items():
            lines.append(f"  # {COMMENTS[name]}")
            lines.append(f"  {name}: {weight:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pass


if __name__ == "__main__":
    main()
