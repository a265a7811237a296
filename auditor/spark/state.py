"""Incremental state at scale: extracted claims in versioned Parquet tables, keyed by document
and content hash.

``STATE/v000042/`` holds one row per extracted claim (doc_id, content_hash, extractor, ordinal,
claim_id, record) plus a marker row per extracted document (claim_id null) and a ``failed`` row
per document whose extraction raised. A run reads the newest complete version (one whose
``_SUCCESS`` marker Spark wrote when the job committed), extracts only the documents whose
(doc_id, content_hash, extractor) it lacks, and writes the next version: the rows it kept, the
new ones, and the archive's documents this run did not see. A run killed before the commit
leaves no ``_SUCCESS``, so the next run ignores that version and starts from the one before.
"""

from __future__ import annotations

import re

from . import tasks

_VERSION = re.compile(r"v(\d{6})$")
KEEP_VERSIONS = 2


class StateTables:
    def __init__(self, spark, path: str):
        self.spark, self.path = spark, path.rstrip("/")
        jvm = spark.sparkContext._jvm
        self._Path = jvm.org.apache.hadoop.fs.Path
        self.fs = self._Path(self.path).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())

    def versions(self) -> list[int]:
        """Complete versions, oldest first."""
        root = self._Path(self.path)
        if not self.fs.exists(root):
            return []
        found = []
        for status in self.fs.listStatus(root):
            match = _VERSION.match(status.getPath().getName())
            if match and self.fs.exists(self._Path(status.getPath(), "_SUCCESS")):
                found.append(int(match.group(1)))
        return sorted(found)

    def refresh(self, documents, extractor: str):
        """Extract what the state lacks, write the next version; (counts, this run's claims).

        The claims returned are the claim rows (claim_id not null) of this run's documents,
        read back from the version just written: extraction runs once, inside that write."""
        from pyspark.sql import functions as F

        from .engine import empty_frame

        schema = ", ".join(f"`{c}` {'long' if c == 'ordinal' else 'string'}" for c in tasks.STATE_ROW)
        versions = self.versions()
        previous = (self.spark.read.schema(schema).parquet(self._version_path(versions[-1])) if versions
                    else empty_frame(self.spark, schema))
        current = documents.select("doc_id", "content_hash")
        done = previous.filter(F.col("failed").isNull() & (F.col("extractor") == extractor)).select("doc_id", "content_hash").distinct()
        todo = documents.join(done, ["doc_id", "content_hash"], "left_anti")
        # round-robin over several tasks per core: extraction costs per document, not per byte
        tasks_per_run = 4 * self.spark.sparkContext.defaultParallelism
        extracted = todo.select(*documents.columns).repartition(tasks_per_run).mapInPandas(lambda batches: tasks.extract_batches(batches, extractor), schema)
        kept = previous.join(done.join(current, ["doc_id", "content_hash"], "left_semi"), ["doc_id", "content_hash"], "left_semi")
        kept = kept.filter(F.col("failed").isNull() & (F.col("extractor") == extractor))
        unseen = previous.join(current.select("doc_id"), "doc_id", "left_anti")
        number = (versions[-1] + 1) if versions else 1
        target = self._version_path(number)
        kept.unionByName(extracted).unionByName(unseen).write.mode("overwrite").parquet(target)
        written = self.spark.read.schema(schema).parquet(target)
        mine = written.join(current, ["doc_id", "content_hash"], "left_semi")
        counts = self._counts(previous, done, written, documents)
        return counts, mine.filter(F.col("claim_id").isNotNull()).select("doc_id", "ordinal", "claim_id", "record")

    def _counts(self, previous, done, written, documents) -> dict:
        """Outcome of each of this run's documents, in one aggregation: unchanged (already
        extracted), new (doc_id never seen), changed, failed (extraction raised)."""
        from pyspark.sql import functions as F

        flags = (documents.select("doc_id", "content_hash")
                 .join(done.withColumn("was_done", F.lit(1)), ["doc_id", "content_hash"], "left")
                 .join(previous.select("doc_id").distinct().withColumn("was_known", F.lit(1)), "doc_id", "left")
                 .join(written.filter(F.col("failed").isNotNull()).select("doc_id", "content_hash").distinct().withColumn("has_failed", F.lit(1)),
                       ["doc_id", "content_hash"], "left"))
        row = flags.agg(
            F.count("*").alias("documents"),
            F.count("was_done").alias("unchanged"),
            F.count("has_failed").alias("failed"),
            F.count(F.when(F.col("was_done").isNull() & F.col("was_known").isNull() & F.col("has_failed").isNull(), 1)).alias("new"),
            F.count(F.when(F.col("was_done").isNull() & F.col("was_known").isNotNull() & F.col("has_failed").isNull(), 1)).alias("changed"),
        ).first()
        return {k: int(row[k]) for k in ("new", "changed", "unchanged", "failed", "documents")}

    def prune(self) -> None:
        """Drop all but the newest KEEP_VERSIONS complete versions (and unfinished older ones)."""
        versions = self.versions()
        if not versions:
            return
        keep_from = versions[-KEEP_VERSIONS:][0]
        for status in self.fs.listStatus(self._Path(self.path)):
            match = _VERSION.match(status.getPath().getName())
            if match and int(match.group(1)) < keep_from:
                self.fs.delete(status.getPath(), True)

    def _version_path(self, number: int) -> str:
        return f"{self.path}/v{number:06d}"
