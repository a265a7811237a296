"""The HTML report and its exports, rendered from fixed tables built here.

Nothing here runs ingest, extract or check: the tables are written by hand so the report's
tests do not move when another stage changes. Snapshot files in tests/snapshots/ are compared
byte for byte and rewritten only by `pytest tests/test_report.py --update-snapshots`.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from auditor.columns import CLAIM_COLUMNS, FINDING_COLUMNS
from auditor.report.html import interval_text, safe_url, story_path, write_report

SNAPSHOTS = Path(__file__).parent / "snapshots"

HOSTILE_TITLE = "<script>window.pwned=1</script>Strikes & \"boats\""
HOSTILE_TEXT = "Officials said <img src=x onerror=\"window.pwned=2\"> 80 deaths were recorded."
HOSTILE_URL = "https://evil.example/a\"><script>window.pwned=3</script>"
SCRIPT_URL = "javascript:window.pwned=4"

DOCUMENTS = [
    {"doc_id": "a", "source": "Outlet A", "url": "https://a.example/strikes", "title": "Strikes destroy boats",
     "published_at": "2025-11-11", "story": "strikes",
     "text": "Strikes have destroyed at least 20 boats and caused 76 deaths, officials said."},
    {"doc_id": "b", "source": "Outlet B", "url": SCRIPT_URL, "title": "Toll rises",
     "published_at": "2025-11-12T08:00:00Z", "story": "strikes",
     "text": "The strikes destroyed 21 boats. In all, 95 deaths have been recorded."},
    {"doc_id": "h", "source": "<b>Hostile</b> Wire", "url": HOSTILE_URL, "title": HOSTILE_TITLE,
     "published_at": "2025-11-13", "story": "strikes", "text": HOSTILE_TEXT},
    {"doc_id": "m1", "source": "Market Ledger", "url": "http://ledger.example/budget", "title": "Budget of $3bn",
     "published_at": "2025-10-01", "story": "budget", "text": "The ministry will spend about $3bn on defence."},
    {"doc_id": "m2", "source": "River Times", "url": None, "title": None,
     "published_at": None, "story": "budget", "text": "Defence spending reaches 3.1 billion dollars."},
]


def claim(doc_id, surface, value, metric, *, qualifier="exact", lo=None, hi=None, unit="", counted=None, **extra):
    """A claim row whose offsets really point at ``surface`` in its document's text."""
    doc = next(d for d in DOCUMENTS if d["doc_id"] == doc_id)
    start = doc["text"].index(surface)
    sentence = next(s for s in re.split(r"(?<=\.) ", doc["text"]) if surface in s)
    row = {c: None for c in CLAIM_COLUMNS}
    row.update(
        claim_id=f"{doc_id}-{metric}", doc_id=doc_id, source=doc["source"], published_at=doc["published_at"],
        story=doc["story"], start=start, end=start + len(surface), surface=surface, sentence=sentence,
        value=float(value), lower=lo, upper=hi, qualifier=qualifier, unit=unit, counted=counted or metric, metric=metric,
        story_id=doc["story"], group_id=f"{doc['story']}|{metric}|{unit}",
        lo=float(value if lo is None else lo), hi=float(value if hi is None else hi), **extra,
    )
    return row


def claims_table() -> pd.DataFrame:
    return pd.DataFrame([
        claim("a", "at least 20", 20, "boats_destroyed", qualifier="at_least", lo=20, hi=math.inf),
        claim("a", "76", 76, "killed"),
        claim("b", "21", 21, "boats_destroyed"),
        claim("b", "95", 95, "killed"),
        claim("h", "80", 80, "killed"),
        claim("m1", "about $3bn", 3e9, "spending", qualifier="approx", lo=2.7e9, hi=3.3e9, unit="USD"),
        claim("m2", "3.1 billion dollars", 3.1e9, "spending", lo=3.05e9, hi=3.15e9, unit="USD"),
    ])


def findings_table() -> pd.DataFrame:
    rows = [
        ("f-conflict", "conflict", "sources_agree", "critical", "strikes", "killed", ["a-killed", "b-killed", "h-killed"],
         "Outlet A says 76 (= 76); Outlet B says 95 (= 95)", 0.93, "both: people killed (strikes)"),
        ("f-ref", "reference_mismatch", "matches_reference", "warning", "strikes", "killed", ["b-killed"],
         "Outlet B says 95; the reference says 80 <UN>", None, ""),
    ]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def fixed_result(**summary_extra) -> SimpleNamespace:
    """An AuditResult-shaped object: the report reads attributes, not the class."""
    findings = findings_table()
    summary = {
        "auditor_version": "0.1.0",
        "rules_hash": "abc123def4567890",
        "finished_at": "2025-11-14T06:00:00+00:00",
        "inputs": ["examples/", "<feeds>.jsonl"],
        "documents": len(DOCUMENTS),
        "claims": 7,
        "findings": {"total": 2, "by_type": {"conflict": 1, "reference_mismatch": 1}, "by_severity": {"critical": 1, "warning": 1}},
        "errors": [{"input": "broken.jsonl", "reason": "line 3: not JSON <oops>"}],
        **summary_extra,
    }
    reference = pd.DataFrame([{"story": "strikes", "metric": "killed", "value": 80.0, "lower": None, "upper": None,
                               "date": "2025-11-12", "source": "UN <office>"}])
    return SimpleNamespace(
        documents=pd.DataFrame(DOCUMENTS), claims=claims_table(), findings=findings, errors=summary["errors"],
        validation=[{"suite": "cross_source", "result": {"success": False}}], summary=summary, reference=reference,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    changes = {"previous_run": {"id": 6, "finished_at": "2025-11-13T06:00:00+00:00"}, "new": ["f-ref"],
               "resolved": [{"finding_id": "old", "type": "decrease", "story": "strikes", "metric": "killed", "message": "toll fell <b>"}],
               "changed": []}
    write_report(out, fixed_result(changes=changes, rules_changed=True, processed={"new": 3, "changed": 1, "unchanged": 1, "failed": 0}))
    return out


def strikes_page(report: Path) -> str:
    return (report / story_path("strikes")).read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, so tests can assert on what the browser would build."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


# ---- content -------------------------------------------------------------------------------


def test_overview_lists_run_metadata_counts_and_skipped_inputs(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "2025-11-14T06:00:00+00:00" in html
    assert "<code>abc123def4567890</code>" in html  # rules version
    assert "<code>0.1.0</code>" in html
    assert "<code>broken.jsonl</code></th><td>line 3: not JSON &lt;oops&gt;</td>" in html
    assert '<tr><th scope="row">conflict</th><td class="num some critical">1</td><td class="num">0</td>' in html


def test_overview_ranks_the_disputed_story_first_with_its_gap(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    strikes, budget = html.index(story_path("strikes")), html.index(story_path("budget"))
    assert strikes < budget
    assert "20%<span class=\"id\">killed</span>" in html  # 76 vs 95: (95 - 76) / 95


def test_overview_findings_rows_carry_filter_values_and_link_their_story(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    rows = [attrs for tag, attrs in Elements(html).tags if tag == "tr" and "data-type" in attrs]
    assert [(r["data-type"], r["data-severity"], r["data-metric"]) for r in rows] == [
        ("conflict", "critical", "killed"), ("reference_mismatch", "warning", "killed")]
    assert rows[0]["data-source"].split("\n") == ["<b>Hostile</b> Wire", "Outlet A", "Outlet B"]
    assert f'<a href="{story_path("strikes")}">&lt;script&gt;' not in html  # earliest title is Outlet A's
    assert f'<a href="{story_path("strikes")}">Strikes destroy boats</a>' in html
    assert "the reference says 80 &lt;UN&gt;" in html
    assert f'<a href="{story_path("strikes")}#group-2">' in html  # straight to the disputed figure


def test_findings_show_their_link_confidence_and_linking_words(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="link"[^>]*>(.*?)</td>', html, flags=re.S)
    assert len(cells) == 2  # one per finding: the conflict's link, the reference finding's none
    assert '<span class="confidence"' in cells[0] and ">0.93<" in cells[0]
    assert "both: people killed (strikes)" in cells[0]
    assert cells[1] == ""


def test_overview_shows_what_changed_since_the_previous_run(report):
    html = (report / "index.html").read_text(encoding="utf-8")
    assert "Compared with run 6 of 2025-11-13T06:00:00+00:00:\n1 new, 0 changed, 1 resolved." in html
    assert "toll fell &lt;b&gt;" in html
    assert "The rules or reference figures changed since that run" in html
    assert "<dd>5 (3 new, 1 changed, 1 unchanged, 0 failed)</dd>" in html


def test_a_summary_with_only_the_required_keys_renders(tmp_path):
    result = fixed_result()
    result.summary = {"findings": {"total": 2}, "changes": {"previous_run": {"id": 1}, "new": [], "resolved": [], "changed": []}}
    write_report(tmp_path, result)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "rules version</dt><dd><code>not recorded</code>" in html and "Compared with run 1:" in html


def test_no_changes_section_without_run_history(tmp_path):
    write_report(tmp_path, fixed_result())
    assert "What changed since the previous run" not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_story_page_highlights_the_figure_in_its_sentence(report):
    html = strikes_page(report)
    assert "Strikes have destroyed <mark>at least 20</mark> boats and caused 76 deaths, officials said." in html
    assert "In all, <mark>95</mark> deaths have been recorded." in html


def test_story_page_shows_interval_verdict_and_explanation(report):
    html = strikes_page(report)
    assert "<td data-sort=\"20.0\">≥ 20</td>" in html
    assert '<span class="badge critical">conflict</span><p class="why">Outlet A says 76' in html
    assert '<span class="badge clear">no finding</span>' in html


def test_verdict_columns_from_check_are_used_when_present(tmp_path):
    result = fixed_result()
    result.claims["verdict"] = ["agrees"] * 6 + ["conflict"]
    result.claims["explanation"] = ["fine"] * 6 + ["River Times is higher"]
    write_report(tmp_path, result)
    html = (tmp_path / story_path("budget")).read_text(encoding="utf-8")
    assert '<span class="badge clear">agrees</span><p class="why">fine</p>' in html
    assert "River Times is higher" in html


def test_story_page_charts_each_metric_with_intervals_and_reference(report):
    html = strikes_page(report)
    assert html.count("<svg viewBox=") == 2  # killed, boats_destroyed
    killed = html[html.index('id="group-2-title"') - 200:]
    killed = killed[: killed.index("</svg>")]
    assert "reference 80 (UN &lt;office&gt;, 2025-11-12)" in killed
    assert killed.count('<g class="mark disputed"') == 3
    boats = html[html.index('id="group-1-title"'):]
    boats = boats[: boats.index("</svg>")]
    assert "<path d=" in boats  # "at least 20" is open-ended: an arrow, not a cap


def test_story_pages_and_static_assets_are_beside_the_overview(report):
    assert sorted(p.name for p in (report / "static").iterdir()) == ["report.css", "report.js"]
    assert len(list((report / "stories").glob("*.html"))) == 2
    assert '<script src="../static/report.js" defer></script>' in strikes_page(report)


# ---- security --------------------------------------------------------------------------------


def test_hostile_title_text_and_source_are_escaped(report):
    html = strikes_page(report)
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt;" in html
    assert "&lt;b&gt;Hostile&lt;/b&gt; Wire" in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;Strikes &amp; &#34;boats&#34;" in html  # the title
    assert not any(tag == "script" and "src" not in attrs for tag, attrs in Elements(html).tags)
    assert not any(name.startswith("on") for _, attrs in Elements(html).tags for name in attrs)


def test_only_http_links_survive_and_they_stay_inside_their_attribute(report):
    html = strikes_page(report)
    hrefs = [attrs["href"] for tag, attrs in Elements(html).tags if tag == "a"]
    assert HOSTILE_URL in hrefs  # an https URL, kept, but as one attribute value
    assert SCRIPT_URL not in html
    assert all(h.startswith(("https://", "http://", "../", "#")) for h in hrefs)


def test_safe_url_keeps_only_http_urls_with_a_host():
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:x", "data:text/html,x", "https:///x", "//x.example", None, 3.0):
        assert safe_url(bad) is None


def test_csp_forbids_remote_loads_and_inline_script(report):
    for page in (report / "index.html", report / story_path("strikes")):
        csp = next(a["content"] for t, a in Elements(page.read_text(encoding="utf-8")).tags if a.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "http" not in csp


def test_story_file_names_are_safe_and_stable():
    # stable across runs: another process, with another hash seed, names the story the same way
    script = "from auditor.report.html import story_path; print(story_path('../../etc/passwd'))"
    for seed in ("1", "4242"):
        other = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                               capture_output=True, text=True, check=True).stdout.strip()
        assert other == story_path("../../etc/passwd")
    assert re.fullmatch(r"stories/etc-passwd-[0-9a-f]{8}\.html", story_path("../../etc/passwd"))
    assert story_path("<>") != story_path("><")


def test_interval_text_reads_like_the_claim():
    assert interval_text(76, 76) == "76"
    assert interval_text(20, math.inf) == "≥ 20"
    assert interval_text(-math.inf, 5, "%") == "≤ 5%"
    assert interval_text(2.7e9, 3.3e9, "USD") == "2.7bn – 3.3bn USD"
    assert interval_text(2_999_500_000, 3_000_500_000, "USD") == "2.9995bn – 3.0005bn USD"
    assert interval_text(180_000, 220_000) == "180,000 – 220,000"


# ---- exports ---------------------------------------------------------------------------------


def test_exports_claims_and_findings_as_csv_and_jsonl(report):
    claims = [json.loads(line) for line in (report / "claims.jsonl").read_text().splitlines()]
    assert len(claims) == 7
    first = next(c for c in claims if c["claim_id"] == "a-boats_destroyed")
    assert first["hi"] is None and first["lo"] == 20  # an open bound is null, never Infinity
    assert next(c for c in claims if c["claim_id"] == "b-killed")["verdict"] == "conflict"
    findings = [json.loads(line) for line in (report / "findings.jsonl").read_text().splitlines()]
    assert findings[0]["claim_ids"] == ["a-killed", "b-killed", "h-killed"]
    csv = pd.read_csv(report / "findings.csv")
    assert csv["claim_ids"].tolist()[0] == "a-killed;b-killed;h-killed"
    assert len(pd.read_csv(report / "claims.csv")) == 7
    assert json.loads((report / "validation.json").read_text())[0]["suite"] == "cross_source"
    assert json.loads((report / "summary.json").read_text())["rules_hash"] == "abc123def4567890"


def test_csv_neutralises_spreadsheet_formulas_from_articles(tmp_path):
    result = fixed_result()
    result.claims.loc[0, "sentence"] = "=HYPERLINK(\"http://evil.example\")"
    write_report(tmp_path, result)
    assert pd.read_csv(tmp_path / "claims.csv")["sentence"][0].startswith("'=")


def test_parquet_only_when_asked(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is in the test extra; install auditor[test]")
    (tmp_path / "plain").mkdir()
    write_report(tmp_path / "plain", fixed_result())
    assert not list((tmp_path / "plain").glob("*.parquet"))
    (tmp_path / "pq").mkdir()
    write_report(tmp_path / "pq", fixed_result(), parquet=True)
    assert len(pd.read_parquet(tmp_path / "pq" / "claims.parquet")) == 7
    assert list(pd.read_parquet(tmp_path / "pq" / "findings.parquet")["claim_ids"][1]) == ["b-killed"]


def test_empty_run_renders_an_overview_with_nothing_to_show(tmp_path):
    result = fixed_result()
    result.claims, result.findings = result.claims.iloc[0:0], result.findings.iloc[0:0]
    write_report(tmp_path, result)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<p>No findings.</p>" in html and not list((tmp_path / "stories").iterdir())


def test_report_without_reference_or_dates_still_renders(tmp_path):
    result = fixed_result()
    del result.reference
    result.claims["published_at"] = None
    result.documents["published_at"] = None
    result.claims = result.claims.drop(columns=["lo", "hi"])
    write_report(tmp_path, result)
    html = (tmp_path / story_path("strikes")).read_text(encoding="utf-8")
    assert ">undated</text>" in html and "<time" not in html
    assert '<g class="reference">' not in html
    assert "<path d=" in html  # the interval of "at least 20" is still open-ended without lo/hi


# ---- snapshots -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["index.html", story_path("strikes")])
def test_pages_match_their_snapshots(report, page, request):
    """Review a changed snapshot with git diff; regenerate with --update-snapshots."""
    snapshot = SNAPSHOTS / Path(page).name
    html = (report / page).read_text(encoding="utf-8")
    if request.config.getoption("--update-snapshots"):
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(html, encoding="utf-8")
    assert snapshot.is_file(), "no snapshot yet: run pytest tests/test_report.py --update-snapshots"
    assert html == snapshot.read_text(encoding="utf-8"), f"{page} differs from {snapshot}; if intended, rerun with --update-snapshots"


def test_big_stories_are_split_into_pages_and_findings_link_to_the_right_one(tmp_path, monkeypatch):
    import auditor.report.html

    monkeypatch.setattr(auditor.report.html, "PAGE_SIZE", 2)
    write_report(tmp_path, fixed_result())
    pages = sorted(p.name for p in (tmp_path / "stories").glob(Path(story_path("strikes")).stem + "*"))
    assert pages == ["strikes-435232b3-2.html", "strikes-435232b3-3.html", "strikes-435232b3.html"]
    second = (tmp_path / "stories" / "strikes-435232b3-2.html").read_text(encoding="utf-8")
    assert "killed (continued)" in second and "Page 2 of 3" in second
    overview = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="stories/strikes-435232b3.html#group-2"' in overview  # killed starts on page 1


# ---- accessibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["index.html", story_path("strikes")])
def test_headings_never_skip_a_level_and_every_control_has_a_label(report, page):
    html = (report / page).read_text(encoding="utf-8")
    levels = [int(tag[1]) for tag, _ in Elements(html).tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    controls = re.findall(r"<label[^>]*>[^<]*<(?:select|input)", html)
    assert len(controls) == len(re.findall(r"<(?:select|input)\b", html))
    assert "<th" in html and 'scope="col"' in html


def test_hostile_story_id_is_escaped_everywhere(tmp_path):
    result = fixed_result()
    hostile = '"><svg onload=alert(1)>'
    result.claims.loc[result.claims["story_id"] == "budget", "story_id"] = hostile
    result.documents.loc[result.documents["story"] == "budget", "title"] = None
    write_report(tmp_path, result)
    for page in (tmp_path / "index.html", tmp_path / story_path(hostile)):
        html = page.read_text(encoding="utf-8")
        assert "<svg onload" not in html and "&#34;&gt;&lt;svg onload=alert(1)&gt;" in html


def test_cli_run_writes_parquet_only_with_the_flag(runner, corpus, tmp_path):
    """The flag's path through cli -> pipeline -> report; what the files hold is tested above."""
    pytest.importorskip("pyarrow", reason="pyarrow is in the test extra; install auditor[test]")
    from auditor.cli import main

    for flag, expected in (([], []), (["--parquet"], ["claims.parquet", "findings.parquet"])):
        out = tmp_path / f"out{len(flag)}"
        result = runner.invoke(main, ["run", str(corpus), "--out", str(out), "--state", str(tmp_path / f"s{len(flag)}.db"), *flag])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.glob("*.parquet")) == expected
        assert (out / "index.html").is_file() and list((out / "stories").glob("*.html"))


def test_documents_without_their_text_get_it_from_texts_a_batch_at_a_time(tmp_path):
    """A run's documents come without their text (the store holds it): the pages are the same."""
    (tmp_path / "whole").mkdir()
    write_report(tmp_path / "whole", fixed_result())
    result = fixed_result()
    by_id = dict(zip(result.documents["doc_id"], result.documents["text"]))
    result.documents = result.documents.drop(columns="text")
    asked = []

    def texts(doc_ids):
        asked.append(list(doc_ids))
        return iter([by_id.get(d) for d in doc_ids])

    (tmp_path / "fetched").mkdir()
    write_report(tmp_path / "fetched", result, texts=texts)
    pages = sorted(p.relative_to(tmp_path / "whole") for p in (tmp_path / "whole").rglob("*.html"))
    assert pages and pages == sorted(p.relative_to(tmp_path / "fetched") for p in (tmp_path / "fetched").rglob("*.html"))
    for page in pages:
        assert (tmp_path / "fetched" / page).read_text() == (tmp_path / "whole" / page).read_text()
    assert asked and all(len(ids) == len(set(ids)) for ids in asked)
