# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. Comparing assumptions
#
# This is the question the simulator is built for: **how does the distribution of outcomes change
# when one assumption changes?** Each file in `scenarios/` other than the baseline is an *overlay*: a
# short file that starts from `baseline.yaml` and changes one assumption. Each opens with a comment
# that states the assumption, the question it answers and the expected direction (a hypothesis, not
# a result).

# %% [markdown]
# > **The model compares assumptions; it does not forecast.** Every number in a scenario file is an
# > assumption, many of them given as ranges, and none is estimated from data. When this notebook
# > prints that some share of the runs ends in a ceasefire, it means: that share of the simulated years
# > that follow from *these* assumptions. It is not the probability that the real talks produce a
# > ceasefire. What the model can do is show how
# > the outcomes move when one assumption changes, and which assumptions matter most.
#
# **Common random numbers.** All scenarios are run with the same master seed. Run number *i* then
# gets the same random numbers in every scenario: the same drawn values for every parameter they
# share, the same shocks, the same acceptance draws. A run that differs between two scenarios differs
# because of the assumption that was changed, not because of luck. This is what makes the *paired*
# comparisons below so precise.

# %%
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import sim

# 120 runs of every shipped scenario and of each switched-off mechanism keep the notebook under a
# minute on two cores (most runs now reach a deal and go on through its three-year aftermath, which
# costs more than the talks); raise it for tighter intervals (the tests set SIM_NB_RUNS=100).
RUNS = int(os.environ.get("SIM_NB_RUNS", 120))  # runs per scenario
SEED = 1  # master seed: the same seed gives the same runs, in every scenario

# The project's scenarios: the first scenarios/ at or above this notebook's folder (else the checkout's).
SCENARIOS = sim.scenarios_folder()
print(f"ceasefire-sim {sim.__version__}: scenarios in {SCENARIOS}, {RUNS:,} runs per scenario, seed {SEED}")

# %%
from sim import load_scenario

files = sorted(SCENARIOS.glob("*.yaml"), key=lambda path: (path.stem != "baseline", path.stem))
scenarios = [load_scenario(path) for path in files]
baseline = scenarios[0]
with pd.option_context("display.max_colwidth", None):
    display(pd.DataFrame({"what it assumes": {s.name: s.spec.description.strip() for s in scenarios}}))

# %% [markdown]
# ## All variants side by side
#
# `run_points` runs every scenario `RUNS` times with the same master seed and returns one table, one
# row per run. Run *i* has the same seed in every scenario.

# %%
from sim.experiment import Point, run_points
from sim.summary import summarize

table = run_points([Point(s) for s in scenarios], runs=RUNS, seed=SEED)
summary = summarize(table).set_index("scenario")
columns = {"p_deal": "deal %", "p_no_deal": "no deal %", "p_collapse": "collapse %",
           "p_force_deployed": "force deployed %", "p_held_given_deal": "held, given a deal %"}
(100 * summary[list(columns)]).rename(columns=columns).round(1).join(summary["median_deal_round"])

# %%
from sim.plots import deployment, outcome_shares, time_to_deal, who_pledges

horizon = baseline.spec.horizon.rounds
ax = outcome_shares(table)
plt.show()

# %% [markdown]
# **Outcome shares.** One group of bars per outcome, one bar per scenario; a scenario keeps its colour
# in all the figures of this full comparison. The whiskers are 95% intervals. When two bars' whiskers
# overlap, that alone does not mean their difference could be noise: the runs are paired, and the
# paired intervals below are much narrower.

# %%
ax = time_to_deal(table, horizon=horizon)
plt.show()

# %% [markdown]
# **Time to a deal.** The share of all runs with a deal by each round. The end of each
# curve is that scenario's deal share; its shape shows whether an assumption brings deals
# sooner or only more of them.

# %%
deployment(table)
plt.show()

# %% [markdown]
# **Deployment.** Left: the share of all runs in which a force deployed, split into forces deployed
# with Russia's consent (solid) and beyond it (hatched). Right: how many troops, when a force
# deployed (a box for the middle half, and the runs as dots).

# %%
ax = who_pledges(table)
plt.show()

# %% [markdown]
# **Who pledges troops.** For each guarantor (row) and scenario (column), the share of all runs in
# which it contributed troops. Darker means more often.
#
# ## What changes when ...
#
# The three sections below take one variant each, show its overlay file and its **paired
# differences** from the baseline: for each quantity, the baseline's value, the variant's, the
# difference, and a 95% interval for the difference, both paired and unpaired. The "narrower"
# column says how many times narrower the paired interval is. The last section explains how to read
# them.

# %%
from sim.compare import format_paired, paired_differences

differences = paired_differences(table, "baseline", horizon=horizon)


def overlay(name):
    """Print a shipped overlay file and its paired differences from the baseline."""
    print((SCENARIOS / f"{name}.yaml").read_text())
    print(format_paired(differences[differences["scenario"] == name]))


# %% [markdown]
# ### ... consent is no longer required (`consent-not-required`)
#
# In the baseline, some coalition members deploy only if Russia agrees to their kind of force, and
# a member that needs no consent goes beyond it only if its *risk tolerance* covers the coalition's
# *target risk* (how dangerous it is to be a force Russia calls a target; the cell prints both). The
# variant removes every consent condition and lets every member accept the target risk. This takes
# away Russia's veto over the force.

# %%
coalition = baseline.spec.institutions.coalition
guarantors = {aid: actor.guarantor for aid, actor in baseline.spec.actors.items() if actor.guarantor}
print(f"baseline: target risk {coalition.target_risk:g}; the leads' risk tolerance: "
      + ", ".join(f"{baseline.spec.actors[aid].name} {guarantors[aid].risk_tolerance:g}" for aid in coalition.lead_nations)
      + f"; {sum(g.requires_consent for g in guarantors.values())} of {len(guarantors)} members need Russia's consent\n")
overlay("consent-not-required")
pair = table[table["scenario"].isin(["baseline", "consent-not-required"])]
deals = pair[pair["outcome"] == "deal"]
consent_effects = pd.DataFrame({
    "deal %": 100 * pair.groupby("scenario", sort=False)["outcome"].apply(lambda o: (o == "deal").mean()),
    "mean deployment term of the deals": deals.groupby("scenario", sort=False)["terms_deployment"].mean(),
    "forces beyond consent, % of forces": 100 * deals[deals["force_deployed"].astype(bool)]
    .groupby("scenario", sort=False)["force_consented"].apply(lambda c: (c == 0).mean()),
    "deals held %": 100 * deals.groupby("scenario", sort=False)["deal_held"].mean(),
}).round(2)
display(consent_effects)
deployment(pair)
plt.show()

# %% [markdown]
# **How to read it.** Without the veto the coalition would deploy whatever the text says. So Ukraine
# can count on real troops behind a guarantee even in a deal whose deployment term Russia likes: one
# that keeps foreign forces out on paper. The table above shows what that does here: the deal share,
# how much deployment the deals allow on paper, how many of the forces deploy *without* Russia's
# consent (the hatched bars), and how often the deals hold. The model assumes that a force beyond
# consent raises the risk of renewed war, so more deals need not mean more deals that hold. Whether
# this is good news depends on two assumptions worth questioning: that Russia signs such a text at a
# modest cost (`unconsented_force_penalty`), and how much an unconsented force adds to the relapse
# risk (`unconsented_effect`).

# %% [markdown]
# ### ... the US backstop goes (`us-backstop-withdrawn`)
#
# The variant sets the US backstop to 0: no intelligence, logistics or air cover for a European force.

# %%
overlay("us-backstop-withdrawn")
withdrawn = table[table["scenario"] == "us-backstop-withdrawn"]
minimums = [g.min_backstop for g in guarantors.values()]
line = next((rl for rl in baseline.spec.actors["ukraine"].red_lines if rl.issue == coalition.guarantees_issue), None)


def number(value):
    """A number as a short text, or a drawn one as its range (a scenario may give either)."""
    if hasattr(value, "low") and hasattr(value, "high"):
        return f"{value.low:g} to {value.high:g} (drawn)"
    return f"{value:g}" if isinstance(value, int | float) else str(value)


asks = (f"Ukraine's line asks for guarantees {line.op} {number(line.bound)} ({'hard' if line.hard else 'soft'})"
        if line else "Ukraine states no line on guarantees")
print(f"\nEvery guarantor needs a backstop of about {number(min(minimums))} to {number(max(minimums))} (its chance of "
      f"deploying is one half there); the leads withdraw below {number(coalition.leads_min_backstop)}. "
      f"A guarantee with no force behind it keeps "
      f"{coalition.paper_guarantee_weight:.0%} of its worth; {asks}.")
print(f"Without the backstop: {(withdrawn['outcome'] == 'deal').mean():.1%} of runs reach a deal, and a force "
      f"deploys in {withdrawn['force_deployed'].astype(bool).mean():.1%}.")
ax = who_pledges(table[table["scenario"].isin(["baseline", "us-backstop-withdrawn"])])
plt.show()

# %% [markdown]
# **How to read it.** Well below every guarantor's minimum backstop nobody deploys, and a guarantee
# with no force behind it keeps only its paper worth. Whether ceasefires remain then turns on
# Ukraine's guarantees-first line (printed above): if it were hard and asked for more than the paper
# worth, no deal could meet it and the variant would have none; a soft line costs Kyiv an audience
# cost that fades as the war drains its stock, so some deals come late, without a force. Either
# answer is not a finding the simulation discovered: it follows from three assumptions taken
# together (the minimum backstops, the paper worth of a guarantee, and Ukraine's line on guarantees).
# Reading a result back to the assumptions that make it is the most useful habit with a model like
# this. Change one of the three (in notebook 3) and see the variant's deals move.

# %% [markdown]
# ### ... Hungary stops vetoing (`hungary-veto-lifted`)
#
# The variant sets Hungary's veto chance to 0, before and after its election. Slovakia's smaller veto
# chance on the sanctions package stays.

# %%
overlay("hungary-veto-lifted")
base_runs = table[table["scenario"] == "baseline"]
for measure in [c.removeprefix("measure_").removesuffix("_passed") for c in base_runs if c.endswith("_passed")]:
    print(f"baseline: {measure} passed by the horizon in {base_runs[f'measure_{measure}_passed'].astype(bool).mean():.0%} "
          f"of runs, in round {base_runs[f'measure_{measure}_round'].median():.0f} (median, when it passed)")
hungary = differences[(differences["scenario"] == "hungary-veto-lifted") & (differences["metric"] == "p_deal")].iloc[0]
print(f"Lifting the veto moves P(deal) by {100 * hungary['difference']:+.1f} points "
      f"(paired 95% interval {100 * hungary['paired_lo']:+.1f} to {100 * hungary['paired_hi']:+.1f}).")

# %% [markdown]
# **How to read it.** The sanctions package and the loan now pass at once. How much that matters
# depends on how often, and how late, they passed in the baseline anyway (the grievance ends, a
# workaround, the election; printed above), and on how much one package adds to the sanctions that
# weigh on Russia, with a lag. This is a statement about the model's assumptions (how much one package
# weighs, how quickly the loan gets through anyway), not about the worth of EU unity in the world.
# Notice how narrow the paired intervals are here. The next section explains why.
#
# ## How to read the intervals
#
# - **A share's interval** (the whiskers in the figures, the brackets in the summaries) is a 95%
#   Wilson interval. It measures *simulation noise only*: how precisely these runs pin down the share
#   under these assumptions. More runs make it narrower. It does not measure how uncertain the
#   assumptions are.
# - **An unpaired interval for a difference** treats the two scenarios' runs as if they were
#   independent samples, so the noise in both shares adds up.
# - **A paired interval** uses the run-by-run differences. Because run *i* meets the same luck in both
#   scenarios, most runs end the same way in both, so most run-by-run differences are zero. Their
#   average is then known much more precisely, and the paired interval is narrower. Pairing helps
#   most when a change affects few runs and least when it changes nearly every run. The table below
#   shows how many runs each variant leaves alone: the share of runs whose outcome is the same as in
#   the baseline.

# %%
outcomes = table.pivot(index="run", columns="scenario", values="outcome")
same = outcomes.drop(columns="baseline").eq(outcomes["baseline"], axis=0).mean()
(100 * same).round(1).rename("same outcome as the baseline, % of runs").to_frame()

# %% [markdown]
# A difference whose paired interval excludes zero is a real consequence of the changed assumption
# *within the model*, not a fluke of the random numbers. Whether it says anything about the world
# depends on the assumptions.

# %% [markdown]
# ## Channels: switch one mechanism off, same random numbers
#
# The shipped variants change an assumption about the world. The model can also be asked a different
# question: **which of its mechanisms carry the baseline's result?** Switch one mechanism off, keep
# everything else, and run the same runs again. Because run *i* meets the same luck with and without the
# mechanism, the paired difference is the mechanism's own effect on the baseline. The switches:
#
# - **Ripening off**: Russia's war stock never runs out (`endurance_rounds` none), so a round of war never
#   hurts more than the first (`strain` 0) and its audience costs never fade
#   (`concession_with_depletion` 0) (`docs/model.md`, section 4).
# - **Sanctions reach no cost**: sanctions still pass, but add nothing to Russia's cost of a round of
#   war (`sanctions_cost` 0).
# - **Hungary votes for everything**: it never vetoes the sanctions package or the loan, before or after
#   its election.
# - **No ratification**: a signed deal needs no approval at home (no party has a ratification body).
# - **Guarantees do not lower the relapse risk**: the guarantee term no longer lowers the yearly
#   risk that a ceasefire breaks down (`durability.guarantees_effect` 0, `docs/model.md`, section 8).
#
# For each we compare two things: **P(deal)**, over all runs, and **the share of deals that hold**
# through the aftermath window. For the first, each run gives a 0 or 1 in both versions and the paired
# difference is the mean of the run-by-run differences, with the 95% interval
# `mean ± 1.96 · sd / √n`. The second is a share of deals, and the two versions may have deals in
# different runs, so it is paired over the runs that reach a deal in **both** versions: there the
# run-level indicator is "this deal held", and the same formula gives its interval.

# %%
import numpy as np

from sim import ScenarioError

parties_with_ratification = [aid for aid, actor in baseline.spec.actors.items()
                             if actor.party is not None and actor.party.ratification]
CHANNELS = {  # name in the tables -> (what it switches off, the overrides that do it)
    "ripening off": ("Russia's war stock never runs out", {
        "actors.russia.party.endurance_rounds": None, "actors.russia.party.strain": 0,
        "actors.russia.party.concession_with_depletion": 0}),
    "no sanctions cost": ("sanctions reach no cost", {"actors.russia.party.sanctions_cost": 0.0}),
    "hungary votes yes": ("Hungary votes for everything", {
        "actors.hungary.member.against_probability": 0.0,
        "actors.hungary.member.against_probability_after_change": 0.0}),
    "no ratification": ("no ratification", {f"actors.{aid}.party.ratification": []
                                            for aid in parties_with_ratification}),
    "guarantees inert": ("guarantees do not lower the relapse risk", {"durability.guarantees_effect": 0.0}),
    "public reads the clause": ("the public weighs a guarantee at its face value, not by the troops behind it",
                                {f"actors.{aid}.party.ratification[0].judges_guarantees": False
                                 for aid in parties_with_ratification}),
}
switched = []
for name, (what, overrides) in list(CHANNELS.items()):
    try:
        switched.append(Point(baseline.with_overrides({**overrides, "name": name})))
    except ScenarioError as error:  # the baseline changes over time: a switch that no longer fits is said, not hidden
        print(f"left out: {what}: the switch does not fit this baseline ({error.problems[0]})")
        del CHANNELS[name]
# The baseline's runs are the ones above (same master seed, same run numbers): only the variants run here.
channel_runs = pd.concat([table[table["scenario"] == "baseline"], run_points(switched, runs=RUNS, seed=SEED)],
                         ignore_index=True)


def paired(a, b):
    """Mean of b - a over paired runs, with its 95% interval mean ± 1.96·sd/√n (NaN for fewer than 2 pairs)."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if len(d) < 2:
        return np.nan, np.nan, np.nan
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean(), d.mean() - half, d.mean() + half


def channel_effects(runs):
    """One row per channel: P(deal) and the share of deals held, baseline and switched off, paired differences."""
    base = runs[runs["scenario"] == "baseline"].set_index("run").sort_index()
    rows = []
    for name in CHANNELS:
        other = runs[runs["scenario"] == name].set_index("run").reindex(base.index)
        deal_a, deal_b = base["outcome"] == "deal", other["outcome"] == "deal"
        both = deal_a & deal_b
        d, lo, hi = paired(deal_a, deal_b)
        h, h_lo, h_hi = paired(base.loc[both, "deal_held"] == 1, other.loc[both, "deal_held"] == 1)
        rows.append({
            "channel": name, "switched off": CHANNELS[name][0],
            "P(deal) baseline": deal_a.mean(), "P(deal) off": deal_b.mean(),
            "P(deal) diff": d, "P(deal) lo": lo, "P(deal) hi": hi,
            "held baseline": (base.loc[deal_a, "deal_held"] == 1).mean() if deal_a.any() else np.nan,
            "held off": (other.loc[deal_b, "deal_held"] == 1).mean() if deal_b.any() else np.nan,
            "held diff": h, "held lo": h_lo, "held hi": h_hi, "runs with a deal in both": int(both.sum()),
        })
    return pd.DataFrame(rows).set_index("channel")


effects = channel_effects(channel_runs)
shown = effects.drop(columns="switched off").copy()
shares = [c for c in shown.columns if c != "runs with a deal in both"]
shown[shares] = (100 * shown[shares]).round(1)  # percent and percentage points
print(f"{RUNS:,} paired runs per channel; shares in %, differences in percentage points (switched off - baseline)")
shown

# %% [markdown]
# In the table, `P(deal) diff` and `held diff` are the paired differences (switched off minus baseline,
# in percentage points) and `lo` and `hi` the ends of their 95% intervals. `held baseline` and `held off`
# are the share of each version's own deals that held; `held diff` is over the runs that reach a deal in
# both versions, as `runs with a deal in both` says. An interval of zero width means that the
# switch changed none of the paired runs.

# %%
def channel_figure(effects):
    """Paired differences with their 95% intervals: P(deal) and the share of deals held, one row per channel."""
    from matplotlib.transforms import blended_transform_factory

    fig, axes = plt.subplots(1, 2, figsize=(11, 1.2 + 0.6 * len(effects)), sharey=True, layout="constrained")
    y = np.arange(len(effects))[::-1]
    for ax, (key, title) in zip(axes, [("P(deal)", "P(deal), over all runs"),
                                       ("held", "share of deals held, over the runs with a deal in both")],
                                strict=True):
        diff, lo, hi = (100 * effects[f"{key} {part}"].to_numpy(dtype=float) for part in ("diff", "lo", "hi"))
        ax.errorbar(diff, y, xerr=[diff - lo, hi - diff], fmt="o", color="#1f77b4", ecolor="#555555", capsize=3)
        ax.axvline(0, color="#999999", linewidth=1)
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_ylim(-0.6, len(effects) - 0.4)
    # Rows without a paired deal have no dot: say so in the middle of the panel; the pairs behind each row at its right.
    across = blended_transform_factory(axes[1].transAxes, axes[1].transData)
    for yi, (d, pairs) in zip(y, effects[["held diff", "runs with a deal in both"]].to_numpy(), strict=True):
        if np.isnan(d):
            axes[1].text(0.5, yi, "no run has a deal in both", transform=across, ha="center", va="center",
                         fontsize=8, color="#555555")
        axes[1].text(1.02, yi, f"{int(pairs):,} pairs", transform=across, va="center", fontsize=8, color="#555555")
    axes[0].set_yticks(y, [effects.loc[name, "switched off"] for name in effects.index], fontsize=9)
    fig.supxlabel("switched off − baseline, percentage points (dot: paired mean; bar: 95% interval)", fontsize=9)
    fig.suptitle(f"What each mechanism does on the baseline ({RUNS:,} paired runs each)", fontsize=11)
    return fig


channel_figure(effects)
plt.show()

# %% [markdown]
# Which channels carry weight? The cell below reads it off the intervals: a switch that moves P(deal) or
# the share held by at least `WEIGHT` (in percentage points, with an interval that excludes zero) carries
# weight; one whose interval excludes zero but stays below that is small but real; one whose interval
# includes zero is nearly inert on the baseline, at this many runs.

# %%
WEIGHT = 0.05  # five percentage points: the size at which the issue tracker calls a channel's effect material


def verdict(diff, lo, hi):
    if np.isnan(diff):
        return "cannot be told (no paired deals)"
    if lo == hi == 0:
        return "leaves every paired run as it was"
    if lo <= 0 <= hi:
        return f"is nearly inert ({100 * diff:+.1f} points, interval {100 * lo:+.1f} to {100 * hi:+.1f})"
    size = "carries weight" if abs(diff) >= WEIGHT else "is small but real"
    return f"{size} ({100 * diff:+.1f} points, interval {100 * lo:+.1f} to {100 * hi:+.1f})"


for _, row in effects.iterrows():
    print(f"{row['switched off'].capitalize()}: for P(deal) it {verdict(row['P(deal) diff'], row['P(deal) lo'], row['P(deal) hi'])}; "
          f"for the deals held it {verdict(row['held diff'], row['held lo'], row['held hi'])}.")

# %% [markdown]
# **How to read it.** A channel can be inert on the baseline for two different reasons, and the model
# cannot tell them apart by this test alone: the mechanism may be weak, or something else may bind
# first. Hungary's veto, for instance, can only matter through what the vetoed measures do, and the
# loan may get through by other routes (the grievance ends, a workaround, an election). Ratification can
# only matter if a deal the parties sign is one the public would vote down. An inert switch on the
# baseline says that, *under these assumptions*, the result does not run through that channel; in
# another scenario it may. A channel that moves P(deal) but not the share held acts before the deal
# (on what the parties accept); one that moves the share held acts after it. Guarantees may do both:
# a party that weighs the risk of a breakdown when it judges a guarantee values the deal less when
# guarantees lower that risk less.

# %% [markdown]
# ## Which assumption drives the outcome?
#
# The baseline gives some of its parameters as ranges instead of single numbers (the cell below
# counts them). Two tools ask which of them matter (both can be run from the command line at full size: `sim sensitivity`, `sim discover`):
#
# - **Sensitivity analysis** (Morris screening): change one parameter at a time across its range,
#   many times from different starting points, and measure how much the share of deals moves.
#   `mu_star` is the average size of that effect. The sizes below are tiny (a rough ranking in a
#   few seconds); use larger ones for anything you report.
# - **Scenario discovery** (PRIM): look through runs that already have their drawn values as columns
#   (the baseline's runs above do) for a *box*, a few parameter ranges inside which deals are
#   much more common than overall.

# %%
from sim.discovery import describe_box, discover
from sim.sensitivity import sensitivity
from sim.sensitivity_report import format_indices, plot_indices

print(f"The baseline draws {len(baseline.distributions())} parameters from ranges.")
result = sensitivity(baseline, method="morris", n=4, runs_per_point=max(10, RUNS // 50),
                     outcomes=["p_deal"], seed=SEED)
print(format_indices(result.indices))
display(plot_indices(result.indices, outcome="p_deal").figure)
ranked = result.indices.dropna(subset=["mu_star"]).sort_values("mu_star", ascending=False)
if len(ranked):
    print("Largest mu_star in this small screen: " + ", ".join(ranked["parameter"].head(3)))

# %%
boxes = discover(table[table["scenario"] == "baseline"], 'outcome == "deal"')
for box in boxes:
    print(describe_box(box))
bounding = sorted({path for box in boxes for path in box.restrictions})
print("The box is bounded by: " + (", ".join(bounding) if bounding else "nothing (no box found)"))

# %% [markdown]
# **How to read it.** The parameters at the top of the sensitivity ranking, and the ones that bound the
# box (both printed above), are where the baseline's answer comes from. Where the two tools agree, the
# answer is firmer; a screen this small can reorder the parameters from one seed to the next, so treat
# it as a first look. Read each name back to its mechanism: a red line's `penalty` is how much crossing
# Russia's stated line costs it, `endurance_rounds` how long a side's war stock lasts (the clock of
# ripening), `resolve` how little the costs of war weigh. Both tools rank the parameters within the
# ranges the scenario declares; a parameter given as a single number can never show up here (the
# README shows how `sim sensitivity --all-params` gives every number a range).
#
# ## Try it yourself
#
# Move the sliders and press the button to rerun a small batch (`WIDGET_RUNS` runs, named on the
# button; a second or two) with those assumptions, next to the baseline's first runs (same seeds, so
# paired). The cell prints what the baseline assumes for each:
#
# - **US backstop** (0 to 1): US support for a European force.
# - **Russia's resolve**: how little the cost of fighting weighs on Russia.
# - **target risk** (0 to 1): how dangerous a force beyond Russia's consent would be. Members that do
#   not need consent go beyond it only if their risk tolerance covers it.
# - **consent required**: untick to start from `consent-not-required` instead of the baseline.
#
# The figure printed under the controls is drawn once when the cell runs, with the sliders' starting
# values (the baseline with the backstop and resolve fixed at their most likely values), so that it
# is there in a saved or headless notebook too. Each press of the button draws a new one inside the
# controls.

# %% tags=["widgets"]
import ipywidgets as widgets

from sim.experiment import run_many

WIDGET_RUNS = min(RUNS, 200)
consent_free = next(s for s in scenarios if s.name == "consent-not-required")
reference = table[table["scenario"] == "baseline"].head(WIDGET_RUNS)  # run i has the same seed at any size
SLIDERS = {"us_backstop": "actors.united_states.backer.backstop", "russia_resolve": "actors.russia.party.resolve",
           "target_risk": "institutions.coalition.target_risk"}


def most_likely(path):
    """A parameter's most likely value: the mode of a triangular range, the middle of another, or the number."""
    value = baseline.value(path)
    if hasattr(value, "mode"):
        return float(value.mode)
    if hasattr(value, "low") and hasattr(value, "high"):
        return (float(value.low) + float(value.high)) / 2
    return float(value)


START = {name: round(most_likely(path), 2) for name, path in SLIDERS.items()}
for name, path in SLIDERS.items():
    print(f"baseline {path}: {baseline.value(path)} (the slider starts at {START[name]:g})")


def explore(us_backstop=START["us_backstop"], russia_resolve=START["russia_resolve"],
            target_risk=START["target_risk"], consent_required=True):
    """Rerun a small batch with these assumptions and draw its outcome shares next to the baseline's."""
    start = baseline if consent_required else consent_free
    variant = start.with_overrides({
        "actors.united_states.backer.backstop": us_backstop,
        "actors.russia.party.resolve": russia_resolve,
        "institutions.coalition.target_risk": target_risk,
    })
    runs = run_many(variant, runs=WIDGET_RUNS, seed=SEED).assign(scenario="your setting")
    outcome_shares(pd.concat([reference, runs], ignore_index=True))
    plt.show()


widgets.interact_manual.options(manual_name=f"Run {WIDGET_RUNS} runs")(
    explore,
    us_backstop=widgets.FloatSlider(value=START["us_backstop"], min=0.0, max=1.0, step=0.05, description="US backstop"),
    russia_resolve=widgets.FloatSlider(value=START["russia_resolve"], min=0.8, max=3.0, step=0.1,
                                       description="Russia's resolve"),
    target_risk=widgets.FloatSlider(value=START["target_risk"], min=0.0, max=1.0, step=0.05, description="target risk"),
    consent_required=widgets.Checkbox(value=True, description="consent required"),
)
explore()  # draw once now, so that the cell has its figure without a browser too

# %% [markdown]
# Things to try: find the backstop below which no ceasefire happens at all, and see whether removing
# the consent requirement moves it. With consent not required, raise the target risk above the
# members' risk tolerance: the coalition stops going beyond consent, and the variant falls back toward
# the baseline.
#
# Next: **`03-write-your-own-scenario.ipynb`** writes a new overlay from scratch.
