"""Documents -> claims: extract_document, the claims table (in-process or a process pool), claim ids
and the extractor version."""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import multiprocessing
from pathlib import Path

from ..columns import CLAIM_COLUMNS
from . import packs
from ..ruleset import EXTRACTION_FILES, rules_files_in
from .patterns import patterns
from .sentences import split_sentences
from .units import tables
from .scan import figures_in_sentence
from .speakers import attribution
from .vocabulary import lexicon, rules_dir_in_use, rules_in_use


EXTRACTOR_NAME = "auditor-extract/3"  # 2: claims carry extracted_by; 3: quantulum3 no longer asked
SERIAL_LIMIT = 64  # fewer documents than this are extracted in-process


def claim_id(doc_id: str, start: int, end: int, surface: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{start}\x1f{end}\x1f{surface}".encode("utf-8")).hexdigest()[:16]


def extract_document(doc: dict, rejected: list | None = None, rules_dir: str | Path | None = None) -> list[dict]:
    """The claims of one document, ordered by start; ``text[start:end] == surface``.

    ``rejected``, when given, receives one dict (start, end, surface, rule) for every number read
    that was made no claim, with the id of the rule that dropped it. ``rules_dir``: the rules folder
    to extract with (default: the one in use, else the bundled rules)."""
    with rules_in_use(rules_dir):
        return _extract_document(doc, rejected)


def _extract_document(doc: dict, rejected: list | None) -> list[dict]:
    text = doc.get("text") or ""
    doc_id = str(doc.get("doc_id") or "")
    claims, implicit = [], []
    for s_start, s_end in split_sentences(text):
        sentence = text[s_start:s_end]
        dropped: list | None = [] if rejected is not None else None
        figures = figures_in_sentence(sentence, dropped)
        for start, end, rule in dropped or ():
            rejected.append({"start": s_start + start, "end": s_start + end,
                             "surface": sentence[start:end], "rule": rule})
        if not figures:
            continue
        said = attribution(sentence)
        for fig in figures:
            start, end = s_start + fig.start, s_start + fig.end
            surface = text[start:end]
            claims.append({
                "claim_id": claim_id(doc_id, start, end, surface),
                "doc_id": doc.get("doc_id"),
                "source": _clean(doc.get("source")),
                "published_at": _clean(doc.get("published_at")),
                "story": _clean(doc.get("story")),
                "start": start,
                "end": end,
                "surface": surface,
                "sentence": sentence,
                "value": float(fig.value),
                "lower": None if fig.lower is None else float(fig.lower),
                "upper": None if fig.upper is None else float(fig.upper),
                "qualifier": fig.qualifier,
                "change": fig.change,
                "unit": fig.unit,
                "counted": fig.counted,
                "metric": fig.metric,
                "attribution": said,
                "extracted_by": " ".join(fig.rules),
            })
            implicit.append(fig.implicit)
    lex = lexicon()
    for pack in packs.active(lex.packs):
        claims = pack.document_claims(claims, implicit, lex)
    return claims


def _clean(value):
    """None for missing values, whatever form they came in (NaN, NaT, pandas NA)."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return value
    return value


def extractor_version(rules_dir: str | Path | None = None) -> str:
    """What produces the claims, for the state store: the extractor's name, the extract stage's code
    (packs included) and the rules files it reads from ``rules_dir`` (default: the folder in use:
    extraction, taxonomy, units, currencies, the packs and the declared patterns).
    Any change to these re-extracts every stored document on the next run: claims could differ."""
    rules_dir = Path(rules_dir) if rules_dir is not None else rules_dir_in_use()
    digest = hashlib.sha256(EXTRACTOR_NAME.encode())
    code = sorted(Path(__file__).parent.rglob("*.py"))
    rules = [*(rules_dir / name for name in EXTRACTION_FILES), *rules_files_in(rules_dir, "packs"),
             *rules_files_in(rules_dir, "patterns")]
    for path in [*code, *rules]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def extract_claims(documents, workers: int | None = None, rules_dir: str | Path | None = None):
    """The claims table (columns CLAIM_COLUMNS) of an iterable of documents or a DataFrame,
    extracted with the rules of ``rules_dir`` (default: the bundled rules).

    Small inputs run in-process; larger ones stream through a process pool in input order,
    a bounded batch at a time.
    """
    import pandas as pd

    return pd.DataFrame(list(iter_claims(documents, workers, rules_dir)), columns=list(CLAIM_COLUMNS))


def iter_claims(documents, workers: int | None = None, rules_dir: str | Path | None = None):
    """The claim records of an iterable of documents, in input order, as they are extracted (no
    pandas: ``auditor extract`` streams them straight to its output), with the rules of ``rules_dir``."""
    docs = _iter_documents(documents)
    head = list(itertools.islice(docs, SERIAL_LIMIT))
    workers = workers if workers is not None else (multiprocessing.cpu_count() or 1)
    with rules_in_use(rules_dir):  # restored when the claims have all been taken
        _compiled_rules()  # a rules error stops the run before the first claim
        if len(head) < SERIAL_LIMIT or workers <= 1:
            for doc in itertools.chain(head, docs):
                yield from _extract_document(doc, None)
        else:
            yield from _extract_parallel(itertools.chain(head, docs), workers, rules_dir_in_use())


def write_claims_jsonl(sink, claims) -> int:
    """Claim records as JSON lines in CLAIM_COLUMNS order, as they come (the same lines the claims
    table's JSONL export writes: NaN and infinities as null); returns how many were written."""
    count = 0
    for claim in claims:
        record = {column: _json_value(claim.get(column)) for column in CLAIM_COLUMNS}
        sink.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def _json_value(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _extract_parallel(docs, workers: int, rules_dir: Path):
    from ..pool import parallel_map

    warm_up = _compiled_rules  # compile the rules before forking, so workers inherit them
    extract = functools.partial(extract_document, rules_dir=rules_dir)  # workers that are not forked start with the bundled rules
    for _, claims in parallel_map(extract, ((doc,) for doc in docs), workers, warm_up=warm_up):
        if isinstance(claims, Exception):
            raise claims
        yield from claims


def _compiled_rules():
    """The rules of the folder in use, compiled once: word lists, unit tables, declared patterns."""
    return lexicon(), tables(), patterns()


def _iter_documents(documents):
    if hasattr(documents, "to_dict") and hasattr(documents, "columns"):
        for record in documents.itertuples(index=False):
            record = record._asdict()
            yield {"doc_id": record.get("id"), **record}  # an "id" column names the document unless doc_id does
    else:
        yield from documents
