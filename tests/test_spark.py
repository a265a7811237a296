"""The Spark engine gives the pandas engine's claims and findings (one local SparkSession for the
module: starting one costs some 15 s). Skipped when pyspark or java is missing."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'auditor[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("java is not installed (Debian: openjdk-17-jre-headless)", allow_module_level=True)

from auditor import pipeline  # noqa: E402
from auditor import spark as auditor_spark  # noqa: E402
from auditor.spark.tasks import FAIL_ONCE_ENV  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples"
CORPUS = Path(__file__).parent / "fixtures" / "spark_corpus"
INTERVAL = ["value", "lower", "upper", "lo", "hi"]


@pytest.fixture(scope="module")
def flag(tmp_path_factory) -> Path:
    """The file whose presence makes the next extraction task fail once (read by the workers
    through the environment they inherit when the session starts)."""
    return tmp_path_factory.mktemp("flag") / "fail-once"


@pytest.fixture(scope="module")
def spark(flag):
    os.environ[FAIL_ONCE_ENV] = str(flag)
    # local[2,2]: two cores, and a failed task is tried again once (spark.task.maxFailures)
    session = auditor_spark.session("local[2,2]", app_name="auditor-tests")
    session.conf.set("spark.sql.shuffle.partitions", "4")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    os.environ.pop(FAIL_ONCE_ENV, None)


def pandas_run(inputs, tmp_path):
    return pipeline.run([str(i) for i in inputs], tmp_path / "pandas", state=tmp_path / "pandas.db")


def spark_run(spark, inputs, tmp_path, name="spark", **options):
    result = auditor_spark.run(spark, [str(i) for i in inputs], tmp_path / name, state=str(tmp_path / f"{name}-state"), **options)
    claims = pd.read_parquet(tmp_path / name / "claims")
    findings = pd.read_parquet(tmp_path / name / "findings")
    return result, claims, findings


def assert_same_claims(expected: pd.DataFrame, actual: pd.DataFrame):
    assert actual["claim_id"].is_unique
    assert sorted(actual["claim_id"]) == sorted(expected["claim_id"])
    left = expected.set_index("claim_id").sort_index()
    right = actual.set_index("claim_id").loc[left.index]
    for column in INTERVAL + ["story_id", "group_id", "verdict"]:
        for claim_id, a, b in zip(left.index, left[column], right[column]):
            assert _same(a, b), f"{column} of {claim_id}: pandas {a!r}, spark {b!r}"


def finding_keys(findings: pd.DataFrame) -> list[tuple]:
    return sorted((f["type"], tuple(f["claim_ids"]), f["severity"], str(f["story"])) for f in findings.to_dict("records"))


def _same(a, b) -> bool:
    missing = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
    if missing(a) or missing(b):
        return missing(a) and missing(b)
    return a == b


def test_demo_corpus_on_the_cli_gives_the_pandas_claims_and_findings(spark, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from auditor.cli import main

    class Shared:  # the module's session, which the command must not stop
        def __getattr__(self, name):
            return getattr(spark, name)

        def stop(self):
            pass

    monkeypatch.setattr(auditor_spark, "session", lambda master=None: Shared())
    out = tmp_path / "spark"
    result = CliRunner().invoke(main, ["run", str(DEMO), "--out", str(out), "--engine", "spark", "--state", str(tmp_path / "state"), "--fail-on", "conflict"])
    assert result.exit_code == 1, result.output  # the demo has conflicts
    assert f"Report: {out}/index.html" in result.output
    expected = pandas_run([DEMO], tmp_path)
    claims, findings = pd.read_parquet(out / "claims"), pd.read_parquet(out / "findings")
    assert_same_claims(expected.claims, claims)
    assert finding_keys(findings) == finding_keys(expected.findings)
    assert f"{len(expected.claims)} claims" in result.output
    # the report, built from the findings and the claims they cite, has the same story pages
    pages = lambda name: sorted(p.name for p in (tmp_path / name / "stories").iterdir())  # noqa: E731
    assert pages("spark") == pages("pandas")
    assert {p.name for p in (out / "claims").iterdir() if p.is_dir()} == {
        f"story_date={d}" for d in ("2025-11-11", "2026-02-10", "2026-03-02")}


def test_several_stories_with_and_without_a_story_field_give_the_pandas_results(spark, tmp_path):
    expected = pandas_run([CORPUS], tmp_path)
    result, claims, findings = spark_run(spark, [CORPUS], tmp_path)
    assert_same_claims(expected.claims, claims)
    assert finding_keys(findings) == finding_keys(expected.findings)
    assert sorted(map(tuple, map(dict.items, result.errors))) == sorted(map(tuple, map(dict.items, expected.errors)))
    assert any(str(s).startswith("auto:") for s in claims["story_id"])  # stories found by clustering, too
    assert spark.conf.get("spark.sql.shuffle.partitions") == "4"  # the run's own partition count is undone


def test_a_task_that_fails_once_leaves_every_claim_once_and_a_rerun_extracts_only_new_documents(spark, tmp_path, flag):
    first, _, _ = spark_run(spark, [CORPUS / "wires.jsonl"], tmp_path, name="grow")
    assert first.summary["processed"]["new"] == 6
    flag.write_text("fail the next extraction task once")
    grown, claims, findings = spark_run(spark, [CORPUS / "wires.jsonl", CORPUS / "extra"], tmp_path, name="grow")
    assert not flag.exists()  # a task did fail (and was tried again)
    assert grown.summary["processed"] == {"new": 3, "changed": 0, "unchanged": 6, "failed": 0}
    expected = pandas_run([CORPUS / "wires.jsonl", CORPUS / "extra"], tmp_path)
    assert_same_claims(expected.claims, claims)  # each claim exactly once
    assert finding_keys(findings) == finding_keys(expected.findings)


def test_arrow_round_trip_keeps_missing_text_and_exact_floats(spark):
    """The conversions the engine relies on under pandas 3: text columns with missing values
    and floats cross Arrow unchanged."""
    from auditor.spark.tasks import arrow_ready

    frame = pd.DataFrame({"doc_id": pd.array(["a", None], dtype="str"), "ordinal": [1, 2], "record": [None, "0.1"]})

    def identity(batches):
        for batch in batches:
            yield arrow_ready(batch.assign(value=[0.1 + 0.2, float("nan")][: len(batch)]))

    rows = spark.createDataFrame(arrow_ready(frame)).mapInPandas(
        identity, "doc_id string, ordinal long, record string, value double").orderBy("ordinal").collect()
    assert [r["doc_id"] for r in rows] == ["a", None]
    assert rows[0]["value"] == 0.1 + 0.2


def test_help_does_not_import_pyspark():
    import subprocess
    import sys

    code = "import sys; from auditor.cli import main\ntry: main(['run', '--help'])\nexcept SystemExit: pass\nprint('pyspark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def test_master_without_the_spark_engine_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from auditor.cli import main

    result = CliRunner().invoke(main, ["run", str(DEMO), "--out", str(tmp_path / "out"), "--master", "local[2]"])
    assert result.exit_code == 2
    assert "--master needs --engine spark" in result.output
