"""The negotiation model: known answers on tiny scenarios, invariants over many seeds."""

import numpy as np
import pandas as pd
import pytest
from tiny import tiny

from sim import load_scenario
from sim.chunks import MAX_BATCH, batch_size
from sim.experiment import explain_run, run_many, run_once
from sim.model import NegotiationModel
from sim.record import records_frame
from sim.streams import run_seed
from sim.summary import format_summary, summarize


def run_table(scenario, n=200, seed=11):
    seeds = [run_seed(seed, i) for i in range(n)]
    model = NegotiationModel(scenario, seeds=seeds)
    model.run()
    return records_frame(scenario.name, range(n), seeds, model.records())


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("scenarios/baseline.yaml")


@pytest.fixture(scope="module")
def baseline_runs(baseline):
    return run_table(baseline, n=600, seed=3)


# ---------------------------------------------------------------------------- known answers


def test_identical_ideal_points_give_an_immediate_deal_on_those_terms():
    same = {"position": {"split": 0.5}}
    table = run_table(tiny(actors={"a": same, "b": same}), n=20)
    assert (table.outcome == "deal").all()
    assert (table.deal_round == 0).all()
    assert table.terms_split.to_numpy() == pytest.approx(0.5, abs=0.02)


def test_overlapping_positions_settle_between_them():
    table = run_table(tiny(), n=20)
    assert (table.outcome == "deal").all()
    assert ((table.terms_split >= 0.4) & (table.terms_split <= 0.6)).all()


def test_contradictory_hard_red_lines_never_give_a_deal_and_name_the_red_line():
    lines = {"a": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.7}]},
             "b": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.3}]}}
    table = run_table(tiny(actors=lines), n=30)
    assert (table.outcome == "no_deal").all()
    assert table.breakdown_cause.str.startswith("red_line_").all()


def test_a_party_rejects_terms_that_cross_its_hard_red_line_in_the_story():
    # b will only take 0.9 or more; a's outside option is worse than any deal.
    scenario = tiny(actors={"b": {"red_lines": [{"issue": "split", "op": ">=", "bound": 0.9}]}},
                    horizon={"rounds": 1})
    _, events = explain_run(scenario, seed=1)
    answers = [e for e in events if e.event in ("accepts", "rejects")]
    assert answers
    proposals = [e for e in events if e.event == "proposes"]
    assert proposals
    # The mediator respects the public red line: it proposes something b can accept.
    assert any(e.actor == "b" and e.event == "accepts" for e in answers)


def test_higher_outside_option_blocks_a_deal():
    # Fighting is costless and a expects to lose nothing: every deal below its ideal is worse.
    scenario = tiny(actors={"a": {"party": {"war_cost": 0.0}}, "b": {"party": {"war_cost": 0.0}}},
                    issues={"split": {"status_quo": 0.4}})
    table = run_table(scenario, n=10)
    assert (table.outcome == "no_deal").all()


def council_with_one_member(veto_probability):
    """The tiny scenario with one council member that votes against a sanctions package with this chance."""
    return tiny(
        actors={"v": {"name": "V", "roles": ["member"],
                      "member": {"votes_against": ["pkg"], "against_probability": veto_probability}},
                "a": {"party": {"sanctions_cost": 0.5}}},
        sanctions={"a": {"start": 0.1}},
        institutions={"councils": {"assembly": {"members": ["v"], "measures": {
            "pkg": {"effects": {"sanctions": [{"target": "a", "by": 0.05}]}}}}}})


def test_unanimity_vote_with_a_certain_vetoer_never_passes_and_counts_every_veto():
    table = run_table(council_with_one_member(1.0), n=10)
    assert not table.measure_pkg_passed.any() and table.measure_pkg_round.isna().all()
    assert (table.council_assembly_votes_against == 6).all()  # one per round of the horizon


def test_without_a_vetoer_the_measure_passes_at_once():
    table = run_table(council_with_one_member(0.0), n=10)
    assert table.measure_pkg_passed.all() and (table.measure_pkg_round == 0).all()
    assert (table.council_assembly_votes_against == 0).all()


def test_a_workaround_passes_a_blocked_loan_after_the_waiting_rounds():
    council = {
        "horizon": {"rounds": 12},
        "actors": {"v": {"name": "V", "roles": ["member"], "member": {"votes_against": ["loan"]}},
                   "b": {"funding": {"runway_rounds": 2}}},
        "front": {"issue": "split", "attacker": {"a": 1.0}, "defender": {"b": 1.0}},
        "institutions": {"councils": {"assembly": {"members": ["v"], "measures": {
            "loan": {"effects": {"funding": [{"actor": "b", "runway_rounds": 20}]},
                     "workaround": {"after_blocked_rounds": 3, "probability": 1.0, "value": 0.5}}}}}},
    }
    table = run_table(tiny(**council), n=10)
    assert table.measure_loan_passed.all()


def test_institution_columns_come_from_the_scenario_and_a_scenario_without_a_council_has_none():
    def institution(table):
        return [c for c in table.columns if c.startswith(("measure_", "council_"))]
    assert institution(run_table(council_with_one_member(0.0), n=3)) == [
        "measure_pkg_passed", "measure_pkg_round", "council_assembly_votes_against"]
    table = run_table(tiny(), n=3)
    assert institution(table) == []
    text = format_summary(summarize(table))
    assert "measure" not in text and "loan" not in text and "sanctions" not in text


def test_a_certain_walkaway_collapses_the_talks():
    shock = {"shocks": {"walk": {"at_round": 0, "effects": {"walkaway": True}}},
             "actors": {"a": {"party": {"war_cost": 0.0}}, "b": {"party": {"war_cost": 0.0}}},
             "issues": {"split": {"status_quo": 0.4}}}
    table = run_table(tiny(**shock), n=10)
    assert (table.outcome == "collapse").all()
    assert (table.breakdown_cause == "walkaway").all()


def test_repeated_suspensions_collapse_the_talks():
    shock = {"shocks": {"spoiler": {"probability": 1.0, "effects": {"suspend_talks": {"rounds": [1, 1]}}}},
             "institutions": {"talks": {"max_suspensions": 2}}, "horizon": {"rounds": 10}}
    table = run_table(tiny(**shock), n=10)
    assert (table.outcome == "collapse").all()
    assert (table.breakdown_cause == "shock_suspension").all()


# ---------------------------------------------------------------------------- reproducibility


def test_same_seed_same_record(baseline):
    a, _ = explain_run(baseline, seed=123)
    b, _ = explain_run(baseline, seed=123)
    assert pd.Series(a).equals(pd.Series(b))
    assert pd.Series(run_once(baseline, 123)).equals(pd.Series(a))


def test_a_run_alone_equals_the_same_run_in_a_batch(baseline):
    seeds = [run_seed(5, i) for i in range(40)]
    model = NegotiationModel(baseline, seeds=seeds)
    model.run()
    batch = records_frame(baseline.name, range(40), seeds, model.records())
    for i in (0, 7, 39):
        alone = NegotiationModel(baseline, seed=seeds[i])
        alone.run()
        row = records_frame(baseline.name, [i], [seeds[i]], alone.records())
        pd.testing.assert_frame_equal(row.reset_index(drop=True), batch.iloc[[i]].reset_index(drop=True))


def test_chunking_does_not_change_the_table(baseline):
    one = run_many(baseline, runs=60, seed=9)  # the chunking left to the experiment: one batch
    many = run_many(baseline, runs=60, seed=9, chunk_size=7)
    pd.testing.assert_frame_equal(one, many)


def test_an_unnamed_chunk_size_gives_every_worker_a_share_up_to_the_largest_batch():
    assert batch_size(1000) == MAX_BATCH == 1000
    assert batch_size(1000, workers=2) == 500
    assert batch_size(999, workers=2) == 500  # the odd run goes to one of them
    assert batch_size(5000, workers=2) == MAX_BATCH  # memory stays flat in runs
    assert batch_size(50, points=88, workers=2) == MAX_BATCH  # small points share batches (20 a chunk)
    assert batch_size(3, workers=8) == 1


def test_different_seeds_give_different_runs(baseline_runs):
    assert baseline_runs.seed.is_unique
    assert baseline_runs["front_final"].nunique() > 100


# ---------------------------------------------------------------------------- invariants


def test_no_deployment_without_a_deal(baseline_runs):
    no_deal = baseline_runs[baseline_runs.outcome != "deal"]
    assert not no_deal.force_deployed.any()
    assert (no_deal.force_troops == 0).all()


def test_no_consent_conditional_contributor_without_consent(baseline, baseline_runs):
    spec = baseline.spec
    levels = {k: v.level for k, v in spec.institutions.coalition.force_types.items()}
    conditional = {aid: levels[a.guarantor.force_type] for aid, a in spec.actors.items()
                   if a.guarantor and a.guarantor.requires_consent}
    checked = 0
    for _, row in baseline_runs[baseline_runs.force_deployed].iterrows():
        for member in row.force_contributors.split("+"):
            if member in conditional:
                assert conditional[member] <= row.terms_deployment + 1e-12
                checked += 1
    assert checked > 0, "no consent-conditional member ever deployed: the invariant was not exercised"


def test_terms_are_within_the_unit_interval(baseline_runs):
    terms = baseline_runs[[c for c in baseline_runs if c.startswith("terms_")]].to_numpy()
    finite = terms[~np.isnan(terms)]
    assert finite.size > 0
    assert ((finite >= 0) & (finite <= 1)).all()


def test_deal_rows_have_terms_and_others_do_not(baseline_runs):
    deal = baseline_runs.outcome == "deal"
    assert baseline_runs.loc[deal, "terms_territory"].notna().all()
    assert baseline_runs.loc[~deal, "terms_territory"].isna().all()
    assert (baseline_runs.loc[deal, "breakdown_cause"] == "none").all()
    assert (baseline_runs.loc[~deal, "breakdown_cause"] != "none").all()


def test_drawn_parameters_are_recorded_within_their_declared_ranges(baseline, baseline_runs):
    for path, dist in baseline.distributions().items():
        lo, hi = dist.bounds
        assert baseline_runs[path].between(lo, hi).all(), path
        assert baseline_runs[path].nunique() > 50, path


def test_every_arena_is_a_component_of_the_model_with_a_step(baseline):
    # A reader who knows Mesa finds each phase of the round as an arena of the model, each in its own
    # module, advanced by step(t, mask).
    model = NegotiationModel(baseline, seed=1)
    model.run()  # a finished model lets go of Mesa's class-level id counter
    for name in ("shocks", "front", "economy", "talks"):
        arena = getattr(model, name)
        assert type(arena).__module__ == f"sim.model.{name}"
        assert callable(arena.step)
    for council in model.councils.values():
        assert type(council).__module__ == "sim.model.council" and callable(council.step)
    assert callable(model.coalition.outlook) and callable(model.coalition.deploy)
    assert callable(model.durability.step) and callable(model.durability.begin)


def test_finished_models_are_not_kept_alive(baseline):
    # Memory must stay flat over many chunks: nothing (Mesa's id counters included) may hold a
    # finished model.
    import gc

    for k in range(3):
        model = NegotiationModel(baseline, seeds=[run_seed(1, i) for i in range(k * 5, k * 5 + 5)])
        model.run()
        del model
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, NegotiationModel)]


def test_the_referendum_rule_runs_and_can_vote_a_deal_down():
    # b's public never approves (intercept -10): the referendum, held once and without a fallback,
    # votes the first signed deal down and no later deal can be ratified.
    home = {"party": {"ratification": [{"body": "public", "rule": "referendum", "intercept": -10.0}]}}
    table = run_table(tiny(actors={"b": home}), n=20)
    assert (table.outcome == "collapse").all()
    assert (table.breakdown_cause == "ratification").all()


def test_a_proposing_party_never_offers_terms_it_would_reject_itself():
    scenario = tiny(actors={"a": {"red_lines": [{"issue": "split", "op": "<=", "bound": 0.45}]}},
                    institutions={"talks": {"recognition": {"a": 1.0}}}, horizon={"rounds": 3})
    for seed in range(5):
        _, events = explain_run(scenario, seed=seed)
        assert not [e for e in events if e.actor == "a" and e.event == "rejects"]


def test_a_drawn_horizon_gives_each_run_the_same_record_alone_and_in_a_batch():
    scenario = tiny(horizon={"rounds": {"uniform": [3, 12]}},
                    shocks={"noise": {"probability": 0.3, "effects": {"sanctions": [{"target": "a", "by": 0.01}]}}},
                    sanctions={"a": {"start": 0.1}},
                    actors={"a": {"party": {"war_cost": 0.0, "sanctions_cost": 0.5}}, "b": {"party": {"war_cost": 0.0}}},
                    issues={"split": {"status_quo": 0.4}})
    seeds = [run_seed(2, i) for i in range(12)]
    model = NegotiationModel(scenario, seeds=seeds)
    model.run()
    batch = records_frame("tiny", range(12), seeds, model.records())
    for i in range(12):
        alone = NegotiationModel(scenario, seed=seeds[i])
        alone.run()
        row = records_frame("tiny", [i], [seeds[i]], alone.records())
        pd.testing.assert_frame_equal(row.reset_index(drop=True), batch.iloc[[i]].reset_index(drop=True))


def test_a_drawn_risk_attitude_gives_the_same_record_alone_and_in_a_batch():
    scenario = tiny(actors={"a": {"risk": {"choice": [1.0, 1.5, 2.0]}, "party": {"resolve": {"uniform": [0.5, 2]}}},
                            "b": {"risk": {"uniform": [0.5, 2.0]}}})
    seeds = [run_seed(3, i) for i in range(20)]
    model = NegotiationModel(scenario, seeds=seeds)
    model.run()
    batch = records_frame("tiny", range(20), seeds, model.records())
    for i in (0, 5, 19):
        alone = NegotiationModel(scenario, seed=seeds[i])
        alone.run()
        row = records_frame("tiny", [i], [seeds[i]], alone.records())
        pd.testing.assert_frame_equal(row.reset_index(drop=True), batch.iloc[[i]].reset_index(drop=True))


def test_no_shock_touches_a_run_whose_talks_ended_earlier_in_the_round():
    shocks = {"shocks": {
        "walk": {"at_round": 1, "effects": {"walkaway": True}},
        "later": {"at_round": 1, "effects": {"leverage": 1}},
    }, "actors": {"a": {"party": {"war_cost": 0.0}}, "b": {"party": {"war_cost": 0.0}}},
        "issues": {"split": {"status_quo": 0.4}}}
    table = run_table(tiny(**shocks), n=5)
    assert (table.outcome == "collapse").all()
    assert (table.leverage == 0).all() and (table.shocks == 1).all()


def test_story_events_carry_the_numbers_of_their_decisions(baseline):
    # The story words what the decisions computed: each answer carries the party's numbers, and its
    # sentence shows those numbers (sim/model/story.py imports no decision math to recompute them).
    _, events = explain_run(baseline, seed=run_seed(20261201, 1))
    answers = [e for e in events if e.event in ("accepts", "rejects") and not e.data["hard_line"]
               and not e.data["blocked_at_home"]]
    assert answers
    for e in answers:
        assert e.data["accepts"] == (e.event == "accepts")
        assert f"deal value {e.data['deal_value']:.3f} vs fighting on {e.data['outside_option']:.3f}" in e.detail
        assert f"its resolve {e.data['resolve']:.2f}" in e.detail
    proposals = [e for e in events if e.event.startswith("proposes")]
    assert proposals and set(proposals[0].data["terms"]) == set(baseline.spec.issues)
    import ast
    from pathlib import Path

    import sim.model.story as story
    tree = ast.parse(Path(story.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and "mechanisms" in m for m in imported)
