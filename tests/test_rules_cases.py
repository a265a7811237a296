"""One generic test runs every pass/fail case in rules/cases/ (cases are data, like the rules)."""

from pathlib import Path

import pytest

from auditor.check.cases import case_failures, load_cases, run_cases
from auditor.ruleset import DEFAULT_RULES_DIR, load_rules

CASES = load_cases(DEFAULT_RULES_DIR / "cases")


@pytest.fixture(scope="module")
def findings_by_case():
    return run_cases(CASES, load_rules())


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c.file.stem}:{c.line} {c.name}" for c in CASES])
def test_rule_case(index, findings_by_case):
    case = CASES[index]
    assert case_failures(case, findings_by_case[index]) is None, f"{case.file}:{case.line}: {case.name}"


def test_every_check_has_a_pass_and_a_fail_case():
    rules = load_rules()
    declared = {check_id for suite in rules.suites for check_id in suite.lines}
    covered = {(c.check, c.expect) for c in CASES}
    missing = [f"{check} ({expect})" for check in sorted(declared) for expect in ("pass", "fail") if (check, expect) not in covered]
    assert not missing, f"checks without cases: {missing}"


def test_each_suite_file_has_a_case_file():
    suites = {p.stem for p in (Path(DEFAULT_RULES_DIR) / "suites").glob("*.yaml")}
    cases = {p.stem for p in (Path(DEFAULT_RULES_DIR) / "cases").glob("*.yaml")}
    assert suites <= cases
