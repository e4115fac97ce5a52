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
# # 3. Write your own scenario
#
# An assumption you want to test becomes an **overlay**: a few lines of YAML that start from the
# baseline and change what you want to change. This notebook writes one in a cell, checks it, shows
# what the checker says about mistakes, runs it against the baseline, and sweeps one of its numbers.
# The same text saved as a file in `scenarios/` works with the command line (`sim validate`, `sim run`,
# `sim compare`).

# %%
# %matplotlib inline
import os

import matplotlib.pyplot as plt

import sim

RUNS = int(os.environ.get("SIM_NB_RUNS", 1000))  # runs per scenario (the tests set SIM_NB_RUNS=100)
SEED = 1  # master seed: the same seed gives the same runs, in every scenario

# The project's scenarios: the first scenarios/ at or above this notebook's folder (else the checkout's).
SCENARIOS = sim.scenarios_folder()
print(f"ceasefire-sim {sim.__version__}: scenarios in {SCENARIOS}, {RUNS:,} runs per scenario, seed {SEED}")

# %% [markdown]
# ## An overlay
#
# The rules (see `docs/scenario-format.md` for all of them):
#
# - `extends: baseline.yaml` starts from the baseline; give the variant its own `name`.
# - **Mappings merge key by key**: you write only the keys you change, at any depth.
# - **Everything else replaces**: a number, a text, and a whole list (to change one red line,
#   restate them all).
# - A new key adds something new, here a whole new actor.
# - Every number that rests on something should say so under `evidence:` with fact ids from
#   `seeds/`. A choice of your own cites an `assume-` id, or says so in a `note`.
# - Open the overlay with a comment: the assumption, the question, and the direction you expect,
#   marked as a hypothesis.
#
# Our assumption: **Germany joins the coalition** with a contingent of the reassurance kind, but only
# with Russia's consent, only with a firm US backstop, once part of the force is pledged, and with a
# chance that the Bundestag approves the mission (the overlay below has the numbers). The news report
# does not say Germany would send troops; this is a hypothetical, and its numbers are ours.

# %%
from sim import ScenarioError, load_scenario, scenario_from_yaml

OVERLAY = """
# Assumption changed: Germany joins the coalition of the willing (hypothetical; numbers are ours).
# Question: does a larger consent-conditional force make a deal more likely?
# Hypothesis (not a result): a little, through Ukraine's effective guarantees, and only when Russia consents.
extends: baseline.yaml
name: germany-joins
description: Germany offers 5,000 reassurance troops, with Russia's consent and a firm US backstop.

actors:
  germany:
    name: Germany
    roles: [guarantor]
    guarantor:
      troops: 5000
      force_type: reassurance
      requires_consent: true
      min_backstop: 0.5
      threshold: 0.3
      mandate_probability: 0.7
    note: hypothetical; the report names Germany only among those pledging more economic pressure
    evidence: [assume-troop-capacities, assume-consent-requirements, assume-mandate-probabilities]
"""

mine = scenario_from_yaml(OVERLAY, base_dir=SCENARIOS, name="germany-joins.yaml")
print(f"{mine.name}: valid; {len(mine.spec.actors)} actors (the baseline has "
      f"{len(load_scenario(SCENARIOS / 'baseline.yaml').spec.actors)})")
mine.spec.actors["germany"].guarantor

# %% [markdown]
# `scenario_from_yaml` does what `load_scenario` does for a file: it resolves `extends` (relative to
# `base_dir`), merges, checks everything, and returns a frozen scenario. It is valid, or it raises an
# error listing **every** problem it found.
#
# ## When something is wrong
#
# Here is the same overlay with four mistakes of the kind everybody makes: a misspelt force type, a
# number out of range, a misspelt key, and a misspelt fact id. Each problem comes back as one line,
#
# ```text
# FILE:LINE: key.path: what is wrong (expected ...)
# ```
#
# with the line in the YAML text (counting from the line of the opening quotes), the path of the key,
# and what was expected, often with a suggestion. The checker reports every problem at once, so
# that you can fix them in one go.

# %%
BROKEN = (OVERLAY
          .replace("force_type: reassurance", "force_type: reasurance")
          .replace("min_backstop: 0.5", "min_backstop: 1.5")
          .replace("mandate_probability:", "mandate_probabilty:")
          .replace("assume-troop-capacities", "assume-troop-capacity"))
try:
    scenario_from_yaml(BROKEN, base_dir=SCENARIOS, name="germany-joins.yaml")
except ScenarioError as error:
    print(f"{len(error.problems)} problems:")
    for problem in error.problems:
        print(problem)

# %% [markdown]
# ## Run it against the baseline
#
# The baseline and the overlay run with the same master seed, so run *i* meets the same luck in both
# (common random numbers). The paired differences say what adding Germany changes *within the
# model*.

# %%
from sim.compare import format_paired, paired_differences
from sim.experiment import Point, run_points
from sim.plots import outcome_shares

baseline = load_scenario(SCENARIOS / "baseline.yaml")
table = run_points([Point(baseline), Point(mine)], runs=RUNS, seed=SEED)
differences = paired_differences(table, "baseline", horizon=baseline.spec.horizon.rounds)
print(format_paired(differences))
ax = outcome_shares(table)
plt.show()

# %% [markdown]
# **How to read it.** Germany deploys only if the deal allows a reassurance force and the US backstop
# reaches Germany's minimum (the cell below prints both numbers). When it can, the bigger force deters
# more, so Ukraine values the guarantees more and may accept deals it would otherwise reject. The cell
# also reads the effect on the deal share off the table above, and says how much narrower pairing
# made its interval.

# %%
germany = mine.spec.actors["germany"].guarantor
level = mine.spec.institutions.coalition.force_types[germany.force_type].level
print(f"Germany deploys if the agreed deployment term is at least {level:g} (a {germany.force_type} force) and the "
      f"US backstop is at least {germany.min_backstop:g}.")
deal = differences[differences["metric"] == "p_deal"].iloc[0]
paired_width, unpaired_width = deal["paired_hi"] - deal["paired_lo"], deal["unpaired_hi"] - deal["unpaired_lo"]
clear = "excludes" if deal["paired_lo"] > 0 or deal["paired_hi"] < 0 else "includes"
print(f"Adding Germany moves P(deal) by {100 * deal['difference']:+.1f} points; the paired 95% interval "
      f"[{100 * deal['paired_lo']:+.1f}, {100 * deal['paired_hi']:+.1f}] {clear} zero"
      + (f" and is {unpaired_width / paired_width:.1f} times narrower than the unpaired one." if paired_width > 0
         else "; every run ended the same way in both."))
#
# ## Sweep one number
#
# How much does the size of Germany's contribution matter? `grid` makes one scenario per value of a
# key path (each checked like any other scenario), and `run_points` runs them all with the same seeds.
# The swept value becomes a column of the table, and `sweep_response` plots the outcome against it.
# Each point runs a quarter of `RUNS`.

# %%
from sim.design import grid
from sim.plots import sweep_response

TROOPS = "actors.germany.guarantor.troops"
points = grid(mine, {TROOPS: [0, 2500, 5000, 10000, 20000]})
sweep = run_points(points, runs=max(50, RUNS // 4), seed=SEED)
ax = sweep_response(sweep, TROOPS, outcome="deal")
plt.show()

# %% [markdown]
# **How to read it.** Each point is one value of Germany's troops, with the share of its runs ending in
# a deal and its 95% interval. (The title counts the runs of all points together.) With no troops Germany
# adds nothing, and the share should be close to the baseline's on the same runs (the cell below prints
# both). The slope says how much each extra soldier buys in this model. Where the curve flattens, more
# troops stop helping, because other conditions (consent, the backstop, Russia's red lines) bind first.

# %%
per_point = sweep.groupby(TROOPS)["outcome"].apply(lambda o: (o == "deal").mean())
same_runs = table[(table["scenario"] == "baseline") & table["run"].isin(sweep["run"])]
print(f"baseline on {len(same_runs):,} of the same runs: {(same_runs['outcome'] == 'deal').mean():.1%} deals")
for troops, share in per_point.items():
    print(f"Germany with {troops:,.0f} troops: {share:.1%} deals")
#
# ## Your turn
#
# - Change a number in `OVERLAY` and rerun from that cell down.
# - Sweep something else: the US backstop (`actors.united_states.backer.backstop`), Ukraine's
#   guarantees-first line (`actors.ukraine.red_lines[0].bound`), or the share of a guarantee that holds
#   with no force behind it (`institutions.coalition.paper_guarantee_weight`).
# - Save your overlay as `scenarios/<name>.yaml` and compare it with the others from the command line:
#   `.venv/bin/sim compare scenarios/baseline.yaml scenarios/<name>.yaml --runs 2000`.
# - Keep each overlay to one assumption, and write down your hypothesis before you run it.
