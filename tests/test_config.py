"""Configuration: auditor.toml or [tool.auditor], paths relative to the file, flags win, typos fail."""

import json

import pytest

from auditor.cli import main
from auditor.config import TOLERANCES, load_config
from auditor.errors import AuditorError
from auditor.ruleset import JUDGEMENT_DEFAULTS


def test_no_config_file_means_no_settings(tmp_path):
    assert load_config(cwd=tmp_path) == {}


def test_auditor_toml_paths_are_relative_to_the_file(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "auditor.toml").write_text('inputs = ["news/", "-"]\nout = "report"\nsince = 2025-11-01\nworkers = 2\n')
    settings = load_config(cwd=tmp_path)
    assert settings["inputs"] == [str(tmp_path / "news"), "-"]
    assert settings["out"] == str(tmp_path / "report")
    assert settings["since"].isoformat() == "2025-11-01" and settings["workers"] == 2


def test_pyproject_tool_auditor_table_is_used_when_there_is_no_auditor_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.auditor]\nstate = "var/state.db"\n')
    assert load_config(cwd=tmp_path) == {"state": str(tmp_path / "var" / "state.db")}


def test_unknown_key_is_an_error_that_names_it(tmp_path):
    path = tmp_path / "auditor.toml"
    path.write_text('out = "r"\noutput_dir = "r"\n')
    with pytest.raises(AuditorError, match=f"^{path}: unknown key 'output_dir' \\(known keys: inputs, out, "):
        load_config(cwd=tmp_path)


@pytest.mark.parametrize("line, message", [('rulez = "r"', "unknown key 'rulez'"), ('fail_on = ["typo"]', "'fail_on': unknown finding type 'typo'")])
def test_errors_in_pyproject_name_the_file_and_table(tmp_path, line, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.auditor]\n{line}\n")
    with pytest.raises(AuditorError, match=rf"^{path} \[tool.auditor\]: {message}"):
        load_config(cwd=tmp_path)


@pytest.mark.parametrize(
    "line, message",
    [('workers = "two"', "'workers' must be a whole number >= 1, not 'two'"),
     ('since = "last week"', "'since': 'last week' is not a date (YYYY-MM-DD)"),
     ('log_format = "xml"', "'log_format' must be \"text\" or \"json\", not 'xml'"),
     ("inputs = [", "invalid TOML")],
)
def test_bad_values_are_errors_that_say_what_is_expected(tmp_path, line, message):
    (tmp_path / "auditor.toml").write_text(line + "\n")
    with pytest.raises(AuditorError, match=message.replace("(", "\\(").replace(")", "\\)")):
        load_config(cwd=tmp_path)


def test_explicit_config_that_does_not_exist(tmp_path):
    with pytest.raises(AuditorError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_cli_reports_config_errors_in_one_line_exit_2(runner, tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text('inputs = ["in"]\nout = "r"\nfial_on = ["conflict"]\n')
    result = runner.invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"Error: {config}: unknown key 'fial_on' (known keys: inputs, out, rules, reference, stories, state, since, fail_on, workers, log_format, tolerances, time_budget, allow_empty)\n"


def test_unknown_tolerance_is_an_error_that_names_it(runner, tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text('inputs = ["in"]\nout = "r"\n[tolerances]\napprox_tolerence = 0.2\n')
    (tmp_path / "in").mkdir()
    result = runner.invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"Error: {config}: unknown tolerance 'approx_tolerence' (known: approx_tolerance, honour_rounding, cumulative)\n"


def test_config_supplies_inputs_and_out_and_flags_override_it(runner, tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("Officials said 12 people were hurt.")
    config = tmp_path / "auditor.toml"
    config.write_text('inputs = ["news"]\nout = "from-config"\nworkers = 1\n')
    result = runner.invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "from-config" / "summary.json").read_text())["documents"] == 1
    result = runner.invoke(main, ["run", "--config", str(config), "--out", str(tmp_path / "from-flag")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-flag" / "summary.json").is_file()


def test_a_missing_input_in_the_config_stops_the_run_like_one_on_the_command_line(runner, tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Officials said 12 people were hurt.")
    config = tmp_path / "auditor.toml"
    config.write_text('inputs = ["news", "gone/"]\nout = "report"\nworkers = 1\n')
    result = runner.invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"Error: {config}: 'inputs' must name a file or folder that exists; {tmp_path.resolve() / 'gone'} does not\n"
    assert not (tmp_path / "report").exists()


def test_time_budget_in_the_config_must_be_a_number_of_seconds(runner, tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text('time_budget = "ten"\n')
    result = runner.invoke(main, ["run", "--config", str(config), str(tmp_path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.output == f"Error: {config}: 'time_budget' must be a number of seconds >= 0 (0: no limit), not 'ten'\n"


def test_stories_file_path_is_relative_to_the_config(tmp_path):
    (tmp_path / "stories.csv").write_text("doc_id,story\n")
    (tmp_path / "auditor.toml").write_text('stories = "stories.csv"\n')
    assert load_config(cwd=tmp_path)["stories"] == str(tmp_path.resolve() / "stories.csv")


@pytest.mark.parametrize(
    "text, message",
    [
        ('fail_on = ["conflicts"]', "'fail_on': unknown finding type 'conflicts' (known: conflict, decrease, implausible, reference_mismatch)"),
        ('fail_on = "conflict"', "'fail_on' must be a list of finding types, not 'conflict'"),
        ('inputs = "news/"', "'inputs' must be a list of paths, not 'news/'"),
        ('inputs = ["news", 3]', "'inputs' must be a list of paths, not ['news', 3]"),
        ("out = 3", "'out' must be a path, not 3"),
        ("workers = 0", "'workers' must be a whole number >= 1, not 0"),
        ("tolerances = 0.1", "'tolerances' must be a table of judgement settings, not 0.1"),
        ('[tolerances]\napprox_tolerance = "ten percent"', "tolerance 'approx_tolerance' must be a number >= 0, not 'ten percent'"),
        ("[tolerances]\napprox_tolerance = true", "tolerance 'approx_tolerance' must be a number >= 0, not True"),
        ("[tolerances]\napprox_tolerance = -0.1", "tolerance 'approx_tolerance' must be a number >= 0, not -0.1"),
        ("[tolerances]\napprox_tolerance = nan", "tolerance 'approx_tolerance' must be a number >= 0, not nan"),
        ('[tolerances]\nhonour_rounding = "yes"', "tolerance 'honour_rounding' must be true or false, not 'yes'"),
        ("[tolerances]\napprox_tolerence = 0.2", "unknown tolerance 'approx_tolerence' (known: approx_tolerance, honour_rounding, cumulative)"),
        ('rules = "my-rules"', "'rules' must name a folder that exists; {dir}/my-rules does not"),
        ('rules = "news/a.jsonl"', "'rules' must name a folder that exists; {dir}/news/a.jsonl does not"),
        ('reference = "reference.csv"', "'reference' must name a file that exists; {dir}/reference.csv does not"),
        ('stories = "stories.csv"', "'stories' must name a file that exists; {dir}/stories.csv does not"),
    ],
)
def test_every_bad_value_is_one_line_naming_the_file_and_key_exit_2(runner, tmp_path, text, message):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.jsonl").write_text("")
    config = tmp_path / "auditor.toml"
    config.write_text(text + "\n")
    result = runner.invoke(main, ["run", "--config", str(config), "--out", str(tmp_path / "report")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # not an uncaught exception
    assert result.output == f"Error: {config}: {message.format(dir=tmp_path)}\n"
    assert not (tmp_path / "report").exists()


def test_a_tool_auditor_that_is_not_a_table_is_an_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool]\nauditor = 3\n")
    with pytest.raises(AuditorError, match=rf"^{path}: \[tool.auditor\] must be a table, not 3$"):
        load_config(cwd=tmp_path)
    path.write_text("tool = 3\n")  # no [tool.auditor] table at all: no settings
    assert load_config(cwd=tmp_path) == {}


def test_good_values_pass(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "ref.csv").write_text("story,metric,value\n")
    (tmp_path / "auditor.toml").write_text(
        'inputs = ["-", "."]\nrules = "rules"\nreference = "ref.csv"\nfail_on = ["conflict", "decrease"]\n'
        "[tolerances]\napprox_tolerance = 0\nhonour_rounding = false\ncumulative = true\n"
    )
    settings = load_config(cwd=tmp_path)
    assert settings["fail_on"] == ["conflict", "decrease"] and settings["rules"] == str(tmp_path / "rules")
    assert settings["tolerances"] == {"approx_tolerance": 0, "honour_rounding": False, "cumulative": True}


def test_config_tolerances_are_the_judgement_defaults():
    assert set(TOLERANCES) == JUDGEMENT_DEFAULTS
