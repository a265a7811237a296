"""Shared fixtures: a small corpus written for the tests, and a CLI runner."""

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

SEED_LIKE = textwrap.dedent(
    """\
    Island Republic Mobilizes 200,000 Troops Ahead of Naval Drills

    Port Maren, November 11, 2025. Starting at 4 a.m., the armed forces launched the upper phase of
    Plan Independencia 200 with the mobilization of 200,000 troops across the islands, the defense
    ministry said.

    The drills follow the creation of coastal defense zones a month ago and the arrival of the
    USS Gerald R. Ford in nearby waters, where strikes have already left at least 20 boats destroyed
    and 76 deaths.
    """
)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two outlets on one story that disagree about the death toll, plus one that agrees."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    docs = [
        {"id": "a", "source": "Outlet A", "story": "strikes", "published_at": "2025-11-11",
         "text": "Strikes have destroyed at least 20 boats and caused 76 deaths, officials said."},
        {"id": "b", "source": "Outlet B", "story": "strikes", "published_at": "2025-11-11",
         "text": "The strikes destroyed 21 boats. In all, 95 deaths have been recorded, officials said."},
    ]
    (folder / "wire.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    (folder / "seed.txt").write_text(SEED_LIKE)
    return folder


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", help="Rewrite tests/snapshots/ from the current output instead of comparing with it.")
