"""Rules loading: a bad file fails at load time with the file and the line."""

import shutil
import textwrap

import pytest

from auditor.errors import AuditorError, RulesError
from auditor.check.reference import load_reference
from auditor.ruleset import DEFAULT_RULES_DIR, load_rules


@pytest.fixture
def rules_dir(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def write_suite(rules_dir, body: str):
    path = rules_dir / "suites" / "extra.yaml"
    path.write_text(textwrap.dedent(body))
    return path


GOOD_HEAD = """\
    name: extra
    expectations:
      - type: expect_column_values_to_be_in_set
        kwargs: {column: agrees_with_sources, value_set: [true]}
        meta: {check_id: extra_ok, finding_type: conflict}
"""


def test_bundled_rules_load():
    rules = load_rules()
    assert {s.name for s in rules.suites} == {"cross_source", "plausibility", "reference"}
    assert rules.suites[0].lines["conflict"] == 7


BAD_SUITE_ENTRIES = {
    "unknown expectation type": (
        "expect_column_values_to_be_betwen", "{column: value}",
        r"unknown expectation type 'expect_column_values_to_be_betwen'$",
    ),
    "bad arguments": (
        "expect_column_values_to_be_between", "{column: value, min_vaue: 0}",
        r"bad arguments for expect_column_values_to_be_between \(min_vaue",
    ),
    "unknown column": (
        "expect_column_values_to_not_be_null", "{column: no_such_column}",
        r"column 'no_such_column' is not computed by any stage$",
    ),
}


@pytest.mark.parametrize("kind", BAD_SUITE_ENTRIES)
def test_bad_expectation_names_file_and_line(rules_dir, kind):
    expectation, kwargs, message = BAD_SUITE_ENTRIES[kind]
    path = write_suite(rules_dir, GOOD_HEAD + f"""\
      - type: {expectation}
        kwargs: {kwargs}
        meta: {{check_id: typo, finding_type: implausible}}
    """)
    with pytest.raises(RulesError, match=rf"^{path}:6: {message}"):
        load_rules(rules_dir)


def test_check_without_id_fails(rules_dir):
    path = write_suite(rules_dir, """\
    name: extra
    expectations:
      - type: expect_column_values_to_not_be_null
        kwargs: {column: value}
    """)
    with pytest.raises(RulesError, match=rf"^{path}:3: meta needs a check_id and a finding_type$"):
        load_rules(rules_dir)


def test_invalid_yaml_names_the_line(rules_dir):
    path = write_suite(rules_dir, "name: extra\nexpectations:\n  - type: [unclosed\n")
    with pytest.raises(RulesError, match=rf"^{path}:4: invalid YAML"):
        load_rules(rules_dir)


def test_unknown_judgement_setting(rules_dir):
    path = rules_dir / "judgement.yaml"
    path.write_text(path.read_text().replace("  cumulative: false", "  cumulative: false\n  tolerence: 3"))
    with pytest.raises(RulesError, match=rf"^{path}: unknown or missing judgement setting\(s\): tolerence$"):
        load_rules(rules_dir)


def test_reference_loads_with_intervals(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("story,metric,value,lower,upper\n1,killed,2,,\n1,injured,12,10,15\n")
    reference = load_reference(path)
    assert list(reference["ref_lo"]) == [2, 10] and list(reference["ref_hi"]) == [2, 15]
    assert list(reference["dimension"]) == ["count", "count"]


def test_reference_errors_name_file_and_line(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("story,metric,value\n1,killed,2\n1,injured,many\n")
    with pytest.raises(AuditorError, match=rf"^{path}:3: reference value is not a number: 'many'$"):
        load_reference(path)
    path.write_text("story,value\n1,2\n")
    with pytest.raises(AuditorError, match=rf"^{path}:1: reference CSV lacks column\(s\): metric$"):
        load_reference(path)
