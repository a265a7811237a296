"""Rule packs (auditor/extract/packs/, rules/packs/): every rule id's own examples, with the pack on
and off, and the switch itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from auditor.extract import extract_document
from auditor.extract.packs import PACKS
from auditor.extract.vocabulary import DISABLED_PACKS
from auditor.resources import BUNDLED_RULES_DIR, read_yaml


def _pack_rules():
    for name in PACKS:
        spec = read_yaml(BUNDLED_RULES_DIR / "packs" / f"{name}.yaml")
        for rule in spec["rules"]:
            yield pytest.param(name, rule, id=f"{name}:{rule['id']}")


def _ids_deciding(text: str) -> set[str]:
    """Every rule id that decided a claim or dropped a number in ``text``."""
    rejected: list[dict] = []
    claims = extract_document({"doc_id": "example", "text": text}, rejected)
    return {r for c in claims for r in c["extracted_by"].split()} | {r["rule"] for r in rejected}


@pytest.fixture
def packs_off():
    def switch(*names):
        DISABLED_PACKS.set(frozenset(names))
    yield switch
    DISABLED_PACKS.set(frozenset())


@pytest.mark.parametrize("pack, rule", list(_pack_rules()))
def test_pack_rule_examples(pack, rule, packs_off):
    assert rule["description"] and rule["pass"] and rule["fail"], "every rule has a description, pass and fail examples"
    for sentence in rule["pass"]:
        assert rule["id"] in _ids_deciding(sentence), sentence
    for sentence in rule["fail"]:
        assert rule["id"] not in _ids_deciding(sentence), sentence
    packs_off(pack)
    for sentence in rule["pass"]:
        assert rule["id"] not in _ids_deciding(sentence), f"pack {pack} off: {sentence}"


def test_casualty_pack_off_gives_no_implicit_count(packs_off):
    text = "A 7-year-old was killed when the wall collapsed."
    on = extract_document({"doc_id": "d", "text": text})
    assert [(c["surface"], c["value"], c["metric"]) for c in on] == [("A 7-year-old", 1.0, "killed")]
    packs_off("casualties")
    off = extract_document({"doc_id": "d", "text": text})
    assert all(c["metric"] != "killed" and c["value"] != 1.0 for c in off)


def test_no_pack_flag(tmp_path):
    doc = tmp_path / "d.jsonl"
    doc.write_text('{"id": "d", "text": "A 7-year-old was killed when the wall collapsed."}\n', encoding="utf-8")
    run = [sys.executable, "-m", "auditor", "extract", str(doc)]
    on = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    off = subprocess.run(run + ["--no-pack", "casualties"], capture_output=True, text=True, check=True).stdout
    assert '"metric": "killed"' in on and '"metric": "killed"' not in off
    bad = subprocess.run(run + ["--no-pack", "nosuchpack"], capture_output=True, text=True)
    assert bad.returncode == 2 and "nosuchpack" in bad.stderr and "Traceback" not in bad.stderr


def test_an_unknown_pack_in_a_rules_folder_exits_2(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED_RULES_DIR, rules)
    extraction = rules / "extraction.yaml"
    text = extraction.read_text(encoding="utf-8")
    assert "\npacks: [casualties]" in text
    extraction.write_text(text.replace("\npacks: [casualties]", "\npacks: [casualties, weather]"), encoding="utf-8")
    doc = tmp_path / "d.jsonl"
    doc.write_text('{"id": "d", "text": "Four people were injured."}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "auditor", "extract", str(doc), "--rules", str(rules)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"Error: {extraction}: packs: ") and "weather" in run.stderr
