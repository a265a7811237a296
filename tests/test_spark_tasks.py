"""The pandas functions the Spark engine runs in its tasks, without Spark: what they compute
over partitions adds up to what the pandas engine computes over the whole run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from auditor.align.groups import claim_contexts, context_idf
from auditor.spark import tasks

# invented sentences: three documents, one sentence stated twice in a document
CLAIMS = [
    {"doc_id": "d1", "sentence": "The council spent 4 million on roads and 2 million on parks.", "surface": "4 million"},
    {"doc_id": "d1", "sentence": "The council spent 4 million on roads and 2 million on parks.", "surface": "2 million"},
    {"doc_id": "d1", "sentence": "Fares rose by 3% in March.", "surface": "3%"},
    {"doc_id": "d2", "sentence": "Roads got 4 million, the council said.", "surface": "4 million"},
    {"doc_id": "d2", "sentence": "Some 120 buses run each day.", "surface": "120"},
    {"doc_id": "d3", "sentence": "Parks received 2 million from the council.", "surface": "2 million"},
]


def state_rows(claims: list[dict]) -> pd.DataFrame:
    """Claims as the state table holds them: doc_id, ordinal within the document, record as JSON."""
    frame = pd.DataFrame({"doc_id": [c["doc_id"] for c in claims], "record": [json.dumps(c) for c in claims]})
    return frame.assign(ordinal=frame.groupby("doc_id").cumcount())


def test_context_term_counts_summed_over_partitions_give_the_idf_of_the_whole_run():
    rows = state_rows(CLAIMS)
    # two partitions of whole documents (terms such as "council" are in both), rows in any order
    partitions = [rows[rows["doc_id"].isin(["d2", "d1"])].iloc[::-1], rows[rows["doc_id"] == "d3"]]
    counts = pd.concat([frame for part in partitions for frame in tasks.context_terms(iter([part]))])
    summed = counts.groupby("term", as_index=False)["df"].sum()
    terms, idf = tasks.run_idf(summed)
    want_terms, want_idf = context_idf(claim_contexts(pd.DataFrame(CLAIMS)))
    np.testing.assert_array_equal(terms, want_terms)
    np.testing.assert_array_equal(idf, want_idf)
    assert int(summed.loc[summed["term"] == -1, "df"].iloc[0]) == len(CLAIMS)


def test_an_empty_partition_gives_no_rows():
    assert list(tasks.context_terms(iter([]))) == []
    assert list(tasks.context_terms(iter([state_rows(CLAIMS).iloc[:0]]))) == []
