"""Aligning a block of stories at a time gives exactly the whole run's alignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.align.blocks import align_in_blocks, story_blocks
from auditor.align.groups import align_claims
from auditor.check.validate import check_claims
from auditor.pipeline import read_inputs
from auditor.extract import extract_claims
from auditor.ruleset import load_rules

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"demo": ROOT / "examples" / "news", "spark fixture": ROOT / "tests" / "fixtures" / "spark_corpus"}


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def claims_of(folder: Path, drop_stories: bool = False):
    documents, _ = read_inputs([str(folder)])
    if drop_stories:  # stories then come from clustering the texts, across the whole run
        documents = documents.assign(story=None)
    return documents, extract_claims(documents.to_dict("records"))


@pytest.mark.parametrize("name", sorted(CORPORA))
@pytest.mark.parametrize("drop_stories", [False, True])
def test_blocks_of_stories_give_the_whole_runs_claims_groups_and_findings(rules, name, drop_stories):
    documents, claims = claims_of(CORPORA[name], drop_stories)
    whole = align_claims(claims, rules, documents)
    assert whole["story_id"].nunique() > 2 and whole["group_id"].nunique() > 5  # enough to split
    for size in (1, 7, 40):  # 1: every story a block of its own
        blocks = align_in_blocks(claims, rules, documents, block_claims=size)
        pd.testing.assert_frame_equal(blocks, whole)
    pd.testing.assert_frame_equal(check_claims(blocks, rules).findings, check_claims(whole, rules).findings)


def test_a_block_holds_whole_stories_in_claim_order():
    story = np.array(["b", "a", "b", "c", "a", "c", "c", "d"])
    blocks = story_blocks(story, block_claims=3)
    assert [b.tolist() for b in blocks] == [[0, 2], [1, 4], [3, 5, 6], [7]]
    assert [b.tolist() for b in story_blocks(story, block_claims=100)] == [list(range(8))]
