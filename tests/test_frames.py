"""Claim frames and pair decisions on invented sentences (never evaluation text)."""

import pytest

from auditor.align.frames import claim_frame, frame_words
from auditor.align.groups import align_claims, sentence_mates
from auditor.check.cases import claims_table
from auditor.ruleset import load_rules


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("sentence, surface, previous, expected", [
    ("The Senate fell short of the 60 votes to end debate on Tuesday.", "60 votes", False,
     {"measured": "vote to end debate", "entity": "senate", "time": "", "frame_role": "story"}),
    ("Officials said the death toll rose to 91 on Friday.", "91", False,
     {"measured": "death toll", "entity": "", "time": "", "frame_role": "story"}),
    ("Harper's 23 points led the team.", "23 points", False,
     {"measured": "point", "entity": "harper", "time": "", "frame_role": "story"}),
    ("Congress approved $5.7 billion for the border wall.", "$5.7 billion", False,
     {"measured": "border wall", "entity": "", "time": "", "frame_role": "story"}),
    ("The city recorded 14 murders last year, officials said.", "14", False,
     {"measured": "murder", "entity": "", "time": "last year", "frame_role": "background"}),
    ("The quake in 2004 killed 230 people.", "230", False,
     {"measured": "people", "entity": "", "time": "in 2004", "frame_role": "background"}),
    ("Sales reached $4 million, up from $3 million.", "$3 million", True,
     {"measured": "sale", "entity": "", "time": "", "frame_role": "comparison"}),
    ("\"We counted 40 boats,\" the captain said.", "40 boats", False,
     {"measured": "boat", "entity": "", "time": "", "frame_role": "quote"}),
    ("Revenue climbed to $9.4bn, and 2,500 jobs will go by Friday.", "2,500", False,
     {"measured": "job", "entity": "", "time": "", "frame_role": "story"}),
    ("Officials deployed 150,000 troops across the country on Tuesday.", "150,000 troops", False,
     {"measured": "troop", "entity": "", "time": "", "frame_role": "story"}),
    ("The agency puts the number of people killed at 11.", "11", False,
     {"measured": "people", "entity": "", "time": "", "frame_role": "story"}),
])
def test_frame_golden_cases(sentence, surface, previous, expected):
    assert claim_frame(sentence, surface, 0, frame_words(), previous) == expected


def test_a_part_of_a_total_has_the_part_role():
    assert claim_frame("Seven of the 12 jurors voted to acquit.", "Seven", 0, frame_words())["frame_role"] == "part"


def groups(records, rules):
    aligned = align_claims(claims_table(records, "s"), rules)
    return aligned.set_index("claim_id")


def test_the_same_figure_reworded_links(rules):
    out = groups([{"doc": "a", "surface": "76", "value": 76, "counted": "deaths", "metric": "killed",
                   "sentence": "The storm caused 76 deaths across the county, officials said."},
                  {"doc": "b", "surface": "76", "value": 76, "counted": "deaths", "metric": "killed",
                   "sentence": "In all, 76 deaths were recorded across the county."}], rules)
    assert out.loc["a0", "group_id"] == out.loc["b1", "group_id"]
    assert out.loc["a0", "link_confidence"] >= 0.65 and "death" in out.loc["a0", "link_words"]


def test_two_outlets_that_disagree_on_one_figure_link_and_conflict(rules):
    from auditor.check.validate import check_claims

    claims = claims_table([{"doc": "a", "surface": "76", "value": 76, "counted": "deaths", "metric": "killed",
                            "sentence": "Strikes have destroyed at least 20 boats and caused 76 deaths, officials said."},
                           {"doc": "b", "surface": "95", "value": 95, "counted": "deaths", "metric": "killed",
                            "sentence": "In all, 95 deaths have been recorded, officials said."}], "s")
    result = check_claims(align_claims(claims, rules), rules)
    conflict = result.findings[result.findings["type"] == "conflict"].iloc[0]
    assert sorted(conflict["claim_ids"]) == ["a0", "b1"]
    assert 0 < conflict["confidence"] < 1 and conflict["linked_by"] == "both: death"
    assert conflict["message"].startswith(("Conflict (link confidence", "Possible conflict (link confidence"))


def test_same_noun_for_different_entities_does_not_link(rules):
    out = groups([{"doc": "a", "surface": "31", "value": 31, "unit": "year", "metric": "age",
                   "sentence": "The driver, Tom Okafor, 31, was arrested at the scene."},
                  {"doc": "b", "surface": "16", "value": 16, "unit": "year", "metric": "age",
                   "sentence": "The victim, Ana Lindqvist, 16, died in hospital."}], rules)
    assert out.loc["a0", "group_id"] != out.loc["b1", "group_id"]


def test_same_entity_at_another_time_does_not_link(rules):
    out = groups([{"doc": "a", "surface": "12", "value": 12, "counted": "murders",
                   "sentence": "The town has seen 12 murders so far this year."},
                  {"doc": "b", "surface": "30", "value": 30, "counted": "murders",
                   "sentence": "Last year the town recorded 30 murders in total."}], rules)
    assert out.loc["a0", "group_id"] != out.loc["b1", "group_id"]


def test_a_part_does_not_link_with_its_total(rules):
    out = groups([{"doc": "a", "surface": "five", "value": 5, "counted": "jurors",
                   "sentence": "Five of the 12 jurors wanted to acquit the mayor."},
                  {"doc": "b", "surface": "12", "value": 12, "counted": "jurors",
                   "sentence": "The mayor was tried before 12 jurors in the county court."}], rules)
    assert out.loc["a0", "group_id"] != out.loc["b1", "group_id"]


def test_the_demo_corpus_keeps_its_conflicts_and_decreases():
    """The bundled demo (examples/): outlets that disagree on one quantity counted with the same
    noun must still be linked and found, whatever their values."""
    from pathlib import Path

    from auditor.pipeline import audit

    result = audit([str(Path(__file__).resolve().parent.parent / "examples")])
    found = {(f["type"], f["story"], f["metric"]) for f in result.findings.to_dict("records")}
    assert found == {("conflict", "venezuela-mobilization", "troops"), ("conflict", "orbitel-results", "jobs_cut"),
                     ("decrease", "delta-floods", "killed"), ("decrease", "venezuela-mobilization", "boats_destroyed")}
    conflicts = result.findings[result.findings["type"] == "conflict"]
    assert conflicts["confidence"].notna().all() and conflicts["linked_by"].str.startswith("both: ").all()


def test_a_sentence_opening_name_is_an_entity_only_when_the_document_capitalises_it_elsewhere():
    from auditor.align.frames import claim_frames

    claims = claims_table([
        {"doc": "a", "surface": "2,100 points", "value": 2100, "sentence": "Okonkwo now has 2,100 points."},
        {"doc": "a", "surface": "40", "value": 40, "sentence": "Officials said 40 fans waited for Okonkwo."},
    ], "s")
    frames = claim_frames(claims)
    assert list(frames["entity"]) == ["okonkwo", "okonkwo"]
    assert frames.loc[0, "measured"] == "point"


def test_two_outlets_giving_different_figures_of_one_declared_metric_link(rules):
    """The link does not rest on the values: two figures of one taxonomy metric, described alike,
    link although they disagree, so the check stage can report the conflict."""
    out = groups([{"doc": "a", "surface": "76", "value": 76, "counted": "people", "metric": "killed",
                   "sentence": "The storm killed 76 people along the coast, officials said."},
                  {"doc": "b", "surface": "93", "value": 93, "counted": "people", "metric": "killed",
                   "sentence": "Officials said the storm killed 93 people along the coast."}], rules)
    assert out.loc["a0", "group_id"] == out.loc["b1", "group_id"]
    assert out.loc["a0", "link_words"].startswith("both: ")


def test_an_implied_count_is_not_a_declared_figure():
    from auditor.align.frames import states_a_number

    assert states_a_number("76") and states_a_number("seventy-six") and states_a_number("a dozen")
    assert not states_a_number("a woman") and not states_a_number("his mother and sister")


def test_declared_quantity_needs_the_same_metric_the_best_match_and_no_clash_of_time_role_or_entity():
    import numpy as np

    from auditor.align.pairs import FEATURES, declared_quantity

    def row(**on):
        features = np.zeros((1, len(FEATURES)))
        for name in on:
            features[0, FEATURES.index(name)] = 1.0
        return features

    assert declared_quantity(row(named_metric_same=1, best_of_kind=1))[0]
    assert not declared_quantity(row(named_metric_same=1))[0]  # another figure of the metric matches better
    for clash in ("time_differ", "role_differ", "entity_differ"):
        assert not declared_quantity(row(named_metric_same=1, best_of_kind=1, **{clash: 1}))[0]


def test_one_sentence_given_twice_is_one_quantity_whatever_its_figure():
    import numpy as np

    from auditor.align.pairs import FEATURES, declared_quantity

    features = np.zeros((4, len(FEATURES)))
    features[:, FEATURES.index("context")] = [0.95, 0.95, 0.6, 0.95]
    features[:, FEATURES.index("mutual_best")] = [1, 0, 1, 1]
    features[3, FEATURES.index("time_differ")] = 1
    assert declared_quantity(features, same_sentence=0.9).tolist() == [True, False, False, False]
    assert not declared_quantity(features).any()  # off unless links.yaml sets it


def test_a_sentence_opening_time_phrase_anchors_the_figure():
    words = frame_words()
    frame = claim_frame("Last year the town recorded 30 murders in total.", "30", 0, words)
    assert frame["time"] == "last year" and frame["frame_role"] == "background"


def _rules_copy(tmp_path):
    import shutil

    from auditor.resources import BUNDLED_RULES_DIR

    folder = tmp_path / "rules"
    shutil.copytree(BUNDLED_RULES_DIR, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not a pair-model forest"),
    ('{"agree": {"features": ["no_such_feature"], "baseline": 0, "trees": []}, '
     '"disagree": {"features": [], "baseline": 0, "trees": []}}', "unknown feature 'no_such_feature'"),
    ('{"agree": {"features": [], "baseline": 0, "trees": []}}', "not a pair-model forest"),
])
def test_a_broken_forest_file_is_a_rules_error_naming_it(tmp_path, content, reason):
    from auditor.align.pairs import pair_model
    from auditor.errors import RulesError

    folder = _rules_copy(tmp_path)
    (folder / "links_forest.json").write_text(content, encoding="utf-8")
    with pytest.raises(RulesError, match=reason) as error:
        pair_model(str(folder))
    assert "links_forest.json" in str(error.value)


def test_the_bundled_forest_reads_every_feature_it_splits_on():
    from auditor.align.pairs import FEATURES, VALUE_FEATURES, pair_model

    forest = pair_model(None)["forest"]
    for part in ("agree", "disagree"):
        used = {int(f) for tree in forest[part]["trees"] for f, left in zip(tree["feature"], tree["left"]) if left >= 0}
        assert used <= set(range(len(forest[part]["columns"])))
    blind = {FEATURES[c] for c in forest["disagree"]["columns"]}
    assert not blind & set(VALUE_FEATURES)  # disagreeing pairs are judged without their values


def test_one_sum_of_money_restated_in_other_words_links(rules):
    """"3 billion dollars" and "$3bn", each the only such sum in its article, are one quantity
    however differently the outlets describe what it pays for."""
    out = groups([{"doc": "a", "surface": "3 billion dollars", "value": 3e9, "unit": "USD",
                   "sentence": "The government set aside 3 billion dollars for rebuilding the valley."},
                  {"doc": "b", "surface": "$3bn", "value": 3e9, "unit": "USD",
                   "sentence": "A $3bn reconstruction fund was announced on Monday."}], rules)
    assert out.loc["a0", "group_id"] == out.loc["b1", "group_id"]


def test_sentence_mates_are_the_other_values_of_the_sentence():
    claims = claims_table(
        [{"doc": "a", "surface": "20", "value": 20, "sentence": "The Rovers beat the Owls 20-13 on Sunday."},
         {"doc": "a", "surface": "13", "value": 13, "sentence": "The Rovers beat the Owls 20-13 on Sunday."},
         {"doc": "a", "surface": "4", "value": 4, "sentence": "It was their 4th win."}], "s")
    assert sentence_mates(claims) == [frozenset({13.0}), frozenset({20.0}), frozenset()]


def test_a_score_restated_in_other_words_links_side_by_side(rules):
    """Two outlets giving one final score in different words: each side links with the same side,
    never with the other side."""
    out = groups([{"doc": "a", "surface": "20", "value": 20, "sentence": "The Rovers beat the Owls 20-13 on Sunday."},
                  {"doc": "a", "surface": "13", "value": 13, "sentence": "The Rovers beat the Owls 20-13 on Sunday."},
                  {"doc": "b", "surface": "20", "value": 20, "sentence": "Owls fall 20-13 at home as Rovers win again."},
                  {"doc": "b", "surface": "13", "value": 13, "sentence": "Owls fall 20-13 at home as Rovers win again."}], rules)
    assert out.loc["a0", "group_id"] == out.loc["b2", "group_id"]
    assert out.loc["a1", "group_id"] == out.loc["b3", "group_id"]
    assert out.loc["a0", "group_id"] != out.loc["a1", "group_id"]
