"""What runs inside the Spark tasks: plain pandas functions over batches, no pyspark import.

Each function wraps a stage's public entry point (ingest, extract_document, assign_stories,
align_claims, check_claims), so the Spark engine gives the pandas engine's results and follows
its changes. Records cross task boundaries as JSON text: the claim record can gain fields
without a schema to keep in step here, and ``json`` writes floats exactly (repr round-trips).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..columns import DOCUMENT_COLUMNS

# task outputs (the schemas in auditor.spark.engine name the same columns)
FILE_ROW = ("input_index", "order", "kind", "error_input", "error_reason", "content_hash", *DOCUMENT_COLUMNS)
STATE_ROW = ("doc_id", "content_hash", "extractor", "ordinal", "claim_id", "record", "failed")
RESULT_ROW = ("kind", "story_date", "story_id", "claim_id", "record")
UNDATED = "undated"  # the story_date partition of stories without any publication date
FAIL_ONCE_ENV = "AUDITOR_SPARK_FAIL_ONCE"  # tests: a flag file whose first sighting fails the task


# --- ingest -------------------------------------------------------------------------------------


def read_files(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Files (path, content, input_index, root, shown) -> documents and unreadable inputs.

    Each file is laid in a private folder under its path relative to its input and read by
    the ingest stage itself, so ids, fields, front matter and errors are the pandas engine's.
    ``order`` sorts documents as the pandas engine meets them (input, then path parts, then
    position in the file): the first of two documents with one id wins, as there."""
    from ..incremental import content_hash
    from ..ingest import iter_documents

    for batch in batches:
        rows = []
        for path, content, input_index, root, shown in zip(batch["path"], batch["content"], batch["input_index"], batch["root"], batch["shown"]):
            rel = relative_path(path, root)
            with tempfile.TemporaryDirectory(prefix="auditor-ingest-") as tmp:
                local = Path(tmp, *PurePosixPath(rel).parts)
                local.parent.mkdir(parents=True, exist_ok=True)
                local.write_bytes(bytes(content))
                errors: list[dict] = []
                for number, doc in enumerate(iter_documents([tmp], errors)):
                    rows.append({**doc, "input_index": int(input_index), "order": order_key(rel, number),
                                 "kind": "document", "content_hash": content_hash(doc)})
                for error in errors:
                    where = str(error["input"]).replace(tmp, shown.rstrip("/"), 1)
                    rows.append({"input_index": int(input_index), "order": order_key(rel, 0), "kind": "error",
                                 "error_input": where, "error_reason": error["reason"]})
        yield arrow_ready(pd.DataFrame(rows, columns=list(FILE_ROW)))


def relative_path(path: str, root: str) -> str:
    """A file's path under its input (a folder: relative to it; a file: its name)."""
    path, root = path.rstrip("/"), root.rstrip("/")
    if path == root or not path.startswith(root + "/"):
        return PurePosixPath(path).name
    return path[len(root) + 1:]


def order_key(rel: str, number: int) -> str:
    """Sorts as the pandas engine walks a folder (sorted Paths compare part by part), then by
    position in the file: parts joined by \\x00, which sorts before any character of a name."""
    return "\x00".join(PurePosixPath(rel).parts) + f"\x01{number:012d}"


# --- extract ------------------------------------------------------------------------------------


def extract_batches(batches: Iterator[pd.DataFrame], extractor: str) -> Iterator[pd.DataFrame]:
    """Documents -> their claims as state rows: one row per claim (record as JSON), plus a
    marker row per document (claim_id null) so a document without claims is known too. A
    document whose extraction raises gets a ``failed`` row instead: recorded, retried next run."""
    from ..extract import extract_document

    _fail_once_for_tests()
    for batch in batches:
        rows = []
        for doc in batch.to_dict("records"):
            digest = doc.pop("content_hash")
            document = {column: _none(doc.get(column)) for column in DOCUMENT_COLUMNS}
            key = {"doc_id": document["doc_id"], "content_hash": digest, "extractor": extractor}
            try:
                claims = extract_document(document)
            except Exception as exc:  # one bad document never stops the batch
                rows.append({**key, "ordinal": -1, "failed": f"extraction failed ({type(exc).__name__}: {exc})"})
                continue
            rows.append({**key, "ordinal": -1})
            rows += [{**key, "ordinal": n, "claim_id": c["claim_id"], "record": to_json(c)} for n, c in enumerate(claims)]
        yield arrow_ready(pd.DataFrame(rows, columns=list(STATE_ROW)).astype({"ordinal": "int64"}))


def _fail_once_for_tests() -> None:
    """Fail this task when the flag file named by AUDITOR_SPARK_FAIL_ONCE exists, removing it
    first: the retry then succeeds. The test of task retries uses it to kill a task mid-run."""
    flag = os.environ.get(FAIL_ONCE_ENV)
    if flag and os.path.exists(flag):
        try:
            os.remove(flag)
        except FileNotFoundError:  # another task got there first
            return
        raise RuntimeError(f"task failed on purpose ({FAIL_ONCE_ENV})")


# --- stories ------------------------------------------------------------------------------------


def block_keys(batches: Iterator[pd.DataFrame], block_days: float, keywords: int) -> Iterator[pd.DataFrame]:
    """Documents without a story -> (doc_id, day_block, keyword_key): the blocks the story
    clustering runs in. day_block: publication day // block_days (-1 when undated); keyword_key:
    a min-hash of the document's most frequent title and text words, which splits a crowded
    day block into blocks that documents about one event tend to share."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    for batch in batches:
        days = _days(batch["published_at"])
        block = [(-1 if math.isnan(d) else int(d // block_days)) for d in days]
        keys = [_keyword_key(f"{title or ''} {text or ''}", keywords, ENGLISH_STOP_WORDS) for title, text in zip(batch["title"], batch["text"])]
        yield arrow_ready(pd.DataFrame({"doc_id": batch["doc_id"], "day_block": block, "keyword_key": keys}))


def _keyword_key(text: str, keywords: int, stop_words) -> int:
    import re
    from collections import Counter

    words = Counter(w for w in re.findall(r"[a-z][a-z]{2,}", text.lower()) if w not in stop_words)
    top = [w for w, _ in sorted(words.items(), key=lambda item: (-item[1], item[0]))[:keywords]]
    return min((int(hashlib.sha1(w.encode()).hexdigest()[:8], 16) for w in top), default=0)


def _days(published_at: pd.Series) -> list[float]:
    from ..align.stories import publication_days

    return list(publication_days(published_at))


def cluster_block(block: pd.DataFrame, rules_files: dict) -> pd.DataFrame:
    """One block of documents without a story -> (doc_id, story_id) by the story clustering."""
    from ..align.stories import assign_stories

    docs = block.sort_values("doc_id", kind="stable").reset_index(drop=True)
    stories = assign_stories(docs[["doc_id", "source", "url", "title", "published_at", "story", "text"]], rules_on_worker(rules_files))
    return arrow_ready(pd.DataFrame({"doc_id": docs["doc_id"], "story_id": [stories[str(d)] for d in docs["doc_id"]]}))


# --- align and check ----------------------------------------------------------------------------


def context_terms(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Claims of whole documents (doc_id, ordinal, record) -> (term, df): each hashed term of
    the claims' sentence contexts with the number of claims whose context holds it, and the
    number of claims as term -1. Summed over the run, these give the inverse document
    frequencies the pandas engine computes over a run's claims (auditor.align.blocks)."""
    from ..align.groups import claim_contexts, context_idf

    frames = [batch for batch in batches if len(batch)]
    if not frames:
        return
    rows = pd.concat(frames, ignore_index=True).sort_values(["doc_id", "ordinal"], kind="stable")
    contexts = claim_contexts(pd.DataFrame([json.loads(r) for r in rows["record"]]))
    terms, idf = context_idf(contexts)
    # align's smooth idf, log((1 + claims) / (1 + df)) + 1, solved for df: exact once rounded
    df = np.rint((1.0 + len(contexts)) * np.exp(1.0 - idf) - 1.0)
    yield pd.DataFrame({"term": np.r_[-1, terms].astype("int64"), "df": np.r_[len(contexts), df].astype("int64")})


def run_idf(term_counts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(terms, inverse document frequencies) of the run from the summed rows of context_terms,
    by align's smooth idf (tests check it against auditor.align.groups.context_idf)."""
    from ..align.groups import smooth_idf

    claims = int(term_counts.loc[term_counts["term"] == -1, "df"].sum())
    terms = term_counts[term_counts["term"] >= 0].sort_values("term")
    df = terms["df"].to_numpy(dtype=np.int64)
    return terms["term"].to_numpy(dtype=np.int64), smooth_idf(df, claims)


def align_and_check_partition(batches: Iterator[pd.DataFrame], rules_files: dict, reference, idf) -> Iterator[pd.DataFrame]:
    """Every batch of a partition (whole stories: the partitions are hashed by story) ->
    its result rows, from one call of align_and_check; an empty partition yields nothing.
    ``idf``: a broadcast of the run's (terms, inverse document frequencies)."""
    frames = [batch for batch in batches if len(batch)]
    if frames:
        yield align_and_check(pd.concat(frames, ignore_index=True), rules_files, reference, idf.value)


def align_and_check(group: pd.DataFrame, rules_files: dict, reference, idf=None) -> pd.DataFrame:
    """The claims of a few stories (rows story_id, story_date, doc_id, ordinal, record) -> result
    rows: each claim aligned and checked, each finding, and each suite's validation summary.

    The stories are aligned in one call with the run's context idf: align looks inside one
    story but for that idf, so each story gets the pandas engine's groups whichever stories
    share its task (one call per story cost four times the CPU: align's fixed cost per call).
    check then runs once over the task's stories: its pairs and findings never cross a story."""
    from ..align import align_claims
    from ..check import check_claims

    rules = rules_on_worker(rules_files)
    group = group.sort_values(["doc_id", "ordinal"], kind="stable")  # the state store's order
    story_date = dict(zip(group["story_id"], group["story_date"]))
    claims = pd.DataFrame([json.loads(r) for r in group["record"]])
    given = claims["story"].copy()
    claims["story"] = group["story_id"].to_numpy()  # the story found for these documents; align keeps a given story
    merged = align_claims(claims, rules, idf=idf)
    merged["story"] = given.to_numpy()  # align keeps the claims' order
    merged = merged.set_index(merged["claim_id"]).loc[group.drop_duplicates("claim_id")["claim_id"]].reset_index(drop=True)
    checked = check_claims(merged, rules, reference)
    rows = []
    for claim in checked.claims.to_dict("records"):
        date = story_date[claim["story_id"]]
        rows.append(("claim", date, claim["story_id"], claim["claim_id"], to_json({**claim, "story_date": date})))
    for finding in checked.findings.to_dict("records"):
        date = story_date.get(finding["story"], UNDATED)
        rows.append(("finding", date, finding["story"], finding["finding_id"], to_json({**finding, "story_date": date})))
    meta = {
        "claims": len(checked.claims),
        "claim_types": column_types(checked.claims),
        "finding_types": column_types(checked.findings),
        "validation": [{"suite": item["suite"], "file": item["file"], "success": item["result"].get("success")}
                       for item in checked.validation],
    }
    rows.append(("meta", UNDATED, "", "", json.dumps(meta)))
    return arrow_ready(pd.DataFrame(rows, columns=list(RESULT_ROW)))


# --- rules on the executors -----------------------------------------------------------------------

_RULES: dict[str, object] = {}


def rules_files(directory) -> dict[str, bytes]:
    """The rules folder as {relative path: bytes}: shipped to the executors with the task, so a
    custom --rules folder on the driver's disk reaches a cluster too."""
    from ..ruleset import DEFAULT_RULES_DIR

    root = Path(directory) if directory else Path(DEFAULT_RULES_DIR)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def rules_on_worker(files: dict[str, bytes]):
    """The rules loaded from those files, once per worker process."""
    from ..ruleset import load_rules

    digest = hashlib.sha256(json.dumps(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in files.items())).encode()).hexdigest()
    if digest not in _RULES:
        folder = Path(tempfile.gettempdir(), f"auditor-rules-{digest[:16]}")
        if not folder.is_dir():
            staging = Path(tempfile.mkdtemp(prefix="auditor-rules-"))
            for name, data in files.items():
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
                (staging / name).write_bytes(data)
            try:
                staging.rename(folder)
            except OSError:  # another worker laid it first
                pass
        _RULES[digest] = load_rules(folder)
    return _RULES[digest]


# --- records ------------------------------------------------------------------------------------


def arrow_ready(frame: pd.DataFrame, numeric: tuple = ("input_index", "ordinal", "day_block", "keyword_key")) -> pd.DataFrame:
    """Every column but the numeric ones as object dtype with None for missing values: pandas 3
    stores text as Arrow-backed ``str`` columns and a column of missing text as float NaN, which
    pyspark 4.3's Arrow serializer cannot turn into a string column."""
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), None) for c in frame.columns if c not in numeric})


def column_types(frame: pd.DataFrame) -> dict[str, str]:
    """Spark SQL type of each column, read from its values (the output tables' schema is the
    union of what every task saw; see auditor.spark.engine.merge_types)."""
    types = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            types[column] = "boolean"
        elif pd.api.types.is_integer_dtype(values):
            types[column] = "bigint"
        elif pd.api.types.is_float_dtype(values):
            types[column] = "double"
        else:
            present = [v for v in values if _plain(v) is not None]
            types[column] = _value_type(present[0]) if present else "null"
    return types


def _value_type(value) -> str:
    value = _plain(value)
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        return "array<string>"
    return "string"


def to_json(record: dict) -> str:
    """A record as JSON: numpy and pandas values as plain ones, NaN as null."""
    return json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False, default=_default)


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return _plain(value.tolist())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is pd.NaT or (value is not None and not isinstance(value, (list, dict, str)) and pd.isna(value) is True):
        return None
    return value


def _default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _none(value):
    """Missing values as None (Arrow gives NaN/None for nulls, the extractor expects None)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
