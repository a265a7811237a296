"""Every golden case under tests/golden/extract/ run by one generic test."""

from pathlib import Path

import pytest
import yaml

from auditor.extract import extract_document

GOLDEN = Path(__file__).parent / "golden" / "extract"
# what every expected claim states exactly, so a case cannot pass on the mere presence of a figure
REQUIRED = ("value", "unit", "qualifier", "counted", "metric")


def _cases():
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            # a known failure: the case states the right claim, the extractor does not yet produce it
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            yield pytest.param(case, id=f"{path.stem}:{case['name']}", marks=marks)


@pytest.mark.parametrize("case", [p.values[0] for p in _cases()], ids=[p.id for p in _cases()])
def test_golden_claims_state_every_field(case):
    for expected in case.get("claims", []):
        missing = [f for f in REQUIRED if f not in expected]
        assert not missing, f"{expected['surface']!r} does not state {missing}"


def _agrees(expected, actual) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and actual is not None:
        return abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
    return expected == actual


@pytest.mark.parametrize("case", list(_cases()))
def test_golden(case):
    assert set(case) <= {"name", "text", "claims", "absent", "count", "xfail"}, sorted(case)
    text = case["text"]
    claims = extract_document({"doc_id": "golden", "text": text})
    for claim in claims:
        assert text[claim["start"] : claim["end"]] == claim["surface"]
    by_surface = {c["surface"]: c for c in claims}
    for expected in case.get("claims", []):
        surface = expected["surface"]
        assert surface in by_surface, f"no claim {surface!r}; got {sorted(by_surface)}"
        claim = by_surface[surface]
        wrong = {k: (v, claim[k]) for k, v in expected.items() if not _agrees(v, claim[k])}
        assert not wrong, f"{surface!r}: (expected, got) {wrong}"
    for trap in case.get("absent", []):
        at = text.index(trap)
        overlapping = [c["surface"] for c in claims if c["start"] < at + len(trap) and at < c["end"]]
        assert not overlapping, f"{trap!r} must not be a claim, got {overlapping}"
    if "count" in case:
        assert len(claims) == case["count"], [c["surface"] for c in claims]
