"""Report build time and size for synthetic runs of 2,000 and 20,000 claims.

    .venv/bin/python benchmarks/report_build.py             # 2,000 and 20,000 claims
    .venv/bin/python benchmarks/report_build.py 5000 --open # any sizes; --open also times page loads in chromium

Synthetic stories have 8 sources x 5 claims over 4 metrics (40 claims a story, so 50 and 500
stories), a third of the metric groups in conflict. Only the report is timed: no extraction.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from auditor.columns import CLAIM_COLUMNS, FINDING_COLUMNS
from auditor.report.html import write_report

SOURCES_PER_STORY, CLAIMS_PER_DOC = 8, 5
METRICS = (("killed", "people were killed", 76), ("injured", "people were injured", 240),
           ("troops", "troops were mobilized", 200_000), ("spending", "dollars were committed", 3e9))


def synthetic_result(n_claims: int, seed: int = 5) -> SimpleNamespace:
    rng = random.Random(seed)
    documents, claims, findings = [], [], []
    stories = max(1, n_claims // (SOURCES_PER_STORY * CLAIMS_PER_DOC))
    for s in range(stories):
        story = f"story-{s:04d}"
        disputed = {m for m, *_ in METRICS if rng.random() < 1 / 3}
        by_group: dict[str, list[str]] = {}
        for d in range(SOURCES_PER_STORY):
            doc_id, source = f"{story}-doc{d}", f"Outlet {chr(65 + d)}"
            sentences, rows = [], []
            for c in range(CLAIMS_PER_DOC):
                metric, phrase, base = METRICS[c % len(METRICS)]
                value = base * (1 + (0.3 * rng.random() if metric in disputed else 0))
                surface = f"{value:,.0f}"
                sentence = f"{source} reported on day {c} that {surface} {phrase}, according to officials in the region."
                start = sum(len(x) + 1 for x in sentences) + len(f"{source} reported on day {c} that ")
                sentences.append(sentence)
                row = {col: None for col in CLAIM_COLUMNS}
                row.update(claim_id=f"{doc_id}-c{c}", doc_id=doc_id, source=source, published_at=f"2025-11-{10 + d % 5:02d}",
                           story=story, start=start, end=start + len(surface), surface=surface, sentence=sentence,
                           value=float(round(value)), qualifier="exact", unit="USD" if metric == "spending" else "",
                           counted=metric, metric=metric, story_id=story, group_id=f"{story}|{metric}|",
                           lo=float(round(value)), hi=float(round(value)))
                rows.append(row)
                by_group.setdefault(metric, []).append(row["claim_id"])
            claims += rows
            documents.append({"doc_id": doc_id, "source": source, "url": f"https://{source.split()[1].lower()}.example/{story}",
                              "title": f"Report {s} by {source}", "published_at": f"2025-11-{10 + d % 5:02d}", "story": story,
                              "text": " ".join(sentences)})
        for metric in sorted(disputed):
            findings.append({"finding_id": f"{story}-{metric}", "type": "conflict", "check": "sources_agree",
                             "severity": rng.choice(("critical", "warning")), "story": story, "metric": metric,
                             "claim_ids": by_group[metric], "message": f"Sources disagree on {metric}."})
    claims_table = pd.DataFrame(claims[:n_claims])
    findings_table = pd.DataFrame(findings, columns=list(FINDING_COLUMNS))
    summary = {"auditor_version": "bench", "rules_hash": "bench", "finished_at": "2025-11-14T06:00:00+00:00", "inputs": ["synthetic"],
               "documents": len(documents), "claims": len(claims_table), "findings": {"total": len(findings_table)}, "errors": []}
    return SimpleNamespace(documents=pd.DataFrame(documents), claims=claims_table, findings=findings_table,
                           errors=[], validation=[], summary=summary)


def measure(n_claims: int, out: Path, open_pages: bool) -> dict:
    result = synthetic_result(n_claims)
    started, cpu_started = time.perf_counter(), time.process_time()
    write_report(out, result)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    files = [p for p in out.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    figures = {
        "claims": n_claims,
        "build_s": seconds,
        "build_cpu_s": cpu,  # steadier than wall time on a shared machine
        "total_mb": sum(p.stat().st_size for p in files) / 1e6,
        "html_mb": sum(p.stat().st_size for p in html) / 1e6,
        "index_kb": (out / "index.html").stat().st_size / 1e3,
        "largest_story_kb": max(p.stat().st_size for p in html if p.parent.name == "stories") / 1e3,
        "pages": len(html),
    }
    if open_pages:
        figures.update(page_load_seconds(out))
    return figures


def page_load_seconds(out: Path) -> dict:
    """Time to the load event of the overview and of the largest story page in headless chromium."""
    from playwright.sync_api import sync_playwright

    largest = max((out / "stories").glob("*.html"), key=lambda p: p.stat().st_size)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    timings = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for name, path in (("open_index_s", out / "index.html"), ("open_story_s", largest)):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            timings[name] = time.perf_counter() - started
            page.close()
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 20000], help="claim counts (default: 2000 20000)")
    parser.add_argument("--open", action="store_true", help="also time opening the pages in /usr/bin/chromium")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(measure(n, Path(tmp), args.open))
    table = pd.DataFrame(rows).set_index("claims")
    print(table.to_string(float_format=lambda v: f"{v:,.2f}"))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        print(f"\nsize per claim: {first['total_mb'] * 1e6 / first['claims']:,.0f} B at {first['claims']:,}, "
              f"{last['total_mb'] * 1e6 / last['claims']:,.0f} B at {last['claims']:,} (linear when these agree)")


if __name__ == "__main__":
    main()
