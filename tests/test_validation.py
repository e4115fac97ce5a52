"""Broken scenario files: every problem is reported as FILE:LINE: key.path: message (expected ...).

Each case writes a few files into a fresh folder holding a copy of the baseline (most cases are small
overlays on it) and checks the exact file, line, key path and a distinctive part of every message.
"""

from __future__ import annotations

import itertools
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import BASELINE, run_sim

from sim import ScenarioError, load_scenario


def overlay(body: str) -> str:
    """An overlay on the baseline: ``extends`` is line 1, ``body`` starts on line 2."""
    return "extends: baseline.yaml\n" + textwrap.dedent(body).lstrip("\n")


def baseline_line(after: str, text: str) -> int:
    """Line number in the baseline of the first line equal to ``text`` (stripped) after the line ``after``."""
    lines = BASELINE.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == after)
    return next(i for i in range(start, len(lines)) if lines[i].strip() == text) + 1


TINY = """\
name: tiny
issues:
  split: {low: all to a, high: all to b}
actors:
  a:
    roles: [party]
    position: {split: 0.4}
    salience: {split: 1.0}
  b: {name: B, roles: [party], position: {split: 0.6}, salience: {split: 1.0}}
  m: {name: M, roles: [mediator], position: {split: 0.5}, salience: {split: 1.0}}
institutions:
  talks: {mediators: [m], parties: [a, b]}
"""

BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


@dataclass
class Case:
    """Files to write (text, bytes, or None for a folder), the file to load and what must be reported.

    ``problems``: one tuple per expected problem, in order: (file, line or None, key path, *substrings).
    """

    id: str
    files: dict[str, str | bytes | None]
    problems: list[tuple]
    target: str = "case.yaml"
    extra: dict = field(default_factory=dict)


CASES = [
    # --- unknown keys, with a did-you-mean, at several depths
    Case("typo-top-level", {"case.yaml": overlay("""
        horizn:
          rounds: 3
        """)}, [("case.yaml", 2, "(top level)", "unknown key 'horizn'; did you mean 'horizon'?",
                 "(expected one of: name, description, facts, labels, horizon,")]),
    Case("typo-actor-key", {"case.yaml": overlay("""
        actors:
          russia:
            capabilty: 80
        """)}, [("case.yaml", 4, "actors.russia", "unknown key 'capabilty'; did you mean 'capability'?")]),
    Case("typo-party-key", {"case.yaml": overlay("""
        actors:
          russia:
            party:
              resolv: 1.5
        """)}, [("case.yaml", 5, "actors.russia.party", "unknown key 'resolv'; did you mean 'resolve'?",
                 "(expected one of: resolve, discount,")]),
    Case("typo-force-type-key", {"case.yaml": overlay("""
        institutions:
          coalition:
            force_types:
              monitor: {levl: 0.25, deterrence: 0.3}
        """)}, [("case.yaml", 5, "institutions.coalition.force_types.monitor",
                 "unknown key 'levl'; did you mean 'level'?", "(expected one of: level, deterrence)")]),
    Case("typo-in-list-item", {"case.yaml": overlay("""
        actors:
          ukraine:
            red_lines:
              - {issue: guarantees, op: ">=", bound: 0.5, hardd: true}
        """)}, [("case.yaml", 5, "actors.ukraine.red_lines[0]", "unknown key 'hardd'; did you mean 'hard'?")]),
    # --- wrong types
    Case("string-for-number", {"case.yaml": overlay("""
        horizon:
          rounds: twenty
        """)}, [("case.yaml", 3, "horizon.rounds", "value must be a number, got 'twenty'",
                 "(expected a whole number between 1 and 1000")]),
    Case("list-for-mapping", {"case.yaml": overlay("""
        durability: [1, 2]
        """)}, [("case.yaml", 2, "durability", "should be a mapping, got [1, 2]", "(expected a mapping")]),
    Case("number-for-list", {"case.yaml": overlay("""
        institutions:
          talks:
            parties: 5
        """)}, [("case.yaml", 4, "institutions.talks.parties", "should be a list, got 5", "(expected a list)")]),
    Case("number-for-text", {"case.yaml": overlay("""
        name: 5
        """)}, [("case.yaml", 2, "name", "should be text, got 5", "(expected text)")]),
    Case("huge-integer", {"case.yaml": overlay(f"""
        actors:
          canada:
            guarantor:
              troops: 1{'0' * 400}
        """)}, [("case.yaml", 5, "actors.canada.guarantor.troops", "is too large", "between 0 and 1,000,000")]),
    Case("impossible-date", {"case.yaml": overlay("""
        horizon:
          start: 2026-02-30
        """)}, [("case.yaml", 3, "horizon.start", "cannot read value '2026-02-30'", "day is out of range")]),
    Case("operator-not-allowed", {"case.yaml": overlay("""
        actors:
          ukraine:
            red_lines: [{issue: guarantees, op: "=>", bound: 0.5}]
        """)}, [("case.yaml", 4, "actors.ukraine.red_lines[0].op", "'=>' is not allowed", "'>=' or '<='")]),
    # --- out-of-range values
    Case("salience-above-one", {"case.yaml": overlay("""
        actors:
          russia:
            salience: {territory: 1.5}
        """)}, [("case.yaml", 4, "actors.russia.salience.territory", "value 1.5 is out of range",
                 "(expected a number between 0 and 1)")]),
    Case("probability-two", {"case.yaml": overlay("""
        shocks:
          front_breakthrough:
            probability: 2
        """)}, [("case.yaml", 4, "shocks.front_breakthrough.probability", "value 2 is out of range",
                 "between 0 and 1")]),
    Case("negative-troops", {"case.yaml": overlay("""
        actors:
          canada:
            guarantor:
              troops: -100
        """)}, [("case.yaml", 5, "actors.canada.guarantor.troops", "value -100 is out of range",
                 "(expected a number between 0 and 1,000,000")]),
    # --- distributions with bad arguments
    Case("uniform-low-above-high", {"case.yaml": overlay("""
        durability:
          deterrence_effect: {uniform: [0.9, 0.5]}
        """)}, [("case.yaml", 3, "durability.deterrence_effect", "uniform low 0.9 is above high 0.5",
                 "(expected low <= high)")]),
    Case("normal-negative-sd", {"case.yaml": overlay("""
        front:
          drift: {normal: [0.02, -0.01]}
        """)}, [("case.yaml", 3, "front.drift", "normal sd -0.01 is negative", "(expected sd >= 0)")]),
    Case("unknown-distribution", {"case.yaml": overlay("""
        front:
          drift: {unifrom: [0.01, 0.02]}
        """)}, [("case.yaml", 3, "front.drift", "unknown key 'unifrom' in a parameter; did you mean 'uniform'?")]),
    Case("triangular-mode-outside", {"case.yaml": overlay("""
        front:
          drift: {triangular: [0.01, 0.05, 0.03]}
        """)}, [("case.yaml", 3, "front.drift", "triangular needs low <= mode <= high, got [0.01, 0.05, 0.03]",
                 "(expected low <= mode <= high)")]),
    # --- saliences that do not normalise
    Case("saliences-not-summing-to-one", {"case.yaml": overlay("""
        actors:
          russia:
            salience: {territory: 0.5}
        """)}, [("case.yaml", 4, "actors.russia.salience", "saliences sum to 1.15", "(expected weights that sum to 1)")]),
    # --- dangling references
    Case("mediator-not-an-actor", {"case.yaml": overlay("""
        institutions:
          talks:
            mediators: [untied_states]
        """)}, [("case.yaml", 4, "institutions.talks.mediators[0]",
                 "actor 'untied_states' is not defined; did you mean 'united_states'?", "an id under actors: russia,"),
                # the mediator left out of the list is named where its role is given, in the base
                ("baseline.yaml", baseline_line("united_states:", "roles: [mediator, backer]"), "actors.united_states.roles",
                 "has the role mediator but is not in institutions.talks.mediators")]),
    Case("party-without-role-party", {"case.yaml": overlay("""
        institutions:
          talks:
            parties: [russia, france]
        """)}, [("case.yaml", 4, "institutions.talks.parties[1]", "actor 'france' does not have the role party"),
                # inherited from the base: points into the base file
                ("baseline.yaml", baseline_line("ukraine:", "roles: [party]"), "actors.ukraine.roles",
                 "has the role party but is not in institutions.talks.parties")]),
    Case("plan-not-defined", {"case.yaml": overlay("""
        actors:
          united_states:
            mediator:
              plan: thirty_point
        """)}, [("case.yaml", 5, "actors.united_states.mediator.plan", "plan 'thirty_point' is not defined",
                 "twenty_point, twenty_eight_point")]),
    Case("force-type-not-defined", {"case.yaml": overlay("""
        actors:
          canada:
            guarantor:
              force_type: peacekeepers
        """)}, [("case.yaml", 5, "actors.canada.guarantor.force_type", "force type 'peacekeepers' is not defined",
                 "(expected one of: monitor, reassurance, deterrence)")]),
    Case("red-line-on-unknown-issue", {"case.yaml": overlay("""
        actors:
          ukraine:
            red_lines:
              - {issue: crimea, op: ">=", bound: 0.5, hard: false}
        """)}, [("case.yaml", 5, "actors.ukraine.red_lines[0].issue", "issue 'crimea' is not defined",
                 "(expected one of: territory, guarantees,")]),
    Case("shock-effect-on-unknown-actor", {"case.yaml": overlay("""
        shocks:
          belarus_joins:
            probability: 0.1
            effects:
              war_cost: [{actor: belarus, factor: 2}]
        """)}, [("case.yaml", 6, "shocks.belarus_joins.effects.war_cost[0].actor", "actor 'belarus' is not defined")]),
    Case("blocked-measure-not-defined", {"case.yaml": overlay("""
        actors:
          slovakia:
            member:
              votes_against: [sanctions_package_21]
        """)}, [("case.yaml", 5, "actors.slovakia.member.votes_against[0]", "measure 'sanctions_package_21' is not defined",
                 "sanctions_package_20, loan_90bn")]),
    Case("unknown-evidence-id", {"case.yaml": overlay("""
        front:
          evidence: [lit-hirshleifer-cfs]
        """)}, [("case.yaml", 3, "front.evidence[0]",
                 "fact 'lit-hirshleifer-cfs' is not in seeds/; did you mean 'lit-hirshleifer-csf'?")]),
    Case("facts-folder-missing", {"case.yaml": overlay("""
        facts: nowhere
        """)}, [("case.yaml", 2, "facts", "facts folder 'nowhere' not found")]),
    # --- duplicate ids
    Case("duplicate-actor-id", {"case.yaml": overlay("""
        actors:
          russia:
            name: Russia
          russia:
            name: Russia again
        """)}, [("case.yaml", 5, "actors", "duplicate key 'russia' (first given on line 3)", "(expected each key once)")]),
    # --- missing required keys
    Case("issues-missing", {"case.yaml": overlay("""
        issues: {$delete: true}
        """)}, [("case.yaml", 1, "(top level)", "missing required key 'issues'")]),
    Case("guarantor-block-missing", {"case.yaml": overlay("""
        actors:
          canada:
            guarantor: {$delete: true}
        """)}, [("case.yaml", 3, "actors.canada", "role guarantor needs a guarantor: block")]),
    Case("actor-name-missing", {"case.yaml": TINY},
         [("case.yaml", 5, "actors.a", "missing required key 'name'", "(expected Display name)")]),
    Case("issues-missing-in-full-scenario", {"case.yaml": TINY.replace("issues:\n  split: {low: all to a, high: all to b}\n", "")
                                             .replace("  a:\n", "  a:\n    name: A\n")},
         [("case.yaml", 1, "(top level)", "missing required key 'issues'")]),
    # --- overlay directives used wrongly
    Case("unknown-directive", {"case.yaml": overlay("""
        actors:
          ukraine: {$delet: true}
        """)}, [("case.yaml", 3, "actors.ukraine", "unknown directive '$delet'; did you mean '$delete'?")]),
    Case("directive-with-other-keys", {"case.yaml": overlay("""
        actors:
          russia: {$delete: true, name: Russia}
        """)}, [("case.yaml", 3, "actors.russia", "$delete must be the only key of its mapping, found also name")]),
    # --- bad YAML
    Case("unclosed-bracket", {"case.yaml": "extends: baseline.yaml\nhorizon: {rounds: [3, 4\n"},
         [("case.yaml", 2, "(top level)", "YAML syntax error", "expected ',' or ']'")]),
    Case("bad-indentation", {"case.yaml": "extends: baseline.yaml\nhorizon:\n  rounds: 3\n   round_weeks: 2\n"},
         [("case.yaml", 4, "(top level)", "YAML syntax error: mapping values are not allowed here")]),
    Case("tab-indentation", {"case.yaml": "extends: baseline.yaml\nhorizon:\n\trounds: 3\n"},
         [("case.yaml", 3, "(top level)", "found character '\\t'", "indent with spaces, not tabs")]),
    Case("second-document", {"case.yaml": "extends: baseline.yaml\n---\nname: other\n"},
         [("case.yaml", 2, "(top level)", "expected a single document")]),
    Case("alias-bomb", {"case.yaml": BILLION_LAUGHS},
         [("case.yaml", 1, "(top level)", "document expands to more than 200,000 values (alias explosion?)")]),
    Case("recursive-alias", {"case.yaml": "extends: baseline.yaml\nplans: &p {x: *p}\n"},
         [("case.yaml", 2, "plans.x", "an alias refers to a mapping or list that contains it")]),
    Case("merge-key", {"case.yaml": "extends: baseline.yaml\n<<: {name: x}\n"},
         [("case.yaml", 2, "(top level)", "YAML merge keys (<<) are not supported")]),
    Case("python-tag", {"case.yaml": "extends: baseline.yaml\nname: !!python/object/apply:os.system [touch pwned]\n"},
         [("case.yaml", 2, "name", "cannot read value: unsupported tag")]),
    Case("nested-too-deep", {"case.yaml": "a: " + "[" * 100 + "]" * 100 + "\n"},
         [("case.yaml", 1, "a" + "[0]" * 63, "nested more than 64 levels deep")]),
    # --- not a scenario at all
    Case("empty-file", {"case.yaml": ""}, [("case.yaml", None, "(top level)", "file is empty")]),
    Case("only-a-comment", {"case.yaml": "# nothing here yet\n"}, [("case.yaml", None, "(top level)", "file is empty")]),
    Case("top-level-list", {"case.yaml": "- name: baseline\n- issues: {}\n"},
         [("case.yaml", 1, "(top level)", "top level is a list, not a mapping", "(expected key: value pairs")]),
    Case("top-level-scalar", {"case.yaml": "just some words\n"},
         [("case.yaml", 1, "(top level)", "top level is a str, not a mapping")]),
    Case("a-directory", {"case.yaml": None}, [("case.yaml", None, "(top level)", "is a directory")]),
    Case("random-bytes", {"case.yaml": b"\xfe" + random.Random(7).randbytes(300)},
         [("case.yaml", 1, "(top level)", "not UTF-8 text (binary file?): byte 0xfe at offset 0")]),
    Case("png-header", {"case.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"},
         [("case.yaml", 1, "(top level)", "not UTF-8 text (binary file?): byte 0x89 at offset 0")]),
    Case("nul-bytes", {"case.yaml": b"extends: baseline.yaml\nname: a\x00b\n"},
         [("case.yaml", 2, "(top level)", "contains NUL bytes (binary file?)")]),
    Case("latin-1-text", {"case.yaml": "extends: baseline.yaml\nname: café\n".encode("latin-1")},
         [("case.yaml", 2, "(top level)", "not UTF-8 text (binary file?): byte 0xe9 at offset 32")]),
    Case("missing-file", {}, [("case.yaml", None, "(top level)", "file not found")]),
    # --- extends
    Case("circular-extends", {"a.yaml": "extends: b.yaml\nname: a\n", "b.yaml": "name: b\nextends: a.yaml\n"},
         [("b.yaml", 2, "extends", "circular extends: a.yaml -> b.yaml -> a.yaml")], target="a.yaml"),
    Case("self-extends", {"case.yaml": "name: me\nextends: case.yaml\n"},
         [("case.yaml", 2, "extends", "circular extends: case.yaml -> case.yaml")]),
    Case("extends-missing-file", {"case.yaml": "extends: nothere.yaml\nname: x\n"},
         [("case.yaml", 1, "extends", "extends 'nothere.yaml': file not found")]),
    Case("extends-not-a-name", {"case.yaml": "extends: [baseline.yaml]\n"},
         [("case.yaml", 1, "extends", "extends must name one file")]),
    # --- ids (parts of key paths) and the numbers of pairs (issue 19)
    Case("dotted-actor-id", {"case.yaml": overlay("""
        actors:
          Russia.x: {name: R, roles: [influencer]}
        """)}, [("case.yaml", 3, "actors.Russia.x", "actor id 'Russia.x' must be lower-case letters, digits, "
                 "'_' or '-', starting with a letter", "(expected an id such as north_bank or party_2)")]),
    Case("upper-case-shock-id", {"case.yaml": overlay("""
        shocks:
          Coup: {probability: 0.1}
        """)}, [("case.yaml", 3, "shocks.Coup", "shock id 'Coup' must be lower-case letters")]),
    Case("space-in-issue-id", {"case.yaml": overlay("""
        plans:
          twenty_point:
            new issue: 0.5
        """)}, [("case.yaml", 4, "plans.twenty_point.new issue", "issue id 'new issue' must be lower-case")]),
    Case("front-jump-nan", {"case.yaml": overlay("""
        shocks:
          front_breakthrough:
            effects: {front: [.nan, 0.1]}
        """)}, [("case.yaml", 4, "shocks.front_breakthrough.effects.front[0]", "value is NaN",
                 "(expected a number between -1 and 1)")]),
    Case("front-jump-low-above-high", {"case.yaml": overlay("""
        shocks:
          front_breakthrough:
            effects: {front: [0.2, 0.1]}
        """)}, [("case.yaml", 4, "shocks.front_breakthrough.effects.front", "low 0.2 is above high 0.1",
                 "(expected [low, high] with low <= high)")]),
    Case("suspension-of-1e26-rounds", {"case.yaml": overlay("""
        shocks:
          nuclear_accusation:
            effects:
              suspend_talks: {rounds: [1, 1.0e+26]}
        """)}, [("case.yaml", 5, "shocks.nuclear_accusation.effects.suspend_talks.rounds[1]",
                 "value 1e+26 is out of range", "(expected a whole number between 1 and 1000)")]),
    Case("suspension-of-half-a-round", {"case.yaml": overlay("""
        shocks:
          nuclear_accusation:
            effects:
              suspend_talks: {rounds: [0.5, 2]}
        """)}, [("case.yaml", 5, "shocks.nuclear_accusation.effects.suspend_talks.rounds[0]",
                 "value 0.5 is out of range")]),
    Case("facts-is-a-number", {"case.yaml": overlay("""
        facts: myfacts
        """), "myfacts/numbers.yaml": "source: {id: x}\nfacts: 5\n"},
         [("myfacts/numbers.yaml", 2, "facts", "facts is 5, not a list", "(expected a list of facts")]),
    Case("base-is-broken", {"case.yaml": "extends: base2.yaml\nname: x\n", "base2.yaml": overlay("""
        horizon:
          rounds: 0
        """)}, [("base2.yaml", 3, "horizon.rounds", "value 0 is out of range")]),
]


def expected_prefix(file: str, line: int | None, path: str) -> str:
    return f"{file}:{line}: {path}: " if line else f"{file}: {path}: "


def write_case(folder: Path, case: Case) -> None:
    for name, content in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            target.mkdir()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)


def test_there_are_enough_distinct_cases():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({repr(c.files) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_file_is_reported_at_its_line(case: Case, workdir: Path):
    write_case(workdir, case)
    with pytest.raises(ScenarioError) as info:
        load_scenario(case.target)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == len(case.problems), "\n".join(lines)
    for line, (file, lineno, path, *parts) in zip(lines, case.problems, strict=True):
        assert line.startswith(expected_prefix(file, lineno, path)), line
        for part in parts:
            assert part in line, line
        assert "\n" not in line
    assert str(info.value) == "\n".join(lines)


def test_yaml_tags_are_not_executed(workdir: Path):
    (workdir / "case.yaml").write_text("extends: baseline.yaml\nname: !!python/object/apply:os.system [touch pwned]\n")
    with pytest.raises(ScenarioError):
        load_scenario("case.yaml")
    assert not (workdir / "pwned").exists()


@pytest.mark.parametrize("levels", [9, 12])
def test_alias_bomb_fails_fast(levels: int, workdir: Path):
    names = [f"n{i}" for i in range(levels)]
    text = f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{name}: &{name} {{{', '.join(f'k{j}: *{prev}' for j in range(9))}}}\n" for prev, name in itertools.pairwise(names))
    (workdir / "bomb.yaml").write_text(text)
    # Expanded, twelve levels would be 9**12 values: a loader that tried would never return. The timeout
    # only guards against that hang; it is far above any honest time, so a busy machine cannot fail it.
    done = run_sim("validate", "bomb.yaml", cwd=workdir)  # with a timeout of 120 s
    assert done.returncode == 1
    assert done.stdout == ("bomb.yaml:1: (top level): document expands to more than 200,000 values "
                           "(alias explosion?) (expected a plain scenario without deeply nested aliases)\n")


def test_deep_brackets_fail_cleanly(workdir: Path):
    (workdir / "deep.yaml").write_text("a: " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario("deep.yaml")


def test_too_large_file_is_refused_without_reading_it(workdir: Path, monkeypatch: pytest.MonkeyPatch):
    import sim.yamlsource

    monkeypatch.setattr(sim.yamlsource, "MAX_BYTES", 1000)
    (workdir / "big.yaml").write_text("name: x\n" + "# padding\n" * 200)
    with pytest.raises(ScenarioError) as info:
        load_scenario("big.yaml")
    assert str(info.value).startswith("big.yaml: (top level): file is 2,008 bytes, too large for a scenario")


def test_several_problems_are_all_reported(workdir: Path):
    (workdir / "case.yaml").write_text(overlay("""
        horizn: {rounds: 3}
        actors:
          russia:
            salience: {territory: 1.5}
            party: {resolve: lots}
          united_states:
            mediator: {plan: thirty_point}
        institutions:
          talks:
            mediators: [untied_states]
        front:
          evidence: [no-such-fact]
        """))
    with pytest.raises(ScenarioError) as info:
        load_scenario("case.yaml")
    got = [(p.line, str(p).split(": ")[1]) for p in info.value.problems]
    assert got == [
        (2, "(top level)"),                          # unknown key
        (5, "actors.russia.salience.territory"),     # out of range
        (6, "actors.russia.party.resolve"),          # wrong type
        (8, "actors.united_states.mediator.plan"),   # dangling reference, found despite the format errors
        (11, "institutions.talks.mediators[0]"),     # dangling reference
        (13, "front.evidence[0]"),                   # unknown fact
        (baseline_line("united_states:", "roles: [mediator, backer]"), "actors.united_states.roles"),  # unlisted mediator
    ]


def test_cli_reports_every_case_one_line_each(tmp_path: Path):
    """One ``sim validate`` over a good file and every broken one: exit 1, each problem on its own line, no traceback."""
    targets, expected = [], []
    for case in CASES:
        folder = tmp_path / case.id
        folder.mkdir()
        (folder / "baseline.yaml").write_bytes(BASELINE.read_bytes())
        write_case(folder, case)
        targets.append(f"{case.id}/{case.target}")
        expected += [(expected_prefix(f"{case.id}/{file}", line, path), parts)
                     for file, line, path, *parts in case.problems]
    (tmp_path / "good.yaml").write_bytes(BASELINE.read_bytes())
    result = run_sim("validate", "good.yaml", *targets, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    out = result.stdout.splitlines()
    assert out.pop(0).startswith("good.yaml: ok (baseline: ")
    assert len(out) == len(expected)
    for (prefix, parts), line in zip(expected, out, strict=True):
        assert line.startswith(prefix), line
        assert all(part in line for part in parts), line


def test_ids_with_digits_hyphens_and_underscores_are_accepted(workdir: Path):
    (workdir / "case.yaml").write_text(overlay("""
        shocks:
          strike-2026_b: {probability: 0.1, effects: {front: [-0.05, 0.05], suspend_talks: {rounds: [2, 2]}}}
        """))
    assert "strike-2026_b" in load_scenario("case.yaml").spec.shocks
