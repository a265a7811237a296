"""Check: validate aligned claims with the Great Expectations suites in rules/suites.

Cross-row facts (does a claim agree with the other sources in its group?) are
computed as columns in pandas first; the suites then declare which columns must
hold which values. Every failing row is turned into a finding row: failures are
data, never exceptions. great_expectations is imported here only (it is slow to
import), so the CLI's --help never pays for it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import pandas as pd

from .columns import FINDING_COLUMNS
from .errors import RulesError
from .rules import Rules


@dataclass
class CheckResult:
    """What the check stage hands to the report: findings, claims with verdicts, raw GX results."""

    findings: pd.DataFrame
    claims: pd.DataFrame
    validation: list[dict]


def check_claims(aligned: pd.DataFrame, rules: Rules) -> CheckResult:
    claims = add_check_columns(aligned)
    validation = []
    finding_rows: list[dict] = []
    suites = build_suites(rules)
    if len(claims):
        for suite, path in suites:
            result = validate(claims, suite)
            validation.append({"suite": suite.name, "file": str(path), "result": result.to_json_dict()})
            finding_rows += findings_from_result(result, claims)
    findings = pd.DataFrame(finding_rows, columns=list(FINDING_COLUMNS))
    return CheckResult(findings=findings, claims=claims, validation=validation)


def add_check_columns(aligned: pd.DataFrame) -> pd.DataFrame:
    """agrees_with_sources: the claim's interval overlaps every other document's claim in its group."""
    claims = aligned.copy()
    agrees = pd.Series(True, index=claims.index)
    for _, group in claims.groupby("group_id", sort=False):
        if group["doc_id"].nunique() < 2:
            continue
        lo, hi, doc = group["lo"].to_numpy(), group["hi"].to_numpy(), group["doc_id"].to_numpy()
        disjoint = (hi[:, None] < lo[None, :]) | (hi[None, :] < lo[:, None])
        other_doc = doc[:, None] != doc[None, :]
        agrees.loc[group.index] = ~(disjoint & other_doc).any(axis=1)
    claims["agrees_with_sources"] = agrees
    return claims


def build_suites(rules: Rules):
    """Turn each YAML suite into a GX ExpectationSuite; unknown expectation types fail loudly."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    suites = []
    for entry in rules.suites:
        spec, path = entry["spec"], entry["path"]
        declared = spec.get("expectations") or []
        try:
            suite = gx.ExpectationSuite(name=spec["name"], expectations=declared)
        except Exception as exc:  # GX raises assorted pydantic/typing errors for bad kwargs
            raise RulesError(f"{path}: invalid expectation ({_first_line(exc)})") from None
        if len(suite.expectations) != len(declared):
            known = {e.expectation_type for e in suite.expectations}
            unknown = [e.get("type") for e in declared if e.get("type") not in known]
            raise RulesError(f"{path}: unknown expectation type(s): {', '.join(map(str, unknown))}")
        suites.append((suite, path))
    return suites


def validate(claims: pd.DataFrame, suite):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("claims")
        .add_dataframe_asset("claims")
        .add_batch_definition_whole_dataframe("claims")
    )
    batch = batch_definition.get_batch(batch_parameters={"dataframe": claims.reset_index(drop=True)})
    return batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["claim_id"]},
    )


def findings_from_result(result, claims: pd.DataFrame) -> list[dict]:
    """One finding per failing group: the group's claims, and a message that names them."""
    rows = []
    by_id = claims.set_index("claim_id")
    for outcome in result.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        meta = config.meta or {}
        failing = [item["claim_id"] for item in outcome.result.get("unexpected_index_list") or []]
        for group_id, group in by_id.loc[failing].groupby("group_id", sort=True):
            members = by_id[by_id["group_id"] == group_id].sort_values(["published_at", "doc_id", "start"])
            claim_ids = list(members.index)
            rows.append(
                {
                    "finding_id": _finding_id(meta.get("check_id", config.type), claim_ids),
                    "type": meta.get("finding_type", meta.get("check_id", config.type)),
                    "check": meta.get("check_id", config.type),
                    "severity": getattr(config, "severity", None) or "warning",
                    "story": members["story_id"].iloc[0],
                    "metric": members["metric"].iloc[0] or members["counted"].iloc[0],
                    "claim_ids": claim_ids,
                    "message": conflict_message(members),
                }
            )
    return rows


def conflict_message(members: pd.DataFrame) -> str:
    metric = members["metric"].iloc[0] or members["counted"].iloc[0] or "figure"
    parts = [
        f"{row.source or row.doc_id} says {row.surface!s} ({_interval_text(row.lo, row.hi)})"
        for row in members.itertuples()
    ]
    return f"Sources disagree on {metric}: " + "; ".join(parts) + ". These intervals cannot all hold."


def _interval_text(lo: float, hi: float) -> str:
    if lo == hi:
        return f"= {lo:,.6g}"
    if hi == float("inf"):
        return f">= {lo:,.6g}"
    if lo == float("-inf"):
        return f"<= {hi:,.6g}"
    return f"{lo:,.6g} to {hi:,.6g}"


def _finding_id(check: str, claim_ids: list[str]) -> str:
    digest = hashlib.sha1("\x1f".join([check, *claim_ids]).encode()).hexdigest()
    return digest[:16]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
