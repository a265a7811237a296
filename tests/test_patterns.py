"""Every declared pattern (rules/patterns/*.yaml) runs its own examples through the real extractor:
a pass sentence yields each claim it states, made by that pattern; a fail sentence gets no claim
from that pattern."""

import shutil
import subprocess
import sys

import pytest

from auditor.errors import RulesError
from auditor.extract import extract_document, figures_in_sentence
from auditor.extract.patterns import apply_patterns, load_patterns, patterns
from auditor.resources import BUNDLED_RULES_DIR

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


GOOD_PATTERN = """\
- id: custom.baker
  description: "A baker's dozen is thirteen."
  needs: ["baker"]
  match: "a baker's dozen"
  claims:
    - {value: 13}
  pass:
    - text: "She bought a baker's dozen at the market."
      claims: [{surface: "a baker's dozen", value: 13}]
  fail:
    - "She bought bread at the market."
"""


def _pattern_file(tmp_path, text: str, name: str = "custom.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# what the schema or the loader refuses in a pattern file: (old text, new text, line, message)
BAD_PATTERNS = {
    "unknown key": ('  needs: ["baker"]', '  need: ["baker"]', 3, r"unknown key '0.need'"),
    "missing examples": ("  fail:\n    - \"She bought bread at the market.\"\n", "", 1, r"missing key '0.fail'"),
    "wrong type": ("    - {value: 13}", "    - {value: 13, kind: weight}", 6, r"0.claims.0.kind: 'weight' is not one of"),
    "regex": ('match: "a baker\'s dozen"', 'match: "a (baker\'s dozen"', 4, r"pattern custom.baker: match: not a regular expression"),
    "value not arithmetic": ("{value: 13}", "{value: 'n +'}", 6, r"pattern custom.baker: claims.0.value: 'n \+' is not arithmetic"),
    "value of no group": ("{value: 13}", "{value: n}", 6, r"pattern custom.baker: claims.0.value: no group 'n' in match"),
    "span of no group": ("{value: 13}", "{value: 13, span: n}", 6, r"pattern custom.baker: claims.0.span: no group 'n' in match"),
    "unknown qualifier": ("{value: 13}", "{value: 13, qualifier: roughly}", 6, r"pattern custom.baker: claims.0.qualifier: 'roughly' is no qualifier"),
    "not a list": (GOOD_PATTERN, "id: custom.baker\n", None, r"expected a list at the top level"),
}


@pytest.mark.parametrize("kind", BAD_PATTERNS)
def test_a_bad_pattern_names_file_line_and_key(tmp_path, kind):
    old, new, line, message = BAD_PATTERNS[kind]
    assert old in GOOD_PATTERN
    path = _pattern_file(tmp_path, GOOD_PATTERN.replace(old, new, 1))
    where = f"{path}:{line}" if line else f"{path}"
    with pytest.raises(RulesError, match=rf"^{where}: {message}"):
        load_patterns([path])


def test_a_good_pattern_file_loads(tmp_path):
    (pattern,) = load_patterns([_pattern_file(tmp_path, GOOD_PATTERN)])
    assert pattern.id == "custom.baker" and pattern.claims[0].value == "13"


def test_duplicate_pattern_ids_are_refused(tmp_path):
    first = _pattern_file(tmp_path, GOOD_PATTERN, "a.yaml")
    second = _pattern_file(tmp_path, "# the same id again\n" + GOOD_PATTERN, "b.yaml")
    with pytest.raises(RulesError, match=rf"^{second}:2: pattern id 'custom.baker' already declared in {first}$"):
        load_patterns([first, second])


def _custom_rules(tmp_path, *, without=(), files=None, name="custom-rules"):
    """A copy of the bundled rules, less the folders in ``without``, with ``files`` (relative path -> text)
    (a new ``name`` for each folder of one test: compiled rules are cached by folder)."""
    rules = tmp_path / name
    shutil.copytree(BUNDLED_RULES_DIR, rules)
    for folder in without:
        shutil.rmtree(rules / folder)
    for name, text in (files or {}).items():
        (rules / name).parent.mkdir(exist_ok=True)
        (rules / name).write_text(text, encoding="utf-8")
    return rules


def _made(text: str, rules_dir=None) -> list[tuple[str, float, str]]:
    claims = extract_document({"doc_id": "d", "text": text}, rules_dir=rules_dir)
    return [(c["surface"], c["value"], c["extracted_by"]) for c in claims]


def test_patterns_of_a_rules_folder_are_read(tmp_path):
    """A pattern file added in a --rules folder makes claims; the bundled pattern files it does not
    replace are still read; one it replaces with an empty list is switched off."""
    text = "They baked a baker's dozen of loaves before the 20-13 final."
    bundled = _made(text)
    assert not any("custom.baker" in by for _, _, by in bundled)
    assert any("tally.score_pair" in by for _, _, by in bundled)

    added = _made(text, _custom_rules(tmp_path, files={"patterns/custom.yaml": GOOD_PATTERN}))
    assert ("a baker's dozen", 13.0, "custom.baker") in added
    assert any("tally.score_pair" in by for _, _, by in added)

    emptied = _made(text, _custom_rules(tmp_path, files={"patterns/tallies.yaml": "[]\n"}, name="emptied"))
    assert not any("tally." in by for _, _, by in emptied)


def test_a_rules_folder_without_patterns_or_packs_uses_the_bundled_ones(tmp_path):
    text = "A cyclist was injured after the 20-13 final."
    rules = _custom_rules(tmp_path, without=("patterns", "packs"))
    assert _made(text, rules) == _made(text)
    assert any("casualty.implicit_one" in by for _, _, by in _made(text, rules))


def test_a_pack_file_of_a_rules_folder_is_read(tmp_path):
    """A --rules folder's casualty pack without "cyclist" among its persons makes no implicit count of one."""
    text = "A cyclist was injured when the van braked hard."
    pack = (BUNDLED_RULES_DIR / "packs" / "casualties.yaml").read_text(encoding="utf-8")
    persons = "persons: [man, woman, cyclist,"
    assert persons in pack
    rules = _custom_rules(tmp_path, files={"packs/casualties.yaml": pack.replace(persons, "persons: [man, woman,")})
    assert any("casualty.implicit_one" in by for _, _, by in _made(text))
    assert not any("casualty.implicit_one" in by for _, _, by in _made(text, rules))


def test_cli_refuses_a_bad_pattern_file_of_its_rules_folder(tmp_path):
    """`auditor extract --rules DIR` with a broken pattern: exit 2, one line naming file and line, no claims."""
    path_text = GOOD_PATTERN.replace('match: "a baker\'s dozen"', 'match: "a (baker\'s dozen"')
    rules = _custom_rules(tmp_path, files={"patterns/custom.yaml": path_text})
    doc = tmp_path / "d.jsonl"
    doc.write_text('{"id": "d", "text": "They sold 40 loaves."}\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "auditor", "extract", str(doc), "--rules", str(rules)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith(f"Error: {rules / 'patterns' / 'custom.yaml'}:4: pattern custom.baker: match:")
    assert len(run.stderr.splitlines()) == 1


def test_a_pattern_figure_never_overlaps_a_scanner_figure_it_does_not_replace():
    sentence = "Some 10-15 people waited, and the crowd saw a 20-13 result after a two-year wait."
    figures = apply_patterns(sentence, figures_in_sentence(sentence))
    spans = sorted((f.start, f.end) for f in figures)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
    range_ = next(f for f in figures if sentence[f.start : f.end].startswith("10"))
    assert range_.qualifier == "range" and not set(range_.rules) & {p.id for p in PATTERNS}  # never split into a score


def test_the_patterns_tried_are_those_whose_needs_the_sentence_holds():
    """The one-pass look-up of needs picks exactly the patterns a substring test of each need would,
    also where needs overlap or one starts another ("-" inside "-for-", "s to " across words)."""
    from auditor.extract.patterns import _declared
    from auditor.extract.vocabulary import rules_dir_in_use

    declared = _declared(rules_dir_in_use())
    needs = sorted({n for p in PATTERNS for n in p.needs})
    assert any(a != b and b.startswith(a) for a in needs for b in needs), "the rules have needs that start others"
    sentences = [f"the {a}{b} end" for a in needs for b in needs[:: max(1, len(needs) // 7)]]
    sentences += ["nothing here at all", "7-for-9", "votes to 12", "a 3-2 win"]
    for lowered in sentences:
        expected = [p.id for p in PATTERNS if not p.needs or any(n in lowered for n in p.needs)]
        assert [p.id for p in declared.wanted(lowered)] == expected, lowered
