"""Rule cases: pass and fail examples for each suite, written as data (rules/cases/*.yaml).

A case is a handful of claims in compact form, optionally reference rows, and what must
happen: `expect: fail` means a finding of the case's `check` lists the claims in `flagged`
(when given); `expect: pass` means no finding of that check. All cases of a run are checked
in one table (each case is its own story), so the whole set costs one validation.

    claims:
      - {doc: a, surface: "at least 20", value: 20, qualifier: at_least, counted: boats}
      - {doc: b, surface: "21", value: 21, counted: boats}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..columns import CLAIM_COLUMNS
from ..intervals import stated_bounds
from ..ruleset import Rules, load_validated


@dataclass
class Case:
    file: Path
    line: int
    name: str
    check: str
    expect: str
    claims: list[dict]
    reference: list[dict] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    @property
    def story(self) -> str:
        return f"{self.file.stem}:{self.line}"


def load_cases(directory: Path) -> list[Case]:
    cases = []
    for path in sorted(Path(directory).glob("*.yaml")):
        data, node = load_validated(path, "cases")  # a case needs name, check, expect (pass|fail) and claims
        items = next((value.value for key, value in node.value if key.value == "cases"), [])
        for spec, item in zip(data.get("cases") or [], items):
            line = item.start_mark.line + 1
            cases.append(Case(path, line, spec["name"], spec["check"], spec["expect"], spec["claims"],
                              spec.get("reference") or [], spec.get("flagged") or []))
    return cases


def claims_table(records: list[dict], story: str | None = None) -> pd.DataFrame:
    """A claims table from compact records: ids, offsets, bounds and sentence filled in."""
    rows = []
    for n, record in enumerate(records):
        record = dict(record)
        doc = str(record.pop("doc", "a"))
        value = float(record["value"])
        qualifier = record.get("qualifier", "exact")
        surface = str(record.get("surface", f"{value:g}"))
        counted = record.get("counted", "")
        lower, upper = stated_bounds(qualifier, value)
        row = {
            "claim_id": record.get("id", f"{doc}{n}"),
            "doc_id": doc,
            "source": record.get("source", f"Outlet {doc.upper()}"),
            "published_at": record.get("published_at", "2025-11-11"),
            "story": record.get("story", story),
            "start": 0,
            "end": len(surface),
            "surface": surface,
            "sentence": record.get("sentence", f"{surface} {counted}".strip()),
            "value": value,
            "lower": record.get("lower", lower),
            "upper": record.get("upper", upper),
            "qualifier": qualifier,
            "change": record.get("change"),
            "unit": record.get("unit", ""),
            "counted": counted,
            "metric": record.get("metric"),
            "attribution": None,
        }
        rows.append(row)
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def run_cases(cases: list[Case], rules: Rules) -> dict[int, pd.DataFrame]:
    """Findings per case (by position), from one align + check over every case at once."""
    from ..align.groups import align_claims
    from .validate import check_claims
    from .reference import with_intervals

    tables, references = [], []
    for case in cases:
        table = claims_table(case.claims, case.story)
        table["claim_id"] = case.story + "/" + table["claim_id"].astype(str)
        table["doc_id"] = case.story + "/" + table["doc_id"].astype(str)
        tables.append(table)
        references += [{"story": case.story, "date": "", "source": "reference", "unit": "", "lower": None, "upper": None, **r}
                       for r in case.reference]
    reference = with_intervals(pd.DataFrame(references)) if references else None
    result = check_claims(align_claims(pd.concat(tables, ignore_index=True), rules), rules, reference)
    return {i: result.findings[result.findings["story"] == case.story] for i, case in enumerate(cases)}


def case_failures(case: Case, findings: pd.DataFrame) -> str | None:
    """Why the case did not behave as declared, or None when it did."""
    hits = findings[findings["check"] == case.check]
    if case.expect == "pass":
        return None if hits.empty else f"expected no {case.check} finding, got: {list(hits['message'])}"
    if hits.empty:
        return f"expected a {case.check} finding, got none (findings: {list(findings['message'])})"
    wanted = {f"{case.story}/{cid}" for cid in case.flagged}
    listed = {cid for ids in hits["claim_ids"] for cid in ids}
    missing = wanted - listed
    return f"{case.check} finding does not list {sorted(missing)}" if missing else None
