"""Configuration: auditor.toml or [tool.auditor], paths relative to the file, flags win, typos fail."""

import json

import pytest

from auditor.cli import main
from auditor.config import load_config
from auditor.errors import AuditorError


def test_no_config_file_means_no_settings(tmp_path):
    assert load_config(cwd=tmp_path) == {}


def test_auditor_toml_paths_are_relative_to_the_file(tmp_path):
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


def test_unknown_key_in_pyproject_names_the_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.auditor]\nrulez = "r"\n')
    with pytest.raises(AuditorError, match=r"\[tool.auditor\]: unknown key 'rulez'"):
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
    assert result.output == f"Error: {config}: unknown key 'fial_on' (known keys: inputs, out, rules, reference, stories, state, since, fail_on, workers, log_format, tolerances)\n"


def test_unknown_tolerance_is_an_error_that_names_it(runner, tmp_path):
    config = tmp_path / "auditor.toml"
    config.write_text('inputs = ["in"]\nout = "r"\n[tolerances]\napprox_tolerence = 0.2\n')
    (tmp_path / "in").mkdir()
    result = runner.invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: unknown tolerance 'approx_tolerence' (known: approx_tolerance")


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


def test_stories_file_path_is_relative_to_the_config(tmp_path):
    (tmp_path / "auditor.toml").write_text('stories = "stories.csv"\n')
    assert load_config(cwd=tmp_path)["stories"] == str(tmp_path.resolve() / "stories.csv")
