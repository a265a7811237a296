"""Store: the SQLite state that makes nightly runs incremental and keeps their history.

One file (default ``.auditor/state.db`` beside the output folder) holds documents by
content hash with their claims, one row per run with its summary, and each run's
findings, and the last few check results keyed by what they came from, as JSON, a row per column,
with the files of the report written from each (reused while their inputs are unchanged). A document's row and its claims change in one transaction, so a run
killed at any moment leaves every document either fully extracted or not at all;
the next run picks up what is missing. An exclusive lock file beside the database
refuses a second concurrent run. The schema is versioned (``PRAGMA user_version``)
and upgraded by the ordered MIGRATIONS below.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..columns import DOCUMENT_COLUMNS
from ..errors import AuditorError

STATE_DIRNAME = ".auditor"
STATE_FILENAME = "state.db"

# Each entry upgrades the schema by one version; never edit one that has shipped, append.
MIGRATIONS = (
    """
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,     -- sha256 of every document field: metadata lands in claims too
        extractor TEXT NOT NULL,        -- extractor version that produced the claims
        source TEXT, url TEXT, title TEXT, published_at TEXT, story TEXT,
        text TEXT NOT NULL,
        extracted_run INTEGER NOT NULL,
        last_seen_run INTEGER NOT NULL
    );
    CREATE INDEX documents_seen ON documents(last_seen_run);
    CREATE TABLE claims (
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        claim_id TEXT NOT NULL,
        record TEXT NOT NULL,           -- the claim row as JSON, columns as extract made them
        PRIMARY KEY (doc_id, ordinal)
    );
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,           -- running | ok | interrupted
        out_dir TEXT,
        rules_hash TEXT,
        summary TEXT
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        finding_id TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (run_id, finding_id)
    );
    """,
    """
    -- the last check result per output folder, reused while nothing it depends on changed
    CREATE TABLE results (
        out_dir TEXT PRIMARY KEY,
        scope TEXT NOT NULL,            -- fingerprint of the documents, rules and code it came from
        run_id INTEGER NOT NULL,
        result BLOB NOT NULL            -- pickled check result
    );
    """,
    """
    -- the check result as JSON (auditor.state.cache), not a pickle: loading a pickle runs code, so the
    -- state file had to be trusted like code. The pickled rows are dropped: only a cache, the
    -- next run recomputes them.
    DROP TABLE results;
    CREATE TABLE results (
        out_dir TEXT PRIMARY KEY,
        scope TEXT NOT NULL,            -- fingerprint of the documents, rules and code it came from
        run_id INTEGER NOT NULL,
        result TEXT NOT NULL            -- the check result as JSON (see auditor/cache.py)
    );
    """,
    """
    -- the check result as one JSON text per part (a head, then one per column; auditor/cache.py):
    -- one text of the whole result was copied about twice by SQLite on insert (~31 MB for 59,000
    -- claims), the largest memory peak of a run. The cached results are dropped: only a cache.
    DROP TABLE results;
    CREATE TABLE results (
        out_dir TEXT PRIMARY KEY,
        scope TEXT NOT NULL,            -- fingerprint of the documents, rules and code it came from
        run_id INTEGER NOT NULL
    );
    CREATE TABLE result_parts (
        out_dir TEXT NOT NULL,
        part INTEGER NOT NULL,          -- 0 the head, then the columns in order
        body TEXT NOT NULL,             -- JSON
        PRIMARY KEY (out_dir, part)
    );
    """,
    """
    -- the check result keyed by what it was computed from (documents, rules, code), not by the output
    -- folder: a rerun into a new folder reuses it. The few most recent are kept (RESULTS_KEPT).
    DROP TABLE result_parts;
    DROP TABLE results;
    CREATE TABLE results (
        scope TEXT PRIMARY KEY,         -- fingerprint of the documents, rules and code it came from
        run_id INTEGER NOT NULL
    );
    CREATE TABLE result_parts (
        scope TEXT NOT NULL REFERENCES results(scope) ON DELETE CASCADE,
        part INTEGER NOT NULL,          -- 0 the head, then the columns in order
        body TEXT NOT NULL,             -- JSON
        PRIMARY KEY (scope, part)
    );
    """,
    """
    -- the files of the report written from a cached check result (auditor/report/reuse.py), so that a
    -- rerun into another folder restores them rather than rendering them again; they go with the result
    CREATE TABLE report_parts (
        scope TEXT NOT NULL REFERENCES results(scope) ON DELETE CASCADE,
        content TEXT NOT NULL,          -- fingerprint of the report options on top of the scope (e.g. --parquet)
        name TEXT NOT NULL,             -- a file's path in the report folder; '' the head (overview data)
        body BLOB NOT NULL,             -- zlib-compressed
        PRIMARY KEY (scope, content, name)
    );
    """,
)
RESULTS_KEPT = 3  # cached check results: a few scopes (today's, a --since slice, another rules set) at most
SCHEMA_VERSION = len(MIGRATIONS)



class StateLocked(AuditorError):
    """Another run holds the state lock; schedulers can tell this apart from a failure."""

    exit_code = 3


def default_state_path(out_dir: str | Path) -> Path:
    """``.auditor/state.db`` in the folder that holds the output folder (not inside it: it gets published)."""
    return Path(out_dir).resolve().parent / STATE_DIRNAME / STATE_FILENAME


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The state database of one archive; open with :meth:`open`, use as a context manager."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None)  # autocommit; transactions are explicit
            conn.execute("PRAGMA journal_mode=WAL")  # readers never block; a killed writer rolls back
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            store = cls(path, conn)
            store.migrate()
        except sqlite3.DatabaseError as exc:
            raise AuditorError(f"state file {path} is not a usable auditor database ({exc})") from None
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema -------------------------------------------------------------------------------

    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise AuditorError(
                f"state file {self.path} has schema version {current}, newer than this auditor "
                f"understands ({SCHEMA_VERSION}); upgrade auditor"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            # executescript commits first; BEGIN..COMMIT makes each step all-or-nothing
            self.conn.executescript(f"BEGIN; {MIGRATIONS[version - 1]}; PRAGMA user_version = {version}; COMMIT;")

    # --- locking ------------------------------------------------------------------------------

    @contextmanager
    def lock(self):
        """Hold the archive's exclusive lock; the kernel releases it if the process dies."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown process"
                raise StateLocked(
                    f"another auditor run is in progress ({holder}) and holds the lock on {self.path}; "
                    "this run did not start. Try again when it has finished."
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, started {now()}".encode(), 0)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    @contextmanager
    def transaction(self):
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- runs ---------------------------------------------------------------------------------

    def start_run(self, out_dir: str | Path, rules_hash: str) -> int:
        """Open a run row; rows left 'running' by a killed run (we hold the lock) become 'interrupted'."""
        with self.transaction():
            self.conn.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
            cursor = self.conn.execute(
                "INSERT INTO runs (started_at, status, out_dir, rules_hash) VALUES (?, 'running', ?, ?)",
                (now(), str(Path(out_dir).resolve()), rules_hash),
            )
        return cursor.lastrowid

    def finish_run(
        self, run_id: int, summary: dict, findings: Iterable[dict], result: tuple[str, object] | None = None, published: bool = True
    ) -> None:
        """Mark the run done with its summary and findings; ``result`` is (scope, check result) to reuse.

        Statuses: running, then ok (report published) or unchanged (nothing changed, the
        previous report kept: the next run's changes are still told against the report the
        reader last saw); a run found still 'running' by the next one becomes interrupted.
        """
        with self.transaction():
            if result is not None:
                self._save_result(run_id, *result)
            self.conn.executemany(
                "INSERT OR REPLACE INTO findings (run_id, finding_id, record) VALUES (?, ?, ?)",
                ((run_id, f["finding_id"], _dumps(f)) for f in findings),
            )
            self.conn.execute(
                "UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE run_id = ?",
                ("ok" if published else "unchanged", summary.get("finished_at") or now(), _dumps(summary), run_id),
            )

    def _save_result(self, run_id: int, scope: str, checked) -> None:
        """Cache the check result under its scope, a part per row (inside a transaction); keep the
        RESULTS_KEPT most recent. ``checked`` None: the cached result was reused, only mark it recent.

        The parts are encoded and inserted one at a time, so only one column's text is alive.
        A result the format cannot hold is not cached (the next run checks again).
        """
        from .cache import UnsupportedValue, dump_parts

        if checked is None:  # reused as cached: only mark it recent
            self.conn.execute("UPDATE results SET run_id = ? WHERE scope = ?", (run_id, scope))
            return
        self.conn.execute("SAVEPOINT result")
        try:
            self.conn.execute("DELETE FROM result_parts WHERE scope = ?", (scope,))
            self.conn.execute("INSERT OR REPLACE INTO results (scope, run_id) VALUES (?, ?)", (scope, run_id))
            self.conn.executemany(
                "INSERT INTO result_parts (scope, part, body) VALUES (?, ?, ?)",
                ((scope, number, body) for number, body in enumerate(dump_parts(checked))),
            )
        except UnsupportedValue:
            self.conn.execute("ROLLBACK TO result")  # the cached results stay as they were
        self.conn.execute("RELEASE result")
        stale = [row[0] for row in self.conn.execute("SELECT scope FROM results ORDER BY run_id DESC LIMIT -1 OFFSET ?", (RESULTS_KEPT,))]
        for old in stale:
            self.conn.execute("DELETE FROM report_parts WHERE scope = ?", (old,))
            self.conn.execute("DELETE FROM result_parts WHERE scope = ?", (old,))
            self.conn.execute("DELETE FROM results WHERE scope = ?", (old,))

    def rules_checked(self, rules_hash: str) -> bool:
        """A run finished with these rules (into any output folder): they loaded without error."""
        return self.conn.execute(
            "SELECT 1 FROM runs WHERE rules_hash = ? AND status IN ('ok', 'unchanged') LIMIT 1", (rules_hash,)
        ).fetchone() is not None

    def previous_run(self, out_dir: str | Path) -> dict | None:
        """The last run that published a report into the same output folder, or None.

        ``{"id", "finished_at", "rules_hash", "report_key"}``; report_key is what that report was made from.
        """
        row = self.conn.execute(
            "SELECT run_id, finished_at, rules_hash, summary FROM runs WHERE status = 'ok' AND out_dir = ? "
            "ORDER BY run_id DESC LIMIT 1",
            (str(Path(out_dir).resolve()),),
        ).fetchone()
        if row is None:
            return None
        summary = json.loads(row[3] or "{}")
        return {"id": row[0], "finished_at": row[1], "rules_hash": row[2], "report_key": summary.get("report_key")}

    def scope(self, run_id: int, salt: str) -> str:
        """Fingerprint of the documents a run covers (ids, content, extractor) and ``salt`` (rules, versions)."""
        digest = hashlib.sha256(salt.encode())
        rows = self.conn.execute(
            "SELECT doc_id, content_hash, extractor FROM documents WHERE last_seen_run = ? ORDER BY doc_id", (run_id,)
        )
        for row in rows:
            digest.update("\x1f".join(row).encode() + b"\x1e")
        return digest.hexdigest()

    def cached_result(self, scope: str):
        """The check result cached for this scope, or None (also when it no longer loads).

        Keyed by content, not by output folder: a rerun into a new folder reuses it."""
        if self.conn.execute("SELECT 1 FROM results WHERE scope = ?", (scope,)).fetchone() is None:
            return None
        from .cache import load_parts

        parts = self.conn.execute("SELECT body FROM result_parts WHERE scope = ? ORDER BY part", (scope,))
        try:
            return load_parts(body for (body,) in parts)
        except Exception:  # another format, or damaged: only a cache, recompute
            return None
        finally:
            parts.close()

    def report_parts(self, scope: str, content: str) -> Iterator[tuple[str, bytes]]:
        """The report files saved by :meth:`save_report_parts` for this scope and content, as
        (name, compressed body) in the order saved: a generator, one file at a time; none when none were saved."""
        rows = self.conn.execute(
            "SELECT name, body FROM report_parts WHERE scope = ? AND content = ? ORDER BY rowid", (scope, content)
        )
        try:
            yield from rows
        finally:
            rows.close()

    def save_report_parts(self, scope: str, content: str, parts: Iterable[tuple[str, bytes]]) -> bool:
        """Keep a report's files (name, compressed body) with the cached check result of ``scope``,
        replacing those saved before for it; only the latest ``content`` of a scope is kept. Nothing
        is saved when that result is not cached (it could not be held): False."""
        with self.transaction():
            if self.conn.execute("SELECT 1 FROM results WHERE scope = ?", (scope,)).fetchone() is None:
                return False
            self.conn.execute("DELETE FROM report_parts WHERE scope = ?", (scope,))
            self.conn.executemany(
                "INSERT INTO report_parts (scope, content, name, body) VALUES (?, ?, ?, ?)",
                ((scope, content, name, body) for name, body in parts),
            )
        return True

    def run_findings(self, run_id: int) -> list[dict]:
        rows = self.conn.execute("SELECT record FROM findings WHERE run_id = ? ORDER BY finding_id", (run_id,))
        return [json.loads(record) for (record,) in rows]

    def runs(self) -> list[dict]:
        """Every run, oldest first, with its summary (None for runs that did not finish)."""
        rows = self.conn.execute("SELECT run_id, started_at, finished_at, status, out_dir, summary FROM runs ORDER BY run_id")
        keys = ("id", "started_at", "finished_at", "status", "out_dir")
        return [{**dict(zip(keys, row)), "summary": json.loads(row[5]) if row[5] else None} for row in rows]

    # --- documents and claims -----------------------------------------------------------------

    def known(self, doc_id: str) -> tuple[str, str] | None:
        """(content_hash, extractor) of the stored document, or None when it is new."""
        return self.conn.execute("SELECT content_hash, extractor FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()

    def save_document(self, doc: dict, content_hash: str, extractor: str, claims: list[dict], run_id: int) -> None:
        """Replace a document and all its claims (call inside :meth:`transaction`)."""
        self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc["doc_id"],))  # cascades to claims
        self.conn.execute(
            f"INSERT INTO documents ({', '.join(DOCUMENT_COLUMNS)}, content_hash, extractor, extracted_run, last_seen_run) "
            f"VALUES ({', '.join('?' * (len(DOCUMENT_COLUMNS) + 4))})",
            (*(doc.get(f) for f in DOCUMENT_COLUMNS), content_hash, extractor, run_id, run_id),
        )
        self.conn.executemany(
            "INSERT INTO claims (doc_id, ordinal, claim_id, record) VALUES (?, ?, ?, ?)",
            ((doc["doc_id"], i, c["claim_id"], _dumps(c)) for i, c in enumerate(claims)),
        )

    def mark_seen(self, doc_ids: Iterable[str], run_id: int) -> None:
        """Record that unchanged documents are part of this run (call inside :meth:`transaction`)."""
        self.conn.executemany("UPDATE documents SET last_seen_run = ? WHERE doc_id = ?", ((run_id, d) for d in doc_ids))

    def documents(self, run_id: int, text: bool = True) -> list[dict]:
        """The documents seen in a run, in doc_id order; without their ``text`` when not ``text``
        (fetch it with :meth:`texts` where needed: the whole archive's text is the largest thing a run would hold)."""
        fields = DOCUMENT_COLUMNS if text else tuple(f for f in DOCUMENT_COLUMNS if f != "text")
        cursor = self.conn.execute(f"SELECT {', '.join(fields)} FROM documents WHERE last_seen_run = ? ORDER BY doc_id", (run_id,))
        return [dict(zip(fields, row)) for row in cursor]

    def texts(self, doc_ids: Iterable[str], chunk: int = 500) -> Iterator[str | None]:
        """The text of each document, in the order of ``doc_ids`` (None for one not stored),
        fetched ``chunk`` documents at a time: a generator, only one chunk's texts are held."""
        doc_ids = iter(doc_ids)
        while batch := list(itertools.islice(doc_ids, chunk)):
            unique = list(dict.fromkeys(batch))
            rows = self.conn.execute(f"SELECT doc_id, text FROM documents WHERE doc_id IN ({', '.join('?' * len(unique))})", unique)
            found = dict(rows.fetchall())
            yield from (found.get(doc_id) for doc_id in batch)

    def claims_not_in_run(self, run_id: int, claim_ids: Iterable[str], chunk: int = 500) -> set[str]:
        """Those of ``claim_ids`` held by stored documents that the run did not see."""
        ids, found = list(dict.fromkeys(claim_ids)), set()
        for i in range(0, len(ids), chunk):
            part = ids[i:i + chunk]
            rows = self.conn.execute(
                f"SELECT c.claim_id FROM claims c JOIN documents d USING (doc_id) "
                f"WHERE d.last_seen_run != ? AND c.claim_id IN ({', '.join('?' * len(part))})", (run_id, *part),
            )
            found.update(claim_id for (claim_id,) in rows)
        return found

    def claims(self, run_id: int) -> list[dict]:
        """The claims of the documents seen in a run, in document order."""
        cursor = self.conn.execute(
            "SELECT c.record FROM claims c JOIN documents d USING (doc_id) WHERE d.last_seen_run = ? "
            "ORDER BY c.doc_id, c.ordinal",
            (run_id,),
        )
        return [json.loads(record) for (record,) in cursor]

    def claims_table(self, run_id: int, chunk: int = 5000):
        """The claims of :meth:`claims` as a DataFrame, built column by column.

        No list of per-claim dicts is ever held: each JSON record is decoded and spread into
        column lists at once, and equal strings (sources, units, metrics, qualifiers, stories,
        the sentence shared by several figures) are stored once. Column order and dtypes are
        those of ``pd.DataFrame(store.claims(run_id))``: columns in order of first appearance,
        a key missing from a record is NaN, the dtype of each column inferred the same way.
        """
        import numpy as np
        import pandas as pd

        from ..columns import CLAIM_COLUMNS

        cursor = self.conn.execute(
            "SELECT c.record FROM claims c JOIN documents d USING (doc_id) WHERE d.last_seen_run = ? "
            "ORDER BY c.doc_id, c.ordinal",
            (run_id,),
        )
        columns: dict[str, list] = {}
        strings: dict[str, str] = {}
        rows = 0
        decode = json.loads
        while batch := cursor.fetchmany(chunk):
            for (record,) in batch:
                for key, value in decode(record).items():
                    column = columns.get(key)
                    if column is None:
                        column = columns[key] = [np.nan] * rows  # absent from earlier records
                    if type(value) is str:
                        value = strings.setdefault(value, value)
                    column.append(value)
                rows += 1
                for column in columns.values():
                    if len(column) < rows:
                        column.append(np.nan)  # absent from this record
        if not rows:
            return pd.DataFrame(columns=list(CLAIM_COLUMNS))
        return pd.DataFrame({key: _column(values) for key, values in columns.items()})

    def counts(self) -> dict:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"documents": one("SELECT count(*) FROM documents"), "claims": one("SELECT count(*) FROM claims")}


def _column(values: list):
    """One column as pandas would infer it from a list of records (numbers, strings, or objects)."""
    import pandas as pd

    series = pd.Series(values)
    values.clear()
    return series


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=_plain)


def _plain(value):
    """numpy scalars and NaN from pandas rows become JSON values."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)
