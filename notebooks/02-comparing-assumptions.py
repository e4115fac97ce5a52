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
# > assumption, many of them given as ranges, and none is estimated from data. When we say "37% of runs
# > end in a ceasefire" we mean: in 37% of the simulated years that follow from *these* assumptions. It
# > is not the probability that the real talks produce a ceasefire. What the model can do is show how
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

RUNS = int(os.environ.get("SIM_NB_RUNS", 1000))  # runs per scenario (the tests set SIM_NB_RUNS=100)
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
# In the baseline, most coalition members deploy only if Russia agrees to their kind of force, and
# the two leads will not send troops beyond consent because Russia calls them targets (their risk
# tolerance, 0.4, is below the coalition's *target risk*, 0.5). The variant removes every consent
# condition and lets every member accept the target risk. This takes away Russia's veto over the
# force.

# %%
overlay("consent-not-required")
pair = table[table["scenario"].isin(["baseline", "consent-not-required"])]
print("\nmean agreed deployment term among deals:")
print(pair[pair["outcome"] == "deal"].groupby("scenario", sort=False)["terms_deployment"].mean().round(2))
deployment(pair)
plt.show()

# %% [markdown]
# **How to read it.** Without the veto the coalition would deploy whatever the text says. So Ukraine
# can count on real troops behind a guarantee even in a deal whose deployment term Russia likes: one
# that keeps foreign forces out on paper. When this notebook was written, this more than doubled the
# deal share. The typical deal allowed far less deployment on paper than in the baseline, most
# forces deployed *without* Russia's consent (the hatched bars), and those deals held less often,
# because the model assumes that a force beyond consent raises the risk of renewed war. Whether this
# is good news depends on two assumptions worth questioning: that Russia signs such a text at a
# modest cost (`unconsented_force_penalty`), and how much an unconsented force adds to the relapse
# risk (`unconsented_effect`).

# %% [markdown]
# ### ... the US backstop goes (`us-backstop-withdrawn`)
#
# The variant sets the US backstop to 0: no intelligence, logistics or air cover for a European force.

# %%
overlay("us-backstop-withdrawn")
ax = who_pledges(table[table["scenario"].isin(["baseline", "us-backstop-withdrawn"])])
plt.show()

# %% [markdown]
# **How to read it.** Every guarantor needs a backstop of at least 0.2 to 0.4, and the leads withdraw
# below 0.3, so nobody deploys. A guarantee with no force behind it keeps only its paper worth (30%),
# which can never meet Ukraine's guarantees-first line (a guarantee worth at least 0.5). So this
# variant has **no** ceasefires. That zero is not a finding the simulation discovered: it follows
# directly from three assumptions taken together (the minimum backstops, the paper worth of a
# guarantee, and Ukraine's hard red line). Reading a result back to the assumptions that make it is
# the most useful habit with a model like this. Change one of the three (in notebook 3) and the zero
# goes away.

# %% [markdown]
# ### ... Hungary stops vetoing (`hungary-veto-lifted`)
#
# The variant sets Hungary's veto chance to 0, before and after its election. Slovakia's smaller veto
# chance on the sanctions package stays.

# %%
overlay("hungary-veto-lifted")

# %% [markdown]
# **How to read it.** The sanctions package and the loan now pass at once, but in the baseline the
# loan got through in nearly every run anyway (the grievance ends, a workaround, the election), and
# one sanctions package moves the sanctions index only a little, with a lag. When this notebook was
# written the talks' outcomes barely changed. This is a statement about the model's assumptions
# (how much one package weighs, how quickly the loan gets through anyway), not about the worth of EU
# unity in the world. Notice how narrow the paired intervals are here. The next section explains why.
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
#   most when a change affects few runs (Hungary's veto) and least when it changes nearly every run
#   (the backstop). The table below shows this: the share of runs whose outcome is the same as in the
#   baseline.

# %%
outcomes = table.pivot(index="run", columns="scenario", values="outcome")
same = outcomes.drop(columns="baseline").eq(outcomes["baseline"], axis=0).mean()
(100 * same).round(1).rename("same outcome as the baseline, % of runs").to_frame()

# %% [markdown]
# A difference whose paired interval excludes zero is a real consequence of the changed assumption
# *within the model*, not a fluke of the random numbers. Whether it says anything about the world
# depends on the assumptions.
#
# ## Which assumption drives the outcome?
#
# The baseline gives nine parameters as ranges instead of single numbers. Two tools ask which of them
# matter (both can be run from the command line at full size: `sim sensitivity`, `sim discover`):
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

result = sensitivity(baseline, method="morris", n=4, runs_per_point=max(10, RUNS // 50),
                     outcomes=["p_deal"], seed=SEED)
print(format_indices(result.indices))
display(plot_indices(result.indices, outcome="p_deal").figure)

# %%
for box in discover(table[table["scenario"] == "baseline"], 'outcome == "deal"'):
    print(describe_box(box))

# %% [markdown]
# **How to read it.** The parameters at the top of the sensitivity ranking, and the ones that bound the
# box, are where the baseline's answer comes from. When this notebook was written both pointed at the
# penalties of Russia's soft red lines on Western troops and on guarantees: ceasefires came mostly
# from runs in which crossing those lines cost Russia little. In other words, the model's answer
# hinges on whether Russia's stated lines are firm or bargaining chips, which is exactly the question
# the news report leaves open. Both tools rank the parameters within the ranges the scenario
# declares; a parameter given as a single number can never show up.
#
# ## Try it yourself
#
# Move the sliders and press the button to rerun a small batch (200 runs, a second or two) with
# those assumptions, next to the baseline's first 200 runs (same seeds, so paired):
#
# - **US backstop** (0 to 1): US support for a European force. The baseline draws it from 0.4 to 0.8.
# - **Russia's resolve**: how little the cost of fighting weighs on Russia. The baseline draws it from
#   1.2 to 1.9.
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


def explore(us_backstop=0.6, russia_resolve=1.5, target_risk=0.5, consent_required=True):
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
    us_backstop=widgets.FloatSlider(value=0.6, min=0.0, max=1.0, step=0.05, description="US backstop"),
    russia_resolve=widgets.FloatSlider(value=1.5, min=0.8, max=3.0, step=0.1, description="Russia's resolve"),
    target_risk=widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="target risk"),
    consent_required=widgets.Checkbox(value=True, description="consent required"),
)
explore()  # draw once now, so that the cell has its figure without a browser too

# %% [markdown]
# Things to try: find the backstop below which no ceasefire happens at all, and see whether removing
# the consent requirement moves it. Raise the target risk above 0.5 with consent not required: the
# coalition stops going beyond consent, and the variant falls back toward the baseline.
#
# Next: **`03-write-your-own-scenario.ipynb`** writes a new overlay from scratch.
