"""Figures: the data behind each figure equals the table's, colours are consistent, files are written."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from sim import load_scenario
from sim.design import grid
from sim.experiment import run_many, run_points
from sim.plots import (
    OUTCOME_COLORS,
    PALETTE,
    agreed_terms,
    contributor_shares,
    deployment,
    outcome_shares,
    save_all,
    scenario_colors,
    sweep_response,
    time_to_deal,
    who_pledges,
)
from sim.summary import OUTCOME_ORDER, shown_outcomes, summarize

RUNS = 60
BACKSTOP = "actors.united_states.backer.backstop"


@pytest.fixture(scope="module")
def table():
    """Baseline, a variant with a full US backstop (more deals) and one without a backstop, where a paper
    guarantee is worth nothing and the talks last nine rounds (no deals, no force)."""
    baseline = load_scenario("scenarios/baseline.yaml")
    variant = baseline.with_overrides({BACKSTOP: 1.0}).with_overrides({"name": "variant"})
    none = baseline.with_overrides({BACKSTOP: 0.0, "horizon.rounds": 9,
                                   "institutions.coalition.paper_guarantee_weight": 0.0}).with_overrides({"name": "no-backstop"})
    return pd.concat([run_many(s, runs=RUNS, seed=1) for s in (baseline, variant, none)], ignore_index=True)


@pytest.fixture(scope="module")
def sweep():
    baseline = load_scenario("scenarios/baseline.yaml")
    points = grid(baseline, {BACKSTOP: [0.2, 0.6, 1.0], "actors.russia.party.resolve": [1.0, 2.0]})
    return run_points(points, runs=30, seed=2)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def names(table):
    return list(pd.unique(table.scenario))


# ----------------------------------------------------------------------------------- colours


def test_scenario_colors_follow_first_appearance():
    colors = scenario_colors(["b", "a", "b", "c"])
    assert list(colors) == ["b", "a", "c"]
    assert list(colors.values()) == list(PALETTE[:3])
    assert scenario_colors(["b", "a"]) == {"b": PALETTE[0], "a": PALETTE[1]}
    assert len(set(scenario_colors(f"s{i}" for i in range(len(PALETTE))).values())) == len(PALETTE)


def test_same_scenario_has_the_same_colour_in_every_figure(table):
    expected = scenario_colors(table.scenario)
    bars = outcome_shares(table)
    lines = time_to_deal(table, horizon=26)
    dep, _ = deployment(table)
    heat = who_pledges(table)
    for k, name in enumerate(names(table)):
        container = next(c for c in bars.containers if c.get_label() == name)
        assert to_hex(container.patches[0].get_facecolor()) == expected[name].lower()
        line = next(ln for ln in lines.get_lines() if ln.get_label().startswith(f"{name}:"))
        assert to_hex(line.get_color()) == expected[name].lower()
        assert to_hex(dep.containers[0].patches[k].get_facecolor()) == expected[name].lower()
        assert to_hex(heat.get_xticklabels()[k].get_color()) == expected[name].lower()


def test_outcome_colours_are_fixed_and_used_for_outcome_ticks(table):
    ax = outcome_shares(table)
    shown = ["deal", "no_deal", "collapse"]  # military_end, which nothing produces yet, only once a run ends in it
    assert [t.get_text() for t in ax.get_xticklabels()] == shown
    assert [to_hex(t.get_color()) for t in ax.get_xticklabels()] == [OUTCOME_COLORS[o].lower() for o in shown]
    ended = table.copy()
    ended.loc[ended.index[0], "outcome"] = "military_end"
    assert [t.get_text() for t in outcome_shares(ended).get_xticklabels()] == list(OUTCOME_ORDER)


# ------------------------------------------------------------------------- data behind figures


def test_outcome_share_bars_and_intervals_equal_the_summary(table):
    ax = outcome_shares(table)
    summary = summarize(table).set_index("scenario")
    assert [c.get_label() for c in ax.containers if hasattr(c, "patches")] == names(table)
    for container in ax.containers:
        if not hasattr(container, "patches"):
            continue
        row = summary.loc[container.get_label()]
        heights = [p.get_height() for p in container.patches]
        assert heights == pytest.approx([row[f"p_{o}"] for o in shown_outcomes(summary)])
        segments = container.errorbar.lines[2][0].get_segments()
        assert [s[0][1] for s in segments] == pytest.approx([row[f"p_{o}_lo"] for o in shown_outcomes(summary)])
        assert [s[1][1] for s in segments] == pytest.approx([row[f"p_{o}_hi"] for o in shown_outcomes(summary)])
    assert "Outcome shares (baseline n=60; variant n=60; no-backstop n=60)" in ax.get_title().replace("\n", " ")


def test_time_to_deal_is_cumulative_and_ends_at_the_deal_share(table):
    ax = time_to_deal(table, horizon=26)
    summary = summarize(table).set_index("scenario")
    curves = {ln.get_label().split(":")[0]: ln for ln in ax.get_lines()}
    assert set(curves) == set(names(table))
    for name, line in curves.items():
        x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        assert x.tolist() == list(range(26))
        assert np.all(np.diff(y) >= 0)
        assert y[-1] == pytest.approx(summary.loc[name, "p_deal"])
        g = table[table.scenario == name]
        assert y[5] == pytest.approx((g.deal_round <= 5).mean())
    assert "n=60" in ax.get_title()


def test_deployment_bars_add_up_to_the_deployment_share_and_split_by_consent(table):
    ax1, ax2 = deployment(table)
    summary = summarize(table).set_index("scenario")
    by_label = {c.get_label(): c for c in ax1.containers if hasattr(c, "patches")}
    assert {"consented", "without consent"} <= set(by_label)
    for k, name in enumerate(names(table)):
        g = table[table.scenario == name]
        consented = by_label["consented"].patches[k].get_height()
        unconsented = by_label["without consent"].patches[k].get_height()
        assert consented == pytest.approx((g.force_deployed & (g.force_consented == 1)).mean())
        assert unconsented == pytest.approx((g.force_deployed & (g.force_consented == 0)).mean())
        assert consented + unconsented == pytest.approx(summary.loc[name, "p_force_deployed"])
    assert summary.loc["no-backstop", "p_force_deployed"] == 0
    assert any("no\ndeployment" in t.get_text() for t in ax2.texts)
    assert ax1.figure is ax2.figure
    assert "Deployment (baseline n=60" in ax1.figure._suptitle.get_text()


def test_deployment_draws_on_given_axes(table):
    _, axes = plt.subplots(1, 2)
    assert deployment(table, axes=tuple(axes)) == tuple(axes)


def test_agreed_terms_one_panel_per_issue_with_the_median_term(table):
    panels = agreed_terms(table)
    issues = [c for c in table if c.startswith("terms_")]
    assert len(panels) == len(issues)
    assert [ax.get_title() for ax in panels] == [c[6:].replace("_", " ") for c in issues]
    cf = table[(table.scenario == "baseline") & (table.outcome == "deal")]
    for ax, column in zip(panels, issues, strict=True):
        # The median lines are the black ones; the baseline's box is at x = 0.
        medians = [ln for ln in ax.get_lines() if to_hex(ln.get_color()) == "#000000"]
        at_zero = [ln.get_ydata()[0] for ln in medians if np.mean(ln.get_xdata()) == pytest.approx(0)]
        assert at_zero == pytest.approx([cf[column].median()])
        assert any("no\ndeal" in t.get_text() for t in ax.texts)  # the scenario without a deal


def test_who_pledges_values_are_contributor_shares_of_all_runs(table):
    ax = who_pledges(table, guarantors=["united_kingdom", "france", "nobody"])
    values = np.asarray(ax.images[0].get_array())
    rows = [t.get_text().replace(" ", "_") for t in ax.get_yticklabels()]
    assert rows[:3] == ["united_kingdom", "france", "nobody"]
    for r, guarantor in enumerate(rows):
        for c, name in enumerate(names(table)):
            g = table[table.scenario == name]
            share = g.force_contributors.str.split("+").apply(lambda ids, who=guarantor: who in ids).mean()
            assert values[r, c] == pytest.approx(share)
    assert values[2].tolist() == [0, 0, 0]  # listed but never contributes
    cbar_label = ax.figure.axes[-1].get_ylabel()
    assert "all runs" in cbar_label
    assert f"{100 * values[0, 0]:.0f}%" in [t.get_text() for t in ax.texts]


def test_contributor_shares_count_a_guarantor_once_per_run():
    frame = pd.DataFrame({"scenario": ["s", "s", "s", "s"], "force_contributors": ["a+b", "a", "", "a+a"]})
    shares = contributor_shares(frame)
    assert shares.loc["a", "s"] == pytest.approx(0.75)
    assert shares.loc["b", "s"] == pytest.approx(0.25)


def test_sweep_response_points_are_the_shares_per_value(sweep):
    ax = sweep_response(sweep, BACKSTOP, by="actors.russia.party.resolve")
    summary = summarize(sweep, by=[BACKSTOP, "actors.russia.party.resolve"])
    lines = {c.get_label(): c for c in ax.containers}
    assert set(lines) == {"1", "2"}
    for level, container in lines.items():
        part = summary[summary["actors.russia.party.resolve"] == float(level)].sort_values(BACKSTOP)
        assert container.lines[0].get_ydata() == pytest.approx(part.p_deal.to_numpy())
        # Lines are only nudged sideways (under 1% of the x range) to keep intervals apart.
        assert container.lines[0].get_xdata() == pytest.approx(part[BACKSTOP].to_numpy(), abs=0.01)
    assert ax.get_xlabel() == BACKSTOP
    single = sweep_response(sweep, BACKSTOP, outcome=["deal", "collapse"], ax=plt.subplots()[1])
    assert [to_hex(c.lines[0].get_color()) for c in single.containers] == [OUTCOME_COLORS["deal"],
                                                                          OUTCOME_COLORS["collapse"]]


def test_sweep_response_rejects_unknown_columns_and_outcomes(sweep):
    with pytest.raises(ValueError, match="no column"):
        sweep_response(sweep, "nope")
    with pytest.raises(ValueError, match="unknown outcome"):
        sweep_response(sweep, BACKSTOP, outcome="peace")


# --------------------------------------------------------------------------------- house rules


def test_plots_neither_change_rcparams_nor_run_the_model(table, monkeypatch):
    import sim.model

    def forbidden(*args, **kwargs):
        raise AssertionError("a plot function ran the model")

    monkeypatch.setattr(sim.model.NegotiationModel, "__init__", forbidden)
    before = dict(matplotlib.rcParams)
    outcome_shares(table)
    time_to_deal(table)
    deployment(table)
    agreed_terms(table)
    who_pledges(table)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_importing_plots_imports_no_pyplot():
    code = "import sys, sim.plots; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_given_axes_are_drawn_on_and_returned(table):
    _, ax = plt.subplots()
    assert outcome_shares(table, ax=ax) is ax
    _, ax = plt.subplots()
    assert time_to_deal(table, ax=ax) is ax
    _, ax = plt.subplots()
    assert who_pledges(table, ax=ax) is ax


def test_save_all_writes_every_figure_as_png_and_svg(table, sweep, tmp_path):
    written = save_all(table, tmp_path / "figs", horizon=26)
    stems = {p.stem for p in written}
    assert stems == {"outcome_shares", "time_to_deal", "deployment", "agreed_terms", "who_pledges", "deal_survival",
                     "time_to_deal_censored"}
    assert {p.suffix for p in written} == {".png", ".svg"}
    for path in written:
        assert path.exists() and path.stat().st_size > 5000, path
        head = path.read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if path.suffix == ".png" else b"<?xml" in path.read_bytes()[:100]
    assert plt.get_fignums() == []  # every figure closed
    written = save_all(sweep, tmp_path / "sweep", sweep_params=[BACKSTOP, "actors.russia.party.resolve"])
    assert {"sweep_response.png", "sweep_response.svg"} <= {p.name for p in written}


def test_wilson_interval_always_holds_the_share_even_at_zero_and_one():
    from sim.summary import wilson_interval

    for n in range(1, 500):
        for k in (0, n):
            lo, hi = wilson_interval(k, n)
            assert lo <= k / n <= hi, (k, n)


def test_percent_ticks_are_labelled_with_their_exact_values(table):
    # Ticks at 2.5 % steps once read "2%, 5%, 8%, 13%": rounded to whole percents (issue 18).
    from sim.plots.style import percent_label

    assert [percent_label(x) for x in (0.0, 0.025, 0.05, 0.075, 0.125, 1.0, 0.333)] == [
        "0%", "2.5%", "5%", "7.5%", "12.5%", "100%", "33.3%"]
    ax = outcome_shares(table)
    ax.set_yticks([0, 0.025, 0.05, 0.075, 0.1, 0.125])   # ticks at 2.5 % steps, labelled by the axis formatter
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    values = ax.get_yticks()
    assert labels == [percent_label(v) for v in values] and "2.5%" in labels
    assert all(abs(float(label.rstrip("%")) - 100 * v) < 1e-6 for label, v in zip(labels, values, strict=True))


def test_the_deployment_legend_names_only_what_is_drawn(table):
    consented_only = table[table.scenario == "baseline"]   # the baseline's force always has consent
    assert set(consented_only.force_consented.dropna()) == {1.0}
    ax1, _ = deployment(consented_only)
    legends = ax1.figure.legends
    assert [t.get_text() for t in legends[0].get_texts()] == ["consented"]
    none = table[table.scenario == "no-backstop"]             # no force at all: no legend
    ax1, _ = deployment(none)
    assert not ax1.figure.legends and ax1.get_legend() is None


def test_who_pledges_names_the_guarantors_by_their_display_names(table):
    spec = load_scenario("scenarios/baseline.yaml").spec
    display = {actor: spec.actors[actor].name for actor in spec.actors}
    ax = who_pledges(table, guarantors=["united_kingdom", "france", "nobody"], names=display)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert rows[:3] == ["United Kingdom", "France", "nobody"]   # an id without a name stays its id
    shares = contributor_shares(table, guarantors=["united_kingdom", "france", "nobody"])
    assert rows == [display.get(g, g) for g in shares.index]
    assert np.asarray(ax.images[0].get_array()).tolist() == shares.to_numpy().tolist()   # only labels change


@pytest.fixture(scope="module")
def ten(table):
    """Ten scenarios with long names (copies of the three simulated ones: no new simulation)."""
    base = names(table)
    parts = [table[table.scenario == base[i % 3]].assign(scenario=f"scenario {i} with a rather long name")
             for i in range(10)]
    return pd.concat(parts, ignore_index=True)


def _png_size(path):
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_titles_wrap_and_figures_stay_under_2000_px_with_ten_scenarios(ten, tmp_path):
    figures = [outcome_shares(ten).figure, time_to_deal(ten).figure, deployment(ten)[0].figure,
               agreed_terms(ten)[0].figure, who_pledges(ten).figure]
    for fig in figures:
        titles = [ax.get_title() for ax in fig.axes] + ([fig._suptitle.get_text()] if fig._suptitle else [])
        lines = [line for title in titles for line in title.splitlines()]
        assert lines and max(len(line) for line in lines) <= 80, lines
        assert any("10 scenarios, n=60 each" in line for line in lines)
        assert sum("n=" in line for line in lines) <= 2   # counted, not listed ten times
    for path in save_all(ten, tmp_path):
        if path.suffix == ".png":
            assert _png_size(path)[1] <= 2000, (path.name, _png_size(path))


def test_agreed_terms_label_each_issue_axis_with_its_anchors_words(table):
    spec = load_scenario("scenarios/baseline.yaml").spec
    panels = agreed_terms(table, issues=spec.issues)
    columns = [c for c in table if c.startswith("terms_")]
    for ax, column in zip(panels, columns, strict=True):
        issue = spec.issues[column.removeprefix("terms_")]
        assert ax.get_title().replace("\n", " ") == issue.label
        expected = {0.0: issue.low, **{float(t): w for t, w in issue.anchors.items()}, 1.0: issue.high}
        assert ax.get_yticks().tolist() == sorted(expected)
        labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
        assert labels == [f"{expected[t]} ({t:g})" for t in sorted(expected)]
    # Without the issues, the 0-1 axis still says what its ends mean.
    plain = agreed_terms(table)
    assert [t.get_text() for t in plain[0].get_yticklabels()][::4] == ["0 low", "1 high"]
    assert "low end" in plain[0].get_ylabel()


def test_wilson_interval_equals_scipys_on_a_grid():
    from scipy.stats import binomtest, norm

    from sim.summary import wilson_interval

    z = float(norm.ppf(0.975))
    for n in (1, 2, 3, 5, 10, 17, 60, 100, 999, 5000):
        ks = sorted({0, 1, n // 3, n // 2, n - 1, n})
        los, his = wilson_interval(np.array(ks), n, z=z)       # vectorised
        for k, lo, hi in zip(ks, los, his, strict=True):
            ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
            assert (lo, hi) == pytest.approx((ci.low, ci.high), abs=1e-12), (k, n)
            assert wilson_interval(k, n, z=z) == pytest.approx((lo, hi), abs=0)   # one k at a time: the same
