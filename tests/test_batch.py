"""The nightly batch job: incremental reruns, crash safety, the lock, history, logs.

These run the real CLI (in process, or as a subprocess where a process must be
killed) and never depend on exact claim values: only on which documents were
processed and on the set of claim ids a clean run produces.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from auditor.cli import main
from auditor.state.store import Store


def write_corpus(folder, n, figures_every=1):
    """n short documents, one JSONL line each; every ``figures_every``-th one has a couple of figures."""
    folder.mkdir(exist_ok=True)
    lines = [
        json.dumps({
            "id": f"d{i}", "source": f"Outlet {i % 4}", "story": f"port{i % 3}", "published_at": f"2025-11-{1 + i % 28:02d}",
            "text": f"Officials said {10 + i} people were hurt and {i % 7 + 2} ships were damaged in district {i}."
            if i % figures_every == 0 else "The harbour stayed calm today, officials said, and the ferries ran as usual.",
        })
        for i in range(n)
    ]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def summary(out):
    return json.loads((out / "summary.json").read_text())


def claim_ids(out):
    return sorted(json.loads(line)["claim_id"] for line in (out / "claims.jsonl").read_text().splitlines())


def run_cli(runner, *args):
    result = runner.invoke(main, ["run", *map(str, args), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return result


def test_second_run_over_unchanged_inputs_reprocesses_zero_documents(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 6), tmp_path / "report"
    run_cli(runner, corpus, "--out", out)
    first = summary(out)
    assert first["processed"]["new"] == 6 and first["checks"] == "run" and first["changes"]["previous_run"] is None
    published = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}

    result = run_cli(runner, corpus, "--out", out, "--log-format", "json")
    finished = json.loads(result.stderr.splitlines()[-1])
    assert finished["event"] == "run_finished" and finished["claims"] == first["claims"] > 0
    assert finished["processed"] == {"new": 0, "changed": 0, "unchanged": 6, "failed": 0, "over_budget": 0, "too_dense": 0, "before_since": 0}
    assert finished["checks"] == "reused" and finished["report"] == "kept"
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == published  # still right: untouched
    with Store.open(tmp_path / ".auditor" / "state.db") as store:
        assert [r["status"] for r in store.runs()] == ["ok", "unchanged"]

    write_corpus(corpus, 7)  # one more document: the report is rewritten, changes told against the first
    run_cli(runner, corpus, "--out", out)
    third = summary(out)
    assert third["processed"]["new"] == 1 and third["report"] == "written"
    assert third["changes"]["previous_run"] == {"id": first["run_id"], "finished_at": first["finished_at"]}


def test_edited_document_is_re_extracted_and_its_old_claims_replaced(runner, tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "report"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Officials said 12 people were hurt in the flood.")
    (corpus / "b.txt").write_text("Rescuers said 40 homes were destroyed by the storm.")
    run_cli(runner, corpus, "--out", out)
    before = {c["claim_id"]: c for c in map(json.loads, (out / "claims.jsonl").read_text().splitlines())}
    (corpus / "a.txt").write_text("Officials said 19 people were hurt and 3 bridges collapsed in the flood.")
    run_cli(runner, corpus, "--out", out)
    assert summary(out)["processed"] == {"new": 0, "changed": 1, "unchanged": 1, "failed": 0, "over_budget": 0, "too_dense": 0, "before_since": 0}
    after = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    a_claims = [c for c in after if c["doc_id"] == "a.txt"]
    assert a_claims and all("12" not in c["surface"] for c in a_claims)
    assert not {c["claim_id"] for c in a_claims} & {cid for cid, c in before.items() if c["doc_id"] == "a.txt"}
    assert [c for c in after if c["doc_id"] == "b.txt"] == [c for c in before.values() if c["doc_id"] == "b.txt"]
    with Store.open(tmp_path / ".auditor" / "state.db") as store:  # no stale rows left behind
        assert store.counts()["claims"] == len(after)


def test_changed_rules_are_noticed_and_checks_rerun(runner, tmp_path):
    import shutil

    from auditor.ruleset import DEFAULT_RULES_DIR

    rules = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, rules)
    corpus, out = write_corpus(tmp_path / "in", 3), tmp_path / "report"
    run_cli(runner, corpus, "--out", out, "--rules", rules)
    judgement = rules / "judgement.yaml"
    judgement.write_text(judgement.read_text() + "\n# tightened\n")
    run_cli(runner, corpus, "--out", out, "--rules", rules)
    assert summary(out)["rules_changed"] is True and summary(out)["checks"] == "run"
    assert summary(out)["processed"]["new"] == 0


def test_since_skips_older_documents(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 10), tmp_path / "report"
    run_cli(runner, corpus, "--out", out, "--since", "2025-11-06")
    done = summary(out)
    assert done["processed"]["before_since"] == 5 and done["documents"] == 5


def test_corrupt_inputs_are_recorded_and_skipped(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 3), tmp_path / "report"
    with (corpus / "wire.jsonl").open("a") as f:
        f.write("{broken\n")
    (corpus / "blob.txt").write_bytes(b"\x00\x01binary")
    (corpus / "empty.rss").write_text("")
    run_cli(runner, corpus, "--out", out)
    done = summary(out)
    assert done["documents"] == 3
    reasons = {e["input"].rsplit("/", 1)[-1]: e["reason"] for e in done["errors"]}
    assert reasons == {
        "wire.jsonl:4": "invalid JSON (Expecting property name enclosed in double quotes)",
        "blob.txt": "binary file (contains NUL bytes), not text",
        "empty.rss": "empty file",
    }


def test_second_concurrent_run_is_refused_with_a_clear_message(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 2), tmp_path / "report"
    state = tmp_path / "state.db"
    with Store.open(state) as store, store.lock():
        result = runner.invoke(main, ["run", str(corpus), "--out", str(out), "--state", str(state)])
    assert result.exit_code == 3
    assert result.output.startswith(f"Error: another auditor run is in progress (pid {os.getpid()}, started ")
    assert result.output.endswith(f"holds the lock on {state}; this run did not start. Try again when it has finished.\n")
    assert not out.exists()


def test_json_log_lines_name_each_event(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 2), tmp_path / "report"
    result = runner.invoke(main, ["run", str(corpus), "--out", str(out), "--log-format", "json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert [e["event"] for e in events] == ["run_started", "documents_refreshed", "run_finished"]
    assert events[1]["new"] == 2 and all(e["level"] == "info" and e["time"] for e in events)


def test_out_folder_that_is_not_a_report_is_never_replaced(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 1), tmp_path / "home"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = runner.invoke(main, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 2
    assert "not an auditor report" in result.output
    assert (out / "thesis.docx").read_text() == "precious"


def lock_released(state, seconds=10):
    """The state lock can be taken within ``seconds`` (its holders have all exited)."""
    from auditor.state.store import StateLocked

    deadline = time.monotonic() + seconds
    with Store.open(state) as store:
        while True:
            try:
                with store.lock():
                    return True
            except StateLocked:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)


def _committed(state):
    """Documents committed so far by the run in progress (a read-only peek)."""
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents WHERE extracted_run = (SELECT max(run_id) FROM runs WHERE status = 'running')").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_run_killed_mid_way_keeps_previous_report_and_next_run_loses_nothing(tmp_path):
    corpus, out, state = tmp_path / "in", tmp_path / "report", tmp_path / "state.db"
    command = [sys.executable, "-m", "auditor", "run", str(corpus), "--out", str(out), "--state", str(state), "--workers", "1"]
    write_corpus(corpus, 4, figures_every=20)
    subprocess.run(command, check=True, capture_output=True)
    previous = {name: (out / name).read_bytes() for name in ("index.html", "summary.json", "claims.jsonl", "findings.jsonl")}

    write_corpus(corpus, 1200, figures_every=20)  # 1196 new documents: extraction takes a few seconds
    # two workers: they are forked while the run holds the lock, and must not outlive it
    victim = subprocess.Popen([*command[:-1], "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _committed(state) == 0 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert lock_released(state), "the killed run's workers still hold the lock"
    committed = _committed(state)
    assert 0 < committed < 1196
    assert {name: (out / name).read_bytes() for name in previous} == previous

    subprocess.run(command, check=True, capture_output=True)
    resumed = summary(out)
    assert resumed["documents"] == 1200
    assert resumed["processed"]["new"] == 1196 - committed  # what the killed run committed was kept
    clean = tmp_path / "clean"
    subprocess.run([*command[:5], "--out", str(clean), "--state", str(tmp_path / "clean.db"), "--workers", "2"], check=True, capture_output=True)
    assert claim_ids(out) == claim_ids(clean)
    assert not list(tmp_path.glob(".report.staging-*"))



def test_a_document_the_extractor_fails_on_is_recorded_and_retried_next_run(tmp_path, monkeypatch):
    from auditor import extract, pipeline

    corpus, out = write_corpus(tmp_path / "in", 3), tmp_path / "report"
    real = extract.extract_document

    def flaky(doc, **options):
        if doc["doc_id"] == "d1":
            raise ValueError("cannot read this one")
        return real(doc, **options)

    monkeypatch.setattr(extract, "extract_document", flaky)
    done = pipeline.run([str(corpus)], out, workers=1).summary
    assert done["processed"]["failed"] == 1 and done["documents"] == 2
    assert {"input": "d1", "reason": "extraction failed (ValueError: cannot read this one)"} in done["errors"]
    monkeypatch.setattr(extract, "extract_document", real)
    again = pipeline.run([str(corpus)], out, workers=1).summary
    assert again["processed"]["new"] == 1 and again["documents"] == 3 and again["errors"] == []


def test_since_must_be_a_date(runner, tmp_path):
    result = runner.invoke(main, ["run", str(tmp_path), "--out", str(tmp_path / "r"), "--since", "yesterday"])
    assert result.exit_code == 2
    assert result.output == "Error: --since: 'yesterday' is not a date (YYYY-MM-DD)\n"


def test_a_document_removed_from_the_inputs_leaves_the_report(runner, tmp_path):
    corpus, out = tmp_path / "in", tmp_path / "report"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Officials said 12 people were hurt in the flood.")
    (corpus / "b.txt").write_text("Rescuers said 40 homes were destroyed by the storm.")
    run_cli(runner, corpus, "--out", out)
    (corpus / "b.txt").unlink()
    run_cli(runner, corpus, "--out", out)
    assert summary(out)["documents"] == 1 and summary(out)["report"] == "written"
    assert {json.loads(line)["doc_id"] for line in (out / "claims.jsonl").read_text().splitlines()} == {"a.txt"}


def test_state_inside_the_report_folder_is_refused(runner, tmp_path):
    corpus, out = write_corpus(tmp_path / "in", 1), tmp_path / "report"
    result = runner.invoke(main, ["run", str(corpus), "--out", str(out), "--state", str(out / "state.db")])
    assert result.exit_code == 2
    assert result.output == f"Error: --state {out / 'state.db'} is inside --out {out}, which is replaced on every run; put it elsewhere\n"


def test_release_memory_trims_glibc_and_is_a_no_op_without_malloc_trim(monkeypatch):
    from auditor import pipeline

    pipeline.release_memory()  # glibc here: returns freed memory; elsewhere nothing to call
    calls = []
    monkeypatch.setattr(pipeline, "_TRIM", lambda pad: calls.append(pad))
    pipeline.release_memory()
    assert calls == [0]
    monkeypatch.setattr(pipeline, "_TRIM", None)  # a C library without malloc_trim (musl, macOS)
    pipeline.release_memory()


def test_a_run_releases_memory_between_its_stages(tmp_path, monkeypatch):
    from pathlib import Path

    from auditor import pipeline

    calls = []
    monkeypatch.setattr(pipeline, "release_memory", lambda: calls.append(1))
    examples = Path(__file__).resolve().parent.parent / "examples" / "news"
    pipeline.run([str(examples)], tmp_path / "out", state=tmp_path / "s.db", workers=1)
    assert len(calls) == 4  # after extraction, align, check and the report


def test_a_rerun_into_a_new_out_folder_reuses_the_checks(runner, tmp_path):
    corpus, state = write_corpus(tmp_path / "in", 6), tmp_path / "state.db"
    run_cli(runner, corpus, "--out", tmp_path / "monday", "--state", state)
    run_cli(runner, corpus, "--out", tmp_path / "tuesday", "--state", state)
    first, second = summary(tmp_path / "monday"), summary(tmp_path / "tuesday")
    assert first["checks"] == "run" and second["checks"] == "reused" and second["report"] == "written"
    assert claim_ids(tmp_path / "tuesday") == claim_ids(tmp_path / "monday")
    (corpus / "more.jsonl").write_text(json.dumps({"id": "extra", "text": "Officials said 3 ships sank."}) + "\n")
    run_cli(runner, corpus, "--out", tmp_path / "wednesday", "--state", state)
    assert summary(tmp_path / "wednesday")["checks"] == "run"  # other documents: checked again


def test_only_the_most_recent_check_results_are_kept(tmp_path):
    from auditor.state.store import RESULTS_KEPT

    corpus, state = write_corpus(tmp_path / "in", 3), tmp_path / "state.db"
    for day in range(RESULTS_KEPT + 2):
        (corpus / "day.jsonl").write_text(json.dumps({"id": "day", "text": f"Officials said {day + 2} ships sank."}) + "\n")
        pipeline_run(corpus, tmp_path / f"out{day}", state)
    with Store.open(state) as store:
        assert store.conn.execute("SELECT count(*) FROM results").fetchone()[0] == RESULTS_KEPT
        assert store.conn.execute("SELECT count(DISTINCT scope) FROM result_parts").fetchone()[0] == RESULTS_KEPT


def pipeline_run(corpus, out, state):
    from auditor import pipeline

    return pipeline.run([str(corpus)], out, state=state, workers=1)


def test_rules_a_run_already_loaded_are_not_loaded_again_for_a_new_out_folder(tmp_path, monkeypatch):
    from auditor import pipeline

    corpus, state = write_corpus(tmp_path / "in", 3), tmp_path / "state.db"
    pipeline_run(corpus, tmp_path / "monday", state)
    loads = []
    real = pipeline._load_rules
    monkeypatch.setattr(pipeline, "_load_rules", lambda *a: loads.append(a) or real(*a))
    assert pipeline_run(corpus, tmp_path / "tuesday", state).summary["checks"] == "reused"
    assert loads == []  # loading the rules imports Great Expectations: seconds a rerun does not need


def test_a_number_dense_document_is_skipped_with_its_reason_and_the_run_goes_on(tmp_path, monkeypatch):
    """A table or number list would cost the square of its claims in align: listed, not audited."""
    from auditor import incremental, pipeline

    monkeypatch.setattr(incremental, "MAX_CLAIMS_PER_DOCUMENT", 5)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "article.txt").write_text("Officials said 76 people died and 20 boats were destroyed.")
    (inputs / "table.txt").write_text(", ".join(str(n) for n in range(10, 40)))
    result = pipeline.run([str(inputs)], out_dir=tmp_path / "out", state=tmp_path / "state.db", workers=1)
    assert set(result.claims["doc_id"]) == {"article.txt"}
    assert result.summary["processed"]["too_dense"] == 1
    (error,) = [e for e in result.errors if e["input"] == "table.txt"]
    assert error["reason"].startswith("number-dense: 30 claims (more than 5 a document)")
