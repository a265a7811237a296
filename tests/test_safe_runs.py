"""Safe runs: a mistake or an empty night never replaces a good report, one slow document never
stalls the batch, and rows of the reference or stories files that apply to nothing are told."""

import json
import time

from auditor import extract, pipeline
from auditor.cli import main
from auditor.state.store import Store


def write_docs(folder, docs):
    folder.mkdir(exist_ok=True)
    (folder / "wire.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    return folder


TWO_OUTLETS = [
    {"id": "a", "source": "Outlet A", "story": "harbour", "published_at": "2025-11-10",
     "text": "Officials said 12 ships were damaged in the storm."},
    {"id": "b", "source": "Outlet B", "story": "harbour", "published_at": "2025-11-10",
     "text": "Officials said 30 ships were damaged in the storm."},
]


def run(runner, *args):
    return runner.invoke(main, ["run", *map(str, args), "--workers", "1"])


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_mistyped_input_path_exits_2_and_leaves_the_report_and_state_as_they_were(runner, tmp_path):
    corpus, out, state = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report", tmp_path / "state.db"
    assert run(runner, corpus, "--out", out, "--state", state).exit_code == 0
    report, runs = snapshot(out), Store.open(state).runs()
    result = run(runner, tmp_path / "inn", "--out", out, "--state", state)
    assert result.exit_code == 2
    assert result.output == f"Error: input not found: {tmp_path / 'inn'}\n"
    assert snapshot(out) == report and Store.open(state).runs() == runs


def test_extract_with_a_mistyped_input_path_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert result.output == f"Error: input not found: {tmp_path / 'nope.jsonl'}\n"


def test_a_run_with_no_documents_keeps_the_previous_report(runner, tmp_path):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    assert run(runner, corpus, "--out", out).exit_code == 0
    report = snapshot(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(runner, empty, "--out", out)
    assert result.exit_code == 0
    assert f"No documents to audit: the report in {out} is left as it was (--allow-empty writes an empty report)." in result.output.splitlines()
    assert snapshot(out) == report


def test_allow_empty_writes_an_empty_report(runner, tmp_path):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    assert run(runner, corpus, "--out", out).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(runner, empty, "--out", out, "--allow-empty")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["documents"] == 0 and summary["findings"]["total"] == 0


def test_a_first_run_with_no_documents_writes_nothing(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(runner, empty, "--out", tmp_path / "report")
    assert "No documents to audit: no report written (--allow-empty writes an empty report)." in result.output.splitlines()
    assert not (tmp_path / "report").exists()


def test_since_with_nothing_new_keeps_the_report_and_resolves_nothing(runner, tmp_path):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    assert run(runner, corpus, "--out", out).exit_code == 0
    first = json.loads((out / "summary.json").read_text())
    assert first["findings"]["total"] > 0
    report = snapshot(out)
    result = run(runner, corpus, "--out", out, "--since", "2025-12-01")
    assert f"No documents to audit: the report in {out} is left as it was (--allow-empty writes an empty report)." in result.output.splitlines()
    assert snapshot(out) == report
    # the next day, one new document on another story: the harbour finding was not rechecked, not resolved
    write_docs(tmp_path / "new", [{"id": "c", "source": "Outlet C", "story": "bridge", "published_at": "2025-12-02",
                                  "text": "The bridge reopened after 4 days of repairs."}])
    assert run(runner, corpus, tmp_path / "new", "--out", out, "--since", "2025-12-01").exit_code == 0
    changes = json.loads((out / "summary.json").read_text())["changes"]
    assert changes["previous_run"]["id"] == first["run_id"]
    assert changes["resolved"] == [] and changes["not_rechecked"] == first["findings"]["total"]


def test_a_full_rerun_after_a_fix_still_calls_the_finding_resolved(runner, tmp_path):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    assert run(runner, corpus, "--out", out).exit_code == 0
    fixed = [TWO_OUTLETS[0], {**TWO_OUTLETS[1], "text": "Officials said 12 ships were damaged in the storm."}]
    write_docs(corpus, fixed)
    assert run(runner, corpus, "--out", out).exit_code == 0
    changes = json.loads((out / "summary.json").read_text())["changes"]
    assert len(changes["resolved"]) == 1 and changes["not_rechecked"] == 0


def test_reference_and_stories_rows_that_match_nothing_are_reported(runner, tmp_path):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    reference = tmp_path / "reference.csv"
    reference.write_text("story,metric,value\nharbour,ship,12\nharbor,ship,12\n")
    stories = tmp_path / "stories.csv"
    stories.write_text("doc_id,story\na,harbour\nzz,harbour\n")
    result = run(runner, corpus, "--out", out, "--reference", reference, "--stories", stories)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"warning: {reference}: 1 row matches no claim's story and metric (line 3); listed in summary.json" in lines
    assert f"warning: {stories}: 1 row names no document (zz); listed in summary.json" in lines
    unmatched = json.loads((out / "summary.json").read_text())["unmatched"]
    assert unmatched == {"reference": [{"line": 3, "story": "harbor", "metric": "ship"}], "stories": ["zz"]}


def test_a_document_over_the_time_budget_is_skipped_listed_and_tried_again(tmp_path, monkeypatch):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    real = extract.extract_document

    def slow_on_b(doc, **options):
        if doc["doc_id"] == "b":
            time.sleep(30)
        return real(doc, **options)

    monkeypatch.setattr(extract, "extract_document", slow_on_b)
    started = time.monotonic()
    done = pipeline.run([str(corpus)], out, workers=1, budget=1).summary
    assert time.monotonic() - started < 20  # the run went on without waiting for the slow document
    assert done["processed"]["over_budget"] == 1 and done["documents"] == 1
    assert {"input": "b", "reason": "extraction ran over the time budget of 1 s per document; not audited, tried again next run"} in done["errors"]
    assert "b</code>" in (out / "index.html").read_text()  # listed among the skipped inputs of the report
    monkeypatch.setattr(extract, "extract_document", real)
    again = pipeline.run([str(corpus)], out, workers=1, budget=1).summary
    assert again["processed"]["new"] == 1 and again["documents"] == 2 and again["errors"] == []


def test_the_time_budget_flag_reaches_the_run(runner, tmp_path, monkeypatch):
    corpus, out = write_docs(tmp_path / "in", TWO_OUTLETS), tmp_path / "report"
    real = extract.extract_document
    monkeypatch.setattr(extract, "extract_document", lambda doc, **options: (time.sleep(30) if doc["doc_id"] == "a" else None) or real(doc, **options))
    result = run(runner, corpus, "--out", out, "--time-budget", "0.5")
    assert result.exit_code == 0, result.output
    assert "skipped a: extraction ran over the time budget of 0.5 s per document; not audited, tried again next run\n" in result.output
