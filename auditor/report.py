"""Report: render the HTML audit and write the exports beside it.

One jinja2 Environment with autoescape on; templates live in reports/templates
(pages extend base.html, partials are _name.html). Nothing from an article is
marked safe: the highlighted sentence is passed as three plain strings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

REPORTS_DIR = Path(__file__).resolve().parent.parent / "reports"


def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPORTS_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["figure"] = format_figure
    return env


def render_index(documents: pd.DataFrame, claims: pd.DataFrame, findings: pd.DataFrame, summary: dict) -> str:
    stylesheet = (REPORTS_DIR / "static" / "report.css").read_text(encoding="utf-8")
    stories = story_views(documents, claims, findings)
    return environment().get_template("index.html").render(
        summary=summary, stories=stories, findings=findings.to_dict("records"), stylesheet=stylesheet
    )


def story_views(documents: pd.DataFrame, claims: pd.DataFrame, findings: pd.DataFrame) -> list[dict]:
    """Stories with their metric groups, disagreeing groups first, ranked by how many findings."""
    texts = dict(zip(documents["doc_id"], documents["text"]))
    urls = dict(zip(documents["doc_id"], documents["url"]))
    flagged = {cid: f["type"] for f in findings.to_dict("records") for cid in f["claim_ids"]}
    stories = []
    for story_id, story_claims in claims.groupby("story_id", sort=True):
        groups = []
        for group_id, group in story_claims.groupby("group_id", sort=True):
            rows = [claim_view(c, texts.get(c["doc_id"], ""), urls.get(c["doc_id"]), flagged) for c in group.sort_values(["published_at", "doc_id", "start"], na_position="first").to_dict("records")]
            verdicts = {r["verdict"] for r in rows}
            groups.append({"group_id": group_id, "metric": rows[0]["metric_label"], "rows": rows, "disputed": verdicts != {"ok"}})
        groups.sort(key=lambda g: (not g["disputed"], g["metric"]))
        disputes = sum(g["disputed"] for g in groups)
        stories.append({"story_id": story_id, "groups": groups, "disputes": disputes, "sources": sorted(set(story_claims["source"].dropna()))})
    stories.sort(key=lambda s: (-s["disputes"], s["story_id"]))
    return stories


def claim_view(claim: dict, text: str, url: str | None, flagged: dict) -> dict:
    before, figure, after = highlight(claim, text)
    return {
        **claim,
        "url": url,
        "before": before,
        "figure": figure,
        "after": after,
        "verdict": flagged.get(claim["claim_id"], "ok"),
        "metric_label": claim.get("metric") or claim.get("counted") or claim.get("unit") or "figure",
    }


def highlight(claim: dict, text: str) -> tuple[str, str, str]:
    """Split the claim's sentence around its figure, using the offsets into the document text."""
    sentence, start, end = claim["sentence"] or "", int(claim["start"]), int(claim["end"])
    sentence_start = text.rfind(sentence, max(0, end - len(sentence)), start + len(sentence)) if sentence else -1
    if sentence_start < 0 or not (sentence_start <= start and end <= sentence_start + len(sentence)):
        return "", claim["surface"], ""
    a, b = start - sentence_start, end - sentence_start
    return sentence[:a], sentence[a:b], sentence[b:]


def safe_url(url) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, data:) is dropped."""
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return url
    return None


def format_figure(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:,.6g}"


def write_report(out_dir: Path, result) -> None:
    """Write index.html and the exports for an AuditResult into ``out_dir``."""
    from .columns import ALIGN_COLUMNS, CLAIM_COLUMNS

    exported = result.claims[[c for c in (*CLAIM_COLUMNS, *ALIGN_COLUMNS) if c in result.claims.columns]]
    write_exports(out_dir, exported, result.findings, result.summary, result.validation)
    html = render_index(result.documents, result.claims, result.findings, result.summary)
    (out_dir / "index.html").write_text(html, encoding="utf-8")


def write_exports(out_dir: Path, claims: pd.DataFrame, findings: pd.DataFrame, summary: dict, validation: list[dict]) -> None:
    write_jsonl(out_dir / "claims.jsonl", claims)
    write_jsonl(out_dir / "findings.jsonl", findings)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    (out_dir / "validation.json").write_text(json.dumps(validation, indent=1, default=str) + "\n", encoding="utf-8")


def write_jsonl(path: Path, table: pd.DataFrame) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in table.to_dict("records"):
            out.write(json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False, default=str) + "\n")


def _plain(value):
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
