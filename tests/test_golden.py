"""Every shipped scenario gives its recorded table: refactors of the model change no number.

A deliberate change of behaviour re-records the tables (``python tests/golden.py --record``) in a
commit of its own that says why.
"""

from __future__ import annotations

import pandas as pd
import pytest
from golden import RUNS, digest, first_differences, shipped, story_difference
from golden import compare as compare_with_golden

SHIPPED = shipped()


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenario_gives_its_golden_table(name: str) -> None:
    difference = compare_with_golden(name, SHIPPED[name])
    assert difference is None, difference


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenario_tells_its_golden_story(name: str) -> None:
    difference = story_difference(name, SHIPPED[name])
    assert difference is None, difference


def test_golden_tables_cover_every_shipped_scenario_with_500_runs() -> None:
    from golden import FOLDER

    for name in SHIPPED:
        table = pd.read_parquet(FOLDER / f"{name}.parquet")
        assert len(table) == RUNS
        assert table["run"].tolist() == list(range(RUNS))


def test_a_changed_cell_is_caught_and_named() -> None:
    from golden import FOLDER

    name = sorted(SHIPPED)[0]
    expected = pd.read_parquet(FOLDER / f"{name}.parquet")
    changed = expected.copy()
    changed.loc[3, "front_final"] += 1e-15
    assert digest(changed) != digest(expected)
    text = first_differences(expected, changed)
    assert "1 of 500 rows differ" in text and "run 3: front_final" in text


def test_a_story_may_differ_in_the_last_printed_digit_only() -> None:
    from golden import same_story

    told = "45 | russia | rejects | end state worth 0.740, war costs 0.046 / 1.35\n"
    assert same_story(told, told.replace("0.740", "0.741"))  # a rounding boundary on another processor
    assert not same_story(told, told.replace("0.740", "0.742"))
    assert not same_story(told, told.replace("rejects", "accepts"))
    assert not same_story(told, told.replace("1.35", "1.3"))
    assert not same_story(told, told + told)
