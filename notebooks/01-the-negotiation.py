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
# # 1. The negotiation: who wants what, one run, many runs
#
# This notebook introduces **ceasefire-sim** through its baseline scenario: the talks between Russia
# and Ukraine as a news report described them at the end of February 2026, four years into the
# full-scale war. It has four parts:
#
# 1. **The actors and their stated positions**, as the scenario file states them, with the reported
#    facts and research findings each assumption rests on.
# 2. **One run told as a story**: a single simulated year of talks, round by round, from the
#    model's event log.
# 3. **What the sides believe and why the deal comes late**: the same run, and many more,
#    round by round: beliefs, war stocks, values of fighting on and the zone of agreement.
# 4. **Many runs**: the distribution of outcomes under the baseline's assumptions, how to read the
#    figures, and what happens after a deal.

# %% [markdown]
# > **The model compares assumptions; it does not forecast.** Every number in a scenario file is an
# > assumption, many of them given as ranges, and none is estimated from data. When this notebook
# > prints that some share of the runs ends in a ceasefire, it means: that share of the simulated years
# > that follow from *these* assumptions. It is not the probability that the real talks produce a
# > ceasefire. What the model can do is show how
# > the outcomes move when one assumption changes, and which assumptions matter most.
#
# Run the cells from top to bottom (*Kernel → Restart & Run All*); the whole notebook takes well
# under a minute. The cell below holds the settings: `RUNS` (how many simulated years per scenario)
# and `SEED` (which random numbers are used; the same seed always gives the same results).

# %%
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

import sim

RUNS = int(os.environ.get("SIM_NB_RUNS", 1000))  # runs per scenario (the tests set SIM_NB_RUNS=100)
SEED = 1  # master seed: the same seed gives the same runs, in every scenario

# The project's scenarios: the first scenarios/ at or above this notebook's folder (else the checkout's).
SCENARIOS = sim.scenarios_folder()
print(f"ceasefire-sim {sim.__version__}: scenarios in {SCENARIOS}, {RUNS:,} runs per scenario, seed {SEED}")

# %% [markdown]
# ## 1. The scenario: issues, actors, red lines and the facts behind them
#
# A scenario is a YAML file (open `scenarios/baseline.yaml` in any text editor). Loading it checks
# every value's type and range, every cross-reference (an actor named in the talks must exist, and
# so on) and every cited fact id, and gives back a frozen `Scenario`.

# %%
from sim import load_scenario

baseline = load_scenario(SCENARIOS / "baseline.yaml")
horizon = baseline.spec.horizon
print(baseline.name, "-", baseline.spec.description)
print(f"{horizon.rounds} rounds of {horizon.round_weeks:g} weeks each, starting {horizon.start}")

# %% [markdown]
# ### The issues on the table
#
# Every question under negotiation is a number from 0 to 1, and the file says in words what each end
# means. A proposal, a deal or an actor's ideal position is one number per issue. The *status quo*
# is what an issue is worth to the parties while there is no deal.

# %%
issues = pd.DataFrame([
    {"issue": key, "label": issue.label, "0 means": issue.low, "1 means": issue.high, "status quo": issue.status_quo}
    for key, issue in baseline.spec.issues.items()
]).set_index("issue")
issues


# %% [markdown]
# ### The actors and their stated positions
#
# Each actor has one or more **roles**:
#
# - a **party** must sign for there to be a ceasefire (Russia, Ukraine);
# - the **mediator** proposes terms, and backs a post-war force with intelligence, logistics and air
#   cover (its *backstop*; the United States);
# - a **guarantor** may send troops after a ceasefire (the coalition of the willing);
# - an **EU member** votes on EU measures that need unanimity and may veto them (Hungary, Slovakia);
# - an **influencer** raises aid for a party but has no vote (EU institutions, NATO's Secretary General).
#
# The table gives each actor's **ideal position** on each issue (the term it would most like) and
# its **red lines**. A *hard* red line means the actor rejects any proposal that crosses it. A
# *soft* one costs it utility in proportion to how far a proposal goes past the line (the
# *penalty*). A value written as a distribution (such as `uniform [low, high]`) is not known: each run
# draws its own value from that range. The baseline draws the penalties of some of Russia's soft lines
# this way (the table shows which), because whether its stated lines are fixed or bargaining chips is
# the central unknown.

# %%
def show(value):
    """A number as the file gives it, or a distribution such as 'uniform [0.0, 1.5]'."""
    if isinstance(value, dict):
        if "value" in value:
            return value["value"]
        kind = next(k for k in value if k not in ("evidence", "note"))
        return f"{kind} {value[kind]}"
    return value


def red_line(line):
    strength = "hard" if line.get("hard", True) else f"soft, penalty {show(line.get('penalty', 1.0))}"
    return f"{line['issue']} {line['op']} {line['bound']} ({strength})"


actors = pd.DataFrame([
    {"actor": actor["name"], "roles": ", ".join(actor["roles"]),
     **{issue: show(actor.get("position", {}).get(issue, "")) for issue in baseline.spec.issues},
     "red lines": "; ".join(red_line(line) for line in actor.get("red_lines", []))}
    for actor in baseline.data["actors"].values()
]).set_index("actor")
actors

# %% [markdown]
# How much each negotiator cares about each issue (its *salience*; the weights add up to 1). A deal
# is worth more to an actor the closer its terms are to the actor's ideal on the issues it weighs
# most. The line under the table names the two issues each of them weighs most.

# %%
saliences = pd.DataFrame({actor.name: {issue: show(weight) for issue, weight in actor.salience.items()}
                          for actor in baseline.spec.actors.values() if actor.salience})
display(saliences)
for name, weights in saliences.items():
    top = pd.to_numeric(weights, errors="coerce").nlargest(2)
    print(f"{name} weighs most: {' and '.join(top.index)}")

# %% [markdown]
# ### Who could send troops: the coalition
#
# After a ceasefire the coalition decides who deploys. The two lead nations (UK and France) go first;
# every other member joins once the troops already pledged reach its *threshold* (a share of the
# troops the force needs, printed under the table). A member that *requires consent* goes only if the
# agreed terms allow its kind of force: Russia's signature on the deployment term is its consent.
# Every member also needs a minimum US *backstop*. The troop numbers and conditions are the project's
# own assumptions, consistent with a reported force of up to 30,000.

# %%
display(pd.DataFrame([
    {"guarantor": actor["name"], **{key: show(value) for key, value in actor["guarantor"].items() if key != "evidence"}}
    for actor in baseline.data["actors"].values() if "guarantor" in actor
]).set_index("guarantor"))
print(f"The force needs {baseline.value('institutions.coalition.F_needed'):,.0f} troops; each force type "
      "needs the agreed deployment term to reach its level:")
for kind, force in baseline.spec.institutions.coalition.force_types.items():
    print(f"  {kind}: level {force.level:g}")

# %% [markdown]
# ### The facts each actor rests on
#
# Every assumption can cite the facts it rests on by id. The ids point into `seeds/`: `facts.yaml`
# holds what the news report says (a *position*, a *condition*, a *veto*, an *event* or a *figure*),
# and `literature.yaml` holds research findings and, under ids starting with `assume-`, choices the
# project made itself. All claims are paraphrased. The table lists, per actor, each fact it cites
# (once, at the first place it is cited) and the claim behind it.

# %%
evidence = pd.DataFrame(baseline.evidence_table())
evidence = evidence[evidence["where"].str.startswith("actors.")].copy()
evidence.insert(0, "actor", evidence["where"].str.split(".").str[1])
evidence["cited at"] = evidence["where"].str.split(".", n=2).str[2].fillna("(the actor as a whole)")
evidence = evidence.drop_duplicates(["actor", "fact"])[["actor", "fact", "cited at", "kind", "claim"]]
with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
    display(evidence.set_index(["actor", "fact"]))

# %% [markdown]
# ## 2. One run, told as a story
#
# One run is one simulated year of talks, in rounds (section 1 printed how many and how long). Each
# round, in this order:
#
# 1. **Shocks** may happen (an accusation that hardens Russia's line, a town falling, US pressure on
#    one side, ...).
# 2. **The war goes on**: the front moves, and each side pays the cost of fighting. Sanctions raise
#    Russia's costs; a funding gap raises Ukraine's.
# 3. **The EU council votes** on the 20th sanctions package and the EUR 90bn loan. One veto blocks.
# 4. **Outside options**: each party works out what it expects from fighting on instead of signing.
# 5. **The mediator proposes terms.** It picks the terms that both parties are most likely to accept,
#    leaning toward its own preferences and its 20-point plan.
# 6. **Each party accepts or rejects.** It accepts if the deal is worth more to it than its outside
#    option plus a margin (its *hold-out*). A hard red line rejects outright. If both accept, there
#    is a ceasefire.
#
# After a ceasefire the coalition decides who deploys, and from then on, each round, the ceasefire
# may break down. The risk of a breakdown falls with the guarantees and with the force actually
# deployed.
#
# `explain_run(scenario, seed)` replays one run with its event log. Below we simulate 100 runs and
# retell the first that ended in a deal (here, a ceasefire), because it shows every stage. Set
# `STORY_OUTCOME` to `"no_deal"` to read a run in which the talks went nowhere (most runs do).

# %%
from sim.experiment import explain_run, run_many

STORY_OUTCOME = "deal"  # or "no_deal", "collapse"

first_runs = run_many(baseline, runs=100, seed=SEED)
matching = first_runs[first_runs["outcome"] == STORY_OUTCOME]
story = (matching if len(matching) else first_runs).iloc[0]
record, events = explain_run(baseline, seed=int(story["seed"]))
print(f"run {story['run']} of seed {SEED}: {record['outcome']}, {len(events)} events")

# %% [markdown]
# The event log, grouped by round. Actor `-` marks something that happens to everyone (a shock, a
# measure adopted, the ceasefire itself). In the `accepts` and `rejects` lines the *deal value* is
# what the proposal is worth to that party, *fighting on* what it expects from going on with the war
# to the end state it projects (given its resolve, which only it knows), and the *hold-out* the
# margin it demands on top. The `believes` lines say what the mediators expected of each answer and
# what they now think each party's resolve may be.

# %%
log = pd.DataFrame([{"round": e.round, "actor": e.actor, "event": e.event, "detail": e.detail} for e in events])
with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
    display(log.set_index(["round", "actor"]))

# %% [markdown]
# The same run at a glance: one row per round, with each party's answer to the proposal and
# everything else that happened in that round.

# %%
answers = log[log["event"].isin(["accepts", "rejects"])]
glance = answers.pivot_table(index="round", columns="actor", values="event", aggfunc="first")
other = log[~log["event"].isin(["accepts", "rejects", "proposes"])].copy()
other["what"] = other["actor"].where(other["actor"] != "-", "").str.cat(other["event"], sep=" ").str.strip()
other.loc[other["event"] == "shock", "what"] = "shock: " + other["detail"].str.split(" (", regex=False).str[0]
happened = other.groupby("round")["what"].agg(lambda s: ", ".join(dict.fromkeys(s))).rename("what else happened")
glance = glance.join(happened, how="outer")
with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
    display(glance.fillna(""))

# %% [markdown]
# Why this run went the way it did depends partly on the values drawn for its uncertain parameters
# (compare them with their ranges in the tables above), and partly on chance events: which shocks
# fired, and the acceptance draws. Here is the run's record: its outcome, the agreed terms, the
# force, and the values drawn.

# %%
terms = {key: record[f"terms_{key}"] for key in baseline.spec.issues}
print(f"outcome: {record['outcome']} (breakdown cause: {record['breakdown_cause']})")
if record["outcome"] == "deal":
    print(f"deal (a ceasefire) in round {record['deal_round']:.0f}; agreed terms:")
    for key, value in terms.items():
        print(f"  {key:<18}{value:5.2f}   (0 = {baseline.spec.issues[key].low}; 1 = {baseline.spec.issues[key].high})")
    consent = "with" if record["force_consented"] == 1 else "without"
    print(f"force deployed: {record['force_troops']:,.0f} troops, {consent} Russia's consent" if record["force_deployed"]
          else "no force deployed")
    print(f"the ceasefire held through its {baseline.value('durability.window_years'):g}-year aftermath window"
          if record["deal_held"] == 1
          else f"the ceasefire broke down in round {record['relapse_round']:.0f}")
pd.Series({key: value for key, value in record.items() if "." in key}, name="drawn for this run")

# %% [markdown]
# ### Reading the story
#
# Look for these patterns in the log (the numbers differ from run to run):
#
# - **Early rounds: Russia rejects.** Fighting on is worth a lot to it: it expects the front to keep
#   moving its way (its *optimism*, which watching the front's real pace corrects within months), its resolve
#   makes the cost of fighting weigh less, and its public positions (no Western troops, no binding
#   guarantees) carry an *audience cost*. When the mediator's line adds that no terms clear every
#   party's bar this round, the model has checked the terms and found none that every party, as it
#   really is, would sign: no amount of skill at the table closes that gap.
# - **Ukraine's guarantees-first line.** Ukraine judges a guarantee by the force that would stand
#   behind it. A guarantee on paper keeps only part of its worth (`paper_guarantee_weight`), and the rest depends on the troops
#   the coalition would actually send. So terms that keep troops out fail Ukraine's red line on
#   guarantees, however strong the guarantee sounds on paper.
# - **An answer follows from the party's type.** A party accepts exactly when the deal is worth at
#   least fighting on plus its hold-out; there is no dice roll. The mediators do not know how resolute
#   each party is, so they propose the terms most likely to be signed as far as they know, and every
#   answer rules out the types that would have answered otherwise.
# - **What moves the parties: ripening.** The war drains each side's stock of manpower, money and
#   materiel. As Russia's drains, each round hurts more (the *strain*) and the audience cost of its
#   public positions fades, until a consented force and a binding guarantee, which Ukraine insists
#   on, cost Moscow less than fighting on. Sanctions that pass raise Russia's cost of every round.
# - **The EU arena.** Hungary vetoes the package and the loan while its grievance lasts. The
#   grievance may end, the loan may pass by a workaround after some blocked rounds, and the
#   election part-way through the year may bring a government that stops blocking.
# - **After a deal.** The `pledges` lines are the coalition filling up: first the leads, then the
#   members whose thresholds are reached. Consent-conditional members come only if the agreed
#   deployment term covers their kind of force (each kind's level is printed in section 1). A member
#   that `stays home` says why. The last lines say whether the ceasefire held through its aftermath.
#
# Questions to ask of the run above (the answers differ from run to run, and the tables are the
# authority):
#
# - In which round did each party first accept, and what had changed for it by then? Compare its
#   *deal value* and *outside option* in the log from round to round.
# - If both accepted only in different rounds before the deal, how close to indifferent were they?
# - Which terms were agreed (the record above), and who pledged troops? Did the members that need
#   Russia's consent come, and why (look at the agreed deployment term)?
# - Which of the drawn values were unusual for their ranges? A low penalty on Russia's red line on
#   troops, for instance, makes a deal with a reassurance force cheaper for Russia to sign.

# %% [markdown]
# ## 3. What the sides believe and why the deal comes late
#
# The story above shows what each side did. This section shows what each side *believed* while it did
# it, round by round, and why deals, when they come, come late in the year. Two things are private in
# the model, and each is learned in its own way (`docs/model.md`, section 3):
#
# - **How the war is going (capability).** Nobody knows how fast the front really moves in this run.
#   Each party starts with its own guess, which may be too optimistic or too pessimistic (its
#   `optimism`; the cell below prints the baseline's). Every round of fighting is evidence: each side
#   watches the front and updates its guess with Bayes' rule. This lesson is learned *from the front*,
#   a little each round.
# - **How much each side can bear (resolve).** Each party knows its own tolerance for the costs of
#   war; the mediators do not. They start from a range of possible "types" and propose the terms
#   most likely to be signed. An answer is evidence: a party that rejects an offer cannot be one of
#   the types that would have accepted it, so the range of types still possible shrinks. This lesson
#   is learned *from rejections*, at once (`docs/model.md`, section 6). But only an offer that some of
#   the possible types would have taken teaches anything: when no type could accept, a rejection
#   says nothing new.
#
# Neither lesson alone makes a deal possible. What changes over the year is **ripening**
# (`docs/model.md`, section 4; the idea of a "hurting stalemate" is Zartman's). Each side's war
# draws on a stock of soldiers, money and materiel. As the stock drains:
#
# - each round of war hurts more than the last (the *strain*), and
# - the public cost of backing away from stated positions (the *audience cost* of Russia's red
#   lines on Western troops and guarantees) fades.
#
# Neither needs anyone to foresee anything. Together they lower what Russia expects from fighting on
# until some terms beat it for both sides: the **zone of agreement** opens. `run_trajectory` replays
# runs round by round and records, after each round, each party's belief about the front, its value of
# fighting on, the share of its stock used, the mediators' belief about its resolve, and the zone of
# agreement (`docs/model.md`, section 9; the same machinery as `sim trajectory` on the command line).
# We start with the run told above.

# %%
from sim.model.events import OUTCOMES
from sim.plots.trajectory import trajectory_figure
from sim.streams import run_seed
from sim.trajectory import run_trajectory

spec = baseline.spec
NAMES = {aid: actor.name for aid, actor in spec.actors.items()}
PARTIES = [aid for aid, actor in spec.actors.items() if "party" in actor.roles]


def draw_trajectory(trajectory):
    """The trajectory figure of sim trajectory: one run's lines, or bands over many runs."""
    return trajectory_figure(trajectory, names=NAMES, start=spec.horizon.start,
                             round_weeks=spec.horizon.round_weeks, title=baseline.name)


for aid in PARTIES:
    optimism = baseline.value(f"actors.{aid}.party.optimism")
    print(f"{NAMES[aid]}'s optimism about the front: {optimism} (above 0: too optimistic; below 0: too pessimistic)")
one = run_trajectory(baseline, [int(story["seed"])])
draw_trajectory(one)
plt.show()

# %% [markdown]
# **How to read it.** Each panel is one quantity against the round (with the date the round begins).
# Each party has its own colour (the legends name them); dashed lines are true values that the actors
# do not see.
#
# - *Belief about the front's drift*: each party's guess of how fast the front moves, against the
#   true pace (dashed). The gap closes as the front is watched: mutual optimism does not last.
# - *Mediators' belief about resolve*: the shaded band is the range of types the mediators still think
#   possible (10th to 90th percentile), the line its middle, the dashed line the true type. The band
#   jumps when an answer rules types out.
# - *Outside option*: each party's value of fighting on, with its true resolve. A party signs when a
#   deal is worth at least this plus its hold-out.
# - *Stock used*: the share of each side's war stock spent. This is the clock of ripening.
# - *Zone of agreement*: the share of the candidate terms that every party would sign, as the mediators
#   estimate it and as it truly is. It stays at zero until ripening opens it.
#
# The table gives the same run in numbers, with the two ripening factors worked out from the stock
# used: how many times its starting cost a round of war costs (`1 + strain × used`) and the share of
# the audience cost still left (`1 − concession_with_depletion × used`).

# %%
def party_setting(record, aid, key):
    """A party's ripening setting in this run: the value drawn for the run, else the scenario's number."""
    path = f"actors.{aid}.party.{key}"
    value = record.get(path, baseline.value(path))
    return None if value is None else float(value)


def story_table(trajectory, record):
    """One row per round: each party's stock used, the two ripening factors, its value of fighting on, and the
    mediators' range of its resolve; then the zone of agreement."""
    wide = trajectory.pivot_table(index="round", columns=["quantity", "actor"], values="value")
    rows = pd.DataFrame(index=wide.index)
    for aid in PARTIES:
        name = NAMES[aid]
        used = wide[("stock_used", aid)]
        strain = party_setting(record, aid, "strain")
        fading = party_setting(record, aid, "concession_with_depletion")
        rows[f"{name}: stock used %"] = (100 * used).round(0)
        if strain is not None:
            rows[f"{name}: cost of a round, x start"] = (1 + strain * used).round(2)
        if fading is not None:
            rows[f"{name}: audience cost left %"] = (100 * (1 - fading * used)).round(0)
        rows[f"{name}: value of fighting on"] = wide[("outside_option", aid)].round(3)
        rows[f"{name}: resolve, mediators' range"] = [f"{lo:.2f}-{hi:.2f}" for lo, hi in
                                                      zip(wide[("resolve_belief_low", aid)],
                                                          wide[("resolve_belief_high", aid)], strict=True)]
    rows["zone of agreement, true %"] = (100 * wide[("zone_true", "-")]).round(1)
    rows["zone, mediators' estimate %"] = (100 * wide[("zone_estimated", "-")]).round(1)
    return rows


with pd.option_context("display.max_rows", None, "display.max_columns", None):
    display(story_table(one, record))

# %% [markdown]
# The cell below reads the run's turning points off the table, so that the sentences stay true when the
# scenario changes.

# %%
def first_round(trajectory, quantity, actor="-"):
    """The first round in which a quantity is above zero, or None."""
    part = trajectory[(trajectory["quantity"] == quantity) & (trajectory["actor"] == actor)]
    above = part.loc[part["value"] > 0, "round"]
    return int(above.min()) if len(above) else None


def resolve_range(trajectory, aid, where):
    """The mediators' 10-90 % range of a party's resolve in the first or the last recorded round."""
    part = trajectory[trajectory["actor"] == aid]
    at = part["round"].min() if where == "first" else part["round"].max()
    value = part[part["round"] == at].set_index("quantity")["value"]
    return value["resolve_belief_low"], value["resolve_belief_high"], value["true_resolve"]


opened = first_round(one, "zone_true")
last = int(one["round"].max())
print(f"This run ended in round {last} ({record['outcome']}).")
print("The true zone of agreement " + (f"first opened in round {opened}." if opened is not None
                                       else "never opened among the candidate terms."))
for aid in PARTIES:
    lo0, hi0, true = resolve_range(one, aid, "first")
    lo1, hi1, _ = resolve_range(one, aid, "last")
    used = one[(one["quantity"] == "stock_used") & (one["actor"] == aid) & (one["round"] == last)]["value"].iloc[0]
    print(f"{NAMES[aid]}: true resolve {true:.2f}; the mediators' range went from {lo0:.2f}-{hi0:.2f} "
          f"to {lo1:.2f}-{hi1:.2f}; {used:.0%} of its stock used by round {last}.")

# %% [markdown]
# ### Over many runs
#
# One run could be unusual. The same figure over `BAND_RUNS` runs (the first runs of the same master
# seed, so the run above is among them) shows each quantity's median in every round, with a band from
# the 10th to the 90th percentile of the runs. A run leaves the bands in the round it ends (a deal, a
# collapse), so the bands of late rounds are over the runs *still talking*; the bottom panel counts
# them. Keep that in mind when a band turns late in the year: the runs that remain are those that
# were slowest to ripen, not the typical run.

# %%
BAND_RUNS = min(RUNS, 200)  # 200 runs take a few seconds
band_seeds = [run_seed(SEED, i) for i in range(BAND_RUNS)]
many = run_trajectory(baseline, band_seeds)
draw_trajectory(many)
plt.show()

# %% [markdown]
# The numbers behind the two lessons and the late deal, computed from these runs:
#
# - how far each party's belief about the front is from the truth (the median error, in logs) at the
#   start and a few rounds on;
# - how wide the mediators' range of each resolve is at the start and when each run ends;
# - in the runs with a deal, how many rounds passed between the true zone first opening and the deal.

# %%
def per_run_first(trajectory, quantity, actor="-"):
    """For each run, the first round in which a quantity is above zero (NaN if never)."""
    part = trajectory[(trajectory["quantity"] == quantity) & (trajectory["actor"] == actor)]
    return part[part["value"] > 0].groupby("run")["round"].min().reindex(trajectory["run"].unique())


def belief_error(trajectory, aid, round_):
    """Median over runs of |log(belief / true drift)| after a round: how wrong a party is about the war."""
    at = trajectory[trajectory["round"] == round_]
    belief = at[(at["quantity"] == "drift_belief") & (at["actor"] == aid)].set_index("run")["value"]
    truth = at[at["quantity"] == "true_drift"].set_index("run")["value"]
    return float(np.median(np.abs(np.log(belief / truth.reindex(belief.index)))))


def resolve_width(trajectory, aid, where):
    """Median over runs of the mediators' 10-90 % range of a party's resolve, in a run's first or last round."""
    part = trajectory[trajectory["actor"] == aid]
    rounds = part.groupby("run")["round"].transform("min" if where == "first" else "max")
    at = part[part["round"] == rounds].pivot_table(index="run", columns="quantity", values="value")
    return float((at["resolve_belief_high"] - at["resolve_belief_low"]).median())


status = many[many["quantity"] == "status"].sort_values("round").groupby("run").last()
deal_rounds = status.loc[status["value"] == OUTCOMES.index("deal"), "round"]  # status holds outcome codes
zone_opens = per_run_first(many, "zone_true")
lag = (deal_rounds - zone_opens.reindex(deal_rounds.index)).dropna()

print(f"{BAND_RUNS:,} runs: {len(deal_rounds):,} reached a deal "
      f"({len(deal_rounds) / BAND_RUNS:.0%}), the median in round {deal_rounds.median():.0f}.")
checkpoints = [r for r in (0, 4, 12) if r <= many["round"].max()]
for aid in PARTIES:
    errors = ", ".join(f"{belief_error(many, aid, r):.2f} after round {r}" for r in checkpoints)
    print(f"{NAMES[aid]}: median error of its belief about the front {errors}; the mediators' range of its "
          f"resolve {resolve_width(many, aid, 'first'):.2f} wide at the start, {resolve_width(many, aid, 'last'):.2f} "
          "when the run ends (medians).")
if len(lag):
    print(f"The true zone opened in round {zone_opens.min():.0f} at the earliest (in any run). Of the "
          f"{len(lag):,} deals whose zone showed among the candidate terms, {(lag <= 1).mean():.0%} came in the "
          f"round it first opened or the next (median wait {lag.median():.0f} rounds).")
if len(deal_rounds) > len(lag):
    print(f"{len(deal_rounds) - len(lag):,} deals came from terms outside that candidate set, found by the mediators' "
          "local search: their zone was too narrow for any of the set's candidates to fall in it.")

# %% [markdown]
# **Why the deal comes late.** If the mediators' ignorance of resolve were what delayed the deal, the
# deal would come long after the zone opened, while the mediators were still learning. The lines above
# say how long the wait was in these runs. Compare the time the zone took to open with the wait after it:
# when the wait is short, the delay is the time that ripening takes, not the time that learning takes.
# Notice also whose resolve the mediators learn: a party whose rejections come when no type of it
# could have accepted keeps its range wide, and that costs nothing, because no deal was possible then.
# The model can check this directly: with `institutions.talks.mediators_know_resolve: true` the
# mediators know every party's type from the start. The same runs with and without that knowledge:

# %%
knowing = baseline.with_overrides({"institutions.talks.mediators_know_resolve": True})
same_runs = {"mediators learn resolve (the baseline)": run_many(baseline, runs=BAND_RUNS, seed=SEED),
             "mediators know resolve": run_many(knowing, runs=BAND_RUNS, seed=SEED)}
learning = pd.DataFrame({name: {"deal %": 100 * (runs["outcome"] == "deal").mean(),
                                "median deal round": runs["deal_round"].median()}
                         for name, runs in same_runs.items()}).T.round(1)
display(learning)
gap = learning["median deal round"].iloc[0] - learning["median deal round"].iloc[1]
print(f"Knowing resolve moves the median deal round by {gap:+.1f} rounds and the deal share by "
      f"{learning['deal %'].iloc[1] - learning['deal %'].iloc[0]:+.1f} points on these {BAND_RUNS:,} runs.")

# %% [markdown]
# A small difference here means that screening is fast: each rejection cuts the range of possible
# types, so the mediators are rarely far behind. `docs/model.md` (section 10) measures the same
# comparison, and switching ripening off, over more runs; notebook 2 switches ripening off too.

# %% [markdown]
# ## 4. Many runs
#
# Each run draws its own values for the parameters the scenario gives as ranges (the cell below lists
# them) and meets its own chance events. Many runs give the **distribution** of outcomes that follows
# from the baseline's assumptions. `run_many` returns one row per run; `workers=1` runs them in this
# process, which is what a notebook wants, and `progress_bar` shows the runs done, the rate and
# the time left while it works.

# %%
from sim.progress import progress_bar

print("Drawn anew in every run:")
for path, distribution in baseline.distributions().items():
    print(f"  {path}: {distribution}")
table = run_many(baseline, runs=RUNS, seed=SEED, workers=1, progress=progress_bar("baseline"))
table.head()

# %% [markdown]
# Every run ends in one of four **outcomes** (the codes are the same in every scenario; here a deal
# is a ceasefire):
#
# - **deal**: both parties signed;
# - **no_deal**: the talks were still going at the end of the year, without a deal;
# - **collapse**: the talks broke off (after repeated suspensions, or because the mediator walked away);
# - **military_end**: the war ended while the talks went on, because a side's war stock was used up or
#   the attacker took the whole contested area.
#
# The summary gives each share with its **95% interval**, and some key figures: how soon a deal came,
# how often a force deployed and with how many troops, how often a deal held through its aftermath
# window, and each EU council measure's share passed by the end of the year with its median round.

# %%
from sim.summary import format_summary, summarize

print(format_summary(summarize(table)))

# %% [markdown]
# **How to read the intervals.** A 95% interval (the brackets above) says how precisely the runs
# pin down the share *under these assumptions*: with more runs it gets narrower. It says nothing
# about whether the assumptions are right. Doubling the runs halves no real-world uncertainty. The
# intervals are Wilson score intervals, which behave well near 0% and 100%, where the textbook
# ± 1.96 standard errors would give impossible values.

# %%
from sim.plots import agreed_terms, outcome_shares, time_to_deal

ax = outcome_shares(table)
plt.show()

# %% [markdown]
# **Outcome shares.** One bar per outcome, with its 95% interval as a whisker. The table below says
# why the talks failed where they did, and the line under it how many of the failures were structural
# deadlocks (no terms would have satisfied every side) rather than talks that missed a deal within reach.

# %%
display(table["breakdown_cause"].value_counts(normalize=True).rename("share of runs").to_frame())
failed = table[table["outcome"] != "deal"]
causes = failed["breakdown_cause"].astype(str)
structural = causes.str.startswith(("red_line_", "outside_option_")) | (causes == "no_zopa")
if len(failed):
    print(f"{len(failed) / len(table):.0%} of the runs end without a deal; in {structural.mean():.0%} of those the "
          f"last round had no terms every side would sign (a structural deadlock), and in "
          f"{(causes == 'horizon').mean():.0%} such terms existed but the proposal missed them.")

# %% [markdown]
# `none` is a deal. `no_zopa` ("no zone of possible agreement") means that in the last round no
# terms would have been accepted by both. `red_line_<party>` means the last proposal crossed that
# party's hard line. `shock_suspension` means the talks were suspended by a shock at the end, or
# broke off after repeated suspensions. `outside_option_<party>` means no line or vote binds alone, but
# that party's value of fighting on does. `exhausted_<party>` and `front_at_limit` end the war
# militarily. `horizon` means a deal both would have signed existed, but the process missed it
# (`docs/model.md`, section 7, has the full list).

# %%
ax = time_to_deal(table, horizon=baseline.spec.horizon.rounds)
plt.show()

# %% [markdown]
# **Time to a deal.** The curve at round *r* is the share of *all* runs with a deal in round
# *r* or earlier, with its 95% band, so it ends at the deal share. Where it rises steeply, deals
# come in a burst: a deal is reached soon once the conditions for one exist, or not at all.

# %%
agreed_terms(table)
plt.show()

# %% [markdown]
# **What the deals look like.** Among the runs that reached a deal, the agreed term on each
# issue (a box for the middle half of the deals, and the deals themselves as dots). Read each panel
# against the issue's two ends in the issues table at the top. This is where the model shows the
# price of a deal under the baseline's assumptions: look at territory, and at how the guarantees and
# deployment terms pair with it.

# %% [markdown]
# ### After the deal: does it hold?
#
# A signed deal is not yet peace. After a deal the model follows it through an *aftermath window*
# (`durability.window_years`) and, each round, the ceasefire may break down (`docs/model.md`,
# section 8). The yearly risk of a breakdown is fixed when the deal is signed: it falls with the
# guarantees in the terms and with the deterrent the coalition actually deploys, and rises with the
# ground one side gave up and with a force deployed without Russia's consent. A deal that lasts the
# whole window *held* (`deal_held` is 1). One that breaks down restarts the war where the deal left
# the line.

# %%
from sim.summary import wilson_interval
from sim.survival import force_group

deals = table[table["outcome"] == "deal"]
held = int((deals["deal_held"] == 1).sum())
window = baseline.value("durability.window_years")
if len(deals):
    lo, hi = wilson_interval(held, len(deals))
    print(f"{held:,} of the {len(deals):,} deals held through the {window:g}-year window: "
          f"{held / len(deals):.1%} [95% interval {lo:.1%}, {hi:.1%}].")
    broken = deals[deals["deal_held"] == 0]
    if len(broken):
        print("How the runs whose deal broke down stand at their end:",
              ", ".join(f"{state} {n:,}" for state, n in broken["final_state"].value_counts().items()))
else:
    print("No run reached a deal, so there is no aftermath to show.")

# %%
from sim.plots.survival import deal_survival_figure, has_deal_survival

if has_deal_survival(table):
    ax = deal_survival_figure(table, by=force_group(table), round_weeks=spec.horizon.round_weeks)
    plt.show()

# %% [markdown]
# **How to read it.** Each curve starts at 100% on the day of the deal and steps down each time a
# deal breaks down (a Kaplan–Meier curve, with its 95% band shaded). The deals are split by the force
# behind them: none, a force Russia consented to, or one deployed beyond its consent. A deal that
# held through the window is counted as holding to its end (it is *censored* there: the model does not
# follow it further). A steady slope means a steady risk, which is what the model assumes: each deal
# keeps the same yearly risk for the whole window, unless a shock in the aftermath raises it for a while. A group with few deals has a wide band; read its
# curve with that in mind. The cell below puts a number on each curve.

# %%
for name, group in deals.groupby(force_group(deals), observed=True):
    print(f"{name}: {len(group):,} deals, {(group['deal_held'] == 1).mean():.0%} held, "
          f"mean yearly relapse hazard {group['relapse_hazard'].mean():.3f}")

# %% [markdown]
# ## What the model assumes, and what it leaves out
#
# - Each actor's preferences are an ideal point and a weight per issue. A party signs when the deal
#   beats what it expects from fighting on; the mediator is biased toward its own plan.
# - A guarantee is only as good as the force behind it, and the force depends on Russia's consent
#   (for most coalition members) and on US backing.
# - No number is estimated from data. The facts cited say why a value is plausible, not that it is
#   right.
# - Stated positions do not move; only their audience cost fades as a war stock drains.
# - Russia judges the troops that would actually deploy, not the words of the deployment clause; the
#   lead nations can send monitors where Moscow would refuse a reassurance force. The mediators read
#   the EU's votes as news about Kyiv's resolve.
# - Not built yet (`docs/model.md`, section 11, keeps the list): among others, news from the EU council
#   changing what the parties believe about the war itself, talks after a side's war stock is used up,
#   and guarantors' parliaments beyond one approval draw.
#
# Next: **`02-comparing-assumptions.ipynb`** puts the shipped variants of the baseline side by side.
