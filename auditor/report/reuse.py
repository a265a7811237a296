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
        body, offset = path.read_bytes(), NO_SLOT
        if path.suffix == ".html":
            offset = body.rfind(finished)  # the footer is the last thing on a page that names anything
            if offset < 0:
                raise NotReusable(f"{name} does not name the run's finishing time")
            body = body[:offset] + body[offset + len(finished):]
        yield name, zlib.compress(_OFFSET.pack(offset) + body, 1)


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
        data = zlib.decompress(compressed)
        (offset,), body = _OFFSET.unpack_from(data), data[_OFFSET.size:]
        if offset != NO_SLOT:
            if not 0 <= offset <= len(body):
                raise ValueError(f"saved report part {name!r} is damaged")
            body = body[:offset] + finished + body[offset:]
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    write_json(out_dir / "summary.json", summary)
    write_overview(out_dir, summary, head["content"])
    return True


def _finished_at(summary: dict) -> bytes:
    """The run's finishing time as the pages' footer shows it (escaped as the templates escape)."""
    from markupsafe import escape

    finished = site_view(summary)["finished_at"]
    return str(escape(finished)).encode("utf-8") if finished else b""


def _plain(value):
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON")
