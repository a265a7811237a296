"""Align stage: stories, groups, roles and judged intervals on claim tables built in the test."""

import math

import pandas as pd
import pytest

from auditor.align.groups import align_claims, mask_sentence
from auditor.check.cases import claims_table
from auditor.columns import ALIGN_COLUMNS
from auditor.align.judge import rounding_slack, unit_dimension
from auditor.ruleset import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def test_align_adds_its_columns_and_keeps_the_claims(rules):
    claims = claims_table([{"doc": "a", "value": 76, "counted": "deaths"}], story="s")
    aligned = align_claims(claims, rules)
    assert set(ALIGN_COLUMNS) <= set(aligned.columns)
    assert aligned.loc[0, "story_id"] == "s" and aligned.loc[0, "claim_id"] == "a0"


def test_empty_claims_give_an_empty_table(rules):
    aligned = align_claims(claims_table([]), rules)
    assert len(aligned) == 0 and set(ALIGN_COLUMNS) <= set(aligned.columns)


@pytest.mark.parametrize(
    "record, lo, hi",
    [
        ({"surface": "at least 20", "value": 20, "qualifier": "at_least"}, 20, math.inf),
        ({"surface": "less than 25", "value": 25, "qualifier": "less_than"}, -math.inf, 25),
        ({"surface": "about 200,000", "value": 200000, "qualifier": "approx"}, 180000, 220000),
        ({"surface": "76", "value": 76}, 76, 76),
        ({"surface": "between 10 and 15", "value": 12.5, "qualifier": "range", "lower": 10, "upper": 15}, 10, 15),
    ],
)
def test_intervals_follow_the_qualifier(rules, record, lo, hi):
    aligned = align_claims(claims_table([record], story="s"), rules)
    assert aligned.loc[0, "lo"] == pytest.approx(lo, rel=1e-6)
    assert aligned.loc[0, "hi"] == pytest.approx(hi, rel=1e-6)


def test_more_than_excludes_its_bound(rules):
    aligned = align_claims(claims_table([{"surface": "more than 20", "value": 20, "qualifier": "more_than"}], "s"), rules)
    assert aligned.loc[0, "lo"] > 20


def test_rounding_honours_decimals_and_scale_words():
    assert rounding_slack(1.1e9, "1.1bn") == pytest.approx(0.05e9)
    assert rounding_slack(46e6, "£46m") == pytest.approx(0.5e6)
    assert rounding_slack(76, "76") == 0
    assert rounding_slack(2000, "2,000") == 0


def test_measures_convert_and_currencies_stay_apart():
    assert unit_dimension("km")[0] == unit_dimension("miles")[0]
    assert unit_dimension("miles")[1] == pytest.approx(1609.344)
    assert unit_dimension("GBP") != unit_dimension("USD")
    assert unit_dimension("%")[0] == "percent" and unit_dimension("")[0] == "count"


def test_mask_sentence_marks_the_figure_and_hides_the_others():
    assert mask_sentence("Sales rose to $11.1bn from $10.9bn.", "$10.9bn") == "sales rose to $ qnum bn from  qself . l_qnum l_bn l_from"


def test_an_earlier_value_has_the_previous_role(rules):
    sentence = "Sales rose to $11.1bn from $10.9bn."
    claims = claims_table(
        [{"surface": "$11.1bn", "value": 11.1e9, "unit": "USD", "sentence": sentence},
         {"surface": "$10.9bn", "value": 10.9e9, "unit": "USD", "sentence": sentence}], "s")
    assert list(align_claims(claims, rules)["role"]) == ["current", "previous"]


def test_same_figure_in_two_documents_forms_one_group(rules):
    claims = claims_table(
        [{"doc": "a", "surface": "76", "value": 76, "counted": "deaths", "sentence": "Strikes caused 76 deaths."},
         {"doc": "a", "surface": "20", "value": 20, "counted": "boats", "sentence": "Strikes destroyed 20 boats."},
         {"doc": "b", "surface": "20", "value": 20, "counted": "boats", "sentence": "They destroyed 20 boats."},
         {"doc": "b", "surface": "95", "value": 95, "counted": "deaths", "sentence": "Strikes caused 95 deaths."}], "s")
    groups = align_claims(claims, rules).set_index("claim_id")["group_id"]
    assert groups["a0"] == groups["b3"] and groups["a1"] == groups["b2"] and groups["a0"] != groups["a1"]


def test_claims_in_unrelated_sentences_do_not_pair(rules):
    claims = claims_table(
        [{"doc": "a", "surface": "£46m", "value": 46e6, "unit": "GBP", "sentence": "The show earned £46m over three series."},
         {"doc": "b", "surface": "£27.2m", "value": 27.2e6, "unit": "GBP", "sentence": "Merchandise sales hit the £27.2m mark."}], "s")
    aligned = align_claims(claims, rules)
    assert aligned["group_id"].nunique() == 2


def test_documents_without_story_are_grouped_by_text(rules):
    text_a = "Flooding in the river valley forced thousands of residents from their homes on Monday, officials said."
    text_b = "Thousands of residents were forced from their homes by flooding in the river valley on Monday."
    text_c = "The central bank raised interest rates by a quarter point to curb inflation, its governor said."
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "story": [None, None, None], "published_at": ["2025-01-06"] * 3,
        "title": ["Floods", "Valley floods", "Rates rise"], "text": [text_a, text_b, text_c],
    })
    claims = claims_table([{"doc": d, "value": 1, "story": None} for d in "abc"])
    stories = align_claims(claims, rules, documents).set_index("doc_id")["story_id"]
    assert stories["a"] == stories["b"] == "auto:a" and stories["c"] == "auto:c"


def test_story_overrides_win(rules):
    claims = claims_table([{"doc": "a", "value": 1, "story": None}, {"doc": "b", "value": 1, "story": "given"}])
    stories = align_claims(claims, rules, story_overrides={"a": "mine"}).set_index("doc_id")["story_id"]
    assert stories["a"] == "mine" and stories["b"] == "given"


def test_publication_window_separates_similar_documents(rules):
    text = "Flooding in the river valley forced thousands of residents from their homes, officials said."
    documents = pd.DataFrame({"doc_id": ["a", "b"], "story": [None, None], "published_at": ["2025-01-06", "2025-03-01"],
                              "title": ["Floods", "Floods"], "text": [text, text]})
    claims = claims_table([{"doc": d, "value": 1, "story": None} for d in "ab"])
    assert align_claims(claims, rules, documents)["story_id"].nunique() == 2



def test_candidate_pairs_are_every_cross_document_pair_of_one_block():
    import numpy as np

    from auditor.align.pairs import candidate_pairs

    rng = np.random.default_rng(0)
    n = 200
    aligned = pd.DataFrame({
        "story_id": rng.choice(["s1", "s2"], n), "doc_id": rng.choice([f"doc{k}" for k in range(6)], n),
        "dimension": rng.choice(["count", "percent"], n), "change": rng.choice([None, "up"], n),
    })
    left, right, _ = candidate_pairs(aligned)
    found = set(zip(left.tolist(), right.tolist()))
    key = aligned["story_id"] + aligned["dimension"] + aligned["change"].fillna("level")
    expected = {(i, j) if aligned.doc_id[i] < aligned.doc_id[j] else (j, i)
                for i in range(n) for j in range(i + 1, n) if key[i] == key[j] and aligned.doc_id[i] != aligned.doc_id[j]}
    assert len(found) == len(left) and found == expected


def test_hashed_context_vectors_match_the_tfidf_vocabulary():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from auditor.align.groups import context_vectors

    contexts = ["officials said qself people were killed", "qself people were killed l_said", "sales rose to qself from qnum"]
    expected = TfidfVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", sublinear_tf=True).fit_transform(contexts)
    hashed = context_vectors(contexts)
    assert np.allclose((hashed @ hashed.T).toarray(), (expected @ expected.T).toarray())


def test_context_vectors_do_not_depend_on_the_chunk_size():
    """Weighted a chunk at a time, with document frequencies summed over the chunks: bit for bit
    the matrix of one chunk, so scores and groups do not change with the size of the run."""
    import numpy as np

    from auditor.align.groups import context_vectors

    contexts = [f"officials said qself people were killed in town {i % 7} qnum" for i in range(40)] + ["sales rose qself"] * 5
    whole = context_vectors(contexts, chunk=len(contexts))
    for chunk in (1, 3, 16):
        part = context_vectors(contexts, chunk=chunk)
        assert np.array_equal(part.indptr, whole.indptr) and np.array_equal(part.indices, whole.indices)
        assert np.array_equal(part.data, whole.data)
    assert np.allclose(np.asarray(whole.multiply(whole).sum(axis=1)).ravel(), 1.0)


def test_documents_without_a_story_beside_ones_with_it_never_form_a_story_called_nan(rules):
    documents = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "story": ["s1", None, float("nan")], "published_at": ["2025-11-11"] * 3,
        "title": ["", "", ""],
        "text": ["Officials said 76 people died.", "The storm hit the coast on Monday.", "Markets fell sharply today."],
    })
    claims = claims_table([{"doc": d, "value": 1} for d in "abc"])
    stories = align_claims(claims.assign(story=documents["story"]), rules, documents).set_index("doc_id")["story_id"]
    assert stories["a"] == "s1" and "nan" not in set(stories) and stories["b"] != "s1"


def test_physical_measures_are_rounded_figures_and_counts_are_exact(rules):
    """"20 kilometers" stands for 19.5 to 20.5 km, so "12.5 miles" (20.1 km) agrees with it;
    "four months" and "five months" still disagree; "76 deaths" is exactly 76."""
    from auditor.align.judge import judge_intervals

    claims = claims_table([
        {"surface": "20 kilometers", "value": 20, "unit": "kilometer"},
        {"surface": "12.5 miles", "value": 12.5, "unit": "mile"},
        {"surface": "four months", "value": 4, "unit": "month"},
        {"surface": "five months", "value": 5, "unit": "month"},
        {"surface": "76", "value": 76, "counted": "deaths"},
    ], "s")
    judged = judge_intervals(claims, rules)
    lo, hi = judged["lo"].tolist(), judged["hi"].tolist()
    assert lo[0] < 19_600 and hi[0] > 20_400 and lo[0] <= hi[1] and lo[1] <= hi[0]
    assert hi[2] < lo[3]
    assert lo[4] == hi[4] == 76
