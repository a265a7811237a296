"""Ingest: turn input paths into a documents table.

Inputs are files or folders (walked recursively, in sorted order), chosen by
extension; ``-`` reads JSONL from stdin. A bad input never stops the batch: it
becomes a row in the errors list (input, reason) and the rest is read.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from ..columns import DOCUMENT_COLUMNS
from .feeds import FEED_SUFFIXES

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | {".json", ".csv"}

FIELD_ALIASES = {"id": "doc_id", "doc_id": "doc_id", "date": "published_at"}


class BadInput(ValueError):
    """Raised inside ingest only; always caught and recorded as an error row."""


def iter_documents(inputs: Iterable[str], errors: list[dict]) -> Iterator[dict]:
    """Yield one dict per document (DOCUMENT_COLUMNS); append unreadable inputs to ``errors``."""
    seen: set[str] = set()
    for raw in inputs:
        for doc in _iter_input(raw, errors):
            if doc["doc_id"] in seen:
                errors.append({"input": doc["doc_id"], "reason": "duplicate document id; later copy skipped"})
                continue
            seen.add(doc["doc_id"])
            yield doc


def read_documents(inputs: Iterable[str]):
    """Read every input into a documents DataFrame; returns (documents, errors)."""
    import pandas as pd

    errors: list[dict] = []
    docs = list(iter_documents(inputs, errors))
    return pd.DataFrame(docs, columns=list(DOCUMENT_COLUMNS)), errors


def require_inputs(inputs: Iterable[str]) -> None:
    """A mistyped input path is a user error, found before any work (and before the state or
    the previous report are touched): the run stops rather than audit what it could read."""
    from ..errors import AuditorError

    for raw in inputs:
        if raw != "-" and not Path(raw).exists():
            raise AuditorError(f"input not found: {raw}")


def documents_from_records(records: Iterable[dict], errors: list[dict]) -> Iterator[dict]:
    """Documents from records already in memory (a DataFrame's rows): the same fields and aliases
    as a JSONL line (``id`` names the document; row N without one is ``row:N``); a row without
    text is listed in ``errors`` as ``row N``. Missing values (NaN, None) count as absent."""
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        record = {k: v for k, v in record.items() if not _missing(v)}
        try:
            doc = _document(record, default_id=f"row:{number}")
        except BadInput as exc:
            errors.append({"input": f"row {number}", "reason": str(exc)})
            continue
        if doc["doc_id"] in seen:
            errors.append({"input": doc["doc_id"], "reason": "duplicate document id; later copy skipped"})
            continue
        seen.add(doc["doc_id"])
        yield doc


def _missing(value) -> bool:
    import pandas as pd  # only records from a DataFrame come here

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _iter_input(raw: str, errors: list[dict]) -> Iterator[dict]:
    if raw == "-":
        yield from _records_to_docs(_jsonl_records(sys.stdin, "<stdin>", errors), "<stdin>", "stdin", errors)
        return
    path = Path(raw)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        for file in files:
            yield from _read_file(file, file.relative_to(path).as_posix(), errors)
    elif path.is_file():
        yield from _read_file(path, path.name, errors)
    else:
        errors.append({"input": raw, "reason": "no such file or directory"})


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _read_file(path: Path, rel: str, errors: list[dict]) -> Iterator[dict]:
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        errors.append({"input": name, "reason": f"unsupported file type '{suffix or path.name}'"})
        return
    if suffix in FEED_SUFFIXES:
        yield from _feed_documents(path, name, rel, errors)
        return
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(path, name, rel, errors)
        return
    try:
        text = _read_text(path)
    except BadInput as exc:
        errors.append({"input": name, "reason": str(exc)})
        return
    try:
        if suffix in TEXT_SUFFIXES:
            docs = [_text_document(text, rel)]
        elif suffix in HTML_SUFFIXES:
            docs = [_html_document(text, rel)]
        elif suffix == ".json":
            docs = _records_to_docs(_json_records(text), name, rel, errors)
        else:
            docs = _records_to_docs(enumerate(csv.DictReader(io.StringIO(text)), start=2), name, rel, errors)
        yield from docs
    except BadInput as exc:
        errors.append({"input": name, "reason": str(exc)})


def _feed_documents(path: Path, name: str, rel: str, errors: list[dict]) -> Iterator[dict]:
    """RSS/Atom: one document per entry (bytes go to feedparser: the XML declares its encoding)."""
    from .feeds import FeedError, feed_records

    data = path.read_bytes()
    if not data.strip():
        errors.append({"input": name, "reason": "empty file"})
        return
    try:
        yield from _records_to_docs(feed_records(data), name, rel, errors)
    except FeedError as exc:
        errors.append({"input": name, "reason": str(exc)})


def _jsonl_documents(path: Path, name: str, rel: str, errors: list[dict]) -> Iterator[dict]:
    """JSONL/NDJSON a line at a time: only one line is held, however large the file.

    The file is checked whole first (empty, binary, not UTF-8: one error for the file and
    no documents, as for every other kind of file), a block at a time, then read again line
    by line.
    """
    try:
        _check_text(path)
    except BadInput as exc:
        errors.append({"input": name, "reason": str(exc)})
        return
    with path.open(encoding="utf-8-sig", newline="") as lines:  # newline="": line ends as str.splitlines sees them
        yield from _records_to_docs(_jsonl_records(lines, name, errors), name, rel, errors)


def _check_text(path: Path, block: int = 1 << 20) -> None:
    """Raise the BadInput :func:`_read_text` would, reading ``block`` bytes at a time."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        data = file.read(max(block, 8192))
        blank = not data.strip()
        if b"\x00" in data[:8192]:
            raise BadInput("binary file (contains NUL bytes), not text")
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        offset = 0  # bytes after the BOM given to the decoder before ``data``
        while data:
            blank = blank and not data.strip()
            pending = len(decoder.getstate()[0])  # an unfinished character carried over from the last block
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:  # a byte that is no whitespace: not blank either
                raise BadInput(f"not UTF-8 text (byte {offset - pending + exc.start})") from None
            offset += len(data)
            data = file.read(block)
        if blank:
            raise BadInput("empty file")
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise BadInput(f"not UTF-8 text (byte {offset - pending + exc.start})") from None


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise BadInput("empty file")
    if b"\x00" in data[:8192]:
        raise BadInput("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"not UTF-8 text (byte {exc.start})") from None


def _text_document(text: str, rel: str) -> dict:
    meta, body = _front_matter(text)
    record = {**meta, "text": body}
    record.setdefault("id", rel)
    return _document(record, default_id=rel)


def _front_matter(text: str) -> tuple[dict, str]:
    """Split an optional YAML front matter block (``---`` ... ``---``) from a text file."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise BadInput(f"front matter is not valid YAML ({_first_line(exc)})") from None
    if not isinstance(meta, dict):
        raise BadInput("front matter must be a mapping of field: value")
    return meta, text[end + 5 :]


def _html_document(html: str, rel: str) -> dict:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None or not (extracted.text or "").strip():
        raise BadInput("no article text found in HTML")
    record = {
        "id": rel,
        "text": _article_body(extracted.text, extracted.title),
        "title": extracted.title,
        "url": extracted.url,
        "published_at": extracted.date,
        "source": extracted.sitename,
    }
    return _document(record, default_id=rel)


def _article_body(text: str, title: str | None) -> str:
    """The article's text without its headline, one paragraph per block.

    trafilatura gives the headline as the first line and one line per paragraph: left so, the
    headline ran into the first sentence (the sentence splitter breaks only at a blank line or
    after a full stop), and its figures were claimed twice. The headline stays in ``title``."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if title and len(paragraphs) > 1 and " ".join(paragraphs[0].split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _jsonl_records(lines: Iterable[str], name: str, errors: list[dict]) -> Iterator[tuple[int, object]]:
    """Each line's JSON with its line number, numbered as ``text.splitlines()`` of the whole text would."""
    lineno = 0
    for physical in lines:
        for line in physical.splitlines() or [physical]:
            lineno += 1
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append({"input": f"{name}:{lineno}", "reason": f"invalid JSON ({exc.msg})"})


def _json_records(text: str) -> Iterator[tuple[int, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"invalid JSON at line {exc.lineno} ({exc.msg})") from None
    records = data if isinstance(data, list) else [data]
    return enumerate(records, start=1)


def _records_to_docs(records, name: str, rel: str, errors: list[dict]) -> Iterator[dict]:
    for number, record in records:
        where = f"{name}:{number}"
        try:
            if not isinstance(record, dict):
                raise BadInput("record is not an object")
            yield _document(record, default_id=f"{rel}:{number}")
        except BadInput as exc:
            errors.append({"input": where, "reason": str(exc)})


def _document(record: dict, default_id: str) -> dict:
    fields = {FIELD_ALIASES.get(k, k): v for k, v in record.items()}
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("missing or empty 'text' field")
    doc = {column: _clean(fields.get(column)) for column in DOCUMENT_COLUMNS}
    doc["text"] = text
    doc["doc_id"] = doc["doc_id"] or default_id
    doc["published_at"] = _iso_date(doc["published_at"])
    return doc


def _clean(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    value = str(value).strip()
    return value or None


def _iso_date(value: str | None) -> str | None:
    """Normalise a published time to ISO 8601; reject what is not a date."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"published_at '{value}' is not an ISO date or datetime") from None
    if len(value) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
