"""The audit on Apache Spark, for archives that outgrow one machine (``pip install 'auditor[spark]'``).

    from auditor import spark as auditor_spark
    result = auditor_spark.run(spark_session, ["s3a://news/2026/"], "s3a://audit/nightly")

Every stage runs on Spark DataFrames through the stages' own entry points: files are read by
Spark and parsed by the ingest stage per file; claims are extracted per partition
(``mapInPandas`` over ``extract_document``); stories are the given ones, or found by the story
stage inside blocks of documents; each story is aligned and checked inside a task
(``applyInPandas`` over ``align_claims`` and ``check_claims``, with the rules/ suites); claims
and findings are written as Parquet partitioned by story date, and the HTML report is built
from the findings and the claims they cite. See docs/spark.md.

pyspark is imported only when these functions are called: the base install never needs it.
"""

from __future__ import annotations


def run(spark, inputs, out_dir, rules_dir=None, reference=None, **options):
    """Audit ``inputs`` on the SparkSession ``spark``; see :func:`auditor.spark.engine.run`."""
    from .engine import run as run_engine

    return run_engine(spark, list(inputs), out_dir, rules_dir, reference, **options)


def session(master: str | None = None, app_name: str = "auditor"):
    """A SparkSession for the CLI: ``master`` (e.g. ``local[2]``, ``spark://host:7077``, ``yarn``),
    or the one spark-submit set, or every local core. Local Python workers run this
    interpreter unless PYSPARK_PYTHON says otherwise."""
    import os
    import sys

    from ..errors import AuditorError

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise AuditorError("the spark engine needs pyspark: pip install 'auditor[spark]'") from None
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit, which sets the master itself
    local = not submitted and (master or "local").startswith("local")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # local workers: this interpreter
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not submitted:
        builder = builder.master("local[*]")
    for key, value in {**SESSION_SETTINGS, **(LOCAL_SETTINGS if local else {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# settings the engine relies on: Arrow for the pandas functions, dynamic partition overwrite
SESSION_SETTINGS = {
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.ui.showConsoleProgress": "false",
}

# local mode only (the driver JVM is the executor, and lives for one run): the JVM's
# optimising JIT compiler (C2) spent some 20 s of CPU per run compiling Spark's code, as much
# CPU as the Python tasks of 1,200 documents, on the cores the tasks need; the quick compiler
# alone (C1) halves the JVM's CPU and runs the JVM side of the tasks no slower. Long-lived
# executors on a cluster keep the JVM's defaults.
LOCAL_SETTINGS = {
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
}
