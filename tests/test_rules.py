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
    with pytest.raises(RulesError, match=rf"^{path}:3: missing key 'expectations.0.meta'$"):
        load_rules(rules_dir)


def test_invalid_yaml_names_the_line(rules_dir):
    path = write_suite(rules_dir, "name: extra\nexpectations:\n  - type: [unclosed\n")
    with pytest.raises(RulesError, match=rf"^{path}:4: invalid YAML"):
        load_rules(rules_dir)


def test_unknown_judgement_setting(rules_dir):
    path = rules_dir / "judgement.yaml"
    path.write_text(path.read_text().replace("  cumulative: false", "  cumulative: false\n  tolerence: 3"))
    with pytest.raises(RulesError, match=rf"^{path}:13: unknown key 'defaults.tolerence' \(known: approx_tolerance, cumulative, honour_rounding\)$"):
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


# an unknown key or a value of the wrong type in every kind of rules file: (file, old text, new text, message)
SCHEMA_ERRORS = {
    "extraction unknown key": ("extraction.yaml", "range_joiners:", "range_joiner:",
                               r"unknown key 'range_joiner' \(known: .*range_joiners"),
    "extraction wrong type": ("extraction.yaml", "vague_needs_of: [scores, tens]", "vague_needs_of: scores",
                              r"vague_needs_of: 'scores' is not of type 'array'"),
    "taxonomy unknown key": ("taxonomy.yaml", "    nouns: [votes, ballots]", "    noun: [votes, ballots]",
                             r"unknown key 'metrics.votes.noun' \(known: applies_to, context, fallback, nouns\)"),
    "taxonomy wrong type": ("taxonomy.yaml", "  shot:\n    fallback: true", "  shot:\n    fallback: [true]",
                            r"metrics.shot.fallback: \[True\] is not of type 'boolean'"),
    "taxonomy casualty words (now in the casualty pack)": ("taxonomy.yaml", "\nmetrics:", "\nimplicit_one: {pronouns: [he]}\nmetrics:",
                                                          r"unknown key 'implicit_one' \(known: groups, metrics\)"),
    "units wrong type": ("units.yaml", "  - [foot, inch, 12]", "  - [foot, inch, twelve]",
                         r"compound.4.2: 'twelve' is not of type 'number'"),
    "currencies unknown key": ("currencies.yaml", "\nminor:", "\nminors:", r"unknown key 'minors'"),
    "judgement wrong type": ("judgement.yaml", "  window_days: 3", "  window_days: three",
                             r"stories.window_days: 'three' is not of type 'integer'"),
    "suite unknown key": ("suites/cross_source.yaml", "      group_by: group\n", "      grup_by: group\n",
                          r"unknown key 'expectations.0.meta.grup_by'"),
    "suite wrong severity": ("suites/cross_source.yaml", "severity: critical", "severity: fatal",
                             r"expectations.0.severity: 'fatal' is not one of \['critical', 'warning', 'info'\]"),
    "pattern unknown key": ("patterns/tallies.yaml", "  on_overlap: replace", "  on_overlp: replace",
                            r"unknown key '0.on_overlp' \(known: claims, description, fail, id, match, mode, needs, "),
    "pattern wrong value": ("patterns/tallies.yaml", "  on_overlap: replace", "  on_overlap: swap",
                            r"0.on_overlap: 'swap' is not one of \['skip', 'replace'\]"),
    "pack unknown key": ("packs/casualties.yaml", "\nuncounted_plurals:", "\nuncounted_plural:",
                         r"unknown key 'uncounted_plural'"),
    "pack wrong type": ("packs/casualties.yaml", "  pronouns: [he, she]", "  pronouns: he",
                        r"implicit_one.pronouns: 'he' is not of type 'array'"),
    "pack other name": ("packs/casualties.yaml", "name: casualties", "name: casualty",
                        r"name: 'casualties' was expected"),
    "case unknown key": ("cases/cross_source.yaml", "    expect: pass", "    expected: pass",
                         r"unknown key 'cases.0.expected'"),
}


@pytest.mark.parametrize("kind", SCHEMA_ERRORS)
def test_schema_errors_name_file_key_and_line(rules_dir, kind):
    from auditor.check.cases import load_cases

    name, old, new, message = SCHEMA_ERRORS[kind]
    path = rules_dir / name
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    line = text[: text.index(new)].count("\n") + 1 + _first_line_differing(old, new)  # the line edited
    with pytest.raises(RulesError, match=rf"^{path}:{line}: {message}"):
        load_cases(rules_dir / "cases") if name.startswith("cases/") else load_rules(rules_dir)


def _first_line_differing(old: str, new: str) -> int:
    return next(i for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines())) if a != b)


def test_every_bundled_rules_file_has_a_schema():
    from auditor.schemas import SCHEMAS

    files = {p.relative_to(DEFAULT_RULES_DIR).parts[0] for p in DEFAULT_RULES_DIR.rglob("*.yaml")}
    assert files == set(SCHEMAS)


def test_an_unknown_computation_fails_at_load(rules_dir):
    path = write_suite(rules_dir, GOOD_HEAD.replace("check_id: extra_ok,", "check_id: extra_ok, computation: conflicts,"))
    with pytest.raises(RulesError, match=rf"^{path}:3: unknown meta.computation 'conflicts' \(known: conflict, decrease, generic, "):
        load_rules(rules_dir)


def test_a_check_behaves_as_the_computation_it_names(rules_dir):
    """The conflict check's words and partners come from its computation, not from its id: renamed,
    it still lists the claims each failing claim disagrees with, in the conflict message."""
    from auditor.align.groups import align_claims
    from auditor.check.cases import claims_table
    from auditor.check.validate import check_claims

    path = rules_dir / "suites" / "cross_source.yaml"
    path.write_text(path.read_text().replace("check_id: conflict\n", "check_id: sources_disagree\n"))
    claims = claims_table([{"doc": "a", "value": 76, "counted": "deaths", "metric": "killed"},
                           {"doc": "b", "value": 83, "counted": "deaths", "metric": "killed"}], story="s")
    findings = check_claims(align_claims(claims, load_rules(rules_dir)), load_rules(rules_dir)).findings
    (finding,) = findings[findings["check"] == "sources_disagree"].to_dict("records")
    assert finding["type"] == "conflict" and "Sources disagree on killed:" in finding["message"]
    assert sorted(finding["claim_ids"]) == ["a0", "b1"]
