"""Ingest: every supported input becomes document rows; bad inputs become error rows."""

import io
import json

import pytest

from auditor.columns import DOCUMENT_COLUMNS
from auditor.extract import extract_document
from auditor.ingest.documents import iter_documents, read_documents


def read(*inputs):
    errors = []
    docs = list(iter_documents([str(i) for i in inputs], errors))
    return docs, errors


def test_text_file_id_is_path_relative_to_input_root(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "story.txt").write_text("Police said 12 people were hurt.")
    docs, errors = read(tmp_path)
    assert errors == []
    assert [d["doc_id"] for d in docs] == ["a/b/story.txt"]
    assert docs[0]["text"] == "Police said 12 people were hurt."
    assert set(docs[0]) == set(DOCUMENT_COLUMNS)


def test_markdown_front_matter_sets_fields_and_is_not_part_of_text(tmp_path):
    (tmp_path / "s.md").write_text(
        "---\nsource: Daily Wire\nstory: floods\npublished_at: 2026-03-02\nurl: https://x.example/a\n---\nBody with 14 deaths.\n"
    )
    [doc], errors = read(tmp_path / "s.md")
    assert errors == []
    assert doc["source"] == "Daily Wire"
    assert doc["story"] == "floods"
    assert doc["published_at"] == "2026-03-02"
    assert doc["text"] == "Body with 14 deaths.\n"


def test_html_article_text_title_and_published_time_come_from_extraction_library(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Site</title>"
        '<meta property="article:published_time" content="2025-11-11T08:00:00Z"></head>'
        "<body><nav>Home | About | 3 menu items</nav><article><h1>Troops mobilized</h1>"
        "<p>The army mobilized 200,000 troops on Tuesday across the country, officials said in a statement.</p>"
        "<p>At least 20 boats were destroyed and 76 people died in the strikes, according to the ministry.</p>"
        "</article></body></html>"
    )
    [doc], errors = read(tmp_path)
    assert errors == []
    assert doc["doc_id"] == "page.html"
    assert "200,000 troops" in doc["text"]
    assert "<p>" not in doc["text"]
    assert doc["published_at"] == "2025-11-11"


def test_an_html_headline_is_the_title_not_part_of_the_first_sentence(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Storm damages 30 ships in harbour</title></head><body><article>"
        "<h1>Storm damages 30 ships in harbour</h1>"
        "<p>Officials said 30 ships were damaged when the storm hit the harbour on Monday night.</p>"
        "<h2>Repairs</h2>"
        "<p>The port authority said repairs would cost $3m over the coming months.</p>"
        "</article></body></html>"
    )
    [doc], _ = read(tmp_path)
    assert doc["title"] == "Storm damages 30 ships in harbour"
    claims = extract_document(doc)
    assert [(c["surface"], c["sentence"]) for c in claims] == [
        ("30", "Officials said 30 ships were damaged when the storm hit the harbour on Monday night."),
        ("$3m", "The port authority said repairs would cost $3m over the coming months."),
    ]


def test_jsonl_reads_each_line_and_records_malformed_lines_with_line_number(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "3 boats", "story": "s1"}),
        "{not json",
        json.dumps({"id": "b", "title": "no text here"}),
        json.dumps({"id": "c", "text": "4 boats", "published_at": "2025-11-12T10:00:00Z"}),
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    docs, errors = read(tmp_path / "dump.jsonl")
    assert [d["doc_id"] for d in docs] == ["a", "c"]
    assert docs[1]["published_at"] == "2025-11-12T10:00:00+00:00"
    path = str(tmp_path / "dump.jsonl")
    assert errors == [
        {"input": f"{path}:2", "reason": "invalid JSON (Expecting property name enclosed in double quotes)"},
        {"input": f"{path}:3", "reason": "missing or empty 'text' field"},
    ]


def test_a_large_jsonl_file_is_read_a_line_at_a_time(tmp_path):
    """Memory stays that of a line or a block, not of the file (once read whole, it was held three times)."""
    import tracemalloc

    body = "7 boats. " * 110
    with (tmp_path / "big.jsonl").open("w") as out:
        for i in range(20_000):  # ~20 MB
            out.write(json.dumps({"id": f"d{i}", "text": f"{body}{i}"}) + "\n")
        out.write("{not json\n")
    errors = []
    documents = iter_documents([str(tmp_path / "big.jsonl")], errors)
    tracemalloc.start()
    try:
        count = sum(1 for _ in documents)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_000 and errors == [{"input": f"{tmp_path / 'big.jsonl'}:20001", "reason": "invalid JSON (Expecting property name enclosed in double quotes)"}]
    assert peak < 6_000_000, peak


def test_a_jsonl_file_that_is_not_utf8_late_gives_one_error_and_no_documents(tmp_path):
    """Checked whole before the first line is read, as when the file was read at once."""
    good = json.dumps({"id": "a", "text": "3 boats"}) + "\n"
    data = good.encode() * 100_000
    (tmp_path / "late.jsonl").write_bytes(data + b'{"id": "z", "text": "\xff"}\n')
    docs, errors = read(tmp_path / "late.jsonl")
    assert docs == [] and errors == [{"input": str(tmp_path / "late.jsonl"), "reason": f"not UTF-8 text (byte {len(data) + 21})"}]


def test_json_file_holds_one_document_or_a_list(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"text": "5 cars", "source": "X"}))
    (tmp_path / "many.json").write_text(json.dumps([{"id": "m1", "text": "6 cars"}, {"id": "m2", "text": "7 cars"}]))
    docs, errors = read(tmp_path)
    assert errors == []
    assert sorted(d["doc_id"] for d in docs) == ["m1", "m2", "one.json:1"]


def test_csv_rows_are_documents(tmp_path):
    (tmp_path / "docs.csv").write_text('id,source,text\nr1,Wire,"Officials said 9 were hurt, 2 badly."\n')
    [doc], errors = read(tmp_path / "docs.csv")
    assert errors == []
    assert doc["doc_id"] == "r1" and doc["source"] == "Wire"
    assert doc["text"] == "Officials said 9 were hurt, 2 badly."


def test_stdin_dash_reads_jsonl(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "s", "text": "8 ships"}) + "\n"))
    [doc], errors = read("-")
    assert doc["doc_id"] == "s" and errors == []


def test_stdin_is_read_a_line_at_a_time(monkeypatch):
    class Lines(io.StringIO):
        def read(self, *args):
            raise AssertionError("stdin read whole")

    records = [json.dumps({"id": "s", "text": "8 ships"}), "{not json", json.dumps({"id": "t", "text": "9 ships"})]
    monkeypatch.setattr("sys.stdin", Lines("\n".join(records) + "\n"))
    docs, errors = read("-")
    assert [d["doc_id"] for d in docs] == ["s", "t"]
    assert errors == [{"input": "<stdin>:2", "reason": "invalid JSON (Expecting property name enclosed in double quotes)"}]


def test_bad_files_are_recorded_with_a_reason_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text("11 trucks")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 12".encode("latin-1"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "bad-date.json").write_text(json.dumps({"text": "x 1", "published_at": "last Tuesday"}))
    docs, errors = read(tmp_path)
    assert [d["doc_id"] for d in docs] == ["good.txt"]
    reasons = {e["input"].rsplit("/", 1)[-1]: e["reason"] for e in errors}
    assert reasons == {
        "bad-date.json:1": "published_at 'last Tuesday' is not an ISO date or datetime",
        "blob.txt": "binary file (contains NUL bytes), not text",
        "empty.txt": "empty file",
        "image.png": "unsupported file type '.png'",
        "latin1.txt": "not UTF-8 text (byte 3)",
    }


def test_missing_input_and_duplicate_ids_are_errors_not_crashes(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": "1 a"}) + "\n" + json.dumps({"id": "x", "text": "2 b"}) + "\n")
    docs, errors = read(tmp_path / "a.jsonl", tmp_path / "nope")
    assert [d["text"] for d in docs] == ["1 a"]
    assert {"input": "x", "reason": "duplicate document id; later copy skipped"} in errors
    assert {"input": str(tmp_path / "nope"), "reason": "no such file or directory"} in errors


def test_read_documents_returns_a_table_with_the_document_columns(tmp_path):
    (tmp_path / "a.txt").write_text("1 apple")
    table, errors = read_documents([str(tmp_path)])
    assert list(table.columns) == list(DOCUMENT_COLUMNS)
    assert len(table) == 1 and errors == []


@pytest.mark.parametrize("front", ["---\n: [\n---\nbody", "---\n- a list\n---\nbody"])
def test_bad_front_matter_is_an_error_row(tmp_path, front):
    (tmp_path / "f.md").write_text(front)
    docs, errors = read(tmp_path / "f.md")
    assert docs == [] and len(errors) == 1 and "front matter" in errors[0]["reason"]
