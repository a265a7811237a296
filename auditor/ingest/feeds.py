"""Feeds: RSS and Atom files become document records (ingest turns them into documents).

Parsed with feedparser from the bytes already read, never from a URL: fetching is
the scheduler's job (e.g. ``curl -o feeds/world.xml`` before the run), so a run
never depends on the network. An entry's HTML content becomes plain text with
lxml, paragraph by paragraph.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timezone

FEED_SUFFIXES = {".rss", ".atom", ".xml"}

# elements after which the text breaks into a new paragraph
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


class FeedError(ValueError):
    """The file is not a readable feed; ingest records it as an error row."""


def feed_records(data: bytes) -> Iterator[tuple[int, dict]]:
    """(entry number, record) for each entry: id, title, url, published_at, source, text."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data))  # a file object: feedparser never treats it as a URL
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"not an RSS/Atom feed ({problem})" if problem else "feed has no entries")
    source = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        yield number, entry_record(entry, source)


def entry_record(entry, source: str | None) -> dict:
    record = {
        "title": entry.get("title"),
        "url": entry.get("link"),
        "source": source,
        "published_at": _published(entry),
        "text": _entry_text(entry),
    }
    entry_id = entry.get("id") or entry.get("link")
    if entry_id:
        record["id"] = entry_id
    return record


def _published(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")  # UTC struct_time
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def _entry_text(entry) -> str | None:
    """The fullest body the entry has (content, else summary), as plain text."""
    bodies = [c.get("value") for c in entry.get("content") or []] + [entry.get("summary")]
    body = next((b for b in bodies if b and b.strip()), None)
    if body is None:
        return None
    return html_to_text(body).strip() or None


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, with a blank line between block elements."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    paragraphs = (" ".join(part.split()) for part in root.text_content().split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)
