"""Report: the HTML audit (an overview page and one page per story) plus the exports.

    out/index.html              run metadata, skipped inputs, counts, stories ranked, changes, findings
    out/stories/<slug>-<h>.html  per metric group: an interval chart and the claims table
    out/static/report.{css,js}   loaded from beside the pages (the CSP allows 'self' and nothing else)
    out/claims.{csv,jsonl} out/findings.{csv,jsonl} out/validation.json out/summary.json

Story pages are separate files so that a 20,000-claim run opens at once and the report grows
linearly with the claims. One jinja2 Environment with autoescape on renders everything; nothing
from an article, a title, a URL or a rules file is marked safe: the highlighted sentence is
passed as three plain strings and links are kept only when they are http(s).
"""

from __future__ import annotations

import hashlib
import math
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from .charts import Attrs, interval_chart, source_colours
from ..columns import CLAIM_COLUMNS, CLEAR_VERDICTS, FINDING_COLUMNS, VERDICT_FIELDS
from ..formatting import number_text as format_figure
from ..intervals import interval
from .exports import plain_value, write_exports

from ..resources import REPORTS_DIR
SEVERITIES = ("critical", "warning", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
STATIC_FILES = ("report.css", "report.js")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PAGE_SIZE = 1000  # claims per story page: a page of this size opens in well under a second


def write_report(out_dir: Path, result, *, reference: pd.DataFrame | None = None, parquet: bool = False, texts=None) -> dict:
    """Write the pages, static assets and exports for an AuditResult into ``out_dir``.

    The documents' text is read only to place each claim's figure in its sentence: from the
    documents' ``text`` column, or when they have none, from ``texts`` (doc_ids -> an iterator
    of their texts in that order, e.g. :meth:`Store.texts`), a batch of stories at a time.

    ``reference`` is the reference table (story, metric, value, lower, upper, date, source),
    drawn on the charts when given; ``parquet`` adds claims.parquet and findings.parquet.

    Memory stays proportional to one story, not to the run: story views are built a few
    thousand claims at a time, a first pass keeps only what the overview and the ranking need
    (and where each finding's claims are), a second pass rebuilds each story's view, renders
    its pages and lets them go before the next story.

    Returns what the overview page was made of besides the summary (findings, story
    summaries, export names, verdict counts: plain values), for :func:`write_overview`.
    """
    if reference is None:
        reference = getattr(result, "reference", None)
    out_dir = Path(out_dir)
    findings = finding_views(result.findings)
    verdicts = claim_verdicts(result.claims, findings)
    exports = write_exports(out_dir, export_claims(result.claims, verdicts), result.findings, result.summary, result.validation, parquet=parquet)
    docs = {str(d["doc_id"]): d for d in result.documents.to_dict("records")}
    references = reference_index(reference)
    stories = story_summaries(iter_story_views(result.claims, docs, verdicts, references, texts=texts), findings)
    rank_stories(stories)
    env, site = environment(), site_view(result.summary)
    copy_static(out_dir)
    views = iter_story_views(result.claims, docs, verdicts, references, texts=texts)
    write_story_pages(out_dir, env, site, views, {s["story_id"]: s for s in stories})
    content = {"findings": findings, "stories": stories, "exports": exports, "verdicts": verdict_counts(verdicts)}
    write_overview(out_dir, result.summary, content, env)
    return content


def write_overview(out_dir: Path, summary: dict, content: dict, env=None) -> None:
    """index.html from the run's summary and the report's ``content`` (what :func:`write_report` returns)."""
    env = env or environment()
    overview = overview_view(summary, content["findings"], content["stories"], content["exports"], content["verdicts"])
    (out_dir / "index.html").write_text(env.get_template("overview.html").render(site=site_view(summary), root="", **overview), encoding="utf-8")


def copy_static(out_dir: Path) -> None:
    (out_dir / "static").mkdir(exist_ok=True)
    for name in STATIC_FILES:
        shutil.copyfile(REPORTS_DIR / "static" / name, out_dir / "static" / name)


def write_story_pages(out_dir: Path, env, site: dict, views, summaries: dict[str, dict]) -> None:
    """Render each story's pages as its view comes, with the rank and findings of its summary."""
    (out_dir / "stories").mkdir(exist_ok=True)
    template = env.get_template("story.html")
    for story in views:
        summary = summaries[story["story_id"]]
        story.update(findings=summary["findings"], severities=summary["severities"], rank=summary["rank"])
        filters = story_filters(story)
        for page in story["pages"]:
            html = template.render(site=site, root="../", story=story, page=page, filters=filters)
            (out_dir / page["path"]).write_text(html, encoding="utf-8")


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
    env.filters["severity_rank"] = lambda severity: SEVERITY_RANK.get(severity, len(SEVERITIES))
    return env


# ---- findings and verdicts -------------------------------------------------------------------


def finding_views(findings: pd.DataFrame) -> list[dict]:
    """Findings as plain dicts, most severe first, with claim_ids always a list of strings."""
    text = [c for c in FINDING_COLUMNS if c != "claim_ids"]
    rows = [{**f, **{k: one_line(_text(f.get(k))) for k in text}, "claim_ids": claim_id_list(f.get("claim_ids"))}
            for f in findings.to_dict("records")]
    return sorted(rows, key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), -_confidence(f.get("confidence")),
                                       str(f["type"]), str(f["story"]), str(f["metric"])))


def _confidence(value) -> float:
    """A finding's link confidence as a number for ranking (1 when it has none: not a link judgement)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 1.0
    return number if number == number else 1.0


def claim_verdicts(claims: pd.DataFrame, findings: list[dict]) -> dict[str, dict]:
    """claim_id -> verdict, severity, explanation: the check stage's columns when it wrote them,
    otherwise derived from the most severe finding that names the claim."""
    named: dict[str, list[dict]] = {}
    for f in findings:
        for cid in f["claim_ids"]:
            named.setdefault(cid, []).append(f)
    verdicts = {}
    columns = zip(*(_column(claims, c) for c in ("claim_id", *VERDICT_FIELDS)))
    for cid, verdict, severity, explanation in columns:  # only these columns: no record per claim
        cid = str(cid)
        own = named.get(cid, [])
        verdicts[cid] = {
            "verdict": _text(verdict) or (own[0]["type"] if own else "no finding"),
            "severity": _text(severity) or (own[0]["severity"] if own else ""),
            "explanation": _text(explanation) or "\n".join(_text(f["message"]) for f in own),
        }
    return verdicts


def _column(table: pd.DataFrame, name: str) -> list:
    return table[name].tolist() if name in table.columns else [None] * len(table)


def export_claims(claims: pd.DataFrame, verdicts: dict[str, dict]) -> pd.DataFrame:
    """Every column of the claims table (the claim record first, then what align and check
    added), with the verdict, its severity and explanation filled in for every claim."""
    ordered = [c for c in CLAIM_COLUMNS if c in claims.columns] + [c for c in claims.columns if c not in CLAIM_COLUMNS]
    table = claims[ordered]  # copy-on-write: adding the verdict columns leaves the claims table as it is
    ids = claims["claim_id"].astype(str)
    for column in VERDICT_FIELDS:
        table[column] = [verdicts[cid][column] for cid in ids]
    return table


# ---- story pages -----------------------------------------------------------------------------


def iter_story_views(claims: pd.DataFrame, docs: dict, verdicts: dict, references: dict, chunk: int = 5000, texts=None):
    """One view per story, in story-id order, with its metric groups, disputed groups first.

    Claims are turned into records a few thousand at a time (whole stories per batch: one
    to_dict per story is slow), so only the current batch's records and the current story's
    rows are alive at once; with ``texts`` (for documents without their text), the batch's
    documents' texts are fetched with it."""
    keys = [_text(story_id) or _text(story) or str(doc_id)
            for story_id, story, doc_id in zip(_column(claims, "story_id"), _column(claims, "story"), claims["doc_id"].tolist())]
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    del keys
    batch: list[str] = []
    size = 0
    for story_id in [*sorted(positions), None]:
        if story_id is not None and size < chunk:
            batch.append(story_id)
            size += len(positions[story_id])
            continue
        if batch:
            records = claims.take([i for s in batch for i in positions[s]]).to_dict("records")
            text_of = {}
            if texts is not None:
                ids = [d for d in dict.fromkeys(str(c["doc_id"]) for c in records) if "text" not in docs.get(d, {})]
                text_of = dict(zip(ids, texts(ids)))
            records = iter(records)
            for done in batch:
                rows = [claim_row(c, docs.get(str(c["doc_id"]), {}), verdicts[str(c["claim_id"])], text_of.get(str(c["doc_id"])))
                        for c in (next(records) for _ in positions[done])]
                yield story_view(done, rows, docs, references)
        batch, size = ([story_id], len(positions[story_id])) if story_id is not None else ([], 0)


def story_summaries(views, findings: list[dict]) -> list[dict]:
    """What the overview and the ranking need of each story (not its claims), with the findings
    linked to the story pages and figures their claims are on (see link_findings_to_stories)."""
    named = {c for f in findings for c in f["claim_ids"]}
    where: dict[str, tuple] = {}
    stories = []
    for view in views:
        summary = {k: v for k, v in view.items() if k not in ("groups", "pages")}
        for group in view["groups"]:
            for row in group["rows"]:
                if row["claim_id"] in named:
                    where[row["claim_id"]] = (summary, group["page_path"], group["anchor"], row["source_label"])
        stories.append(summary)
    link_findings_to_stories(findings, stories, where)
    return stories


def rank_stories(stories: list[dict]) -> None:
    """Most disputed first: critical findings, then warnings, then the largest gap, then info."""
    for story in stories:
        counts = Counter(f["severity"] for f in story["findings"])
        story["severities"] = {s: counts.get(s, 0) for s in SEVERITIES}
    stories.sort(key=lambda story: (
        -story["severities"]["critical"], -story["severities"]["warning"], -story["gap"], -story["severities"]["info"], story["story_id"]))
    for rank, story in enumerate(stories, 1):
        story["rank"] = rank


def story_view(story_id: str, rows: list[dict], docs: dict, references: dict) -> dict:
    sources = sorted({r["source_label"] for r in rows})
    colours = source_colours(sources)
    groups = group_views(story_id, rows, colours, references)
    widest = max(groups, key=lambda g: g["gap"])
    story_docs = [docs[d] for d in dict.fromkeys(r["doc_id"] for r in rows) if d in docs]
    pages = paginate(story_id, groups)
    return {
        "story_id": story_id,
        "title": story_title(story_id, story_docs),
        "path": pages[0]["path"],
        "pages": pages,
        "groups": groups,
        "sources": sources,
        "legend": [{"source": s, "colour": colours[s]} for s in sources],
        "claims": len(rows),
        "documents": len(story_docs),
        "disputed": sum(g["disputed"] for g in groups),
        "gap": widest["gap"],
        "gap_metric": widest["label"] if widest["gap"] > 0 else "",
        "findings": [],
    }


def group_views(story_id: str, rows: list[dict], colours: dict, references: dict) -> list[dict]:
    """The story's metric groups, disputed first, each with its claims by date and its chart."""
    by_group: dict[str, list[dict]] = {}
    for row in rows:
        by_group.setdefault(row["group_id"], []).append(row)
    groups = []
    for n, (group_id, members) in enumerate(sorted(by_group.items()), 1):
        members.sort(key=lambda r: (r["date_key"] == "", r["date_key"], r["source_label"], r["start"]))
        metric, unit = members[0]["metric"], members[0]["unit"]
        story_names = dict.fromkeys([story_id, *(r["story"] for r in members if r["story"])])
        refs = next((references[(name, metric)] for name in story_names if (name, metric) in references), None) or claim_references(members)
        groups.append({
            "anchor": f"group-{n}",
            "metric": metric,
            "unit": unit,
            "label": f"{metric} ({unit})" if unit and unit != "%" else metric,
            "rows": members,
            "claims": len(members),
            "continued": False,
            "disputed": any(r["disputed"] for r in members),
            "gap": relative_gap(members),
            "references": refs,
            # one claim and no reference: nothing to compare, the table row says it all
            "chart": interval_chart(members, refs, colours, unit) if len(members) > 1 or refs else None,
        })
    number_repeated_labels(groups)
    groups.sort(key=lambda g: (not g["disputed"], -len(g["rows"]), -g["gap"], g["label"]))
    return groups


def paginate(story_id: str, groups: list[dict]) -> list[dict]:
    """Split a story's groups into pages of at most PAGE_SIZE claims, so that any page opens in
    about a second; a group too big for what is left continues on the next page (its chart,
    of all its claims, stays with its first part). Each group learns the page it starts on."""
    size = PAGE_SIZE
    pages, room = [{"number": 1, "path": story_path(story_id), "groups": []}], size
    for group in groups:
        start = 0
        while start < len(group["rows"]):
            if room == 0:
                pages.append({"number": len(pages) + 1, "path": story_path(story_id, len(pages) + 1), "groups": []})
                room = size
            part = group["rows"][start:start + room]
            if start == 0:
                group["page_path"] = pages[-1]["path"]
            pages[-1]["groups"].append(group if len(part) == len(group["rows"]) else
                                       {**group, "rows": part, "continued": start > 0, "chart": None if start else group["chart"]})
            start += len(part)
            room -= len(part)
    return pages


def number_repeated_labels(groups: list[dict]) -> None:
    """align may split one metric into several groups (different scopes): tell them apart."""
    totals = Counter(g["label"] for g in groups)
    seen: Counter = Counter()
    for group in groups:
        if totals[group["label"]] > 1:
            seen[group["label"]] += 1
            group["label"] = f"{group['label']}, figure {seen[group['label']]} of {totals[group['label']]}"


def claim_references(rows: list[dict]) -> list[dict]:
    """Reference figures check attached to the claims, when no reference table came with the result."""
    values = sorted({r["reference_value"] for r in rows if math.isfinite(r["reference_value"])})
    return [{"value": v, "lower": math.nan, "upper": math.nan, "date": "", "source": ""} for v in values]


def claim_row(claim: dict, doc: dict, verdict: dict, text: str | None = None) -> dict:
    """What one row of a claims table (and one mark of a chart) needs, as plain values;
    ``text`` is the document's when ``doc`` comes without it."""
    before, figure, after = highlight(claim, _text(doc.get("text", text)))
    unit = _text(claim.get("unit"))
    value = _number(claim.get("value"))
    lo, hi = judged_interval(claim, value)
    # align may judge in a base unit (km -> m): then the unit and the stated value do not apply to lo..hi
    same_units = math.isnan(value) or lo <= value <= hi
    date_key = date_of(claim.get("published_at") if _text(claim.get("published_at")) else doc.get("published_at"))
    return Attrs({
        "claim_id": str(claim["claim_id"]),
        "doc_id": str(claim["doc_id"]),
        "group_id": _text(claim.get("group_id")) or f"{claim.get('story_id')}|{claim.get('metric')}|{unit}",
        "story": _text(claim.get("story")),
        "start": int(claim["start"]),
        "source_label": one_line(_text(claim.get("source")) or _text(doc.get("source")) or str(claim["doc_id"])),
        "url": safe_url(doc.get("url")),
        "title": one_line(_text(doc.get("title"))),
        "date_key": date_key,
        "date_label": date_key or "undated",
        "before": before,
        "figure": figure,
        "after": after,
        "value": value,
        "lo": lo,
        "hi": hi,
        "unit": unit,
        "dot": value if same_units else interval_middle(lo, hi),
        "interval": interval_text(lo, hi, unit if same_units else ""),
        "sort_interval": lo if math.isfinite(lo) else (hi if math.isfinite(hi) else 0),
        "metric": one_line(_text(claim.get("metric")) or _text(claim.get("counted")) or "figure"),
        "reference_value": _number(claim.get("reference_value")),
        "disputed": verdict["verdict"] not in CLEAR_VERDICTS,
        **verdict,
    })


def judged_interval(claim: dict, value: float) -> tuple[float, float]:
    """align's (lo, hi) when present; otherwise the bare interval the qualifier asserts."""
    lo, hi = _number(claim.get("lo")), _number(claim.get("hi"))
    if not (math.isnan(lo) or math.isnan(hi)):
        return lo, hi
    lower, upper = _number(claim.get("lower"), default=value), _number(claim.get("upper"), default=value)
    return interval(_text(claim.get("qualifier")), value, lower, upper)


def interval_middle(lo: float, hi: float) -> float:
    if math.isfinite(lo) and math.isfinite(hi):
        return (lo + hi) / 2
    return lo if math.isfinite(lo) else hi


def relative_gap(rows: list[dict]) -> float:
    """How far apart the intervals are: (highest lower bound - lowest upper bound) / the larger,
    0 when all the intervals share a value. 76 vs 95 deaths -> 0.2."""
    highest_lo = max((r["lo"] for r in rows if math.isfinite(r["lo"])), default=None)
    lowest_hi = min((r["hi"] for r in rows if math.isfinite(r["hi"])), default=None)
    if highest_lo is None or lowest_hi is None or highest_lo <= lowest_hi:
        return 0.0
    scale = max(abs(highest_lo), abs(lowest_hi))
    return (highest_lo - lowest_hi) / scale if scale else 0.0


def story_title(story_id: str, docs: list[dict]) -> str:
    """The earliest document's title (sources word it differently; one is enough), else the id."""
    dated = sorted(docs, key=lambda d: (date_of(d.get("published_at")) == "", date_of(d.get("published_at"))))
    return next((one_line(_text(d.get("title"))) for d in dated if _text(d.get("title"))), story_id)


def story_path(story_id: str, page: int = 1) -> str:
    """A file name that is stable across runs and safe whatever the story id holds."""
    slug = re.sub(r"[^a-z0-9]+", "-", story_id.lower()).strip("-")[:40] or "story"
    suffix = f"-{page}" if page > 1 else ""
    return f"stories/{slug}-{hashlib.sha1(story_id.encode()).hexdigest()[:8]}{suffix}.html"


def story_filters(story: dict) -> dict:
    rows = [r for g in story["groups"] for r in g["rows"]]
    return {
        "verdict": sorted({r["verdict"] for r in rows}),
        "severity": [s for s in SEVERITIES if any(r["severity"] == s for r in rows)],
        "source": story["sources"],
        "metric": sorted({g["metric"] for g in story["groups"]}),
    }


def reference_index(reference) -> dict[tuple[str, str], list[dict]]:
    """(story, metric) -> reference figures; an absent or empty reference table gives none."""
    if reference is None or len(reference) == 0:
        return {}
    index: dict[tuple[str, str], list[dict]] = {}
    for ref in reference.to_dict("records"):
        # the judged interval (ref_lo, ref_hi: base units, like the claims' lo, hi) when the
        # reference loader computed it, else the bounds as written
        lower = _number(ref.get("ref_lo"), default=_number(ref.get("lower")))
        upper = _number(ref.get("ref_hi"), default=_number(ref.get("upper")))
        value = _number(ref.get("value"))
        if math.isfinite(lower) and math.isfinite(upper) and not lower <= value <= upper:
            value = (lower + upper) / 2
        index.setdefault((str(ref.get("story")), str(ref.get("metric"))), []).append({
            "value": value,
            "lower": lower if lower < upper else math.nan,
            "upper": upper if lower < upper else math.nan,
            "date": date_of(ref.get("date")),
            "source": one_line(_text(ref.get("source"))),
        })
    return index


# ---- overview --------------------------------------------------------------------------------


def site_view(summary: dict) -> dict:
    """What every page's footer shows: when the run finished and with which versions."""
    return {"finished_at": _text(summary.get("finished_at")), "versions": versions(summary)}


def versions(summary: dict) -> dict[str, str]:
    found = {"auditor": _text(summary.get("auditor_version")) or "unknown"}
    found["rules"] = _text(summary.get("rules_version")) or _text(summary.get("rules_hash")) or "not recorded"
    extra = summary.get("versions")
    if isinstance(extra, dict):
        found.update({str(k): _text(v) for k, v in extra.items() if k not in found})
    return found


def verdict_counts(verdicts: dict[str, dict]) -> list[tuple[str, int]]:
    """Claims per verdict, most frequent first."""
    return sorted(Counter(v["verdict"] for v in verdicts.values()).items(), key=lambda kv: (-kv[1], kv[0]))


def overview_view(summary: dict, findings: list[dict], stories: list[dict], exports: list[str], verdicts: list) -> dict:
    """``verdicts``: :func:`verdict_counts`."""
    sources_of = {f["finding_id"]: f["sources"] for f in findings}
    return {
        "verdicts": verdicts,
        "summary": summary,
        "inputs": [str(i) for i in summary.get("inputs") or []],
        "errors": [{"input": _text(e.get("input")), "reason": _text(e.get("reason"))} for e in summary.get("errors") or []],
        "counts": count_matrix(findings),
        "stories": stories,
        "findings": findings,
        "changes": changes_view(summary.get("changes"), {f["finding_id"]: f for f in findings}),
        "exports": exports,
        "filters": {
            "type": sorted({str(f["type"]) for f in findings}),
            "severity": [s for s in SEVERITIES if any(f["severity"] == s for f in findings)],
            "source": sorted({s for ids in sources_of.values() for s in ids}),
            "metric": sorted({str(f["metric"]) for f in findings}),
        },
    }


def link_findings_to_stories(findings: list[dict], stories: list[dict], where: dict[str, tuple]) -> None:
    """Give each finding the story page and figure its claims are on (by claim, since a finding's
    story may name the input's story while pages follow align's), and the sources of its claims.
    ``where``: claim id -> (story, its group's page path, the group's anchor, source label)."""
    by_id = {s["story_id"]: s for s in stories}
    for f in findings:
        located = [where[c] for c in f["claim_ids"] if c in where]
        story = located[0][0] if located else by_id.get(str(f["story"]))
        page_path, anchor = (located[0][1], located[0][2]) if located else (None, None)
        f["story_path"] = (f"{page_path}#{anchor}" if located else story["path"]) if story else None
        # for the findings table on the story's first page
        f["group_href"] = (f"#{anchor}" if page_path == story["path"] else f"{Path(page_path).name}#{anchor}") if located else ""
        f["story_title"] = story["title"] if story else str(f["story"])
        f["sources"] = sorted({label for *_, label in located})
        if story:
            story["findings"].append(f)


def count_matrix(findings: list[dict]) -> dict:
    """Findings counted by type (rows) and severity (columns), with totals."""
    counts = Counter((str(f["type"]), f["severity"]) for f in findings)
    types = sorted({t for t, _ in counts})
    return {
        "severities": list(SEVERITIES),
        "rows": [{"type": t, "cells": [counts.get((t, s), 0) for s in SEVERITIES], "total": sum(counts.get((t, s), 0) for s in SEVERITIES)} for t in types],
        "totals": [sum(counts.get((t, s), 0) for t in types) for s in SEVERITIES],
        "total": len(findings),
    }


def changes_view(changes, current: dict[str, dict]) -> dict | None:
    """Run history, when the batch stage recorded it: new, resolved and changed findings."""
    if not isinstance(changes, dict):
        return None

    def describe(item) -> dict:
        finding = current.get(item) if isinstance(item, str) else item
        if not isinstance(finding, dict):
            return {"type": "", "story": "", "metric": "", "message": f"finding {item}", "previous_message": ""}
        return {k: _text(finding.get(k)) for k in ("type", "story", "metric", "message", "previous_message")}

    previous = changes.get("previous_run")
    return {
        "previous_run": {k: _text(v) for k, v in previous.items()} if isinstance(previous, dict) else None,
        "new": [describe(i) for i in changes.get("new") or []],
        "resolved": [describe(i) for i in changes.get("resolved") or []],
        "changed": [describe(i) for i in changes.get("changed") or []],
    }


# ---- small helpers ---------------------------------------------------------------------------


def highlight(claim: dict, text: str) -> tuple[str, str, str]:
    """Split the claim's sentence around its figure, using the offsets into the document text."""
    sentence, start, end = _text(claim.get("sentence")), int(claim["start"]), int(claim["end"])
    surface = _text(claim.get("surface"))
    sentence_start = text.rfind(sentence, max(0, end - len(sentence)), start + len(sentence)) if sentence else -1
    if sentence_start < 0 or not (sentence_start <= start and end <= sentence_start + len(sentence)):
        return "", surface, ""
    a, b = start - sentence_start, end - sentence_start
    return sentence[:a], sentence[a:b], sentence[b:]


def safe_url(url) -> str | None:
    """Only http(s) URLs with a host become links; anything else (javascript:, data:) is dropped."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc and url == url.strip():
        return url
    return None


def interval_text(lo: float, hi: float, unit: str = "") -> str:
    """The interval a claim allows, as a reader would write it: "76", "≥ 20", "180,000 – 220,000"."""
    suffix = "%" if unit == "%" else (f" {unit}" if unit else "")
    if math.isfinite(lo) and math.isfinite(hi):
        return f"{format_figure(lo)}{suffix}" if lo == hi else f"{format_figure(lo)} – {format_figure(hi)}{suffix}"
    if math.isfinite(lo):
        return f"≥ {format_figure(lo)}{suffix}"
    if math.isfinite(hi):
        return f"≤ {format_figure(hi)}{suffix}"
    return "any value"


def date_of(value) -> str:
    """The ISO date (YYYY-MM-DD) a value starts with, else ""."""
    text = _text(value)
    return text[:10] if ISO_DATE.match(text) else ""


def claim_id_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in plain_value(value)]


def one_line(text: str) -> str:
    """Collapse whitespace, so a label is one line and newline can separate filter values."""
    return " ".join(text.split())


def _text(value) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # a list or an array: not a missing scalar
        pass
    return str(value)


def _number(value, default: float = math.nan) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else number
