"""The audit as Spark jobs: ingest, extract, stories, align and check, outputs.

Only small things reach the driver: inputs that could not be read, counts, the findings and
the claims they cite (for the HTML report), and one validation summary per suite and task.
"""

from __future__ import annotations

import json
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..columns import DOCUMENT_COLUMNS, FINDING_COLUMNS
from ..errors import AuditorError
from . import tasks
from .state import StateTables

BLOCK_DAYS = 7.0  # documents without a story are clustered within blocks of this many days ...
BLOCK_LIMIT = 5_000  # ... split by a keyword min-hash when a block holds more documents than this
BLOCK_KEYWORDS = 8  # words a document's keyword min-hash is taken over


@dataclass
class SparkAuditResult:
    """What a Spark run produced: where the tables are, what the report shows, the summary."""

    out_dir: str
    claims_path: str
    findings_path: str
    findings: pd.DataFrame
    errors: list[dict]
    summary: dict


def run(
    spark,
    inputs: list[str],
    out_dir: str | Path,
    rules_dir: str | Path | None = None,
    reference: str | Path | None = None,
    *,
    state: str | Path | None = None,
    stories: str | Path | None = None,
    story_buckets: int | None = None,
) -> SparkAuditResult:
    """Audit ``inputs`` (files, folders or URIs Spark reads) on ``spark``; write into ``out_dir``.

    ``out_dir`` receives ``claims/`` and ``findings/`` (Parquet, partitioned by ``story_date``)
    and the HTML report (``index.html``, ``stories/``, the exports of the findings and of the
    claims they cite). A local ``out_dir`` is written to a staging folder and swapped in whole,
    as the pandas engine does; another URI is written in place. ``state`` (default
    ``.auditor/spark-state`` beside ``out_dir``) holds the extracted claims keyed by document
    and content hash: a rerun extracts only new or changed documents. ``story_buckets`` is the
    number of align-and-check tasks (default: four per core)."""
    from ..check.reference import load_reference
    from ..ruleset import load_rules
    from ..align.stories import read_story_overrides

    if any(i == "-" for i in inputs):
        raise AuditorError("the spark engine reads files, folders and URIs, not standard input ('-')")
    load_rules(rules_dir)  # a broken rules folder stops the run before any work
    rules = tasks.rules_files(rules_dir)
    if reference is not None and not Path(reference).is_file():
        raise AuditorError(f"reference file not found: {reference}")
    reference_table = load_reference(reference)
    overrides = read_story_overrides(stories) if stories is not None else {}
    out_dir = str(out_dir)
    local_out = _is_local(out_dir)
    if local_out:
        from ..report.publish import check_out_dir

        check_out_dir(Path(out_dir))  # before any work: a folder that is no report is never replaced
    state_path = str(state) if state else _default_state(out_dir)
    buckets = story_buckets or TASKS_PER_CORE * spark.sparkContext.defaultParallelism

    with shuffle_partitions(spark, TASKS_PER_CORE * spark.sparkContext.defaultParallelism):
        return _run(spark, inputs, out_dir, local_out, state_path, buckets, rules, rules_dir, reference_table, overrides)


TASKS_PER_CORE = 4  # shuffles of the run: a few tasks per core, not spark.sql.shuffle.partitions' 200


@contextmanager
def shuffle_partitions(spark, count: int):
    """Run with ``count`` shuffle partitions, then restore the session's setting. Every task
    of a pandas function costs a Python round trip whether its partition holds data or not,
    and adaptive execution does not merge the partitions of cached plans (the engine caches
    the parsed inputs and the results): 200 mostly empty tasks per shuffle cost more than
    the audit of a small archive, and made a second core barely help."""
    key = "spark.sql.shuffle.partitions"
    before = spark.conf.get(key)
    spark.conf.set(key, str(max(1, count)))
    try:
        yield
    finally:
        spark.conf.set(key, before)


def _run(spark, inputs, out_dir, local_out, state_path, buckets, rules, rules_dir, reference_table, overrides):
    from ..extract import extractor_version

    if local_out:
        from ..report.publish import publish
    documents, errors = read_inputs(spark, inputs)
    try:
        table = StateTables(spark, state_path)
        extractor = extractor_version(rules_dir)
        processed, claims = table.refresh(documents, extractor)
        story_map = assign_stories(spark, documents, overrides, rules)
        results = align_and_check(spark, claims, story_map, rules, reference_table, buckets).persist()
        try:
            if local_out:
                written = []
                publish(Path(out_dir), lambda staging: written.append(
                    _write_outputs(spark, results, documents, staging.as_uri(), staging, inputs, errors, processed, reference_table)))
                summary, findings = written[0]
            else:
                with tempfile.TemporaryDirectory(prefix="auditor-report-") as tmp:
                    summary, findings = _write_outputs(spark, results, documents, out_dir, Path(tmp), inputs, errors, processed, reference_table)
                    _copy_to(spark, Path(tmp), out_dir)
        finally:
            results.unpersist()
            _unpersist_inputs(story_map)
        table.prune()
    finally:
        _unpersist_inputs(documents)
    root = out_dir.rstrip("/")
    return SparkAuditResult(root, f"{root}/claims", f"{root}/findings", findings, errors, summary)


# --- ingest -------------------------------------------------------------------------------------


def read_inputs(spark, inputs: list[str]):
    """The documents of every input as a DataFrame (DOCUMENT_COLUMNS + content_hash), the first
    of each doc_id only, and the inputs that could not be read (collected: they are few)."""
    from pyspark.sql import Window, functions as F

    from pyspark.errors import AnalysisException

    frames, errors = [], []
    for index, raw in enumerate(inputs):
        try:
            files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(raw)
            root = _listing_root(spark, raw)
        except AnalysisException:
            errors.append({"input": raw, "reason": "no such file or directory"})
            continue
        frames.append(files.select("path", "content", F.lit(index).alias("input_index"), F.lit(root).alias("root"), F.lit(raw).alias("shown")))
    schema = _schema(tasks.FILE_ROW, {"input_index": "int"})
    if not frames:
        return empty_frame(spark, schema).select(*DOCUMENT_COLUMNS, "content_hash"), errors
    files = frames[0]
    for frame in frames[1:]:
        files = files.unionByName(frame)
    parsed = files.repartition(4 * spark.sparkContext.defaultParallelism).mapInPandas(tasks.read_files, schema)
    ranked = parsed.withColumn("rank", F.row_number().over(Window.partitionBy("kind", "doc_id").orderBy("input_index", "order")))
    ranked = ranked.persist()  # parsed once: the errors are collected, the documents read by each later stage
    # errors and duplicate ids are small: collected for the summary, as the pandas engine lists them
    side = ranked.filter("kind = 'error' OR rank > 1").orderBy("input_index", "order").collect()
    for row in side:
        if row["kind"] == "error":
            errors.append({"input": row["error_input"], "reason": row["error_reason"]})
        else:
            errors.append({"input": row["doc_id"], "reason": "duplicate document id; later copy skipped"})
    documents = ranked.filter("kind = 'document' AND rank = 1").select(*DOCUMENT_COLUMNS, "content_hash")
    documents._cached_source = ranked
    return documents, errors


def _unpersist_inputs(frame) -> None:
    """Let go of what a step cached under the plan it returned (read_inputs: the parsed
    inputs under ``documents``; assign_stories: the block keys under the story map)."""
    source = getattr(frame, "_cached_source", None)
    if source is not None:
        source.unpersist()


def _listing_root(spark, raw: str) -> str:
    """The folder a file's relative path is taken from, in the form Spark lists paths: the
    input itself when it is a folder, its parent when it is a file."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(raw)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(path)
    status = fs.getFileStatus(qualified)
    return (qualified if status.isDirectory() else qualified.getParent()).toString()


# --- stories ------------------------------------------------------------------------------------


def assign_stories(spark, documents, overrides: dict, rules: dict):
    """doc_id -> story_id, story_date. A given story or an override is kept; the others are
    clustered by the story stage inside blocks (publication days, then a keyword min-hash when
    a block is crowded), so no step holds every document."""
    from pyspark.sql import Window, functions as F

    given = documents.select("doc_id", "story", "published_at")
    if overrides:
        table = driver_frame(spark, list(overrides.items()), ["doc_id", "override"])
        given = given.join(F.broadcast(table), "doc_id", "left").withColumn("story", F.coalesce("override", "story")).drop("override")
    given = given.withColumn("story", F.when(F.trim(F.col("story")) == "", None).otherwise(F.col("story")))
    known = given.filter("story IS NOT NULL").select("doc_id", F.col("story").alias("story_id"))
    loose = documents.join(given.filter("story IS NULL").select("doc_id"), "doc_id", "left_semi")
    keys = loose.select("doc_id", "title", "text", "published_at").mapInPandas(
        lambda batches: tasks.block_keys(batches, BLOCK_DAYS, BLOCK_KEYWORDS), "doc_id string, day_block long, keyword_key long")
    keys = keys.persist()  # read twice: the block sizes, then the blocks
    crowded = [row["day_block"] for row in keys.groupBy("day_block").count().filter(F.col("count") > BLOCK_LIMIT).collect()]
    block = F.when(F.col("day_block").isin(crowded), F.concat_ws(":", "day_block", "keyword_key")).otherwise(F.col("day_block").cast("string")) if crowded else F.col("day_block").cast("string")
    blocked = loose.join(keys.select("doc_id", block.alias("block")), "doc_id")
    found = blocked.groupBy("block").applyInPandas(lambda frame: tasks.cluster_block(frame, rules), "doc_id string, story_id string")
    story_ids = known.unionByName(found)
    dated = story_ids.join(documents.select("doc_id", F.substring("published_at", 1, 10).alias("day")), "doc_id")
    # the date over a window, not a join of story_ids with its own aggregate: that plan ran
    # the story clustering twice
    first_day = F.coalesce(F.min("day").over(Window.partitionBy("story_id")), F.lit(tasks.UNDATED))
    story_map = dated.select("doc_id", "story_id", first_day.alias("story_date"))
    story_map._cached_source = keys
    return story_map


# --- align and check ----------------------------------------------------------------------------


def align_and_check(spark, claims, story_map, rules: dict, reference, buckets: int):
    """Result rows (kind, story_date, story_id, claim_id, record): stories hashed into
    ``buckets`` partitions, each partition aligned and checked in one task with the run's
    context idf (summed from every partition's term counts, then broadcast), as the pandas
    engine aligns a run's stories with the idf of the whole run.

    The partition is the unit of work, not a bucket column grouped again: grouping a few
    bucket numbers by a second hash put them into fewer tasks than cores (4 buckets landed in
    3 of 8 partitions, one task doing two fifths of the audit)."""
    from pyspark.sql import functions as F

    counts = (claims.select("doc_id", "ordinal", "record").repartition(buckets, "doc_id")
              .mapInPandas(tasks.context_terms, "term long, df long")
              .groupBy("term").agg(F.sum("df").alias("df")).toPandas())
    idf = spark.sparkContext.broadcast(tasks.run_idf(counts))
    keyed = claims.join(story_map, "doc_id").select("story_id", "story_date", "doc_id", "ordinal", "claim_id", "record")
    return keyed.repartition(buckets, "story_id").mapInPandas(
        lambda batches: tasks.align_and_check_partition(batches, rules, reference, idf), _schema(tasks.RESULT_ROW))


# --- outputs ------------------------------------------------------------------------------------


def _write_outputs(spark, results, documents, target: str, report_dir: Path, inputs, errors, processed, reference):
    """claims/ and findings/ as Parquet under ``target``, then the report into ``report_dir``
    from the findings and the claims they cite; returns (summary, findings)."""
    from ..pipeline import AuditResult, summarise
    from ..report import write_report
    from pyspark.sql import functions as F

    meta = [json.loads(r) for (r,) in results.filter("kind = 'meta'").select("record").collect()]
    claim_types = merge_types([m["claim_types"] for m in meta])
    finding_types = merge_types([m["finding_types"] for m in meta]) or {c: "string" for c in FINDING_COLUMNS}
    _write_table(results.filter("kind = 'claim'"), claim_types, f"{target.rstrip('/')}/claims")
    _write_table(results.filter("kind = 'finding'"), finding_types, f"{target.rstrip('/')}/findings")
    findings = _findings_frame([json.loads(r) for r in results.filter("kind = 'finding'").select("record").toPandas()["record"]])
    cited_ids = driver_frame(spark, sorted({(c,) for ids in findings["claim_ids"] for c in ids}), ["claim_id"])
    cited = results.filter("kind = 'claim'").join(F.broadcast(cited_ids), "claim_id", "left_semi").select("record").toPandas()
    claims = pd.DataFrame([json.loads(r) for r in cited["record"]]).drop(columns=["story_date"], errors="ignore")
    doc_ids = sorted(set(claims["doc_id"])) if len(claims) else []
    wanted = driver_frame(spark, [(d,) for d in doc_ids], ["doc_id"])
    docs = documents.join(F.broadcast(wanted), "doc_id", "left_semi").toPandas()
    texts = dict(zip(docs["doc_id"], docs["text"]))
    summary = summarise(inputs, range(processed["documents"]), range(sum(m["claims"] for m in meta)), findings, errors)
    summary.update(engine="spark", processed={k: v for k, v in processed.items() if k != "documents"},
                   tables={"claims": "claims/", "findings": "findings/"},
                   report_claims="the claims the findings cite; every claim is in claims/")
    result = AuditResult(docs.drop(columns=["text", "content_hash"]), claims, findings, errors, _validation_summary(meta), summary)
    write_report(report_dir, result, reference=reference, texts=lambda ids: (texts.get(i) for i in ids))
    return summary, findings


def merge_types(seen: list[dict]) -> dict[str, str]:
    """One Spark type per column over every task: a column typed differently by two tasks
    (an integer and a float column, or text) takes the wider type; a column no task saw a
    value in is text."""
    merged: dict[str, str] = {}
    for types in seen:
        for column, kind in types.items():
            old = merged.get(column, "null")
            if old == kind or kind == "null":
                merged.setdefault(column, kind)
            elif old == "null":
                merged[column] = kind
            elif {old, kind} == {"bigint", "double"}:
                merged[column] = "double"
            else:
                merged[column] = "string"
    return {c: ("string" if t == "null" else t) for c, t in merged.items()}


def _write_table(rows, types: dict, path: str) -> None:
    """Records (JSON) as a Parquet table partitioned by story_date, replacing what was there.

    The columns are those the tasks reported (see merge_types): the table follows the record."""
    from pyspark.sql import functions as F

    types = {**types, "story_date": "string"}
    schema = ", ".join(f"`{c}`: {t}" for c, t in types.items())
    table = rows.select(F.from_json("record", f"struct<{schema}>").alias("r")).select("r.*")
    table.write.mode("overwrite").partitionBy("story_date").parquet(path)


def _validation_summary(meta: list[dict]) -> list[dict]:
    """Each suite's GX outcome over every task: success when every task's validation succeeded."""
    suites: dict[str, dict] = {}
    for task in meta:
        for item in task["validation"]:
            entry = suites.setdefault(item["suite"], {"suite": item["suite"], "file": item["file"], "result": {"success": True, "tasks": 0}})
            entry["result"]["success"] = entry["result"]["success"] and bool(item["success"])
            entry["result"]["tasks"] += 1
    return list(suites.values())


def _findings_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(FINDING_COLUMNS))
    frame["claim_ids"] = frame["claim_ids"].map(lambda ids: list(ids) if ids is not None else [])
    return frame.sort_values("finding_id", kind="stable").reset_index(drop=True)


def _copy_to(spark, local: Path, target: str) -> None:
    """The report files from the driver's disk into ``target`` (any Hadoop file system)."""
    jvm = spark.sparkContext._jvm
    dest = jvm.org.apache.hadoop.fs.Path(target)
    fs = dest.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.copyFromLocalFile(False, True, jvm.org.apache.hadoop.fs.Path(path.as_uri()), jvm.org.apache.hadoop.fs.Path(f"{target.rstrip('/')}/{path.relative_to(local).as_posix()}"))


# --- small helpers ------------------------------------------------------------------------------


def driver_frame(spark, rows: list[tuple], columns: list[str]):
    """A few rows of text from the driver as a DataFrame Spark holds itself (a local table
    from Arrow): one from a list of tuples is a Python RDD, whose every use ran Python tasks
    on worker processes of their own, each importing pandas and pyarrow anew."""
    if not rows:
        return empty_frame(spark, ", ".join(f"`{c}` string" for c in columns))
    return spark.createDataFrame(pd.DataFrame(rows, columns=columns, dtype=object), ", ".join(f"`{c}` string" for c in columns))


def empty_frame(spark, schema: str):
    """An empty DataFrame of ``schema`` ("name type, ...") built in the JVM, without Python tasks."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    fields = StructType.fromDDL(schema).fields
    return spark.range(0).select(*[F.lit(None).cast(f.dataType).alias(f.name) for f in fields])


def _schema(columns, types: dict | None = None) -> str:
    types = {"ordinal": "long", **(types or {})}
    return ", ".join(f"`{c}` {types.get(c, 'string')}" for c in columns)


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file:")


def _default_state(out_dir: str) -> str:
    root = out_dir.rstrip("/")
    parent = root.rsplit("/", 1)[0] if "/" in root else "."
    return f"{parent}/.auditor/spark-state"
