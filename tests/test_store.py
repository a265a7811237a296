"""The state store: schema versions, documents replaced whole, run history, the lock."""

import sqlite3

import pytest

from auditor.errors import AuditorError
from auditor.history import finding_changes
from auditor.store import SCHEMA_VERSION, StateLocked, Store, default_state_path


def doc(doc_id="a", text="12 people"):
    return {"doc_id": doc_id, "source": "S", "url": None, "title": None, "published_at": None, "story": None, "text": text}


def claim(claim_id, doc_id="a"):
    return {"claim_id": claim_id, "doc_id": doc_id, "value": 12.0}


def test_new_state_is_created_at_the_current_schema_version(tmp_path):
    with Store.open(tmp_path / "deep" / "state.db") as store:
        assert store.version() == SCHEMA_VERSION
    with Store.open(tmp_path / "deep" / "state.db") as store:  # reopening migrates nothing
        assert store.version() == SCHEMA_VERSION


def test_state_from_a_newer_auditor_is_refused(tmp_path):
    path = tmp_path / "state.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(AuditorError, match=f"schema version {SCHEMA_VERSION + 1}, newer than this auditor"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_a_user_error(tmp_path):
    path = tmp_path / "state.db"
    path.write_text("not sqlite " * 100)
    with pytest.raises(AuditorError, match=f"state file {path} is not a usable auditor database"):
        Store.open(path)


def test_saving_a_document_replaces_its_claims(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run = store.start_run(tmp_path / "out", "r1")
        with store.transaction():
            store.save_document(doc(), "h1", "x1", [claim("c1"), claim("c2")], run)
            store.save_document(doc("b"), "h2", "x1", [claim("c3", "b")], run)
        with store.transaction():
            store.save_document(doc(text="13 people"), "h3", "x1", [claim("c4")], run)
        assert [c["claim_id"] for c in store.claims(run)] == ["c4", "c3"]
        assert tuple(store.known("a")) == ("h3", "x1") and store.known("zzz") is None
        assert store.counts() == {"documents": 2, "claims": 2}


def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run = store.start_run(tmp_path / "out", "r1")
        with pytest.raises(RuntimeError), store.transaction():
            store.save_document(doc(), "h1", "x1", [claim("c1")], run)
            raise RuntimeError("killed")
        assert store.counts() == {"documents": 0, "claims": 0}


def test_only_documents_seen_in_a_run_belong_to_it(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        first = store.start_run(tmp_path / "out", "r")
        with store.transaction():
            store.save_document(doc("a"), "h", "x", [claim("c1")], first)
            store.save_document(doc("b"), "h", "x", [claim("c2", "b")], first)
        second = store.start_run(tmp_path / "out", "r")
        with store.transaction():
            store.mark_seen(["b"], second)
        assert [d["doc_id"] for d in store.documents(second)] == ["b"]
        assert [c["claim_id"] for c in store.claims(second)] == ["c2"]


def test_previous_run_is_the_last_one_that_published_the_same_output(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        assert store.previous_run(tmp_path / "out") is None
        first = store.start_run(tmp_path / "out", "r1")
        store.finish_run(first, {"finished_at": "2026-01-01T00:00:00+00:00", "report_key": "k1"}, [{"finding_id": "f1", "message": "m"}])
        store.start_run(tmp_path / "out", "r2")  # never finished (killed)
        kept = store.start_run(tmp_path / "out", "r1")
        store.finish_run(kept, {"finished_at": "2026-01-02T00:00:00+00:00"}, [], published=False)
        store.start_run(tmp_path / "other", "r3")
        assert store.previous_run(tmp_path / "out") == {
            "id": first, "finished_at": "2026-01-01T00:00:00+00:00", "rules_hash": "r1", "report_key": "k1",
        }
        assert store.run_findings(first) == [{"finding_id": "f1", "message": "m"}]
        assert [r["status"] for r in store.runs()] == ["ok", "interrupted", "unchanged", "running"]


def test_lock_refuses_a_second_holder_and_is_released_after(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as one, Store.open(path) as two:
        with one.lock():
            with pytest.raises(StateLocked, match="another auditor run is in progress \\(pid \\d+, started .*\\) and holds the lock") as refused:
                with two.lock():
                    pass
            assert refused.value.exit_code == 3
        with two.lock():
            pass


def test_default_state_sits_beside_the_output_folder(tmp_path):
    assert default_state_path(tmp_path / "report") == tmp_path / ".auditor" / "state.db"


def finding(fid, story="s", metric="killed", message="m"):
    return {"finding_id": fid, "type": "conflict", "check": "conflict", "story": story, "metric": metric, "message": message}


def test_history_tells_new_resolved_and_changed_findings():
    previous_run = {"id": 4, "finished_at": "t", "rules_hash": "r"}
    before = [finding("same"), finding("gone", story="old"), finding("grew", story="x", message="2 sources")]
    after = [finding("same"), finding("fresh", story="new"), finding("grew2", story="x", message="3 sources")]
    changes = finding_changes(previous_run, before, after)
    assert changes["previous_run"] == {"id": 4, "finished_at": "t"}
    assert changes["new"] == ["fresh"]
    assert [f["finding_id"] for f in changes["resolved"]] == ["gone"]
    assert [(c["finding_id"], c["previous_finding_id"], c["previous_message"]) for c in changes["changed"]] == [("grew2", "grew", "2 sources")]


def test_history_without_a_previous_run_calls_everything_new():
    changes = finding_changes(None, [], [finding("a"), finding("b", story="t")])
    assert changes == {"previous_run": None, "new": ["a", "b"], "resolved": [], "changed": []}
