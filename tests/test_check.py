"""Check stage: findings, verdicts and explanations on claim tables built in the test."""

import pandas as pd
import pytest

from auditor.align.groups import align_claims
from auditor.check.cases import claims_table
from auditor.check.validate import check_claims
from auditor.columns import CHECK_COLUMNS, FINDING_COLUMNS
from auditor.check.reference import with_intervals
from auditor.ruleset import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def check(records, rules, reference=None):
    ref = None
    if reference:
        ref = with_intervals(pd.DataFrame([{"story": "s", "date": "", "source": "GVA", "unit": "", "lower": None, "upper": None, **r} for r in reference]))
    return check_claims(align_claims(claims_table(records, "s"), rules), rules, ref)


def test_conflict_finding_names_both_claims_and_the_rule(rules):
    result = check([{"doc": "a", "surface": "76", "value": 76, "counted": "deaths", "metric": "killed"},
                    {"doc": "b", "surface": "152", "value": 152, "counted": "deaths", "metric": "killed"}], rules)
    assert list(result.findings.columns) == list(FINDING_COLUMNS)
    finding = result.findings.iloc[0]
    assert (finding["type"], finding["story"], finding["metric"], finding["claim_ids"]) == ("conflict", "s", "killed", ["a0", "b1"])
    assert finding["message"].split(". ", 1)[1] == (
        'Sources disagree on killed: Outlet A says "76" (exactly 76); Outlet B says "152" (exactly 152). '
        "These intervals do not overlap, so they cannot all be true. Rule: conflict (cross_source.yaml, line 7)."
    )
    assert list(result.claims["verdict"]) == ["conflict", "conflict"]
    assert 'disagrees with Outlet B says "152"' in result.claims.loc[0, "explanation"]


def test_agreeing_and_lonely_claims_get_their_verdicts(rules):
    result = check([{"doc": "a", "surface": "at least 20", "value": 20, "qualifier": "at_least", "counted": "boats"},
                    {"doc": "b", "surface": "21", "value": 21, "counted": "boats"},
                    {"doc": "b", "surface": "£3bn", "value": 3e9, "unit": "GBP", "sentence": "It cost £3bn."}], rules)
    assert result.findings.empty
    assert list(result.claims["verdict"]) == ["agrees", "agrees", "unchecked"]
    assert set(CHECK_COLUMNS) <= set(result.claims.columns)
    assert result.claims["explanation"].str.len().gt(0).all()


def test_reference_mismatch_names_both_figures(rules):
    result = check([{"doc": "a", "surface": "three", "value": 3, "counted": "people", "metric": "killed"}], rules,
                   reference=[{"metric": "killed", "value": 2}])
    finding = result.findings.iloc[0]
    assert finding["type"] == "reference_mismatch" and finding["claim_ids"] == ["a0"]
    assert finding["message"].startswith('The reference gives 2 for killed in story s, but Outlet A says "three" (exactly 3).')
    assert result.claims.loc[0, "reference_value"] == 2


def test_a_cumulative_count_published_after_the_reference_may_be_higher(rules):
    records = [{"doc": "a", "surface": "five", "value": 5, "counted": "people", "metric": "killed", "published_at": "2025-11-12"},
               {"doc": "b", "surface": "five", "value": 5, "counted": "people", "metric": "killed", "published_at": "2025-11-09"}]
    result = check(records, rules, reference=[{"metric": "killed", "value": 2, "date": "2025-11-10"}])
    verdicts = dict(zip(result.claims["claim_id"], result.claims["agrees_with_reference"]))
    assert verdicts == {"a0": True, "b1": False}
    assert [f["claim_ids"] for f in result.findings.to_dict("records") if f["type"] == "reference_mismatch"] == [["b1"]]


def test_understated_claim_is_an_info_reference_finding_that_says_it_is_consistent(rules):
    result = check([{"doc": "a", "surface": "at least one", "value": 1, "qualifier": "at_least", "counted": "people",
                     "metric": "killed"}], rules, reference=[{"metric": "killed", "value": 2}])
    assert len(result.findings) == 1
    finding = result.findings.iloc[0]
    assert (finding["type"], finding["check"], finding["severity"]) == ("reference_mismatch", "reference_figure", "info")
    assert finding["message"].startswith(
        'The reference gives 2 for killed in story s. Consistent, but not the reference figure: Outlet A says "at least one"'
        " (at least 1) (states 1: lower than the reference, understates it).")
    assert "consistent, but states 1: lower than the reference, understates it" in result.claims.loc[0, "explanation"]


def test_decrease_lists_the_later_and_the_earlier_claim(rules):
    result = check([{"doc": "a", "surface": "83", "value": 83, "counted": "deaths", "metric": "killed", "published_at": "2025-11-11"},
                    {"doc": "b", "surface": "76", "value": 76, "counted": "deaths", "metric": "killed", "published_at": "2025-11-12"}], rules)
    assert list(result.findings["type"]) == ["decrease"]
    assert result.findings.iloc[0]["claim_ids"] == ["a0", "b1"]
    assert list(result.claims["verdict"]) == ["agrees", "decrease"]


def test_implausible_percent(rules):
    result = check([{"surface": "140%", "value": 140, "unit": "%", "sentence": "Turnout was 140% of voters."}], rules)
    assert list(result.findings["check"]) == ["percent_over_100"]
    assert result.claims.loc[0, "verdict"] == "implausible"


def test_validation_results_are_json_dicts(rules):
    import json

    result = check([{"surface": "76", "value": 76}], rules)
    assert {v["suite"] for v in result.validation} == {"cross_source", "plausibility", "reference"}
    json.dumps(result.validation, default=str)


def test_no_claims_no_findings(rules):
    result = check_claims(align_claims(claims_table([]), rules), rules)
    assert result.findings.empty and list(result.findings.columns) == list(FINDING_COLUMNS)


def test_claim_records_are_the_rows_by_claim_id():
    """Built on demand from column lists, but the same records as one dict per row."""
    from auditor.check.validate import RECORD_COLUMNS, claim_records

    table = pd.DataFrame({c: [f"{c}{i}" for i in range(3)] for c in RECORD_COLUMNS}).assign(claim_id=["a", "b", "a"], lo=[1.0, 2.0, 3.0])
    eager = {row["claim_id"]: row for row in table[RECORD_COLUMNS].to_dict("records")}
    records = claim_records(table)
    assert list(records) == list(eager) == ["a", "b"] and len(records) == 2
    assert dict(records) == eager and records["a"]["lo"] == 3.0
    assert list(records.values()) == list(eager.values())
