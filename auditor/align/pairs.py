"""The pair model: do two figures in two documents of one story state the same quantity?

Every pair of claims from different documents of one story with the same dimension and kind
(level, rise, fall) is a candidate. Its features come from the two claims' frames and
sentences (auditor/align/frames.py): the measured phrase and its head noun, the entity, the
time anchor, the role, the sentence context around the figure, the unit, and how close the
two values are: value closeness is one feature among others, so two outlets that disagree on a
figure they both describe in the same words still link, and the check stage can see them clash.
Boosted trees turn the features into a probability: a fitted artefact, rules/links_forest.json,
named by rules/links.yaml (fitted by scripts/fit_links.py, cross-validated by story), evaluated
here with numpy alone. Groups are then formed by average
linkage over the cross-document probabilities inside each block: two groups merge while the
mean probability of their cross-document pairs reaches the link threshold, so one chance link
cannot chain two quantities together, and several mentions of one quantity in one document
join the same group through the other documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..extract.counted import singular

# the features of a candidate pair, in the order of the feature matrix's columns: what each says
FEATURE_DESCRIPTIONS = {
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
    "metric_same": "both map to one metric of rules/taxonomy.yaml (killed, injured...), ages aside",
    "described": "both measured phrases say more than the unit of the figure (\"76 deaths\", not \"12 seconds\")",
    "both_story": "both are the story's own figure (frame role story)",
    "best_of_kind": "same head noun or metric, and each the other's most alike figure of that kind",
    "any_small": "counts where either figure is 10 or less",
    "no_entity": "one of the two names no entity",
    "rare_equal": "written alike, above 10, and each the only figure of that value in its document",
    "near_overlap": "share of the words within six of the two figures in common, rare words of the story weighing more",
    "near_shared": "weight of those shared words (a word only these two figures have near them weighs 1), at most 4",
    "value_spread": "equal values: the larger share of the story's documents that state this value",
    "magnitude": "log10 of the smaller value, over 6 (large figures recur less by chance)",
    "time_clash": "both are anchored to a time and the anchors differ (so far this year vs last year)",
    "equal_once": "the same value, and each the only figure of that value in its document",
    "named_metric_same": "both state as a number one metric that rules/taxonomy.yaml declares (killed, troops, jobs_cut...)",
    "mates_shared": "other values that both sentences state (the 13 of \"20-13\", the 364 yards beside three touchdowns), at most 3, over 3",
    "mates_overlap": "share of the other values of the two sentences that are the same",
}
FEATURES = tuple(FEATURE_DESCRIPTIONS)
# what the values say: the forest that judges pairs whose values disagree never reads them, so two
# outlets that describe one figure alike link whatever numbers they give
VALUE_FEATURES = ("value_overlap", "value_close", "surface_same", "rare_equal", "value_spread", "equal_once")
FOREST_PARTS = ("agree", "disagree")
_WORD = re.compile(r"[a-z][a-z'-]*")


@lru_cache(maxsize=8)
def pair_model(rules_dir: str | None = None) -> dict:
    """rules/links.yaml: the link threshold, the conflict threshold and the fitted forest it names."""
    from ..ruleset import load_rules_file, rules_file_in

    data = load_rules_file(rules_file_in(rules_dir, "links.yaml"), "links.yaml")
    return {
        "forest": load_forest(rules_file_in(rules_dir, str(data["forest"]))),
        "link_threshold": float(data.get("link_threshold", 0.5)),
        "declared_link": float(data.get("declared_link", 0.0)),
        "other_time_link": float(data.get("other_time_link", 1.0)),
        "confident_conflict": float(data.get("confident_conflict", 0.8)),
        "same_sentence": float(data.get("same_sentence", 1.01)),
        "version": str(data.get("version", "")),
    }


def claim_heads(aligned: pd.DataFrame) -> np.ndarray:
    """What a figure is about in one word: its metric, else its counted noun, else the last
    noun of its measured phrase, singular."""
    metric = aligned["metric"].fillna("").astype(str)
    counted = aligned["counted"].fillna("").astype(str).str.lower().str.strip().map(lambda w: singular(w.split()[-1]) if w.split() else "")
    measured = aligned["measured"].fillna("").astype(str).map(lambda w: w.split()[0] if w.split() else "")
    head = metric.where(metric != "", counted)
    return head.where(head != "", measured).to_numpy()


def word_sets(values) -> list[frozenset]:
    return [frozenset(_WORD.findall(str(v or "").lower())) for v in values]


def candidate_pairs(aligned: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, right, block) of every pair of claims of two documents in one block: one story,
    one dimension, one kind of figure (level, rise, fall). The left claim's document sorts first."""
    kind = aligned["story_id"].astype(str) + "|" + aligned["dimension"].astype(str) + "|" + aligned["change"].fillna("level").astype(str)
    block = pd.factorize(kind)[0]
    doc = pd.factorize(aligned["doc_id"].astype(str), sort=True)[0]
    order = np.lexsort((doc, block))
    sizes = np.bincount(block)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    lefts, rights = [], []
    for b in np.flatnonzero(sizes > 1):
        members = order[starts[b]:starts[b] + sizes[b]]
        i, j = np.triu_indices(len(members), k=1)
        left, right = members[i], members[j]
        keep = doc[left] != doc[right]
        left, right = left[keep], right[keep]
        swap = doc[left] > doc[right]
        lefts.append(np.where(swap, right, left))
        rights.append(np.where(swap, left, right))
    if not lefts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return left, right, block[left]


def pair_features(aligned: pd.DataFrame, context: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The FEATURES of each candidate pair (rows), given the context similarity of each pair."""
    n = len(left)
    out = np.zeros((n, len(FEATURES)))
    if n == 0:
        return out
    col = {name: i for i, name in enumerate(FEATURES)}
    head = claim_heads(aligned)
    measured = word_sets(aligned["measured"])
    entity = word_sets(aligned["entity"])
    window = word_sets(aligned["_window"]) if "_window" in aligned else [frozenset()] * len(aligned)
    time = aligned["time"].fillna("").astype(str).to_numpy()
    role = aligned["frame_role"].fillna("story").astype(str).to_numpy()
    lo, hi = aligned["lo"].to_numpy(dtype=float), aligned["hi"].to_numpy(dtype=float)
    mid = _midpoints(lo, hi, aligned["value"].to_numpy(dtype=float))
    surface = aligned["surface"].fillna("").astype(str).str.lower().str.replace(r"[^\w.$%]", "", regex=True).to_numpy()
    unit = aligned["unit"].fillna("").astype(str).to_numpy()
    dimension = aligned["dimension"].astype(str).to_numpy()
    metric = aligned["metric"].fillna("").astype(str).to_numpy()

    out[:, col["context"]] = context
    out[:, col["window"]] = [_jaccard(window[a], window[b]) for a, b in zip(left, right)]
    both_head = (head[left] != "") & (head[right] != "")
    out[:, col["head_same"]] = both_head & (head[left] == head[right])
    out[:, col["head_differ"]] = both_head & (head[left] != head[right])
    overlap = np.array([_jaccard(measured[a], measured[b]) for a, b in zip(left, right)])
    out[:, col["measured_overlap"]] = overlap
    out[:, col["measured_same"]] = [bool(measured[a]) and measured[a] == measured[b] for a, b in zip(left, right)]
    ent = np.array([_jaccard(entity[a], entity[b]) if entity[a] and entity[b] else -1.0 for a, b in zip(left, right)])
    out[:, col["entity_overlap"]] = np.maximum(ent, 0.0)
    out[:, col["entity_differ"]] = ent == 0.0
    out[:, col["time_differ"]] = time[left] != time[right]
    out[:, col["role_differ"]] = role[left] != role[right]
    out[:, col["value_overlap"]] = (lo[left] <= hi[right]) & (lo[right] <= hi[left])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(np.log(np.abs(mid[left]) + 1e-9) - np.log(np.abs(mid[right]) + 1e-9))
    out[:, col["value_close"]] = np.clip(1.0 - np.nan_to_num(ratio, nan=1.0), 0.0, 1.0)
    out[:, col["surface_same"]] = surface[left] == surface[right]
    out[:, col["unit_same"]] = (unit[left] == unit[right]) & (unit[left] != "")
    out[:, col["money"]] = np.char.startswith(dimension[left].astype(str), "currency")
    out[:, col["percent"]] = dimension[left] == "percent"
    out[:, col["measure"]] = np.char.startswith(dimension[left].astype(str), "measure")
    out[:, col["bare_count"]] = (dimension[left] == "count") & ~both_head
    small = (np.abs(mid[left]) <= 10) & (np.abs(mid[right]) <= 10)
    out[:, col["small_count"]] = small & (dimension[left] == "count")
    out[:, col["any_small"]] = ((np.abs(mid[left]) <= 10) | (np.abs(mid[right]) <= 10)) & (dimension[left] == "count")
    out[:, col["no_entity"]] = ent == -1.0
    once = _value_once_in_document(aligned)
    out[:, col["rare_equal"]] = (out[:, col["surface_same"]] == 1) & once[left] & once[right] & ~small
    out[:, col["age"]] = (metric[left] == "age") & (metric[right] == "age")
    surface_words = [frozenset(singular(w) for w in words) for words in word_sets(aligned["surface"])]
    described = np.array([bool(m - w) for m, w in zip(measured, surface_words)])
    out[:, col["described"]] = described[left] & described[right]
    kind = (metric[left] != "") & (metric[left] == metric[right]) | (both_head & (head[left] == head[right]))
    best_left, best_right = _best_matches(aligned, np.where(kind, context, -1.0), left, right)
    out[:, col["best_of_kind"]] = kind & best_left & best_right
    out[:, col["both_story"]] = (role[left] == "story") & (role[right] == "story")
    out[:, col["metric_same"]] = (metric[left] != "") & (metric[left] == metric[right]) & (metric[left] != "age")
    best_left, best_right = _best_matches(aligned, context, left, right)
    out[:, col["mutual_best"]] = best_left & best_right
    out[:, col["best_for_one"]] = best_left ^ best_right
    if "_near" in aligned:
        overlap, shared = _near_overlap(aligned, left, right)
        out[:, col["near_overlap"]], out[:, col["near_shared"]] = overlap, np.minimum(shared, 4.0) / 4.0
    spread = _value_spread(aligned)
    out[:, col["value_spread"]] = np.maximum(spread[left], spread[right]) * out[:, col["value_overlap"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.log10(1.0 + np.minimum(np.abs(mid[left]), np.abs(mid[right])))
    out[:, col["magnitude"]] = np.clip(np.nan_to_num(size), 0.0, 6.0) / 6.0
    named = aligned["_named"].to_numpy(dtype=bool) if "_named" in aligned else np.zeros(len(aligned), dtype=bool)
    equal = np.abs(mid[left] - mid[right]) <= 1e-9 * np.maximum(np.abs(mid[left]), 1.0)
    out[:, col["equal_once"]] = equal & once[left] & once[right]
    out[:, col["time_clash"]] = (time[left] != time[right]) & (time[left] != "") & (time[right] != "")
    out[:, col["named_metric_same"]] = named[left] & named[right] & (metric[left] == metric[right])
    if "_mates" in aligned:
        mates = aligned["_mates"].tolist()
        shared = np.array([len(mates[a] & mates[b]) for a, b in zip(left, right)], dtype=float)
        either = np.array([len(mates[a] | mates[b]) for a, b in zip(left, right)], dtype=float)
        out[:, col["mates_shared"]] = np.minimum(shared, 3.0) / 3.0
        out[:, col["mates_overlap"]] = np.where(either > 0, shared / np.maximum(either, 1.0), 0.0)
    return out


def _near_overlap(aligned: pd.DataFrame, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The words near the two figures that they share, weighted by how rare each word is among
    the figures of the story (a word near every figure of the story says nothing): the weighted
    share of their words in common, and the weight of the shared words (in units of a word that
    only these two figures have near them)."""
    near = aligned["_near"].tolist()
    story = aligned["story_id"].astype(str).to_numpy()
    weight: dict[str, dict[str, float]] = {}
    for name, rows in pd.Series(np.arange(len(aligned))).groupby(story):
        counts: dict[str, int] = {}
        for i in rows:
            for w in near[i]:
                counts[w] = counts.get(w, 0) + 1
        n = len(rows)
        scale = max(np.log((2.0 + n) / 3.0), 1e-3)
        weight[name] = {w: np.log((2.0 + n) / (1.0 + c)) / scale for w, c in counts.items()}
    overlap, shared = np.zeros(len(left)), np.zeros(len(left))
    for k, (a, b) in enumerate(zip(left, right)):
        both, either = near[a] & near[b], near[a] | near[b]
        if not both:
            continue
        w = weight[story[a]]
        common = sum(w[x] for x in both)
        overlap[k] = common / max(sum(w[x] for x in either), 1e-9)
        shared[k] = common
    return overlap, shared


def _value_spread(aligned: pd.DataFrame) -> np.ndarray:
    """The share of the story's documents that state the claim's value (in its dimension): a
    figure most outlets give is the story's headline figure."""
    key = pd.DataFrame({"story": aligned["story_id"].astype(str), "doc": aligned["doc_id"].astype(str),
                        "dim": aligned["dimension"].astype(str), "value": aligned["value"].astype(float).round(9)})
    docs = key.groupby(["story", "dim", "value"], dropna=False)["doc"].transform("nunique")
    story_docs = key.groupby("story")["doc"].transform("nunique")
    return (docs / story_docs).to_numpy(dtype=float)


def _value_once_in_document(aligned: pd.DataFrame) -> np.ndarray:
    """Whether no other claim of the claim's document, in its dimension, states the same value:
    an equal figure that each outlet gives only once ("2,129 points") is a strong sign of one
    quantity; a value stated several times in one article is not."""
    key = pd.DataFrame({"doc": aligned["doc_id"].astype(str), "dim": aligned["dimension"].astype(str),
                        "value": aligned["value"].astype(float).round(9)})
    return (key.groupby(["doc", "dim", "value"])["doc"].transform("size") == 1).to_numpy()


def _midpoints(lo: np.ndarray, hi: np.ndarray, value: np.ndarray) -> np.ndarray:
    finite = np.isfinite(lo) & np.isfinite(hi)
    return np.where(finite, (lo + hi) / 2.0, np.where(np.isfinite(lo), lo, np.where(np.isfinite(hi), hi, value)))


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _best_matches(aligned: pd.DataFrame, context: np.ndarray, left: np.ndarray, right: np.ndarray):
    """Whether each pair is the left claim's most alike claim in the right document, and the
    right claim's most alike in the left document (ties count as best)."""
    doc = pd.factorize(aligned["doc_id"].astype(str))[0]
    frame = pd.DataFrame({"l": left, "r": right, "dl": doc[left], "dr": doc[right], "s": context})
    best_l = frame.groupby(["l", "dr"])["s"].transform("max").to_numpy()
    best_r = frame.groupby(["r", "dl"])["s"].transform("max").to_numpy()
    return context >= best_l - 1e-12, context >= best_r - 1e-12


def load_forest(path) -> dict:
    """The boosted trees of a fitted pair model (scripts/fit_links.py --write): for pairs whose
    values agree and for pairs whose values disagree, a baseline log-odds and trees whose leaves
    add to it. Each tree is arrays of nodes: the feature a node tests, its threshold (go left when
    the feature is at most it), its children and, at a leaf, the log-odds it adds."""
    import json

    from ..errors import RulesError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = sorted({name for part in FOREST_PARTS for name in data[part]["features"]} - set(FEATURES))
        if unknown:
            raise RulesError(f"{path}: unknown feature '{unknown[0]}'")
        return {part: {"baseline": float(data[part]["baseline"]),
                       "trees": [{key: np.asarray(tree[key]) for key in ("feature", "threshold", "left", "right", "value")}
                                 for tree in data[part]["trees"]],
                       "columns": np.array([FEATURES.index(name) for name in data[part]["features"]])}
                for part in FOREST_PARTS}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RulesError(f"{path}: not a pair-model forest ({error})") from None


def forest_probabilities(features: np.ndarray, part: dict) -> np.ndarray:
    """The probability of a link by one forest: baseline plus the leaf of every tree, as odds."""
    x = features[:, part["columns"]]
    rows = np.arange(len(x))
    z = np.full(len(x), part["baseline"])
    for tree in part["trees"]:
        node = np.zeros(len(x), dtype=np.int64)
        inner = tree["left"][node] >= 0
        while inner.any():
            at = node[inner]
            go_left = x[rows[inner], tree["feature"][at]] <= tree["threshold"][at]
            node[inner] = np.where(go_left, tree["left"][at], tree["right"][at])
            inner = tree["left"][node] >= 0
        z += tree["value"][node]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def link_probabilities(features: np.ndarray, model: dict) -> np.ndarray:
    """The probability each pair is one quantity. Pairs whose values agree are judged by a forest
    that reads everything, values included; pairs whose values disagree by a forest fitted on all
    pairs that never reads the values (VALUE_FEATURES): a single model would learn that outlets
    giving different numbers rarely speak of one quantity and never link them, and conflicts
    could never be found. Among disagreeing pairs, the words alone decide."""
    disagree = features[:, FEATURES.index("value_overlap")] == 0
    prob = np.zeros(len(features))
    for part, rows in (("agree", ~disagree), ("disagree", disagree)):
        if rows.any():
            prob[rows] = forest_probabilities(features[rows], model["forest"][part])
    declared = declared_quantity(features, model.get("same_sentence", 1.01))
    prob = np.where(declared, np.maximum(prob, model.get("declared_link", 0.0)), prob)
    # two figures anchored to two different times ("so far this year", "last year") are two quantities
    return np.where(features[:, FEATURES.index("time_clash")] == 1, np.minimum(prob, model.get("other_time_link", 1.0)), prob)


def declared_quantity(features: np.ndarray, same_sentence: float = 1.01) -> np.ndarray:
    """Pairs that state one quantity the rules declare: the same metric of rules/taxonomy.yaml
    ("76 deaths" / "83 people were killed", "cut 2,500 jobs" / "shed 4,000 jobs"), each the
    other's most alike figure of that metric in the other document, or one sum of money restated
    (the same amount, given once in each document, each the other's closest figure), or one
    sentence both give (sentences alike at least ``same_sentence``, each figure the other's
    closest), at the same time, in the same role and with no two different entities. Such a pair links at least at `declared_link`
    whatever its values: these are the figures the product exists to compare, and real news has
    too few of them for a fitted model to learn that they are one quantity."""
    f = lambda name: features[:, FEATURES.index(name)] == 1
    declared = f("named_metric_same") & f("best_of_kind")
    # one amount of money restated: the same sum of at least a thousand, given once in each document
    # ("3 billion dollars for rebuilding" / "$3bn for reconstruction"), each the other's closest figure
    restated = f("money") & f("equal_once") & f("mutual_best") & (features[:, FEATURES.index("magnitude")] >= 0.5)
    # one sentence given by both, one figure changed or not (a copy, a wire story, an update):
    # each the other's closest figure and sentences alike at least `same_sentence`
    copied = (features[:, FEATURES.index("context")] >= same_sentence) & f("mutual_best")
    return (declared | restated | copied) & ~f("time_differ") & ~f("role_differ") & ~f("entity_differ")


def average_linkage_groups(n: int, left: np.ndarray, right: np.ndarray, block: np.ndarray, prob: np.ndarray,
                           doc: np.ndarray, threshold: float, lo: np.ndarray | None = None,
                           hi: np.ndarray | None = None) -> np.ndarray:
    """A root claim per claim: inside each block, groups merge best first while the mean
    probability over their cross-document pairs reaches the threshold (pairs that were never
    candidates count as 0). Pairs inside one document do not count, except two figures of one
    document whose values disagree (given ``lo`` and ``hi``): they count as 0, since one article
    rarely gives two values for one quantity, and otherwise two near copies of an article with
    two figures each would pull all four into one group."""
    roots = np.arange(n)
    if len(left) == 0:
        return roots
    order = np.argsort(block, kind="stable")
    left, right, block, prob = left[order], right[order], block[order], prob[order]
    bounds = np.flatnonzero(np.r_[True, block[1:] != block[:-1], True])
    for s, e in zip(bounds[:-1], bounds[1:]):
        l, r, p = left[s:e], right[s:e], prob[s:e]
        sure = p >= threshold
        if not sure.any():
            continue
        # a claim with no pair at the threshold can never reach it on average: leave it alone
        members = np.unique(np.concatenate([l[sure], r[sure]]))
        inside = np.isin(l, members) & np.isin(r, members)
        l, r, p = l[inside], r[inside], p[inside]
        index = {m: k for k, m in enumerate(members)}
        li, ri = np.array([index[x] for x in l]), np.array([index[x] for x in r])
        k = len(members)
        mdoc = doc[members]
        cross = (mdoc[:, None] != mdoc[None, :]).astype(float)
        if lo is not None and hi is not None:
            mlo, mhi = lo[members], hi[members]
            disjoint = (mhi[:, None] < mlo[None, :]) | (mhi[None, :] < mlo[:, None])
            cross[(mdoc[:, None] == mdoc[None, :]) & disjoint] = 1.0
        total = np.zeros((k, k))
        total[li, ri] = p
        total[ri, li] = p
        count = cross.copy()
        # the weakest direct link between two figures whose values disagree (none: 1): a dissenting
        # figure joins a group only through a link of its own, never carried in on others' average
        dissent = np.where(disjoint, total, 1.0) if lo is not None and hi is not None else np.ones((k, k))
        labels = _merge_best_first(total, count, threshold, dissent)
        for m, g in zip(members, labels):
            roots[m] = members[g]
    return roots


def _merge_best_first(total: np.ndarray, count: np.ndarray, threshold: float, dissent: np.ndarray | None = None) -> np.ndarray:
    """Average-linkage clustering on a small block: total[a, b] / count[a, b] is the mean
    probability between clusters a and b (count 0: never compared). Two clusters whose weakest
    link between disagreeing figures (``dissent``) is below the threshold never merge. The mean
    matrix is kept and only the merged cluster's row and column recomputed, so each merge costs
    one scan."""
    k = len(total)
    label = np.arange(k)
    alive = np.ones(k, dtype=bool)
    dissent = np.ones((k, k)) if dissent is None else dissent.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 0, total / np.where(count > 0, count, 1), -1.0)
        mean[dissent < threshold] = -1.0
        np.fill_diagonal(mean, -1.0)
        while True:
            flat = int(np.argmax(mean))
            a, b = divmod(flat, k)
            if mean[a, b] < threshold:
                break
            a, b = min(a, b), max(a, b)
            total[a, :] += total[b, :]
            total[:, a] = total[a, :]
            count[a, :] += count[b, :]
            count[:, a] = count[a, :]
            total[a, a] = count[a, a] = 0.0
            dissent[a, :] = np.minimum(dissent[a, :], dissent[b, :])
            dissent[:, a] = dissent[a, :]
            row = np.where(count[a] > 0, total[a] / np.where(count[a] > 0, count[a], 1), -1.0)
            row[dissent[a] < threshold] = -1.0
            alive[b] = False
            row[a] = -1.0
            row[~alive] = -1.0
            mean[a, :] = row
            mean[:, a] = row
            mean[b, :] = -1.0
            mean[:, b] = -1.0
            label[label == b] = a
    return label


def link_words(frame: dict, a: int, b: int) -> str:
    """The words two linked claims share, for the analyst: "both: vote to end debate (senate)";
    their metric when they share no measured word ("both: troops"); else the words near both
    figures ("both: federal prison served"). ``frame``: the claims' measured, metric, entity (and
    near-word) columns as lists (a pandas lookup per claim cost seconds)."""
    measured, metric, entity = (frame[key] for key in ("measured", "metric", "entity"))
    other = set(str(measured[b] or "").split())
    shared = [w for w in str(measured[a] or "").split() if w in other]
    same_metric = str(metric[a] or "") if metric[a] == metric[b] else ""
    ent = [w for w in str(entity[a] or "").split() if w in set(str(entity[b] or "").split())]
    near = frame.get("near")
    nearby = sorted(near[a] & near[b])[:4] if near is not None else []  # "served ... in federal prison"
    text = " ".join(shared) or same_metric.replace("_", " ") or " ".join(nearby) or "-"
    if ent:
        text += f" ({' '.join(ent)})"
    return f"both: {text}"
