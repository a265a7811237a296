"""Explain: every claim names the rules that made it (extracted_by), and `auditor extract --explain`
prints them, with the rule that dropped every number made no claim."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

import auditor.extract as extract_package
from auditor.cli import main
from auditor.extract import extract_document
from auditor.extract.explain import explain_document

EXTRACT_DIR = Path(extract_package.__file__).parent
RULES = Path(extract_package.RULES_DIR)

TEXT = ("Sales at the firm rose more than 5% to $3.2bn in 2019, and about 40 new stores opened. "
        "A man was killed and two others were hurt at 4 a.m. on Route 66.")


def _ids_in_code() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in EXTRACT_DIR.rglob("*.py"))
    return set(re.findall(r'"((?:[a-z_]+)\.[a-z_0-9]+)"', source))


def _qualifiers() -> set[str]:
    rules = yaml.safe_load((RULES / "extraction.yaml").read_text(encoding="utf-8"))
    return {*rules["qualifiers_before"], *rules["qualifiers_after"], *rules["qualifier_signs"].values()}


def _claim(claims, surface_part):
    return next(c for c in claims if surface_part in c["surface"])


def test_claims_carry_the_rules_that_made_them():
    claims = extract_document({"doc_id": "d", "text": TEXT})
    share = _claim(claims, "5%")
    assert share["extracted_by"].split() == ["number.digits", "unit.percent", "qualifier.more_than", "change.word_before"]
    money = _claim(claims, "$3.2bn")
    assert "unit.currency_before" in money["extracted_by"].split()
    assert "number.digits_scale" in money["extracted_by"].split()
    stores = _claim(claims, "40")
    assert {"qualifier.approx", "counted.noun_after"} <= set(stores["extracted_by"].split())
    man = _claim(claims, "A man")
    assert "casualty.implicit_one" in man["extracted_by"].split()


def test_every_rule_id_can_be_found_in_the_code_or_the_rules():
    in_code, qualifiers = _ids_in_code(), _qualifiers()
    texts = [TEXT, "Between 10 and 15 km of road, half a mile away, one in five adults, dozens of people.",
             "Prices fell 3% on Monday, or 0.6%, to 1,200 points; Smith, 53, was 7 feet 10 inches tall."]
    seen = set()
    for text in texts:
        for row in explain_document({"doc_id": "d", "text": text}):
            seen.update(row["rules"].split())
    assert len(seen) > 12
    for rule in seen:
        family, _, name = rule.partition(".")
        assert rule in in_code or (family == "qualifier" and name in qualifiers), rule


def test_explain_names_why_numbers_are_no_claims():
    rows = {r["surface"]: r for r in explain_document({"doc_id": "d", "text": TEXT})}
    assert rows["2019"]["outcome"] == "no claim" and rows["2019"]["rules"] == "filter.year"
    assert rows["4"]["rules"] == "filter.time"
    assert rows["66"]["rules"] == "filter.designation"
    assert rows["more than 5%"]["outcome"].startswith("claim 5 %")


def test_extract_explain_prints_claims_and_dropped_numbers(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--explain", str(article)])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert all(len(fields) == 5 for fields in lines)
    by_surface = {fields[2].strip('"'): fields for fields in lines}
    assert by_surface["2019"][3:] == ["no claim", "filter.year"]
    assert "unit.currency_before" in by_surface["$3.2bn"][4]
    starts = [int(fields[1].split("-")[0]) for fields in lines]
    assert starts == sorted(starts)
