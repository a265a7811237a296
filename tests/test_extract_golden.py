"""Every golden case under tests/golden/extract/ run by one generic test."""

from pathlib import Path

import pytest
import yaml

from auditor.extract import extract_document

GOLDEN = Path(__file__).parent / "golden" / "extract"


def _cases():
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}:{case['name']}")


def _agrees(expected, actual) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and actual is not None:
        return abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
    return expected == actual


@pytest.mark.parametrize("case", list(_cases()))
def test_golden(case):
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
