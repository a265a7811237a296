"""The CLI as a user sees it: exact messages, exit codes, outputs on disk."""

import json
import shutil
import subprocess
import sys

import pytest

from auditor.cli import main
from auditor.columns import CLAIM_COLUMNS, FINDING_COLUMNS
from auditor.ruleset import DEFAULT_RULES_DIR

HEAVY = ("pandas", "great_expectations", "quantulum3", "trafilatura", "jinja2")


def all_commands():
    return [[]] + [[name] for name in main.commands]


@pytest.mark.parametrize("args", all_commands(), ids=lambda a: " ".join(a) or "auditor")
def test_every_command_has_help(runner, args):
    result = runner.invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    command = main if not args else main.commands[args[0]]
    assert command.help and command.help.strip(), f"{args} has no help text"
    assert "Usage: " in result.output


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\nfrom auditor.cli import main\n"
        "for args in (['--help'], ['run', '--help'], ['extract', '--help']):\n"
        "    try:\n        main(args, standalone_mode=False)\n    except SystemExit:\n        pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_run_requires_out_and_exits_2(runner, corpus):
    result = runner.invoke(main, ["run", str(corpus)])
    assert result.exit_code == 2
    assert "Error: Missing option '--out'." in result.output


def test_unknown_fail_on_type_exits_2(runner, corpus, tmp_path):
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "o"), "--fail-on", "typo"])
    assert result.exit_code == 2
    assert "Invalid value for '--fail-on': 'typo' is not one of" in result.output


def test_missing_rules_dir_is_one_line_exit_2(runner, corpus, tmp_path):
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "o"), "--rules", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.output == f"Error: rules directory not found: {tmp_path / 'none'}\n"
    assert not (tmp_path / "o").exists()


def test_broken_rules_yaml_names_file_and_line(runner, corpus, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    (rules / "judgement.yaml").write_text("defaults:\n  approx_tolerance: [0.1\n")
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "o"), "--rules", str(rules)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {rules / 'judgement.yaml'}:")
    assert "invalid YAML" in result.output and "Traceback" not in result.output


def test_missing_reference_file_exits_2(runner, corpus, tmp_path):
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "o"), "--reference", str(tmp_path / "ref.csv")])
    assert result.exit_code == 2
    assert result.output == f"Error: reference file not found: {tmp_path / 'ref.csv'}\n"


def test_extract_prints_one_claim_per_line_with_the_claim_record(runner, corpus):
    result = runner.invoke(main, ["extract", str(corpus / "wire.jsonl")])
    assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert claims and all(set(CLAIM_COLUMNS) <= set(c) for c in claims)
    texts = {"a": "Strikes have destroyed at least 20 boats and caused 76 deaths, officials said."}
    for claim in (c for c in claims if c["doc_id"] == "a"):
        assert texts["a"][claim["start"]:claim["end"]] == claim["surface"]
    assert {c["value"] for c in claims if c["doc_id"] == "a"} == {20.0, 76.0}


def test_extract_csv_to_file(runner, corpus, tmp_path):
    out = tmp_path / "claims.csv"
    result = runner.invoke(main, ["extract", str(corpus / "wire.jsonl"), "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0
    header = out.read_text().splitlines()[0].split(",")
    assert header[: len(CLAIM_COLUMNS)] == list(CLAIM_COLUMNS)


def test_extract_reports_skipped_inputs_on_stderr(runner, tmp_path):
    (tmp_path / "ok.txt").write_text("Officials counted 12 trucks.")
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 0
    assert f"skipped {tmp_path / 'empty.txt'}: empty file\n" in result.stderr


def test_run_writes_report_and_finds_the_conflict(runner, corpus, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(main, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Report: {out}/index.html" in result.stdout
    for name in ("index.html", "claims.jsonl", "findings.jsonl", "summary.json"):
        assert (out / name).is_file(), name
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    assert all(set(FINDING_COLUMNS) <= set(f) for f in findings)
    conflicts = [f for f in findings if f["type"] == "conflict" and f["story"] == "strikes"]
    claims = {c["claim_id"]: c for c in map(json.loads, (out / "claims.jsonl").read_text().splitlines())}
    flagged = {claims[cid]["value"] for f in conflicts for cid in f["claim_ids"]}
    assert {76.0, 95.0} <= flagged
    assert 20.0 not in flagged and 21.0 not in flagged  # "at least 20" and "21" agree
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == 3 and summary["findings"]["by_type"]["conflict"] >= 1


def test_fail_on_exits_1_only_when_such_findings_exist(runner, corpus, tmp_path):
    out = str(tmp_path / "r")
    assert runner.invoke(main, ["run", str(corpus), "--out", out, "--fail-on", "conflict"]).exit_code == 1
    assert runner.invoke(main, ["run", str(corpus), "--out", out, "--fail-on", "implausible"]).exit_code == 0


def test_fail_on_accepts_only_the_finding_types_the_suites_produce(runner, corpus, tmp_path):
    import yaml

    declared = {e["meta"]["finding_type"] for path in (DEFAULT_RULES_DIR / "suites").glob("*.yaml")
                for e in yaml.safe_load(path.read_text())["expectations"]}
    option = next(p for p in main.commands["run"].params if p.name == "fail_on")
    assert set(option.type.choices) == declared
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "r"), "--fail-on", "arithmetic"])
    assert result.exit_code == 2 and "'arithmetic' is not one of" in result.output


@pytest.mark.parametrize("sentence, exit_code", [("At least one person was killed.", 0), ("Three people were killed.", 1)])
def test_fail_on_ignores_info_findings(runner, tmp_path, sentence, exit_code):
    """'at least one' against an official 2 is an info finding (understated), 'three' a contradiction."""
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a", "story": "s", "text": sentence}) + "\n")
    (tmp_path / "ref.csv").write_text("story,metric,value\ns,killed,2\n")
    out = tmp_path / "r"
    args = ["run", str(tmp_path / "a.jsonl"), "--out", str(out), "--reference", str(tmp_path / "ref.csv"), "--fail-on", "reference_mismatch"]
    assert runner.invoke(main, args).exit_code == exit_code
    by_severity = json.loads((out / "summary.json").read_text())["findings"]["by_severity"]
    assert by_severity == ({"info": 1} if exit_code == 0 else {"critical": 1})


def test_run_over_bad_inputs_completes_and_lists_them(runner, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Rescuers said 14 people were killed in the flood.")
    (inputs / "dump.jsonl").write_text('{"id": "j1", "text": "Officials said 9 people were hurt."}\n{broken\n')
    (inputs / "blob.bin").write_bytes(bytes(range(256)))
    (inputs / "empty.txt").write_text("")
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(inputs), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == 2
    assert {e["input"]: e["reason"] for e in summary["errors"]} == {
        str(inputs / "blob.bin"): "unsupported file type '.bin'",
        f"{inputs / 'dump.jsonl'}:2": "invalid JSON (Expecting property name enclosed in double quotes)",
        str(inputs / "empty.txt"): "empty file",
    }


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "auditor", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("Usage: auditor")


def _rules_with_metric(tmp_path, metric: str, nouns: list[str]):
    rules = tmp_path / "custom-rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    taxonomy = rules / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("\nmetrics:\n", f"\nmetrics:\n  {metric}:\n    nouns: {json.dumps(nouns)}\n", 1))
    return rules


def test_custom_rules_reach_extraction(runner, tmp_path):
    """An extra metric in a --rules taxonomy changes the metric column, in `extract` and in `run` (whose
    state store re-extracts the unchanged documents, since the rules they were extracted with changed)."""
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "text": "The crew launched 4 lifeboats before the ferry sank."}) + "\n")
    rules = _rules_with_metric(tmp_path, "rescue_craft", ["lifeboats", "dinghies"])

    def metrics(*flags):
        result = runner.invoke(main, ["extract", str(docs), *flags])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["metric"] for line in result.output.splitlines()]

    assert metrics() == ["lifeboat"]
    assert metrics("--rules", str(rules)) == ["rescue_craft"]

    out, state = tmp_path / "out", tmp_path / "state.db"
    for flags, expected in (([], "lifeboat"), (["--rules", str(rules)], "rescue_craft"), ([], "lifeboat")):
        result = runner.invoke(main, ["run", str(docs), "--out", str(out), "--state", str(state), *flags])
        assert result.exit_code == 0, result.output
        claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
        assert [c["metric"] for c in claims] == [expected]


def test_schema_error_in_extraction_rules_exits_2_naming_file_and_key(runner, corpus, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    extraction = rules / "extraction.yaml"
    extraction.write_text(extraction.read_text().replace("\nidioms:", "\nidiom:", 1))
    for command in (["extract", str(corpus)], ["run", str(corpus), "--out", str(tmp_path / "o")]):
        result = runner.invoke(main, [*command, "--rules", str(rules)])
        assert result.exit_code == 2
        assert result.output.startswith(f"Error: {extraction}:") and "unknown key 'idiom'" in result.output
        assert len(result.output.splitlines()) == 1
