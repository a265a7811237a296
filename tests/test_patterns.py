"""Every declared pattern (rules/patterns/*.yaml) runs its own examples through the real extractor:
a pass sentence yields each claim it states, made by that pattern; a fail sentence gets no claim
from that pattern."""

import pytest

from auditor.errors import RulesError
from auditor.extract import extract_document, figures_in_sentence
from auditor.extract.patterns import apply_patterns, patterns

PATTERNS = patterns()


def _claims(text: str) -> list[dict]:
    return extract_document({"doc_id": "example", "text": text})


def _made_by(claim: dict, pattern_id: str) -> bool:
    return pattern_id in claim["extracted_by"].split()


def _matches(claim: dict, expected: dict) -> bool:
    for key, want in expected.items():
        got = claim.get(key)
        if key in ("value", "lower", "upper"):
            if got is None or abs(got - float(want)) > 1e-6 * max(1.0, abs(float(want))):
                return False
        elif got != want:
            return False
    return True


def test_every_pattern_has_examples_of_both_kinds():
    assert PATTERNS
    for pattern in PATTERNS:
        assert pattern.description, pattern.id
        assert pattern.examples["pass"] and pattern.examples["fail"], pattern.id


@pytest.mark.parametrize("pattern, example",
                         [(p, e) for p in PATTERNS for e in p.examples["pass"]],
                         ids=lambda v: getattr(v, "id", None) or str(v.get("text", ""))[:40])
def test_pass_example_yields_its_claims(pattern, example):
    claims = _claims(example["text"])
    for expected in example["claims"]:
        found = [c for c in claims if _matches(c, expected)]
        assert found, f"{pattern.id}: no claim {expected} in {[(c['surface'], c['value'], c['extracted_by']) for c in claims]}"
        assert any(_made_by(c, pattern.id) for c in found), f"{pattern.id}: {expected} made by another rule"


@pytest.mark.parametrize("pattern, text",
                         [(p, t) for p in PATTERNS for t in p.examples["fail"]],
                         ids=lambda v: getattr(v, "id", None) or str(v)[:40])
def test_fail_example_gets_no_claim_from_the_pattern(pattern, text):
    made = [c["surface"] for c in _claims(text) if _made_by(c, pattern.id)]
    assert not made, f"{pattern.id} fired on {text!r}: {made}"


def test_a_bad_pattern_file_fails_at_load_time_naming_the_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("- id: broken\n  description: x\n  match: '(unclosed'\n  claims: [{value: 1}]\n")
    with pytest.raises(RulesError, match=r"bad\.yaml: pattern broken"):
        patterns.__wrapped__(tmp_path)


def test_duplicate_pattern_ids_are_refused(tmp_path):
    entry = "- id: same\n  description: x\n  match: 'twice'\n  claims: [{value: 2}]\n"
    (tmp_path / "a.yaml").write_text(entry)
    (tmp_path / "b.yaml").write_text(entry)
    with pytest.raises(RulesError, match="declared twice"):
        patterns.__wrapped__(tmp_path)


def test_a_pattern_figure_never_overlaps_a_scanner_figure_it_does_not_replace():
    sentence = "Some 10-15 people waited, and the crowd saw a 20-13 result after a two-year wait."
    figures = apply_patterns(sentence, figures_in_sentence(sentence))
    spans = sorted((f.start, f.end) for f in figures)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
    range_ = next(f for f in figures if sentence[f.start : f.end].startswith("10"))
    assert range_.qualifier == "range" and not set(range_.rules) & {p.id for p in PATTERNS}  # never split into a score
