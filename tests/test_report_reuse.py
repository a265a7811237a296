"""A report restored from the state (a rerun into another folder) is the report writing it would give."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from auditor import pipeline
from auditor.report.html import write_report
from auditor.report.reuse import NotReusable, restore_report, saved_parts
from auditor.state.store import Store
from test_report import fixed_result

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "news"


def written(folder: Path, result) -> dict:
    folder.mkdir()
    return write_report(folder, result)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_restored_report_equals_the_written_one_with_the_new_runs_time(tmp_path):
    monday = fixed_result()
    content = written(tmp_path / "monday", monday)
    parts = list(saved_parts(tmp_path / "monday", monday.summary, content))
    assert parts[0][0] == "" and "index.html" not in dict(parts) and "summary.json" not in dict(parts)

    tuesday = fixed_result(finished_at="2025-11-15T06:30:00+00:00", run_id=2)
    (tmp_path / "restored").mkdir()
    assert restore_report(tmp_path / "restored", parts, tuesday.summary)
    written(tmp_path / "written", tuesday)
    restored = files(tmp_path / "restored")
    assert restored == files(tmp_path / "written")
    assert any(b"2025-11-15T06:30:00" in body for name, body in restored.items() if name.startswith("stories/"))
    assert not any(b"2025-11-14T06:00:00" in body for body in restored.values())


def test_a_report_whose_footer_versions_differ_is_not_restored(tmp_path):
    monday = fixed_result()
    parts = list(saved_parts(tmp_path / "m", monday.summary, written(tmp_path / "m", monday)))
    (tmp_path / "out").mkdir()
    assert not restore_report(tmp_path / "out", parts, fixed_result(rules_hash="another").summary)
    assert not restore_report(tmp_path / "out", [], monday.summary)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_report_without_a_finishing_time_is_not_saved(tmp_path):
    result = fixed_result(finished_at="")
    content = written(tmp_path / "m", result)
    with pytest.raises(NotReusable):
        list(saved_parts(tmp_path / "m", result.summary, content))


def run(out: Path, state: Path):
    return pipeline.run([str(EXAMPLES)], out, state=state, workers=1)


def test_a_rerun_into_a_new_folder_restores_the_report_without_rendering_it(tmp_path, monkeypatch):
    import auditor.report.html as html

    state = tmp_path / "state.db"
    run(tmp_path / "monday", state)

    def no_rendering(*args, **kwargs):
        raise AssertionError("the report was rendered again")

    monkeypatch.setattr(html, "write_report", no_rendering)
    tuesday = run(tmp_path / "tuesday", state)
    assert tuesday.summary["checks"] == "reused"
    monkeypatch.undo()
    with Store.open(state) as store:  # the same run's report, rendered: byte for byte what was restored
        (tmp_path / "rendered").mkdir()
        write_report(tmp_path / "rendered", tuesday, texts=store.texts)
    assert files(tmp_path / "tuesday") == files(tmp_path / "rendered")
    assert json.loads((tmp_path / "tuesday" / "summary.json").read_text())["run_id"] == tuesday.summary["run_id"]


@pytest.mark.parametrize("damage", ["body", "name"])
def test_a_damaged_saved_report_is_written_instead(tmp_path, damage):
    state = tmp_path / "state.db"
    run(tmp_path / "monday", state)
    with Store.open(state) as store:
        name = store.conn.execute("SELECT name FROM report_parts WHERE name LIKE 'stories/%' LIMIT 1").fetchone()[0]
        if damage == "body":
            store.conn.execute("UPDATE report_parts SET body = ? WHERE name = ?", (zlib.compress(b"\0\0"), name))
        else:  # a state file edited to write outside the report
            store.conn.execute("UPDATE report_parts SET name = ? WHERE name = ?", ("../escaped.html", name))
    tuesday = run(tmp_path / "tuesday", state)
    assert not (tmp_path / "escaped.html").exists()
    with Store.open(state) as store:
        (tmp_path / "rendered").mkdir()
        write_report(tmp_path / "rendered", tuesday, texts=store.texts)
    assert files(tmp_path / "tuesday") == files(tmp_path / "rendered")


def test_the_saved_report_goes_with_its_check_result(tmp_path):
    state = tmp_path / "state.db"
    run(tmp_path / "monday", state)
    with Store.open(state) as store:
        (scope,) = store.conn.execute("SELECT scope FROM results").fetchone()
        assert store.conn.execute("SELECT DISTINCT scope FROM report_parts").fetchall() == [(scope,)]
        store.conn.execute("DELETE FROM results")
        assert store.conn.execute("SELECT count(*) FROM report_parts").fetchone()[0] == 0
