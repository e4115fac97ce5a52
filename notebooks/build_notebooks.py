"""Write the teaching notebooks in this folder from the cell texts below.

The notebooks are generated, not edited by hand: change a cell here and run

    .venv/bin/python notebooks/build_notebooks.py          # rewrite notebooks/*.ipynb
    .venv/bin/python notebooks/build_notebooks.py --check  # exit 1 if a stored notebook differs

They are written without outputs or execution counts, with fixed cell ids, so that a rebuild changes
only what was changed here and a review reads like a diff of text. ``tests/test_notebooks.py`` runs
every notebook in a Jupyter kernel and checks that the stored files match this script.

Each notebook reads its run count from the environment (``SIM_NB_RUNS``, default 1,000) so that the
tests can run it small.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str, tuple[str, ...]]


def md(*parts: str) -> Cell:
    """A markdown cell: the parts, each dedented, one after the other."""
    return ("markdown", "\n\n".join(textwrap.dedent(part).strip("\n") for part in parts), ())


def code(text: str, *tags: str) -> Cell:
    """A code cell (the text is dedented); ``tags`` go into the cell's metadata."""
    return ("code", textwrap.dedent(text).strip("\n"), tags)


# The first code cell of every notebook: the parameters a reader (or a test) may change, and where
# the project's files are, whatever folder Jupyter was started in. A template: see setup().
SETUP = '''
%matplotlib inline
import os
from pathlib import Path

import matplotlib.pyplot as plt
{tables}
import sim

RUNS = int(os.environ.get("SIM_NB_RUNS", 1000))  # runs per scenario (the tests set SIM_NB_RUNS=100)
SEED = 1  # master seed: the same seed gives the same runs, in every scenario

# The project folder: the first folder at or above this notebook's that holds scenarios/baseline.yaml.
ROOT = Path.cwd().resolve()
while not (ROOT / "scenarios" / "baseline.yaml").is_file() and ROOT.parent != ROOT:
    ROOT = ROOT.parent
if not (ROOT / "scenarios" / "baseline.yaml").is_file():
    ROOT = Path(sim.__file__).resolve().parent.parent  # an editable install: the checkout sim/ lives in
SCENARIOS = ROOT / "scenarios"
print(f"ceasefire-sim {{sim.__version__}}: scenarios in {{SCENARIOS}}, {{RUNS:,}} runs per scenario, seed {{SEED}}")
'''


def setup(tables: bool = True) -> str:
    """The setup cell; ``tables`` adds pandas and IPython's display for notebooks that show tables."""
    return SETUP.format(tables="import pandas as pd\nfrom IPython.display import display\n" if tables else "")


NOT_A_FORECAST = '''
> **The model compares assumptions; it does not forecast.** Every number in a scenario file is an
> assumption, many of them given as ranges, and none is estimated from data. When we say "37% of runs
> end in a ceasefire" we mean: in 37% of the simulated years that follow from *these* assumptions. It
> is not the probability that the real talks produce a ceasefire. What the model can do is show how
> the outcomes move when one assumption changes, and which assumptions matter most.
'''

# ---------------------------------------------------------------------------------------------
# 1. The negotiation

NEGOTIATION: list[Cell] = [
    md('''
    # 1. The negotiation: who wants what, one run, a thousand runs

    This notebook introduces **ceasefire-sim** through its baseline scenario: the talks between Russia
    and Ukraine as a news report described them at the end of February 2026, four years into the
    full-scale war. It has three parts:

    1. **The actors and their stated positions**, as the scenario file states them, with the reported
       facts and research findings each assumption rests on.
    2. **One run told as a story**: a single simulated year of talks, round by round, from the
       model's event log.
    3. **A thousand runs**: the distribution of outcomes under the baseline's assumptions, and how to
       read the figures.
    '''),
    md(NOT_A_FORECAST, '''
    Run the cells from top to bottom (*Kernel → Restart & Run All*); the whole notebook takes well
    under a minute. The cell below holds the settings: `RUNS` (how many simulated years per scenario)
    and `SEED` (which random numbers are used; the same seed always gives the same results).
    '''),
    code(setup()),
    md('''
    ## 1. The scenario: issues, actors, red lines and the facts behind them

    A scenario is a YAML file (open `scenarios/baseline.yaml` in any text editor). Loading it checks
    every value's type and range, every cross-reference (an actor named in the talks must exist, and
    so on) and every cited fact id, and gives back a frozen `Scenario`.
    '''),
    code('''
    from sim import load_scenario

    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    horizon = baseline.spec.horizon
    print(baseline.name, "-", baseline.spec.description)
    print(f"{horizon.rounds} rounds of {horizon.round_weeks:g} weeks each, starting {horizon.start}")
    '''),
    md('''
    ### The issues on the table

    Every question under negotiation is a number from 0 to 1, and the file says in words what each end
    means. A proposal, a deal or an actor's ideal position is one number per issue. The *status quo*
    is what an issue is worth to the parties while there is no deal.
    '''),
    code('''
    issues = pd.DataFrame([
        {"issue": key, "label": issue.label, "0 means": issue.low, "1 means": issue.high, "status quo": issue.status_quo}
        for key, issue in baseline.spec.issues.items()
    ]).set_index("issue")
    issues
    '''),
    md('''
    ### The actors and their stated positions

    Each actor has one or more **roles**:

    - a **party** must sign for there to be a ceasefire (Russia, Ukraine);
    - the **mediator** proposes terms, and backs a post-war force with intelligence, logistics and air
      cover (its *backstop*; the United States);
    - a **guarantor** may send troops after a ceasefire (the coalition of the willing);
    - an **EU member** votes on EU measures that need unanimity and may veto them (Hungary, Slovakia);
    - an **influencer** raises aid for a party but has no vote (EU institutions, NATO's Secretary General).

    The table gives each actor's **ideal position** on each issue (the term it would most like) and
    its **red lines**. A *hard* red line means the actor rejects any proposal that crosses it. A
    *soft* one costs it utility in proportion to how far a proposal goes past the line (the
    *penalty*). A value written as `uniform [0.0, 1.5]` is not known: each run draws its own value from
    that range. Russia's soft lines on troops and guarantees are drawn this way, because whether its
    stated lines are fixed or bargaining chips is the central unknown.
    '''),
    code('''
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
    '''),
    md('''
    How much each negotiator cares about each issue (its *salience*; the weights add up to 1). A deal
    is worth more to an actor the closer its terms are to the actor's ideal on the issues it weighs
    most. Russia cares most about territory and about keeping Western troops out; Ukraine about
    territory and guarantees.
    '''),
    code('''
    pd.DataFrame({actor.name: {issue: show(weight) for issue, weight in actor.salience.items()}
                  for actor in baseline.spec.actors.values() if actor.salience})
    '''),
    md('''
    ### Who could send troops: the coalition

    After a ceasefire the coalition decides who deploys. The two lead nations (UK and France) go first;
    every other member joins once the troops already pledged reach its *threshold* (a share of the
    25,000 the force needs). A member that *requires consent* goes only if the agreed terms allow its
    kind of force: Russia's signature on the deployment term is its consent. Every member also needs a
    minimum US *backstop*. The troop numbers and conditions are the project's own assumptions,
    consistent with a reported force of up to 30,000.
    '''),
    code('''
    pd.DataFrame([
        {"guarantor": actor["name"], **{key: show(value) for key, value in actor["guarantor"].items() if key != "evidence"}}
        for actor in baseline.data["actors"].values() if "guarantor" in actor
    ]).set_index("guarantor")
    '''),
    md('''
    ### The facts each actor rests on

    Every assumption can cite the facts it rests on by id. The ids point into `seeds/`: `facts.yaml`
    holds what the news report says (a *position*, a *condition*, a *veto*, an *event* or a *figure*),
    and `literature.yaml` holds research findings and, under ids starting with `assume-`, choices the
    project made itself. All claims are paraphrased. The table lists, per actor, each fact it cites
    (once, at the first place it is cited) and the claim behind it.
    '''),
    code('''
    evidence = pd.DataFrame(baseline.evidence_table())
    evidence = evidence[evidence["where"].str.startswith("actors.")].copy()
    evidence.insert(0, "actor", evidence["where"].str.split(".").str[1])
    evidence["cited at"] = evidence["where"].str.split(".", n=2).str[2].fillna("(the actor as a whole)")
    evidence = evidence.drop_duplicates(["actor", "fact"])[["actor", "fact", "cited at", "kind", "claim"]]
    with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
        display(evidence.set_index(["actor", "fact"]))
    '''),
    md('''
    ## 2. One run, told as a story

    One run is one simulated year: 26 rounds of two weeks. Each round, in this order:

    1. **Shocks** may happen (an accusation that hardens Russia's line, a town falling, US pressure on
       one side, ...).
    2. **The war goes on**: the front moves, and each side pays the cost of fighting. Sanctions raise
       Russia's costs; a funding gap raises Ukraine's.
    3. **The EU council votes** on the 20th sanctions package and the EUR 90bn loan. One veto blocks.
    4. **Outside options**: each party works out what it expects from fighting on instead of signing.
    5. **The mediator proposes terms.** It picks the terms that both parties are most likely to accept,
       leaning toward its own preferences and its 20-point plan.
    6. **Each party accepts or rejects.** It accepts if the deal is worth more to it than its outside
       option plus a margin (its *hold-out*). A hard red line rejects outright. If both accept, there
       is a ceasefire.

    After a ceasefire the coalition decides who deploys, and from then on, each round, the ceasefire
    may break down. The risk of a breakdown falls with the guarantees and with the force actually
    deployed.

    `explain_run(scenario, seed)` replays one run with its event log. Below we simulate 100 runs and
    retell the first that ended in a deal (here, a ceasefire), because it shows every stage. Set
    `STORY_OUTCOME` to `"no_deal"` to read a run in which the talks went nowhere (most runs do).
    '''),
    code('''
    from sim.experiment import explain_run, run_many

    STORY_OUTCOME = "deal"  # or "no_deal", "collapse"

    first_runs = run_many(baseline, runs=100, seed=SEED)
    matching = first_runs[first_runs["outcome"] == STORY_OUTCOME]
    story = (matching if len(matching) else first_runs).iloc[0]
    record, events = explain_run(baseline, seed=int(story["seed"]))
    print(f"run {story['run']} of seed {SEED}: {record['outcome']}, {len(events)} events")
    '''),
    md('''
    The event log, grouped by round. Actor `-` marks something that happens to everyone (a shock, a
    measure adopted, the ceasefire itself). In the `accepts` and `rejects` lines the *deal value* is
    what the proposal is worth to that party, *fighting on* what it expects from going on with the war
    to the end state it projects (given its resolve, which only it knows), and the *hold-out* the
    margin it demands on top. The `believes` lines say what the mediators expected of each answer and
    what they now think each party's resolve may be.
    '''),
    code('''
    log = pd.DataFrame([{"round": e.round, "actor": e.actor, "event": e.event, "detail": e.detail} for e in events])
    with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
        display(log.set_index(["round", "actor"]))
    '''),
    md('''
    The same run at a glance: one row per round, with each party's answer to the proposal and
    everything else that happened in that round.
    '''),
    code('''
    answers = log[log["event"].isin(["accepts", "rejects"])]
    glance = answers.pivot_table(index="round", columns="actor", values="event", aggfunc="first")
    other = log[~log["event"].isin(["accepts", "rejects", "proposes"])].copy()
    other["what"] = other["actor"].where(other["actor"] != "-", "").str.cat(other["event"], sep=" ").str.strip()
    other.loc[other["event"] == "shock", "what"] = "shock: " + other["detail"].str.split(" (", regex=False).str[0]
    happened = other.groupby("round")["what"].agg(lambda s: ", ".join(dict.fromkeys(s))).rename("what else happened")
    glance = glance.join(happened, how="outer")
    with pd.option_context("display.max_rows", None, "display.max_colwidth", None):
        display(glance.fillna(""))
    '''),
    md('''
    Why this run went the way it did depends partly on the values drawn for its uncertain parameters
    (compare them with their ranges in the tables above), and partly on chance events: which shocks
    fired, and the acceptance draws. Here is the run's record: its outcome, the agreed terms, the
    force, and the values drawn.
    '''),
    code('''
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
    '''),
    md('''
    ### Reading the story

    Look for these patterns in the log (the numbers differ from run to run):

    - **Early rounds: Russia rejects.** Fighting on is worth a lot to it: it expects the front to keep
      moving its way (its *optimism*, which the front's real pace corrects only slowly), its resolve
      makes the cost of fighting weigh less, and its public positions (no Western troops, no binding
      guarantees) carry an *audience cost*. When the mediator's line adds that no terms clear every
      party's bar this round, the model has checked the terms and found none that every party, as it
      really is, would sign: no amount of skill at the table closes that gap.
    - **Ukraine's guarantees-first line.** Ukraine judges a guarantee by the force that would stand
      behind it. A guarantee on paper keeps only 30% of its worth, and the rest depends on the troops
      the coalition would actually send. So terms that keep troops out fail Ukraine's red line on
      guarantees, however strong the guarantee sounds on paper.
    - **An answer follows from the party's type.** A party accepts exactly when the deal is worth at
      least fighting on plus its hold-out; there is no dice roll. The mediators do not know how resolute
      each party is, so they propose the terms most likely to be signed as far as they know, and every
      answer rules out the types that would have answered otherwise.
    - **What moves the parties: ripening.** The war drains each side's stock of manpower, money and
      materiel. As Russia's drains, each round hurts more (the *strain*) and the audience cost of its
      public positions fades, until a consented force and a binding guarantee, which Ukraine insists
      on, cost Moscow less than fighting on. Sanctions that pass raise Russia's cost of every round.
    - **The EU arena.** Hungary vetoes the package and the loan while its grievance lasts. The
      grievance may end, the loan may pass by a workaround after three blocked rounds, and the
      election in round 7 may bring a government that stops blocking.
    - **After a deal.** The `pledges` lines are the coalition filling up: first the leads, then the
      members whose thresholds are reached. Consent-conditional members come only if the agreed
      deployment term covers their kind of force (a reassurance force needs 0.5 or more). A member
      that `stays home` says why. The last line says whether the ceasefire held.

    Questions to ask of the run above (the answers differ from run to run, and the tables are the
    authority):

    - In which round did each party first accept, and what had changed for it by then? Compare its
      *deal value* and *outside option* in the log from round to round.
    - If both accepted only in different rounds before the deal, how close to indifferent were they?
    - Which terms were agreed (the record above), and who pledged troops? Did the members that need
      Russia's consent come, and why (look at the agreed deployment term)?
    - Which of the drawn values were unusual for their ranges? A low penalty on Russia's red line on
      troops, for instance, makes a deal with a reassurance force cheaper for Russia to sign.
    '''),
    md('''
    ## 3. A thousand runs

    Each run draws its own values for the parameters the scenario gives as ranges (Russia's resolve
    and optimism, the penalties of two of its red lines, the US backstop, the speed of the front, ...)
    and meets its own chance events. Many runs give the **distribution** of outcomes that follows from
    the baseline's assumptions. `run_many` returns one row per run; `workers=1` runs them in this
    process, which is what a notebook wants, and `progress_bar` shows the runs done, the rate and
    the time left while it works.
    '''),
    code('''
    from sim.progress import progress_bar

    table = run_many(baseline, runs=RUNS, seed=SEED, workers=1, progress=progress_bar("baseline"))
    table.head()
    '''),
    md('''
    Every run ends in one of three **outcomes** (the codes are the same in every scenario; here a deal
    is a ceasefire):

    - **deal**: both parties signed;
    - **no_deal**: the talks were still going at the end of the year, without a deal;
    - **collapse**: the talks broke off (after repeated suspensions, or because the mediator walked away).

    (A fourth code, `military_end`, is for a side whose war effort is exhausted; nothing in this
    version of the model produces it.) The summary gives each share with its **95% interval**, and some
    key figures: how soon a deal came, how often a force deployed and with how many troops, how often
    the deal held to the end of the year, and each EU council measure's share passed by the end of the
    year with its median round.
    '''),
    code('''
    from sim.summary import format_summary, summarize

    print(format_summary(summarize(table)))
    '''),
    md('''
    **How to read the intervals.** A 95% interval such as `[19.8%, 25.0%]` says how precisely the runs
    pin down the share *under these assumptions*: with more runs it gets narrower. It says nothing
    about whether the assumptions are right. Doubling the runs halves no real-world uncertainty. The
    intervals are Wilson score intervals, which behave well near 0% and 100%, where the textbook
    ± 1.96 standard errors would give impossible values.
    '''),
    code('''
    from sim.plots import agreed_terms, outcome_shares, time_to_deal

    ax = outcome_shares(table)
    plt.show()
    '''),
    md('''
    **Outcome shares.** One bar per outcome, with its 95% interval as a whisker. Under the baseline,
    most simulated years end without a deal. Most of those are structural deadlocks (no terms would
    have satisfied both sides), not talks that missed a deal within reach. The table below says why
    the talks failed where they did.
    '''),
    code('''
    table["breakdown_cause"].value_counts(normalize=True).rename("share of runs").to_frame()
    '''),
    md('''
    `none` is a deal. `no_zopa` ("no zone of possible agreement") means that in the last round no
    terms would have been accepted by both. `red_line_<party>` means the last proposal crossed that
    party's hard line. `shock_suspension` means the talks were suspended by a shock at the end, or
    broke off after repeated suspensions. `horizon` means a deal both would have signed existed, but
    the process missed it.
    '''),
    code('''
    ax = time_to_deal(table, horizon=baseline.spec.horizon.rounds)
    plt.show()
    '''),
    md('''
    **Time to a deal.** The curve at round *r* is the share of *all* runs with a deal in round
    *r* or earlier, with its 95% band, so it ends at the deal share. Where it rises steeply, deals
    come in a burst: a deal is reached soon once the conditions for one exist, or not at all.
    '''),
    code('''
    agreed_terms(table)
    plt.show()
    '''),
    md('''
    **What the deals look like.** Among the runs that reached a deal, the agreed term on each
    issue (a box for the middle half of the deals, and the deals themselves as dots). Read each panel
    against the issue's two ends in the issues table at the top. This is where the model shows the
    price of a deal under the baseline's assumptions: look at territory, and at how the guarantees and
    deployment terms pair with it.

    ## What the model assumes, and what it leaves out

    - Each actor's preferences are an ideal point and a weight per issue. A party signs when the deal
      beats what it expects from fighting on; the mediator is biased toward its own plan.
    - A guarantee is only as good as the force behind it, and the force depends on Russia's consent
      (for most coalition members) and on US backing.
    - No number is estimated from data. The facts cited say why a value is plausible, not that it is
      right.
    - Not modelled: public positions that shift over time, news from the EU affecting the parties'
      beliefs, a qualified-majority route in the EU council, and guarantors' parliaments beyond one
      approval draw (see `docs/model.md`).

    Next: **`02-comparing-assumptions.ipynb`** puts the shipped variants of the baseline side by side.
    '''),
]

# ---------------------------------------------------------------------------------------------
# 2. Comparing assumptions

COMPARING: list[Cell] = [
    md('''
    # 2. Comparing assumptions

    This is the question the simulator is built for: **how does the distribution of outcomes change
    when one assumption changes?** Each file in `scenarios/` other than the baseline is an *overlay*: a
    short file that starts from `baseline.yaml` and changes one assumption. Each opens with a comment
    that states the assumption, the question it answers and the expected direction (a hypothesis, not
    a result).
    '''),
    md(NOT_A_FORECAST, '''
    **Common random numbers.** All scenarios are run with the same master seed. Run number *i* then
    gets the same random numbers in every scenario: the same drawn values for every parameter they
    share, the same shocks, the same acceptance draws. A run that differs between two scenarios differs
    because of the assumption that was changed, not because of luck. This is what makes the *paired*
    comparisons below so precise.
    '''),
    code(setup()),
    code('''
    from sim import load_scenario

    files = sorted(SCENARIOS.glob("*.yaml"), key=lambda path: (path.stem != "baseline", path.stem))
    scenarios = [load_scenario(path) for path in files]
    baseline = scenarios[0]
    with pd.option_context("display.max_colwidth", None):
        display(pd.DataFrame({"what it assumes": {s.name: s.spec.description.strip() for s in scenarios}}))
    '''),
    md('''
    ## All variants side by side

    `run_points` runs every scenario `RUNS` times with the same master seed and returns one table, one
    row per run. Run *i* has the same seed in every scenario.
    '''),
    code('''
    from sim.experiment import Point, run_points
    from sim.summary import summarize

    table = run_points([Point(s) for s in scenarios], runs=RUNS, seed=SEED)
    summary = summarize(table).set_index("scenario")
    columns = {"p_deal": "deal %", "p_no_deal": "no deal %", "p_collapse": "collapse %",
               "p_force_deployed": "force deployed %", "p_held_given_deal": "held, given a deal %"}
    (100 * summary[list(columns)]).rename(columns=columns).round(1).join(summary["median_deal_round"])
    '''),
    code('''
    from sim.plots import deployment, outcome_shares, time_to_deal, who_pledges

    horizon = baseline.spec.horizon.rounds
    ax = outcome_shares(table)
    plt.show()
    '''),
    md('''
    **Outcome shares.** One group of bars per outcome, one bar per scenario; a scenario keeps its colour
    in all the figures of this full comparison. The whiskers are 95% intervals. When two bars' whiskers
    overlap, that alone does not mean their difference could be noise: the runs are paired, and the
    paired intervals below are much narrower.
    '''),
    code('''
    ax = time_to_deal(table, horizon=horizon)
    plt.show()
    '''),
    md('''
    **Time to a deal.** The share of all runs with a deal by each round. The end of each
    curve is that scenario's deal share; its shape shows whether an assumption brings deals
    sooner or only more of them.
    '''),
    code('''
    deployment(table)
    plt.show()
    '''),
    md('''
    **Deployment.** Left: the share of all runs in which a force deployed, split into forces deployed
    with Russia's consent (solid) and beyond it (hatched). Right: how many troops, when a force
    deployed (a box for the middle half, and the runs as dots).
    '''),
    code('''
    ax = who_pledges(table)
    plt.show()
    '''),
    md('''
    **Who pledges troops.** For each guarantor (row) and scenario (column), the share of all runs in
    which it contributed troops. Darker means more often.

    ## What changes when ...

    The three sections below take one variant each, show its overlay file and its **paired
    differences** from the baseline: for each quantity, the baseline's value, the variant's, the
    difference, and a 95% interval for the difference, both paired and unpaired. The "narrower"
    column says how many times narrower the paired interval is. The last section explains how to read
    them.
    '''),
    code('''
    from sim.compare import format_paired, paired_differences

    differences = paired_differences(table, "baseline", horizon=horizon)


    def overlay(name):
        """Print a shipped overlay file and its paired differences from the baseline."""
        print((SCENARIOS / f"{name}.yaml").read_text())
        print(format_paired(differences[differences["scenario"] == name]))
    '''),
    md('''
    ### ... consent is no longer required (`consent-not-required`)

    In the baseline, most coalition members deploy only if Russia agrees to their kind of force, and
    the two leads will not send troops beyond consent because Russia calls them targets (their risk
    tolerance, 0.4, is below the coalition's *target risk*, 0.5). The variant removes every consent
    condition and lets every member accept the target risk. This takes away Russia's veto over the
    force.
    '''),
    code('''
    overlay("consent-not-required")
    pair = table[table["scenario"].isin(["baseline", "consent-not-required"])]
    print("\\nmean agreed deployment term among deals:")
    print(pair[pair["outcome"] == "deal"].groupby("scenario", sort=False)["terms_deployment"].mean().round(2))
    deployment(pair)
    plt.show()
    '''),
    md('''
    **How to read it.** Without the veto the coalition would deploy whatever the text says. So Ukraine
    can count on real troops behind a guarantee even in a deal whose deployment term Russia likes: one
    that keeps foreign forces out on paper. When this notebook was written, this more than doubled the
    deal share. The typical deal allowed far less deployment on paper than in the baseline, most
    forces deployed *without* Russia's consent (the hatched bars), and those deals held less often,
    because the model assumes that a force beyond consent raises the risk of renewed war. Whether this
    is good news depends on two assumptions worth questioning: that Russia signs such a text at a
    modest cost (`unconsented_force_penalty`), and how much an unconsented force adds to the relapse
    risk (`unconsented_effect`).
    '''),
    md('''
    ### ... the US backstop goes (`us-backstop-withdrawn`)

    The variant sets the US backstop to 0: no intelligence, logistics or air cover for a European force.
    '''),
    code('''
    overlay("us-backstop-withdrawn")
    ax = who_pledges(table[table["scenario"].isin(["baseline", "us-backstop-withdrawn"])])
    plt.show()
    '''),
    md('''
    **How to read it.** Every guarantor needs a backstop of at least 0.2 to 0.4, and the leads withdraw
    below 0.3, so nobody deploys. A guarantee with no force behind it keeps only its paper worth (30%),
    which can never meet Ukraine's guarantees-first line (a guarantee worth at least 0.5). So this
    variant has **no** ceasefires. That zero is not a finding the simulation discovered: it follows
    directly from three assumptions taken together (the minimum backstops, the paper worth of a
    guarantee, and Ukraine's hard red line). Reading a result back to the assumptions that make it is
    the most useful habit with a model like this. Change one of the three (in notebook 3) and the zero
    goes away.
    '''),
    md('''
    ### ... Hungary stops vetoing (`hungary-veto-lifted`)

    The variant sets Hungary's veto chance to 0, before and after its election. Slovakia's smaller veto
    chance on the sanctions package stays.
    '''),
    code('''
    overlay("hungary-veto-lifted")
    '''),
    md('''
    **How to read it.** The sanctions package and the loan now pass at once, but in the baseline the
    loan got through in nearly every run anyway (the grievance ends, a workaround, the election), and
    one sanctions package moves the sanctions index only a little, with a lag. When this notebook was
    written the talks' outcomes barely changed. This is a statement about the model's assumptions
    (how much one package weighs, how quickly the loan gets through anyway), not about the worth of EU
    unity in the world. Notice how narrow the paired intervals are here. The next section explains why.

    ## How to read the intervals

    - **A share's interval** (the whiskers in the figures, the brackets in the summaries) is a 95%
      Wilson interval. It measures *simulation noise only*: how precisely these runs pin down the share
      under these assumptions. More runs make it narrower. It does not measure how uncertain the
      assumptions are.
    - **An unpaired interval for a difference** treats the two scenarios' runs as if they were
      independent samples, so the noise in both shares adds up.
    - **A paired interval** uses the run-by-run differences. Because run *i* meets the same luck in both
      scenarios, most runs end the same way in both, so most run-by-run differences are zero. Their
      average is then known much more precisely, and the paired interval is narrower. Pairing helps
      most when a change affects few runs (Hungary's veto) and least when it changes nearly every run
      (the backstop). The table below shows this: the share of runs whose outcome is the same as in the
      baseline.
    '''),
    code('''
    outcomes = table.pivot(index="run", columns="scenario", values="outcome")
    same = outcomes.drop(columns="baseline").eq(outcomes["baseline"], axis=0).mean()
    (100 * same).round(1).rename("same outcome as the baseline, % of runs").to_frame()
    '''),
    md('''
    A difference whose paired interval excludes zero is a real consequence of the changed assumption
    *within the model*, not a fluke of the random numbers. Whether it says anything about the world
    depends on the assumptions.

    ## Which assumption drives the outcome?

    The baseline gives nine parameters as ranges instead of single numbers. Two tools ask which of them
    matter (both can be run from the command line at full size: `sim sensitivity`, `sim discover`):

    - **Sensitivity analysis** (Morris screening): change one parameter at a time across its range,
      many times from different starting points, and measure how much the share of deals moves.
      `mu_star` is the average size of that effect. The sizes below are tiny (a rough ranking in a
      few seconds); use larger ones for anything you report.
    - **Scenario discovery** (PRIM): look through runs that already have their drawn values as columns
      (the baseline's runs above do) for a *box*, a few parameter ranges inside which deals are
      much more common than overall.
    '''),
    code('''
    from sim.discovery import describe_box, discover
    from sim.sensitivity import format_indices, plot_indices, sensitivity

    result = sensitivity(baseline, method="morris", n=4, runs_per_point=max(10, RUNS // 50),
                         outcomes=["p_deal"], seed=SEED)
    print(format_indices(result.indices))
    display(plot_indices(result.indices, outcome="p_deal").figure)
    '''),
    code('''
    for box in discover(table[table["scenario"] == "baseline"], 'outcome == "deal"'):
        print(describe_box(box))
    '''),
    md('''
    **How to read it.** The parameters at the top of the sensitivity ranking, and the ones that bound the
    box, are where the baseline's answer comes from. When this notebook was written both pointed at the
    penalties of Russia's soft red lines on Western troops and on guarantees: ceasefires came mostly
    from runs in which crossing those lines cost Russia little. In other words, the model's answer
    hinges on whether Russia's stated lines are firm or bargaining chips, which is exactly the question
    the news report leaves open. Both tools rank the parameters within the ranges the scenario
    declares; a parameter given as a single number can never show up.

    ## Try it yourself

    Move the sliders and press the button to rerun a small batch (200 runs, a second or two) with
    those assumptions, next to the baseline's first 200 runs (same seeds, so paired):

    - **US backstop** (0 to 1): US support for a European force. The baseline draws it from 0.4 to 0.8.
    - **Russia's resolve**: how little the cost of fighting weighs on Russia. The baseline draws it from
      1.2 to 1.9.
    - **target risk** (0 to 1): how dangerous a force beyond Russia's consent would be. Members that do
      not need consent go beyond it only if their risk tolerance covers it.
    - **consent required**: untick to start from `consent-not-required` instead of the baseline.

    The figure printed under the controls is drawn once when the cell runs, with the sliders' starting
    values (the baseline with the backstop and resolve fixed at their most likely values), so that it
    is there in a saved or headless notebook too. Each press of the button draws a new one inside the
    controls.
    '''),
    code('''
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
    ''', "widgets"),
    md('''
    Things to try: find the backstop below which no ceasefire happens at all, and see whether removing
    the consent requirement moves it. Raise the target risk above 0.5 with consent not required: the
    coalition stops going beyond consent, and the variant falls back toward the baseline.

    Next: **`03-write-your-own-scenario.ipynb`** writes a new overlay from scratch.
    '''),
]

# ---------------------------------------------------------------------------------------------
# 3. Write your own scenario

OWN: list[Cell] = [
    md('''
    # 3. Write your own scenario

    An assumption you want to test becomes an **overlay**: a few lines of YAML that start from the
    baseline and change what you want to change. This notebook writes one in a cell, checks it, shows
    what the checker says about mistakes, runs it against the baseline, and sweeps one of its numbers.
    The same text saved as a file in `scenarios/` works with the command line (`sim validate`, `sim run`,
    `sim compare`).
    '''),
    code(setup(tables=False)),
    md('''
    ## An overlay

    The rules (see `docs/scenario-format.md` for all of them):

    - `extends: baseline.yaml` starts from the baseline; give the variant its own `name`.
    - **Mappings merge key by key**: you write only the keys you change, at any depth.
    - **Everything else replaces**: a number, a text, and a whole list (to change one red line,
      restate them all).
    - A new key adds something new, here a whole new actor.
    - Every number that rests on something should say so under `evidence:` with fact ids from
      `seeds/`. A choice of your own cites an `assume-` id, or says so in a `note`.
    - Open the overlay with a comment: the assumption, the question, and the direction you expect,
      marked as a hypothesis.

    Our assumption: **Germany joins the coalition** with 5,000 troops of the reassurance kind, but only
    with Russia's consent, only with a firm US backstop (0.5), once 30% of the force is pledged, and
    with a 70% chance that the Bundestag approves the mission. The news report does not say Germany
    would send troops; this is a hypothetical, and its numbers are ours.
    '''),
    code('''
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
    '''),
    md('''
    `scenario_from_yaml` does what `load_scenario` does for a file: it resolves `extends` (relative to
    `base_dir`), merges, checks everything, and returns a frozen scenario. It is valid, or it raises an
    error listing **every** problem it found.

    ## When something is wrong

    Here is the same overlay with four mistakes of the kind everybody makes: a misspelt force type, a
    number out of range, a misspelt key, and a misspelt fact id. Each problem comes back as one line,

    ```text
    FILE:LINE: key.path: what is wrong (expected ...)
    ```

    with the line in the YAML text (counting from the line of the opening quotes), the path of the key,
    and what was expected, often with a suggestion. The checker reports every problem at once, so
    that you can fix them in one go.
    '''),
    code('''
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
    '''),
    md('''
    ## Run it against the baseline

    The baseline and the overlay run with the same master seed, so run *i* meets the same luck in both
    (common random numbers). The paired differences say what adding Germany changes *within the
    model*.
    '''),
    code('''
    from sim.compare import format_paired, paired_differences
    from sim.experiment import Point, run_points
    from sim.plots import outcome_shares

    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    table = run_points([Point(baseline), Point(mine)], runs=RUNS, seed=SEED)
    print(format_paired(paired_differences(table, "baseline", horizon=baseline.spec.horizon.rounds)))
    ax = outcome_shares(table)
    plt.show()
    '''),
    md('''
    **How to read it.** Germany deploys only if the deal allows a reassurance force (a deployment term of
    0.5 or more) and the US backstop is at least 0.5. When it can, the bigger force deters more, so
    Ukraine values the guarantees more and accepts deals it would otherwise reject. When this notebook
    was written the effect was a few percentage points more ceasefires, with a paired interval well
    clear of zero, while the unpaired interval was more than twice as wide. Check the printed numbers:
    they are the authority.

    ## Sweep one number

    How much does the size of Germany's contribution matter? `grid` makes one scenario per value of a
    key path (each checked like any other scenario), and `run_points` runs them all with the same seeds.
    The swept value becomes a column of the table, and `sweep_response` plots the outcome against it.
    Each point runs a quarter of `RUNS`.
    '''),
    code('''
    from sim.design import grid
    from sim.plots import sweep_response

    TROOPS = "actors.germany.guarantor.troops"
    points = grid(mine, {TROOPS: [0, 2500, 5000, 10000, 20000]})
    sweep = run_points(points, runs=max(50, RUNS // 4), seed=SEED)
    ax = sweep_response(sweep, TROOPS, outcome="deal")
    plt.show()
    '''),
    md('''
    **How to read it.** Each point is one value of Germany's troops, with the share of its runs ending in
    a deal and its 95% interval. (The title counts the runs of all points together.) At 0 troops Germany adds
    nothing, and the share should be close to the baseline's. The slope says how much each extra soldier
    buys in this model. Where the curve flattens, more troops stop helping, because other conditions
    (consent, the backstop, Russia's red lines) bind first.

    ## Your turn

    - Change a number in `OVERLAY` and rerun from that cell down.
    - Sweep something else: the US backstop (`actors.united_states.backer.backstop`), Ukraine's
      guarantees-first line (`actors.ukraine.red_lines[0].bound`), or the share of a guarantee that holds
      with no force behind it (`institutions.coalition.paper_guarantee_weight`).
    - Save your overlay as `scenarios/<name>.yaml` and compare it with the others from the command line:
      `.venv/bin/sim compare scenarios/baseline.yaml scenarios/<name>.yaml --runs 2000`.
    - Keep each overlay to one assumption, and write down your hypothesis before you run it.
    '''),
]

NOTEBOOKS: dict[str, list[Cell]] = {
    "01-the-negotiation.ipynb": NEGOTIATION,
    "02-comparing-assumptions.ipynb": COMPARING,
    "03-write-your-own-scenario.ipynb": OWN,
}


def make_notebook(name: str, cells: list[Cell]) -> nbformat.NotebookNode:
    """A notebook without outputs, with fixed cell ids (``<notebook number>-<cell number>``)."""
    prefix = name.split("-", 1)[0]
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source, tags) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
        cell.id = f"nb{prefix}-{i:02d}"
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(name: str) -> str:
    """The text of one notebook file, as :func:`build` writes it."""
    text = nbformat.writes(make_notebook(name, NOTEBOOKS[name]))
    return text if text.endswith("\n") else text + "\n"


def build(folder: Path = HERE) -> list[Path]:
    """Write every notebook into ``folder``; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in NOTEBOOKS:
        path = folder / name
        path.write_text(render(name), encoding="utf-8")
        written.append(path)
    return written


def stale(folder: Path = HERE) -> list[str]:
    """Names of the notebooks in ``folder`` that are missing or differ from what this script writes."""
    return [name for name in NOTEBOOKS
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != render(name)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: this script's)")
    parser.add_argument("--check", action="store_true", help="only check that the stored notebooks are up to date")
    args = parser.parse_args(argv)
    if args.check:
        outdated = stale(args.out)
        for name in outdated:
            print(f"{args.out / name}: out of date; run {Path(__file__).name} to rebuild it", file=sys.stderr)
        return 1 if outdated else 0
    for path in build(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
