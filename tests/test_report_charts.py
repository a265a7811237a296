"""Chart geometry: ticks, open-ended intervals, date columns, references."""

import math

from auditor.report.charts import compact_number, interval_chart, nice_ticks


def row(source, date, dot, lo, hi, disputed=False):
    return {"source_label": source, "date_key": date, "date_label": date or "undated", "dot": dot, "lo": lo, "hi": hi,
            "disputed": disputed, "figure": str(dot), "interval": f"{lo}..{hi}"}


def test_ticks_are_round_and_cover_the_data_with_room_at_the_edges():
    ticks, (low, high) = nice_ticks(76, 95)
    assert ticks == [75, 80, 85, 90, 95, 100] and (low, high) == (75, 100)
    ticks, (low, high) = nice_ticks(20, 20)  # one value: a band around it
    assert low < 20 < high
    ticks, (low, high) = nice_ticks(12.0, 12.000000000000002)  # one value up to float error: no empty domain
    assert low < 12 < high and len(ticks) > 1


def test_counts_get_whole_number_ticks():
    ticks, _ = nice_ticks(20, 21, whole=True)
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert nice_ticks(20, 21)[0] != ticks  # fractional values may have fractional ticks
    ticks, (low, high) = nice_ticks(3, 3, whole=True)
    assert low < 3 < high and all(float(t).is_integer() for t in ticks)


def test_a_chart_of_counts_labels_its_axis_in_whole_numbers():
    chart = interval_chart([row("A", "2025-11-11", 20, 20, 20), row("B", "2025-11-12", 21, 21, 21)], [], {"A": "#000", "B": "#111"})
    assert [t["label"] for t in chart["yticks"]] == ["19", "20", "21", "22"]
    shares = interval_chart([row("A", "2025-11-11", 0.2, 0.2, 0.2), row("B", "2025-11-12", 0.25, 0.25, 0.25)], [], {"A": "#000", "B": "#111"})
    assert any("." in t["label"] for t in shares["yticks"])


def test_compact_numbers_for_axis_labels():
    assert compact_number(200_000) == "200k"
    assert compact_number(3e9, "USD") == "3bn USD"
    assert compact_number(40, "%") == "40%"


def test_open_ended_interval_runs_to_the_edge_and_dates_become_columns():
    chart = interval_chart(
        [row("A", "2025-11-11", 20, 20, math.inf), row("B", "2025-11-12", 21, 21, 21, disputed=True), row("C", "", 19, 19, 19)],
        [{"value": 20.5, "lower": 20, "upper": 21, "source": "UN", "date": ""}],
        {"A": "#000", "B": "#111", "C": "#222"},
    )
    at_least, exact, undated = chart["marks"]
    assert at_least["open_hi"] and not at_least["open_lo"]
    assert at_least["y_hi"] == chart["plot"]["y0"]  # drawn up to the top of the plot
    assert exact["disputed"] and exact["y_lo"] == exact["y_hi"]
    assert [l["label"] for l in chart["xlabels"]] == ["2025-11-11", "2025-11-12", "undated"]
    assert at_least["x"] < exact["x"] < undated["x"]
    (reference,) = chart["references"]
    assert reference["band"] and reference["y_top"] < reference["y"] < reference["y_bottom"]
    assert reference["label"] == "reference 20.5 (UN)"


def test_no_chart_without_a_finite_figure():
    assert interval_chart([row("A", "", math.nan, -math.inf, math.inf)], [], {}) is None


def test_big_groups_are_drawn_as_one_mark_per_source_and_day():
    rows = [row(source, f"2025-11-1{day}", 70 + i % 30, 70 + i % 30, 70 + i % 30, disputed=i == 7)
            for i in range(50) for source in ("A", "B") for day in (1, 2, 3)]
    chart = interval_chart(rows, [], {"A": "#000", "B": "#111"})
    assert chart["summarised"] and len(chart["marks"]) == 6
    assert sum(m["disputed"] for m in chart["marks"]) == 6  # i == 7 is in every source and day
    assert chart["marks"][0]["title"] == "A, 2025-11-11: 50 claims (70 to 99)"
