"""Story grouping: the sparse, windowed clustering gives what a dense clustering of all
documents gives; story override files are read strictly."""

import json

import numpy as np
import pandas as pd
import pytest

from auditor.align import stories
from auditor.cli import main
from auditor.errors import AuditorError
from auditor.align.stories import AUTO_PREFIX, cluster_documents, read_story_overrides

TOPICS = [
    "flooding river valley residents homes evacuated rain water rescue",
    "central bank interest rates inflation governor quarter point economy",
    "election votes candidate turnout ballot parliament campaign polls",
    "football match goals striker league season manager stadium",
    "earthquake magnitude buildings collapsed rescuers rubble epicentre",
]


def synthetic_documents(n: int, seed: int, dated: bool) -> pd.DataFrame:
    """Documents on a few topics, each with its own noise words, so some pairs are alike and
    some only half alike (average linkage and single linkage would differ)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        topic = TOPICS[int(rng.integers(len(TOPICS)))].split()
        words = list(rng.choice(topic, size=int(rng.integers(3, len(topic))), replace=False))
        words += [f"noise{int(rng.integers(40))}" for _ in range(int(rng.integers(0, 6)))]
        day = f"2025-01-{int(rng.integers(1, 20)):02d}" if dated and rng.random() > 0.1 else None
        rows.append({"doc_id": f"d{k:03d}", "story": None, "published_at": day, "title": "", "text": " ".join(words)})
    return pd.DataFrame(rows)


def dense_clustering(docs: pd.DataFrame, settings: dict) -> dict[str, str]:
    """The reference: a docs x docs distance matrix and one average-linkage clustering."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics.pairwise import cosine_distances

    distance = np.clip(cosine_distances(stories.text_vectors(docs)), 0.0, 1.0)
    distance[~stories.within_window(docs["published_at"], settings["window_days"])] = 1.0
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=1.0 - settings["min_similarity"]).fit_predict(distance)
    doc_ids = docs["doc_id"].tolist()
    first = {}
    for label, doc in sorted(zip(labels, doc_ids), key=lambda pair: pair[1]):
        first.setdefault(label, doc)
    return {doc: AUTO_PREFIX + first[label] for doc, label in zip(doc_ids, labels)}


@pytest.mark.parametrize("dated", [False, True], ids=["undated", "dated"])
@pytest.mark.parametrize("seed", [0, 1])
def test_sparse_clustering_equals_the_dense_clustering(dated, seed, monkeypatch):
    monkeypatch.setattr(stories, "_BLOCK_CELLS", 500)  # many small blocks: the blocking must not lose a pair
    docs = synthetic_documents(150, seed, dated)
    settings = {"min_similarity": 0.5, "window_days": 3}
    found = cluster_documents(docs, settings)
    assert found == dense_clustering(docs, settings)
    assert 5 < len(set(found.values())) < len(docs)  # the case is not trivial


def test_clustering_is_deterministic_and_named_after_the_first_document():
    docs = synthetic_documents(60, 3, dated=True)
    settings = {"min_similarity": 0.5, "window_days": 3}
    first = cluster_documents(docs, settings)
    shuffled = cluster_documents(docs.sample(frac=1.0, random_state=1), settings)
    assert first == shuffled
    for doc, story in first.items():
        members = sorted(d for d, s in first.items() if s == story)
        assert story == AUTO_PREFIX + members[0] and doc in members


def test_similar_pairs_keep_to_the_window():
    from sklearn.preprocessing import normalize
    from scipy.sparse import csr_matrix

    vectors = normalize(csr_matrix(np.ones((4, 2))))
    days = np.array([0.0, 2.0, 10.0, np.nan])
    rows, cols = stories.similar_pairs(vectors, days, 3.0, 0.5)
    assert sorted(zip(rows.tolist(), cols.tolist())) == [(0, 1), (0, 3), (1, 3), (2, 3)]


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_story_overrides_are_read(tmp_path):
    path = write(tmp_path / "stories.csv", "doc_id,story\na,floods\n b , rates \n")
    assert read_story_overrides(path) == {"a": "floods", "b": "rates"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("doc,story\na,floods\n", "line 1: the header needs columns doc_id, story (missing: doc_id)"),
        ("doc_id,story\na,floods\nb,\n", "line 3: doc_id and story must both be given"),
        ("doc_id,story\na,floods,extra\n", "line 2: more fields than the header names"),
        ("doc_id,story\na,floods\na,rates\n", "line 3: document 'a' is given two stories ('floods' and 'rates')"),
    ],
)
def test_a_bad_story_file_names_the_file_and_line(tmp_path, text, message):
    path = write(tmp_path / "stories.csv", text)
    with pytest.raises(AuditorError) as error:
        read_story_overrides(path)
    assert str(error.value) == f"{path}, {message}"


def test_a_missing_story_file_is_a_user_error(tmp_path):
    with pytest.raises(AuditorError, match="stories file .*none.csv: cannot read"):
        read_story_overrides(tmp_path / "none.csv")


def test_run_with_stories_file_regroups_documents(runner, corpus, tmp_path):
    overrides = write(tmp_path / "stories.csv", "doc_id,story\nb,other\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(corpus), "--out", str(out), "--stories", str(overrides)])
    assert result.exit_code == 0, result.output
    story = {c["doc_id"]: c["story_id"] for c in map(json.loads, (out / "claims.jsonl").open())}
    assert story["a"] == "strikes" and story["b"] == "other"


def test_run_with_a_bad_stories_file_exits_2_naming_file_and_line(runner, corpus, tmp_path):
    overrides = write(tmp_path / "stories.csv", "doc_id,story\nb\n")
    result = runner.invoke(main, ["run", str(corpus), "--out", str(tmp_path / "out"), "--stories", str(overrides)])
    assert result.exit_code == 2
    assert result.output == f"Error: {overrides}, line 2: doc_id and story must both be given\n"
    assert not (tmp_path / "out").exists()


def test_documents_without_their_text_cluster_the_same_with_the_texts_read_one_by_one():
    """The run holds its documents without their text; the vectorizer reads it from an iterator."""
    docs = synthetic_documents(80, 4, dated=True).assign(title=lambda d: [f"t{i % 3}" if i % 2 else None for i in range(len(d))])
    settings = {"min_similarity": 0.5, "window_days": 3}
    by_id = dict(zip(docs["doc_id"], docs["text"]))
    asked = []

    def texts(doc_ids):
        asked.append(doc_ids)
        return (by_id[d] for d in doc_ids)

    assert cluster_documents(docs.drop(columns="text"), settings, texts) == cluster_documents(docs, settings)
    assert asked == [docs["doc_id"].tolist()]


def test_a_missing_story_in_a_text_column_is_no_story():
    """pandas 3 keeps NaN in a `str` column: a document without a story must be clustered, not
    put in a story called "nan" with every other such document."""
    from auditor.ruleset import load_rules

    docs = pd.DataFrame({
        "doc_id": ["a", "b", "c"], "story": pd.array(["given", None, None], dtype="str"),
        "title": ["", "", ""], "published_at": ["2026-01-01"] * 3,
        "text": ["Rain fell.", "The bridge over the river collapsed at dawn.", "Wheat prices rose sharply in spring."],
    })
    found = stories.assign_stories(docs, load_rules())
    assert found == {"a": "given", "b": AUTO_PREFIX + "b", "c": AUTO_PREFIX + "c"}
