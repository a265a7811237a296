"""The state store: schema versions, documents replaced whole, run history, the lock."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from auditor.errors import AuditorError
from auditor.state.history import finding_changes
from auditor.state.store import SCHEMA_VERSION, StateLocked, Store, default_state_path


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


def finding(fid, story="s", metric="killed", message="m", claim_ids=()):
    return {"finding_id": fid, "type": "conflict", "check": "conflict", "story": story, "metric": metric, "message": message,
            "claim_ids": list(claim_ids)}


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
    assert changes == {"previous_run": None, "new": ["a", "b"], "resolved": [], "changed": [], "not_rechecked": 0}


def test_history_does_not_call_a_finding_about_a_document_not_audited_resolved():
    before = [finding("old", claim_ids=["c1", "c2"]), finding("fixed", story="t", claim_ids=["c3"])]
    changes = finding_changes({"id": 1, "finished_at": "t"}, before, [], unaudited={"c2"})
    assert [f["finding_id"] for f in changes["resolved"]] == ["fixed"]
    assert changes["not_rechecked"] == 1 and changes["changed"] == []


# --- the cached check result: JSON, never a pickle ---------------------------------------------


def check_result():
    """A CheckResult with every kind of column check writes: strings with gaps, ints, floats
    with NaN and infinities, bools, an object column of None and bools, lists of claim ids."""
    import numpy as np
    import pandas as pd

    from auditor.check.validate import CheckResult

    claims = pd.DataFrame({
        "claim_id": ["c1", "c2", "c3"],
        "change": pd.Series(["up", None, np.nan], dtype="str"),
        "start": [0, 7, 12],
        "value": [76.0, np.nan, -0.0],
        "hi": [76.0, np.inf, -np.inf],
        "agrees_with_sources": [True, False, True],
        "agrees_with_reference": pd.Series([None, True, False], dtype=object),
        "note": pd.Series(["x", None, np.nan], dtype=object),
    })
    findings = pd.DataFrame({
        "finding_id": ["f1", "f2"],
        "claim_ids": pd.Series([["c1", "c2"], ["c2", "c3"]], dtype=object),  # equal lengths: must stay lists
        "message": pd.Series(["é ≠ \"quoted\"", "two\nlines"], dtype="str"),
    })
    validation = [{"suite": "s", "file": "rules/s.yaml", "result": {"success": False, "results": [{"n": 1, "x": None}]}}]
    return CheckResult(findings=findings, claims=claims, validation=validation)


def assert_same_result(loaded, saved):
    import pandas as pd

    for name in ("claims", "findings"):
        got, want = getattr(loaded, name), getattr(saved, name)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        for column in want.columns:  # dtypes (string storage too) and the type of every value
            assert got[column].dtype == want[column].dtype and getattr(got[column].dtype, "storage", None) == getattr(want[column].dtype, "storage", None)
            assert [type(v) for v in got[column]] == [type(v) for v in want[column]], column
    assert loaded.validation == saved.validation


def test_the_cached_check_result_round_trips_with_its_dtypes(tmp_path):
    import pandas as pd

    from auditor.check.validate import CheckResult

    saved = check_result()
    empty = CheckResult(pd.DataFrame(columns=["finding_id", "claim_ids"]), pd.DataFrame({"verdict": pd.Series(dtype=object)}), [])
    with Store.open(tmp_path / "s.db") as store:
        for out, result in (("out", saved), ("empty", empty)):
            run = store.start_run(tmp_path / out, "r")
            store.finish_run(run, {}, [], (f"scope-{out}", result))
        assert_same_result(store.cached_result("scope-out"), saved)
        assert_same_result(store.cached_result("scope-empty"), empty)
        assert store.cached_result("another scope") is None
        parts = [body for (body,) in store.conn.execute("SELECT body FROM result_parts WHERE scope = 'scope-out' ORDER BY part")]
        assert all(isinstance(text, str) for text in parts)  # plain JSON text, a row per column
        head, *columns = map(json.loads, parts)
        assert head["format"] == 2 and head["claims"]["columns"] == len(saved.claims.columns)
        assert [c["name"] for c in columns] == [*saved.findings.columns, *saved.claims.columns]


def test_a_real_run_reloads_the_check_result_it_cached(tmp_path):
    from pathlib import Path

    from auditor import pipeline
    from auditor.check.validate import CheckResult

    examples = Path(__file__).resolve().parent.parent / "examples" / "news"
    result = pipeline.run([str(examples)], tmp_path / "out", state=tmp_path / "s.db", workers=1)
    with Store.open(tmp_path / "s.db") as store:
        (scope,) = store.conn.execute("SELECT scope FROM results").fetchone()
        loaded = store.cached_result(scope)
    assert len(result.claims) > 0 and len(result.findings) > 0
    assert_same_result(loaded, CheckResult(result.findings, result.claims, result.validation))


def test_a_damaged_cached_result_is_recomputed_not_an_error(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run = store.start_run(tmp_path / "out", "r")
        store.finish_run(run, {}, [], ("scope", check_result()))
        for damaged in ("{not json", '{"format": 99}', '{"format": 2}', "[]"):
            with store.transaction():
                store.conn.execute("UPDATE result_parts SET body = ? WHERE part = 0", (damaged,))
            assert store.cached_result("scope") is None
        store.finish_run(run, {}, [], ("scope", check_result()))
        for missing in ("part = 3", "part > 0", "1 = 1"):  # a column lost, every column, the head too
            with store.transaction():
                store.conn.execute(f"DELETE FROM result_parts WHERE {missing}")
            assert store.cached_result("scope") is None
        store.finish_run(run, {}, [], ("scope", check_result()))
        with store.transaction():  # a part too many
            store.conn.execute("INSERT INTO result_parts SELECT scope, 99, body FROM result_parts WHERE part = 1")
        assert store.cached_result("scope") is None


def test_a_result_the_format_cannot_hold_is_not_cached_and_the_run_goes_on(tmp_path):
    import pandas as pd

    from auditor.check.validate import CheckResult

    dated = CheckResult(pd.DataFrame({"when": pd.to_datetime(["2025-11-11"])}), pd.DataFrame({"a": [1]}), [])
    with Store.open(tmp_path / "s.db") as store:
        run = store.start_run(tmp_path / "out", "r")
        store.finish_run(run, {}, [{"finding_id": "f1"}], ("scope", dated))
        assert store.cached_result("scope") is None
        assert store.run_findings(run) == [{"finding_id": "f1"}] and [r["status"] for r in store.runs()] == ["ok"]
        assert store.conn.execute("SELECT count(*) FROM result_parts").fetchone()[0] == 0


def test_a_result_with_a_value_the_format_cannot_hold_keeps_the_cached_one(tmp_path):
    """An object column holding, say, a date is found only while encoding, after parts were written: they go."""
    import datetime

    import pandas as pd

    from auditor.check.validate import CheckResult

    odd = CheckResult(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1], "when": pd.Series([datetime.date(2025, 1, 1)], dtype=object)}), [])
    with Store.open(tmp_path / "s.db") as store:
        store.finish_run(store.start_run(tmp_path / "out", "r"), {}, [], ("scope", check_result()))
        run = store.start_run(tmp_path / "out", "r")
        store.finish_run(run, {}, [{"finding_id": "f1"}], ("other scope", odd))
        assert store.cached_result("other scope") is None
        assert_same_result(store.cached_result("scope"), check_result())
        assert store.run_findings(run) == [{"finding_id": "f1"}]


class Planted:
    """What a hostile state file could hold: unpickling it runs code (here, writes a file)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "unpickled"))


def test_migration_from_schema_2_drops_the_pickled_cache_without_loading_it(tmp_path):
    import pickle  # only to plant what an old state file held

    from auditor.state.store import MIGRATIONS

    path, marker = tmp_path / "s.db", tmp_path / "ran"
    with sqlite3.connect(path) as conn:  # a state file as auditor left it at schema version 2
        for version, migration in enumerate(MIGRATIONS[:2], 1):
            conn.executescript(f"{migration}; PRAGMA user_version = {version};")
        conn.execute("INSERT INTO runs (started_at, status, out_dir, rules_hash) VALUES ('t', 'ok', ?, 'r')", (str((tmp_path / "out").resolve()),))
        conn.execute("INSERT INTO results VALUES (?, 'scope', 1, ?)", (str((tmp_path / "out").resolve()), pickle.dumps(Planted(marker))))
    with Store.open(path) as store:
        assert store.version() == SCHEMA_VERSION == 6
        assert store.conn.execute("SELECT count(*) FROM results").fetchone()[0] == 0
        assert store.cached_result("scope") is None
        assert [r["status"] for r in store.runs()] == ["ok"]  # the history is kept
        run = store.start_run(tmp_path / "out", "r")  # the new table takes a result
        store.finish_run(run, {}, [], ("scope", check_result()))
        assert_same_result(store.cached_result("scope"), check_result())
    assert not marker.exists()


def test_no_auditor_module_uses_pickle():
    package = Path(__file__).resolve().parent.parent / "auditor"
    uses = re.compile(r"^\s*(import|from)\s+(pickle|_pickle|dill|shelve|joblib)\b|\b(pickle|dill|shelve|joblib)\.\w+\(", re.MULTILINE)
    users = [str(p.relative_to(package)) for p in package.rglob("*.py") if uses.search(p.read_text(encoding="utf-8"))]
    assert users == []


def test_migration_from_schema_3_drops_the_one_text_cache(tmp_path):
    from auditor.state.store import MIGRATIONS

    path = tmp_path / "s.db"
    out = str((tmp_path / "out").resolve())
    with sqlite3.connect(path) as conn:  # a state file as auditor left it at schema version 3
        for version, migration in enumerate(MIGRATIONS[:3], 1):
            conn.executescript(f"{migration}; PRAGMA user_version = {version};")
        conn.execute("INSERT INTO runs (started_at, status, out_dir, rules_hash) VALUES ('t', 'ok', ?, 'r')", (out,))
        conn.execute("INSERT INTO results VALUES (?, 'scope', 1, ?)", (out, json.dumps({"format": 1})))
    with Store.open(path) as store:
        assert store.version() == SCHEMA_VERSION == 6
        assert store.conn.execute("SELECT count(*) FROM results").fetchone()[0] == 0
        assert [c for (_, c, *_) in store.conn.execute("PRAGMA table_info(results)")] == ["scope", "run_id"]
        assert store.cached_result("scope") is None
        assert [r["status"] for r in store.runs()] == ["ok"]  # the history is kept
        store.finish_run(store.start_run(tmp_path / "out", "r"), {}, [], ("scope", check_result()))
        assert_same_result(store.cached_result("scope"), check_result())


def test_the_cached_result_parts_are_the_json_of_its_head_and_columns():
    """Encoded a part at a time (to bound memory), each the very text json.dumps gives, in ASCII."""
    import json

    import pandas as pd

    from auditor.state.cache import _column, _scalar, dump_parts
    from auditor.check.validate import CheckResult

    def head(table):
        default = isinstance(table.index, pd.RangeIndex) and table.index.start == 0 and table.index.step == 1
        return {"length": len(table), "index": None if default else _column(table.index), "columns": len(table.columns)}

    saved = check_result()
    odd = CheckResult(findings=saved.findings.iloc[:0, :0], claims=saved.claims.set_axis([5, 3, 9]), validation=[])
    for result in (saved, odd, CheckResult(pd.DataFrame(), pd.DataFrame(index=[1, 2]), [])):
        whole = [{"format": 2, "findings": head(result.findings), "claims": head(result.claims), "validation": result.validation}]
        whole += [{"name": name, **_column(series)} for table in (result.findings, result.claims) for name, series in table.items()]
        parts = list(dump_parts(result))
        assert parts == [json.dumps(part, default=_scalar) for part in whole] and all(part.isascii() for part in parts)


def test_a_run_holds_its_documents_without_text_and_reads_texts_from_the_store(tmp_path):
    from auditor import pipeline

    examples = Path(__file__).resolve().parent.parent / "examples" / "news"
    result = pipeline.run([str(examples)], tmp_path / "out", state=tmp_path / "s.db", workers=1)
    assert "text" not in result.documents.columns and len(result.documents) > 0
    with Store.open(tmp_path / "s.db") as store:
        ids = [*reversed(result.documents["doc_id"].tolist()), "nowhere", result.documents["doc_id"][0]]
        whole = {d["doc_id"]: d["text"] for d in store.documents(result.summary["run_id"])}
        assert list(store.texts(ids, chunk=2)) == [whole.get(d) for d in ids]
        assert store.documents(result.summary["run_id"], text=False) == [
            {k: v for k, v in d.items() if k != "text"} for d in store.documents(result.summary["run_id"])]
