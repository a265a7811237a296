"""``auditor extract --explain``: for every claim and every number that was made no claim, the ids of
the rules that decided it, one line each in document order.

    doc-1  120-127  "$3.2bn"  claim 3200000000 USD  number.digits_scale unit.currency_before change.word_before
    doc-1  140-144  "2019"    no claim              filter.year

The ids are the claim's ``extracted_by``; each is a string in auditor/extract/ (grep it to find the rule).
"""

from __future__ import annotations

from .document import extract_document


def explain_document(doc: dict) -> list[dict]:
    """One row per claim and per dropped number: start, end, surface, outcome, rules (in order of start)."""
    rejected: list[dict] = []
    claims = extract_document(doc, rejected)
    rows = [{"start": c["start"], "end": c["end"], "surface": c["surface"], "outcome": _claim_summary(c),
             "rules": c["extracted_by"]} for c in claims]
    rows += [{"start": r["start"], "end": r["end"], "surface": r["surface"], "outcome": "no claim", "rules": r["rule"]}
             for r in rejected]
    return sorted(rows, key=lambda r: (r["start"], r["end"]))


def explain_lines(doc: dict) -> list[str]:
    doc_id = str(doc.get("doc_id") or "")
    return [f'{doc_id}\t{r["start"]}-{r["end"]}\t"{_one_line(r["surface"])}"\t{r["outcome"]}\t{r["rules"]}'
            for r in explain_document(doc)]


def _claim_summary(claim: dict) -> str:
    value = claim["value"]
    text = f"{value:g}" if claim["qualifier"] != "range" else f'{claim["lower"]:g}..{claim["upper"]:g}'
    parts = ["claim", text, claim["unit"] or "", claim["qualifier"] if claim["qualifier"] not in ("exact", "range") else "",
             claim["change"] or "", f'({claim["metric"]})' if claim["metric"] else ""]
    return " ".join(p for p in parts if p)


def _one_line(text: str) -> str:
    return " ".join(text.split())
