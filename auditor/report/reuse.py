"""Reuse a written report: a run whose check result came from the state's cache (same documents,
rules, code and options) restores the report's files rather than building and rendering them again.

Of a report folder only index.html and summary.json tell of the run itself (its time, inputs,
errors, changes since the previous report): they are always made anew, the overview from the
data :func:`~auditor.report.html.write_report` returned (the head part). Every other file is a
function of the check result and the report options, except the footer of the story pages, which
names the time the run finished: a page is saved without it and gets the run's own back on
restore. So a restored report is, byte for byte, the report that writing it would give.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from .exports import write_json
from .html import site_view, write_overview

FORMAT = 1
RUN_FILES = frozenset({"index.html", "summary.json"})  # made anew by every run
NO_SLOT = -1
_CHUNK = 1 << 20  # bytes read or written at a time
_OFFSET = struct.Struct(">q")  # where a page's finished-at goes back, before its bytes


class NotReusable(Exception):
    """This report cannot be saved for reuse (a value that is not JSON, a page without the run's time)."""


def saved_parts(out_dir: Path, summary: dict, content: dict) -> Iterator[tuple[str, bytes]]:
    """The written report in ``out_dir`` as (name, compressed body) parts to save: first the head
    ('', the overview's data), then every file but the run's own, a file at a time (memory stays
    one page). Raises :class:`NotReusable` (possibly after the first parts) when it cannot be
    restored exactly; nothing should then be kept."""
    out_dir = Path(out_dir)
    finished = _finished_at(summary)
    if not finished:
        raise NotReusable("the summary names no finishing time")
    try:
        head = json.dumps({"format": FORMAT, "versions": site_view(summary)["versions"], "content": content},
                          ensure_ascii=False, allow_nan=True, default=_plain)
    except (TypeError, ValueError) as exc:
        raise NotReusable(f"overview data is not JSON: {exc}") from None
    yield "", zlib.compress(head.encode("utf-8"), 1)
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        name = path.relative_to(out_dir).as_posix()
        if name in RUN_FILES:
            continue
        yield name, _compressed(path, finished if path.suffix == ".html" else None)


def _compressed(path: Path, slot: bytes | None) -> bytes:
    """The file's offset header and bytes, compressed; a page without its ``slot`` (its last
    occurrence: the footer is the last thing on a page that names anything). Other files are
    read a chunk at a time: the exports are the largest files of a report."""
    packer = zlib.compressobj(1)
    if slot is not None:
        body = path.read_bytes()
        offset = body.rfind(slot)
        if offset < 0:
            raise NotReusable(f"{path.name} does not name the run's finishing time")
        return packer.compress(_OFFSET.pack(offset) + body[:offset] + body[offset + len(slot):]) + packer.flush()
    out = [packer.compress(_OFFSET.pack(NO_SLOT))]
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            out.append(packer.compress(chunk))
    out.append(packer.flush())
    return b"".join(out)


def restore_report(out_dir: Path, parts: Iterable[tuple[str, bytes]], summary: dict) -> bool:
    """Write the report saved as ``parts`` into ``out_dir`` (empty) for the run of ``summary``.

    False, with nothing written, when there are no parts or they do not fit this run (another
    format, other versions in the footer). A damaged part raises (zlib.error, ValueError): the
    caller clears ``out_dir`` and writes the report instead."""
    out_dir = Path(out_dir)
    parts = iter(parts)
    first = next(parts, None)
    finished = _finished_at(summary)
    if first is None or first[0] != "" or not finished:
        return False
    head = json.loads(zlib.decompress(first[1]).decode("utf-8"))
    if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("versions") != site_view(summary)["versions"]:
        return False
    for name, compressed in parts:
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts or name in RUN_FILES:
            raise ValueError(f"saved report part with a bad name: {name!r}")
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        _decompress_into(target, compressed, finished)
    write_json(out_dir / "summary.json", summary)
    write_overview(out_dir, summary, head["content"])
    return True


def _decompress_into(target: Path, compressed: bytes, slot: bytes) -> None:
    """Write a saved file a chunk at a time, with ``slot`` put back where its header says."""
    unpacker = zlib.decompressobj()
    head = unpacker.decompress(compressed, _OFFSET.size)
    (offset,) = _OFFSET.unpack(head) if len(head) == _OFFSET.size else (None,)
    if offset is None or offset < NO_SLOT:
        raise ValueError(f"saved report part {target.name!r} is damaged")
    placed, position = offset == NO_SLOT, 0
    with target.open("wb") as out:
        while chunk := unpacker.decompress(unpacker.unconsumed_tail, _CHUNK) or unpacker.flush():
            end = position + len(chunk)
            if not placed and offset <= end:
                chunk, placed = chunk[:offset - position] + slot + chunk[offset - position:], True
            out.write(chunk)
            position = end
        if not placed and offset == position:
            out.write(slot)
            placed = True
    if not (placed and unpacker.eof):
        raise ValueError(f"saved report part {target.name!r} is damaged")


def _finished_at(summary: dict) -> bytes:
    """The run's finishing time as the pages' footer shows it (escaped as the templates escape)."""
    from markupsafe import escape

    finished = site_view(summary)["finished_at"]
    return str(escape(finished)).encode("utf-8") if finished else b""


def _plain(value):
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")
