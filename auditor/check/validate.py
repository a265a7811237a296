"""Check: validate aligned claims with the Great Expectations suites in rules/suites.

Cross-row facts are computed as columns in pandas first (does a claim overlap the other
sources in its group? is a cumulative count lower than an earlier one? does it overlap the
reference? is a percent a share of a whole?); the suites then declare which columns must hold
which values. Every failing row becomes part of a finding row and every claim gets a verdict
with an explanation: failures are data, never exceptions. great_expectations is imported
lazily (it is slow to import), so the CLI's --help never pays for it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..align.groups import claim_contexts
from ..columns import FINDING_COLUMNS
from ..formatting import number_text
from ..align.judge import unit_dimension
from ..ruleset import Rules, Suite



@dataclass
class CheckResult:
    """What the check stage hands to the report: findings, claims with verdicts, raw GX results."""

    findings: pd.DataFrame
    claims: pd.DataFrame
    validation: list[dict]


def check_claims(aligned: pd.DataFrame, rules: Rules, reference: pd.DataFrame | None = None) -> CheckResult:
    claims = aligned.reset_index(drop=True)
    if len(claims) == 0:
        empty = claims.assign(verdict=pd.Series(dtype=object), explanation=pd.Series(dtype=object))
        return CheckResult(pd.DataFrame(columns=list(FINDING_COLUMNS)), empty, [])
    pairs = source_pairs(claims, rules)
    claims = add_check_columns(claims, pairs, rules, reference)
    validation, failures = [], []
    for suite, result in validate(claims, rules.suites):
        validation.append({"suite": suite.name, "file": str(suite.path), "result": result.to_json_dict()})
        failures += failing_checks(result, suite)
    from ..align.pairs import pair_model

    findings = build_findings(claims, pairs, failures, pair_model(str(rules.directory))["confident_conflict"])
    claims = add_verdicts(claims, pairs, failures)
    return CheckResult(findings=findings, claims=claims, validation=validation)


# --- cross-row columns -------------------------------------------------------------------------


def source_pairs(claims: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Every ordered pair of claims in one group from different documents, judged.

    conflict: the intervals cannot both hold (for a cumulative metric only between reports of
    the same time; otherwise a rise is an update). decrease: this claim is a cumulative count
    reported later than the other, and lower than it.

    Columns claim_id, claim_id_other, conflict, decrease; rows in the order of a self-merge on
    group_id (each claim in table order, then its partners in table order). The number of
    pairs grows with the square of a group's size, so the pairs are built from integer
    positions and per-claim arrays: no claim column is copied once per pair.
    """
    left, right = _group_pairs(claims["group_id"])
    doc = pd.factorize(claims["doc_id"], use_na_sentinel=False)[0]
    keep = doc[left] != doc[right]
    left, right = left[keep], right[keep]
    lo, hi = claims["lo"].to_numpy(dtype=float), claims["hi"].to_numpy(dtype=float)
    cumulative = claims["metric"].isin(rules.cumulative_metrics()).to_numpy()[left]
    when = _timestamps(claims["published_at"]).to_numpy(dtype="datetime64[ns]")
    when_left, when_right = when[left], when[right]
    same_time = (when_left == when_right) | np.isnat(when_left) | np.isnat(when_right)
    below = hi[left] < lo[right]
    disjoint = below | (hi[right] < lo[left])
    ids = claims["claim_id"].to_numpy()
    return pd.DataFrame({
        "claim_id": ids[left],
        "claim_id_other": ids[right],
        "conflict": disjoint & (~cumulative | same_time),
        "decrease": cumulative & (when_left > when_right) & below,
    })


def _group_pairs(groups: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Positions (left, right) of every ordered pair of rows with equal keys, self pairs included."""
    codes = pd.factorize(groups, use_na_sentinel=False)[0]
    order = np.argsort(codes, kind="stable")  # rows of each group, in table order
    sizes = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    per_row = sizes[codes]
    left = np.repeat(np.arange(len(codes)), per_row)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    right = order[np.repeat(starts[codes], per_row) + offsets]
    return left, right


def add_check_columns(claims: pd.DataFrame, pairs: pd.DataFrame, rules: Rules, reference) -> pd.DataFrame:
    claims = claims.copy(deep=False)  # copy-on-write: the new columns never reach the caller's table
    conflicting = set(pairs.loc[pairs["conflict"], "claim_id"])
    decreased = set(pairs.loc[pairs["decrease"], "claim_id"])
    claims["agrees_with_sources"] = ~claims["claim_id"].isin(conflicting)
    claims["not_below_earlier"] = ~claims["claim_id"].isin(decreased)
    claims = claims.join(reference_columns(claims, reference, rules.cumulative_metrics()))
    claims["share_percent"] = share_percent(claims, rules)
    return claims


def reference_columns(claims: pd.DataFrame, reference: pd.DataFrame | None, cumulative: set | None = None) -> pd.DataFrame:
    """reference_value, agrees_with_reference and states_reference_figure (null where no reference
    covers the claim).

    A reference covers claims of its story and metric in its dimension; a rise or fall is not
    a level, so claims with a `change` are never compared with it. agrees_with_reference: the
    claim's interval overlaps the reference's, or, for a cumulative metric (``cumulative``), the
    claim was published after the reference's date and is higher: the count may have risen
    since. states_reference_figure, for a bounded or hedged
    claim that agrees ("at least 1", "about 10", "2 to 4"): the figure it states lies in the
    reference interval; "at least 1" when the reference gives 2 is consistent but understates it.
    Null for exact claims (an exact claim that agrees states the figure, up to rounding) and for
    claims that disagree (agrees_with_reference already fails them).
    """
    out = pd.DataFrame({"reference_value": np.nan, "agrees_with_reference": None, "states_reference_figure": None},
                       index=claims.index)
    out["agrees_with_reference"] = out["agrees_with_reference"].astype(object)
    out["states_reference_figure"] = out["states_reference_figure"].astype(object)
    if reference is None or len(reference) == 0:
        return out
    dated = reference.assign(ref_day=_timestamps(reference["date"]) if "date" in reference else pd.NaT)
    keys = dated.groupby(["story", "metric", "dimension"], as_index=False).agg(
        reference_value=("value", "first"), ref_lo=("ref_lo", "min"), ref_hi=("ref_hi", "max"), ref_day=("ref_day", "max")
    )
    left = pd.DataFrame(
        {"story": claims["story_id"].astype(str), "metric": claims["metric"].fillna("").astype(str),
         "dimension": claims["dimension"], "lo": claims["lo"], "hi": claims["hi"]},
        index=claims.index,
    )
    joined = left.reset_index().merge(keys, on=["story", "metric", "dimension"], how="left").set_index("index")
    covered = joined["reference_value"].notna() & claims["change"].isna()
    overlap = (joined["lo"] <= joined["ref_hi"]) & (joined["ref_lo"] <= joined["hi"])
    # a cumulative count published after the reference's date may have risen past it
    risen = (claims["metric"].isin(cumulative or set()) & (_timestamps(claims["published_at"]) > joined["ref_day"])
             & (joined["lo"] > joined["ref_hi"]))
    overlap = overlap | risen.fillna(False)
    out.loc[covered, "reference_value"] = joined.loc[covered, "reference_value"]
    out.loc[covered, "agrees_with_reference"] = overlap[covered].astype(object)
    hedged = covered & overlap & (claims["qualifier"].fillna("exact") != "exact")
    if hedged.any():
        point = pd.Series([stated_figure(v, u) for v, u in zip(claims.loc[hedged, "value"], claims.loc[hedged, "unit"])],
                          index=claims.index[hedged])
        inside = (point >= joined.loc[hedged, "ref_lo"] * (1 - 1e-9)) & (point <= joined.loc[hedged, "ref_hi"] * (1 + 1e-9))
        out.loc[hedged, "states_reference_figure"] = inside.astype(object)
    return out


def stated_figure(value, unit) -> float:
    """The figure a claim states (its `value`: "at least 1" -> 1, "2 to 4" -> 3), in the base unit of its dimension."""
    return float(value) * unit_dimension(unit if isinstance(unit, str) else "")[1]


def share_percent(claims: pd.DataFrame, rules: Rules) -> pd.Series:
    """The value of percent claims that state a share of a whole (so cannot pass 100), else null."""
    words = set((rules.judgement.get("plausibility") or {}).get("percent_can_exceed_100_near", []))
    is_percent = (claims["dimension"] == "percent") & claims["change"].isna()
    shares = pd.Series(np.nan, index=claims.index)
    if not is_percent.any():
        return shares
    contexts = claim_contexts(claims[is_percent])
    near_growth = [_near(context, words, 4) for context in contexts]
    values = claims.loc[is_percent, "value"].astype(float).to_numpy()
    shares.loc[is_percent] = np.where(near_growth, np.nan, values)
    return shares


def _near(context: str, words: set, span: int) -> bool:
    before, _, after = context.partition("qself")
    return bool(words.intersection(before.split()[-span:] + after.split()[:span]))


# --- validation --------------------------------------------------------------------------------


def validate(claims: pd.DataFrame, suites: list[Suite]):
    """(suite, GX validation result) for each suite, on one ephemeral GX context."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("claims")
        .add_dataframe_asset("claims")
        .add_batch_definition_whole_dataframe("claims")
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": _gx_frame(claims)})
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": ["claim_id"]}
    return [(suite, batch.validate(suite.gx_suite, result_format=result_format)) for suite in suites]


def _gx_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """The columns GX reads, as plain scalars (list columns and infinities trip its metrics)."""
    plain = claims.drop(columns=[c for c in claims.columns if claims[c].map(lambda v: isinstance(v, list)).any()])
    return plain.replace([np.inf, -np.inf], np.nan)


def failing_checks(result, suite: Suite) -> list[dict]:
    """One record per failed expectation: its check metadata and the failing claim ids."""
    failures = []
    for outcome in result.results:
        config = outcome.expectation_config
        meta = dict(config.meta or {})
        if outcome.success:
            continue
        if outcome.exception_info and outcome.exception_info.get("raised_exception"):
            message = outcome.exception_info.get("exception_message") or "the expectation could not be evaluated"
            ids = []
        else:
            message = None
            ids = [item["claim_id"] for item in outcome.result.get("unexpected_index_list") or []]
        failures.append(
            {
                "check": meta["check_id"],
                "type": meta["finding_type"],
                "group_by": meta.get("group_by", "group"),
                "computation": meta.get("computation", DEFAULT_COMPUTATION),
                "severity": severity_name(getattr(config, "severity", None)),
                "rule": f"{meta['check_id']} ({suite.path.name}, line {suite.lines.get(meta['check_id'], '?')})",
                "description": " ".join(str(meta.get("description", "")).split()),
                "claim_ids": ids,
                "error": message,
            }
        )
    return failures


def severity_name(severity) -> str:
    """GX's FailureSeverity enum as its plain name ("critical"): the boundary where GX's types stop.

    pandas keeps an enum as an object whose str() is "FailureSeverity.CRITICAL" (pyarrow's string
    type happened to store its value), so every table and page past here holds plain strings."""
    name = getattr(severity, "value", severity)
    return str(name).lower() if name else "warning"


# --- findings ----------------------------------------------------------------------------------
# Findings and verdicts are built from plain dict records: a pandas lookup per finding or per
# claim costs a hundred times more, and 100,000 claims must check in well under a minute.


def build_findings(claims: pd.DataFrame, pairs: pd.DataFrame, failures: list[dict], confident: float = 0.0) -> pd.DataFrame:
    """One finding per failing group (or claim); conflicts carry the confidence of the links
    behind them and the words that linked the claims, and a conflict resting on a link below
    ``confident`` is only a possible conflict, one severity lower. Ranked by severity, then
    confidence."""
    records = claim_records(claims)
    partners = {column: _partners(pairs, column) for column in PAIR_COLUMNS}
    rows = []
    for failure in failures:
        if failure["error"]:
            rows.append(_finding(failure, [], "", "", f"The check {failure['rule']} could not run: {failure['error']}"))
            continue
        computation = COMPUTATIONS[failure["computation"]]
        for members in _gather([records[c] for c in failure["claim_ids"]], records, partners.get(computation.pairs), failure):
            message = computation.message(members, failure)
            row = _finding(failure, [m["claim_id"] for m in members], members[0]["story_id"], _label(members[0]), message)
            if computation.linked:  # the finding rests on links between sources: say how sure they are
                row.update(_conflict_evidence(members, confident, row["severity"]))
                row["message"] = row.pop("_lead") + row["message"]
            rows.append(row)
    rows.sort(key=lambda r: (_SEVERITY_ORDER.get(r["severity"], 9), -(r["confidence"] if r["confidence"] is not None else 1.0)))
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
_LOWER_SEVERITY = {"critical": "warning", "warning": "info"}


def _conflict_evidence(members: list[dict], confident: float, severity: str) -> dict:
    """confidence (the weakest link among the claims of the finding), the words that linked
    them, and, below ``confident``, a lower severity and a "Possible conflict" lead."""
    scores = [m["link_confidence"] for m in members if isinstance(m.get("link_confidence"), (int, float)) and m["link_confidence"] == m["link_confidence"]]
    confidence = round(min(scores), 3) if scores else None
    words = list(dict.fromkeys(m["link_words"] for m in members if isinstance(m.get("link_words"), str) and m["link_words"]))
    linked_by = "; ".join(words)
    out = {"confidence": confidence, "linked_by": linked_by, "_lead": ""}
    if confidence is not None and confidence < confident:
        out["severity"] = _LOWER_SEVERITY.get(severity, severity)
        out["_lead"] = f"Possible conflict (link confidence {confidence:.2f}, {linked_by or 'linked by context'}). "
    elif confidence is not None:
        out["_lead"] = f"Conflict (link confidence {confidence:.2f}, {linked_by or 'linked by context'}). "
    return out


RECORD_COLUMNS = ["claim_id", "doc_id", "source", "surface", "published_at", "start", "story_id", "group_id",
                  "metric", "counted", "dimension", "lo", "hi", "reference_value", "value", "unit",
                  "link_confidence", "link_words"]


def claim_records(claims: pd.DataFrame) -> Mapping[str, dict]:
    """claim_id -> the claim's record (the RECORD_COLUMNS), as a mapping that builds each
    record when it is asked for: a dict per claim held at once cost some 55 MB for 59,000 claims."""
    return _ClaimRecords([_shared(claims[c].tolist()) if c in claims else [None] * len(claims) for c in RECORD_COLUMNS])  # DataFrame.to_dict("records") is ten times slower


def _shared(values: list) -> list:
    """The values with equal strings held once: tolist makes a string per row, and sources, stories,
    groups and units (and every figure of a repeated article) recur."""
    seen: dict[str, str] = {}
    return [seen.setdefault(v, v) if type(v) is str else v for v in values]


class _ClaimRecords(Mapping):
    """Records from column lists; like ``{row[0]: dict(zip(RECORD_COLUMNS, row)) for row in rows}``
    (a repeated claim id keeps its first place and its last row), one fresh dict per lookup."""

    def __init__(self, columns: list[list]):
        self.columns = columns
        self.position = {claim_id: i for i, claim_id in enumerate(columns[0])}

    def __getitem__(self, claim_id) -> dict:
        i = self.position[claim_id]
        return {name: column[i] for name, column in zip(RECORD_COLUMNS, self.columns)}

    def __iter__(self):
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)


def pair_partners(pairs: pd.DataFrame) -> Mapping[str, list[str]]:
    """claim id -> the ids of the claims it is paired with, in pair order (as
    ``pairs.groupby("claim_id")["claim_id_other"].agg(list)``), each list built when asked for:
    a list per claim held at once cost some 55 MB for 650,000 pairs."""
    return _Partners(pairs["claim_id"], pairs["claim_id_other"])


class _Partners(Mapping):
    def __init__(self, left: pd.Series, right: pd.Series):
        codes, ids = pd.factorize(pd.concat([left, right], ignore_index=True))  # one small int per id
        self.ids = list(ids)
        left_codes, self.right = codes[:len(left)], codes[len(left):]
        kept = np.flatnonzero(left_codes >= 0)  # a missing claim id has no partners (as in a groupby)
        self.order = kept[np.argsort(left_codes[kept], kind="stable")]  # each claim's pairs together, in pair order
        self.bounds = np.r_[0, np.cumsum(np.bincount(left_codes[kept], minlength=len(self.ids)))]
        self.position = {claim_id: k for k, claim_id in enumerate(self.ids) if self.bounds[k + 1] > self.bounds[k]}

    def __getitem__(self, claim_id) -> list[str]:
        k = self.position[claim_id]
        return [self.ids[j] if j >= 0 else None for j in self.right[self.order[self.bounds[k]:self.bounds[k + 1]]]]

    def __iter__(self):
        return iter(self.position)

    def __len__(self) -> int:
        return len(self.position)


def _partners(pairs: pd.DataFrame, check: str) -> dict[str, list[str]]:
    """claim id -> the claims it fails the pairwise check against."""
    hits = pairs.loc[pairs[check], ["claim_id", "claim_id_other"]]
    return hits.groupby("claim_id")["claim_id_other"].agg(list).to_dict()


def _gather(failing: list[dict], records: dict, partners: dict | None, failure: dict):
    """The claims of each finding: per group (with the claims they disagree with), claim or story+metric."""
    if failure["group_by"] == "claim":
        for record in failing:
            yield [record]
        return
    key = (lambda r: (r["group_id"],)) if failure["group_by"] == "group" else (lambda r: (r["story_id"], r["metric"] or ""))
    groups: dict[tuple, list[str]] = {}
    for record in failing:
        groups.setdefault(key(record), []).append(record["claim_id"])
    for _, ids in sorted(groups.items()):
        if partners is not None:
            ids = list(dict.fromkeys(ids + [o for c in ids for o in partners.get(c, [])]))
        yield sorted((records[c] for c in ids), key=lambda r: (str(r["published_at"]), str(r["doc_id"]), r["start"]))


def _finding(failure: dict, claim_ids: list, story, metric, message: str) -> dict:
    digest = hashlib.sha1("\x1f".join([failure["check"], *map(str, claim_ids)]).encode()).hexdigest()
    return {
        "finding_id": digest[:16],
        "type": failure["type"],
        "check": failure["check"],
        "severity": failure["severity"],
        "story": story,
        "metric": metric,
        "claim_ids": claim_ids,
        "message": message,
        "confidence": None,
        "linked_by": "",
    }


def _conflict_message(members: list[dict], failure: dict) -> str:
    said = "; ".join(_says(m) for m in members)
    return (
        f"Sources disagree on {_label(members[0])}: {said}. These intervals do not overlap, so they "
        f"cannot all be true. Rule: {failure['rule']}."
    )


def _decrease_message(members: list[dict], failure: dict) -> str:
    said = "; ".join(f"{_says(m)} on {_day(m['published_at'])}" for m in members)
    return (
        f"A cumulative count went down: {said}. A later report of {_label(members[0])} should not be "
        f"lower than an earlier one. Rule: {failure['rule']}."
    )


def _reference_figure_message(members: list[dict], failure: dict) -> str:
    reference = _number(members[0]["reference_value"], members[0]["dimension"])
    stated = "; ".join(f"{_says(m)} {_stated_against_reference(m)}" for m in members)
    return (
        f"The reference gives {reference} for {_label(members[0])} in story {members[0]['story_id']}. "
        f"Consistent, but not the reference figure: {stated}. The claim's interval admits the reference, "
        f"so nothing contradicts it, yet the figure it states differs. Rule: {failure['rule']}."
    )


def _reference_message(members: list[dict], failure: dict) -> str:
    said = "; ".join(_says(m) for m in members)
    reference = _number(members[0]["reference_value"], members[0]["dimension"])
    return (
        f"The reference gives {reference} for {_label(members[0])} in story {members[0]['story_id']}, "
        f"but {said}. Rule: {failure['rule']}."
    )


def _stated_against_reference(record: dict) -> str:
    """"(states 1: lower than the reference, understates it)"."""
    stated = stated_figure(record["value"], record["unit"])
    lower = stated < record["reference_value"]
    return (f"(states {_number(stated, record['dimension'])}: "
            f"{'lower' if lower else 'higher'} than the reference, {'understates' if lower else 'overstates'} it)")


def _generic_message(members: list[dict], failure: dict) -> str:
    said = "; ".join(_says(m) for m in members)
    return f"{failure['description'] or failure['check']} Failed by: {said}. Rule: {failure['rule']}."


# --- verdicts ----------------------------------------------------------------------------------


def add_verdicts(claims: pd.DataFrame, pairs: pd.DataFrame, failures: list[dict]) -> pd.DataFrame:
    """verdict and explanation for each claim: the most serious failure, else agrees / unchecked."""
    from ..columns import VERDICTS

    rank = {verdict: i for i, verdict in enumerate(VERDICTS)}  # finding types of our own rank last
    failed: dict[str, dict] = {}
    for failure in failures:
        for claim_id in failure["claim_ids"]:
            current = failed.get(claim_id)
            if current is None or rank.get(failure["type"], len(rank)) < rank.get(current["type"], len(rank)):
                failed[claim_id] = failure
    records = claim_records(claims)
    partners = pair_partners(pairs)
    referenced = claims["agrees_with_reference"].notna().to_numpy()
    verdicts, explanations = [], []
    for record, has_reference in zip(records.values(), referenced):
        failure = failed.get(record["claim_id"])
        others = [records[o] for o in partners.get(record["claim_id"], [])]
        if failure is not None:
            verdicts.append(failure["type"])
            explanations.append(_explain_failure(record, failure, others))
        elif others or has_reference:
            verdicts.append("agrees")
            checked = [f"{len(others)} figure(s) from other sources"] if others else []
            checked += ["the reference"] if has_reference else []
            explanations.append(f"{_says(record)}; agrees with {' and '.join(checked)}.")
        else:
            verdicts.append("unchecked")
            explanations.append(f"{_says(record)}; no other source states this figure.")
    del records, partners  # before the columns are built from the lists: not both at the peak
    return claims.assign(verdict=verdicts, explanation=explanations)


def _explain_failure(record: dict, failure: dict, others: list[dict]) -> str:
    return COMPUTATIONS[failure["computation"]].explain(record, failure, others, f"Rule: {failure['rule']}.")


def _explain_conflict(record: dict, failure: dict, others: list[dict], rule: str) -> str:
    against = [_says(o) for o in others if o["hi"] < record["lo"] or record["hi"] < o["lo"]]
    return f"{_says(record)}; disagrees with {', '.join(against) or 'another source'}. {rule}"


def _explain_decrease(record: dict, failure: dict, others: list[dict], rule: str) -> str:
    earlier = [f"{_says(o)} on {_day(o['published_at'])}" for o in others if o["lo"] > record["hi"]]
    return f"{_says(record)} on {_day(record['published_at'])}, lower than the earlier {', '.join(earlier)}. {rule}"


def _explain_reference_figure(record: dict, failure: dict, others: list[dict], rule: str) -> str:
    return (f"{_says(record)}; the reference gives {_number(record['reference_value'], record['dimension'])}: "
            f"consistent, but {_stated_against_reference(record)[1:-1]}. {rule}")


def _explain_reference(record: dict, failure: dict, others: list[dict], rule: str) -> str:
    return f"{_says(record)}; the reference gives {_number(record['reference_value'], record['dimension'])}. {rule}"


def _explain_generic(record: dict, failure: dict, others: list[dict], rule: str) -> str:
    return f"{_says(record)}. {failure['description']} {rule}"


# --- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computation:
    """What the failures of a check mean, named in its suite by ``meta.computation``: the finding's
    message, each failing claim's explanation, and the column of source_pairs whose partners
    join a finding (the claims a failing claim disagrees with)."""

    message: Callable[[list[dict], dict], str]
    explain: Callable[[dict, dict, list[dict], str], str]
    pairs: str | None = None
    linked: bool = False  # its findings carry the link confidence and the linking words


# the named computations a suite may reference; an unknown name fails when the rules load
COMPUTATIONS = {
    "conflict": Computation(_conflict_message, _explain_conflict, pairs="conflict", linked=True),
    "decrease": Computation(_decrease_message, _explain_decrease, pairs="decrease"),
    "reference_mismatch": Computation(_reference_message, _explain_reference),
    "reference_figure": Computation(_reference_figure_message, _explain_reference_figure),
    "generic": Computation(_generic_message, _explain_generic),
}
DEFAULT_COMPUTATION = "generic"  # a check whose failures need no words of their own
PAIR_COLUMNS = ("conflict", "decrease")  # the judgements of source_pairs


# --- wording -----------------------------------------------------------------------------------


def _says(record: dict) -> str:
    who = record["source"] if isinstance(record["source"], str) and record["source"] else record["doc_id"]
    return f'{who} says "{record["surface"]}" ({_interval(record["lo"], record["hi"], record["dimension"])})'


def _interval(lo: float, hi: float, dimension: str) -> str:
    if lo == hi:
        return f"exactly {_number(lo, dimension)}"
    if math.isinf(hi) and math.isinf(lo):
        return "any value"
    if math.isinf(hi):
        return f"at least {_number(lo, dimension)}"
    if math.isinf(lo):
        return f"at most {_number(hi, dimension)}"
    return f"{_number(lo, dimension)} to {_number(hi, dimension)}"


def _number(x: float, dimension: str) -> str:
    text = number_text(x, prose=True)
    if dimension == "percent":
        return text + "%"
    if dimension == "age":
        return f"{text} years old"
    if dimension.startswith("currency:"):
        return f"{text} {dimension.split(':', 1)[1]}"
    if dimension.startswith("measure:"):
        return f"{text} (SI base units)"
    if dimension.startswith("unit:"):
        return f"{text} {dimension.split(':', 1)[1]}"
    return text


def _label(row) -> str:
    for value in (row["metric"], row["counted"], row["dimension"]):
        if isinstance(value, str) and value:
            return value
    return "this figure"


def _day(value) -> str:
    return str(value)[:10] if value is not None and value == value else "an unknown date"


def _timestamps(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
