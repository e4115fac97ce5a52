"""The behavioural defaults are frozen: a change that moves a backtest case is listed, with its scores.

``tests/frozen_defaults.py`` says what the record holds and how a listed change re-records it.
"""

from __future__ import annotations

from pathlib import Path

import frozen_defaults as frozen
import pytest

CASES = frozen.case_names()


def test_every_behavioural_default_is_the_frozen_one() -> None:
    changed = frozen.default_differences(frozen.stored()["defaults"], frozen.behavioural_defaults())
    assert not changed, "behavioural defaults changed since the freeze: " + "; ".join(changed) + "; " + frozen.how_to_record()


@pytest.mark.parametrize("case", CASES)
def test_every_case_runs_as_when_the_defaults_were_frozen(case: str) -> None:
    record = frozen.stored()
    assert case in record["cases"], f"{case}: a case the freeze does not hold; {frozen.how_to_record()}"
    assert (record["runs"], record["seed"]) == (frozen.RUNS, frozen.SEED)
    assert frozen.case_digest(case) == record["cases"][case], (
        f"{case}: its first {frozen.RUNS} runs changed since the freeze; {frozen.how_to_record()}")


def test_the_record_holds_every_case_and_goes_with_the_newest_entry_of_the_change_log() -> None:
    record = frozen.stored()
    assert sorted(record["cases"]) == sorted(CASES)
    listed = frozen.entries(frozen.CHANGES.read_text())
    assert listed and record["change"] == listed[-1]


def test_a_changed_gone_or_new_default_is_named_with_its_values() -> None:
    before = {"front.decisiveness": 1.0, "durability.window_years": 3.0, "institutions.talks.candidates": 128}
    after = {"front.decisiveness": 1.5, "institutions.talks.candidates": 128, "front.new_thing": 2}
    assert frozen.default_differences(before, after) == [
        "front.decisiveness: 1.0 -> 1.5", "durability.window_years: gone (was 3.0)", "front.new_thing: new (2)"]
    assert frozen.default_differences(before, dict(before)) == []


def test_recording_refuses_a_change_that_is_not_the_newest_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changes, record = tmp_path / "CHANGES.md", tmp_path / "frozen-defaults.json"
    changes.write_text("# Changes\n\n## The freeze\n\ntext\n\n## A later change\n\ntext\n")
    record.write_text('{"kept": true}\n')
    monkeypatch.setattr(frozen, "CHANGES", changes)
    monkeypatch.setattr(frozen, "RECORD", record)
    monkeypatch.setattr(frozen, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="the newest entry is 'A later change', not 'The freeze'"):
        frozen.record("The freeze")
    assert record.read_text() == '{"kept": true}\n'
    assert frozen.entries(changes.read_text()) == ["The freeze", "A later change"]
