"""RSS and Atom files: one document per entry, read from local files only."""

from pathlib import Path

from auditor.ingest.feeds import html_to_text
from auditor.ingest.documents import iter_documents

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def read(path):
    errors = []
    return list(iter_documents([str(path)], errors)), errors


def test_rss_items_become_documents_with_their_metadata():
    docs, errors = read(FEEDS / "world.rss")
    assert [d["doc_id"] for d in docs] == ["https://gazette.example/drills", "https://gazette.example/port"]
    drills, port = docs
    assert drills["source"] == "Harbour Gazette" and drills["title"] == "Navy drills begin"
    assert drills["url"] == "https://gazette.example/drills"
    assert drills["published_at"] == "2025-11-11T09:30:00+00:00"
    assert drills["text"] == "The government mobilized 200,000 troops on Tuesday.\n\nAt least 20 boats were destroyed & 76 people died."
    assert port["text"] == "Officials said 14 ships were turned away."  # no content: the description
    assert port["published_at"] == "2025-11-12T06:00:00+00:00"  # normalised to UTC
    assert errors == [{"input": f"{FEEDS / 'world.rss'}:3", "reason": "missing or empty 'text' field"}]


def test_atom_entries_become_documents():
    [entry], errors = read(FEEDS / "desk.atom")
    assert errors == []
    assert entry["doc_id"] == "urn:valley:flood-1" and entry["source"] == "Valley Desk"
    assert entry["text"] == "Rescuers said 31 people were killed."
    assert entry["published_at"] == "2025-11-12T08:15:00+00:00"


def test_an_xml_file_that_is_not_a_feed_is_an_error_row():
    docs, errors = read(FEEDS / "notes.xml")
    assert docs == []
    assert [e["input"] for e in errors] == [str(FEEDS / "notes.xml")]
    assert errors[0]["reason"].startswith("not an RSS/Atom feed")


def test_entry_html_becomes_paragraphs_of_plain_text():
    assert html_to_text("<p>One <b>2</b></p><ul><li>three</li><li>4</li></ul>five") == "One 2\n\nthree\n\n4\n\nfive"
    assert html_to_text("plain 5 words") == "plain 5 words"
