"""Extraction stage: the seed-like story, the claim record contract, determinism."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from auditor.columns import CLAIM_COLUMNS
from auditor.extract import extract_claims, extract_document

STORY = (Path(__file__).parent / "golden" / "extract" / "seed_story.txt").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parent.parent


def _doc(text=STORY, doc_id="seed"):
    return {"doc_id": doc_id, "source": "Test Wire", "url": None, "title": None,
            "published_at": "2025-11-11", "story": "alert", "text": text}


def test_seed_story_claims():
    claims = extract_document(_doc())
    troops = [c for c in claims if c["value"] == 200000]
    assert troops and all(c["counted"] == "troops" and c["metric"] == "troops" for c in troops)
    (boats,) = [c for c in claims if c["counted"] == "boats"]
    assert (boats["value"], boats["qualifier"], boats["lower"], boats["upper"]) == (20, "at_least", 20, None)
    assert boats["metric"] == "boats_destroyed"
    (deaths,) = [c for c in claims if c["counted"] == "deaths"]
    assert (deaths["value"], deaths["qualifier"], deaths["metric"]) == (76, "exact", "killed")
    assert deaths["attribution"] == "regional monitors"


def test_seed_story_traps_are_not_claims():
    claims = extract_document(_doc())
    for trap in ("November 11, 2025", "4 a.m.", "Plan Independencia 200", "a month ago", "USS Gerald R. Ford"):
        at = STORY.index(trap)
        assert not [c for c in claims if c["start"] < at + len(trap) and at < c["end"]], trap
    assert sorted(c["value"] for c in claims) == [20, 76, 200000, 200000]


def test_claim_record_contract():
    claims = extract_document(_doc())
    assert [c["start"] for c in claims] == sorted(c["start"] for c in claims)
    for claim in claims:
        assert tuple(claim) == CLAIM_COLUMNS
        assert STORY[claim["start"] : claim["end"]] == claim["surface"]
        assert claim["surface"] in claim["sentence"]
        assert len(claim["claim_id"]) == 16
        assert (claim["source"], claim["published_at"], claim["story"]) == ("Test Wire", "2025-11-11", "alert")
    assert len({c["claim_id"] for c in claims}) == len(claims)
    assert [c["claim_id"] for c in claims] == [c["claim_id"] for c in extract_document(_doc())]


def test_missing_values_are_none_not_nan():
    doc = _doc("Police said 12 cars burned.")
    doc["story"] = float("nan")
    (claim,) = extract_document(doc)
    assert claim["story"] is None and claim["change"] is None


def test_extract_claims_table_serial_and_parallel_agree():
    docs = [_doc(STORY, f"d{i}") for i in range(70)]
    serial = extract_claims(docs, workers=1)
    parallel = extract_claims(iter(docs), workers=2)
    assert list(serial.columns) == list(CLAIM_COLUMNS)
    pd.testing.assert_frame_equal(serial, parallel)
    order = [int(d[1:]) for d in parallel["doc_id"]]
    assert order == sorted(order) and order[-1] == 69


def test_extract_claims_accepts_a_documents_frame():
    frame = pd.DataFrame([_doc(), _doc("Nothing to count here.", "empty")])
    table = extract_claims(frame)
    assert set(table["doc_id"]) == {"seed"}


def test_output_is_identical_whatever_the_hash_seed(tmp_path):
    texts = [STORY, "Shares fell 3.2% to 410p, and 5 GPa steel rose about $2bn in value, police said.",
             "Between 10 and 15 ferries and dozens of boats carried 300-400 cars 5 km.",
             "Crews received a 40 mSv dose, according to the regulator."]  # a unit our tables lack
    script = (
        "import json, sys\n"
        "from auditor.extract import extract_document\n"
        f"texts = {texts!r}\n"
        "print(json.dumps([extract_document({'doc_id': str(i), 'text': t}) for i, t in enumerate(texts)], sort_keys=True))\n"
    )
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True)
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])[0]


def test_a_clock_with_a_spaced_colon_is_read_as_a_clock():
    """Re-joined text spaces colons ("4: 43"); followed by a clock's words it is still a clock,
    otherwise the two numbers are counts."""
    def claims(text):
        return [(c["surface"], c["value"]) for c in extract_document({"doc_id": "d", "text": text})]

    assert claims("He scored with 4: 43 left in the half.") == [("4: 43", 283.0)]
    assert claims("The game starts at 3: 30 p. m. on Saturday.") == []
    assert claims("Update 4: 43 people were hurt in the crash.") == [("4", 4.0), ("43", 43.0)]


def test_a_possessive_before_the_noun_is_the_owner_not_what_is_counted():
    claims = extract_document({"doc_id": "d", "text": "Floods covered 40 per cent of the district's farmland."})
    assert [(c["counted"], c["metric"]) for c in claims] == [("district's farmland", "farmland")]
