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
# # 1. The negotiation: who wants what, one run, a thousand runs
#
# This notebook introduces **ceasefire-sim** through its baseline scenario: the talks between Russia
# and Ukraine as a news report described them at the end of February 2026, four years into the
# full-scale war. It has three parts:
#
# 1. **The actors and their stated positions**, as the scenario file states them, with the reported
#    facts and research findings each assumption rests on.
# 2. **One run told as a story**: a single simulated year of talks, round by round, from the
#    model's event log.
# 3. **A thousand runs**: the distribution of outcomes under the baseline's assumptions, and how to
#    read the figures.

# %% [markdown]
# > **The model compares assumptions; it does not forecast.** Every number in a scenario file is an
# > assumption, many of them given as ranges, and none is estimated from data. When we say "37% of runs
# > end in a ceasefire" we mean: in 37% of the simulated years that follow from *these* assumptions. It
# > is not the probability that the real talks produce a ceasefire. What the model can do is show how
# > the outcomes move when one assumption changes, and which assumptions matter most.
#
# Run the cells from top to bottom (*Kernel → Restart & Run All*); the whole notebook takes well
# under a minute. The cell below holds the settings: `RUNS` (how many simulated years per scenario)
# and `SEED` (which random numbers are used; the same seed always gives the same results).

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
# *penalty*). A value written as `uniform [0.0, 1.5]` is not known: each run draws its own value from
# that range. Russia's soft lines on troops and guarantees are drawn this way, because whether its
# stated lines are fixed or bargaining chips is the central unknown.

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
# most. Russia cares most about territory and about keeping Western troops out; Ukraine about
# territory and guarantees.

# %%
pd.DataFrame({actor.name: {issue: show(weight) for issue, weight in actor.salience.items()}
              for actor in baseline.spec.actors.values() if actor.salience})

# %% [markdown]
# ### Who could send troops: the coalition
#
# After a ceasefire the coalition decides who deploys. The two lead nations (UK and France) go first;
# every other member joins once the troops already pledged reach its *threshold* (a share of the
# 25,000 the force needs). A member that *requires consent* goes only if the agreed terms allow its
# kind of force: Russia's signature on the deployment term is its consent. Every member also needs a
# minimum US *backstop*. The troop numbers and conditions are the project's own assumptions,
# consistent with a reported force of up to 30,000.

# %%
pd.DataFrame([
    {"guarantor": actor["name"], **{key: show(value) for key, value in actor["guarantor"].items() if key != "evidence"}}
    for actor in baseline.data["actors"].values() if "guarantor" in actor
]).set_index("guarantor")

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
# One run is one simulated year: 26 rounds of two weeks. Each round, in this order:
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
    print("the ceasefire held to the end of the year" if record["deal_held"] == 1
          else f"the ceasefire broke down in round {record['relapse_round']:.0f}")
pd.Series({key: value for key, value in record.items() if "." in key}, name="drawn for this run")

# %% [markdown]
# ### Reading the story
#
# Look for these patterns in the log (the numbers differ from run to run):
#
# - **Early rounds: Russia rejects.** Fighting on is worth a lot to it: it expects the front to keep
#   moving its way (its *optimism*, which the front's real pace corrects only slowly), its resolve
#   makes the cost of fighting weigh less, and its public positions (no Western troops, no binding
#   guarantees) carry an *audience cost*. When the mediator's line adds that no terms clear every
#   party's bar this round, the model has checked the terms and found none that every party, as it
#   really is, would sign: no amount of skill at the table closes that gap.
# - **Ukraine's guarantees-first line.** Ukraine judges a guarantee by the force that would stand
#   behind it. A guarantee on paper keeps only 30% of its worth, and the rest depends on the troops
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
#   grievance may end, the loan may pass by a workaround after three blocked rounds, and the
#   election in round 7 may bring a government that stops blocking.
# - **After a deal.** The `pledges` lines are the coalition filling up: first the leads, then the
#   members whose thresholds are reached. Consent-conditional members come only if the agreed
#   deployment term covers their kind of force (a reassurance force needs 0.5 or more). A member
#   that `stays home` says why. The last line says whether the ceasefire held.
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
# ## 3. A thousand runs
#
# Each run draws its own values for the parameters the scenario gives as ranges (Russia's resolve
# and optimism, the penalties of two of its red lines, the US backstop, the speed of the front, ...)
# and meets its own chance events. Many runs give the **distribution** of outcomes that follows from
# the baseline's assumptions. `run_many` returns one row per run; `workers=1` runs them in this
# process, which is what a notebook wants, and `progress_bar` shows the runs done, the rate and
# the time left while it works.

# %%
from sim.progress import progress_bar

table = run_many(baseline, runs=RUNS, seed=SEED, workers=1, progress=progress_bar("baseline"))
table.head()

# %% [markdown]
# Every run ends in one of three **outcomes** (the codes are the same in every scenario; here a deal
# is a ceasefire):
#
# - **deal**: both parties signed;
# - **no_deal**: the talks were still going at the end of the year, without a deal;
# - **collapse**: the talks broke off (after repeated suspensions, or because the mediator walked away).
#
# (A fourth code, `military_end`, is for a side whose war effort is exhausted; nothing in this
# version of the model produces it.) The summary gives each share with its **95% interval**, and some
# key figures: how soon a deal came, how often a force deployed and with how many troops, how often
# the deal held to the end of the year, and each EU council measure's share passed by the end of the
# year with its median round.

# %%
from sim.summary import format_summary, summarize

print(format_summary(summarize(table)))

# %% [markdown]
# **How to read the intervals.** A 95% interval such as `[19.8%, 25.0%]` says how precisely the runs
# pin down the share *under these assumptions*: with more runs it gets narrower. It says nothing
# about whether the assumptions are right. Doubling the runs halves no real-world uncertainty. The
# intervals are Wilson score intervals, which behave well near 0% and 100%, where the textbook
# ± 1.96 standard errors would give impossible values.

# %%
from sim.plots import agreed_terms, outcome_shares, time_to_deal

ax = outcome_shares(table)
plt.show()

# %% [markdown]
# **Outcome shares.** One bar per outcome, with its 95% interval as a whisker. Under the baseline,
# most simulated years end without a deal. Most of those are structural deadlocks (no terms would
# have satisfied both sides), not talks that missed a deal within reach. The table below says why
# the talks failed where they did.

# %%
table["breakdown_cause"].value_counts(normalize=True).rename("share of runs").to_frame()

# %% [markdown]
# `none` is a deal. `no_zopa` ("no zone of possible agreement") means that in the last round no
# terms would have been accepted by both. `red_line_<party>` means the last proposal crossed that
# party's hard line. `shock_suspension` means the talks were suspended by a shock at the end, or
# broke off after repeated suspensions. `horizon` means a deal both would have signed existed, but
# the process missed it.

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
#
# ## What the model assumes, and what it leaves out
#
# - Each actor's preferences are an ideal point and a weight per issue. A party signs when the deal
#   beats what it expects from fighting on; the mediator is biased toward its own plan.
# - A guarantee is only as good as the force behind it, and the force depends on Russia's consent
#   (for most coalition members) and on US backing.
# - No number is estimated from data. The facts cited say why a value is plausible, not that it is
#   right.
# - Not modelled: public positions that shift over time, news from the EU affecting the parties'
#   beliefs, a qualified-majority route in the EU council, and guarantors' parliaments beyond one
#   approval draw (see `docs/model.md`).
#
# Next: **`02-comparing-assumptions.ipynb`** puts the shipped variants of the baseline side by side.
