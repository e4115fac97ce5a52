"""Response curves of P(deal) over four of the baseline's contested numbers, in 0.05 steps (issue 14).

``python bench/response_curves.py [RUNS] [OUT.png]`` (default 1,000 runs a point, 56 points; about
ten minutes on two cores) prints each curve and its largest jump between neighbouring values, and
draws the four curves with the share of deals that hold through the aftermath window. A jump above
10 points between neighbours, where the article states no threshold, is a cliff to explain.
The figure measured for the issue 14 note is ``docs/figures/response-curves.png``.

``python bench/response_curves.py RUNS --fine`` sweeps the two steepest curves in 0.025 steps through
their steepest stretch instead (no figure): an even slope there is a steep response, a step is a cliff.

``python bench/response_curves.py RUNS --centred`` sweeps Ukraine's guarantee bound as the baseline holds
it, uncertain (uniform, width 0.2), moving the centre of its range in 0.05 steps, rather than fixing it
at each value (no figure): what the curve is when the bound stays unknown to the mediators and varies
between runs as in the baseline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.experiment import run_many  # noqa: E402

CURVES = {
    "US backstop": ("actors.united_states.backer.backstop", np.arange(0.20, 0.801, 0.05)),
    "paper_guarantee_weight": ("institutions.coalition.paper_guarantee_weight", np.arange(0.10, 0.701, 0.05)),
    "Ukraine's guarantee bound": ("actors.ukraine.red_lines[0].bound", np.arange(0.30, 0.701, 0.05)),
    "Russia's aversion to Western troops": ("actors.russia.red_lines[1].penalty", np.arange(0.50, 1.501, 0.05)),
}
SEED = 7
#: The steepest stretch of the two steep curves, in half steps.
FINE = {
    "paper_guarantee_weight": ("institutions.coalition.paper_guarantee_weight", np.arange(0.15, 0.3001, 0.025)),
    "Ukraine's guarantee bound": ("actors.ukraine.red_lines[0].bound", np.arange(0.55, 0.7001, 0.025)),
}

#: Ukraine's bound kept uncertain as in the baseline (uniform, width 0.2), its centre moved.
CENTRED = {"Ukraine's guarantee bound, uncertain (centre of a range of width 0.2)":
           ("actors.ukraine.red_lines[0].bound", np.arange(0.30, 0.701, 0.05))}
HALF_WIDTH = 0.1


def _setting(name: str, value: float):
    if name in CENTRED:
        return {"uniform": [round(value - HALF_WIDTH, 3), round(value + HALF_WIDTH, 3)],
                "evidence": ["assume-uncertain-bounds"]}
    return value


def curves(runs: int, which: dict = CURVES) -> pd.DataFrame:
    """P(deal) and the share of deals held at each value of each curve, printed as they come."""
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    rows = []
    for name, (path, values) in which.items():
        for value in values:
            t = run_many(base.with_overrides({path: _setting(name, round(float(value), 3))}), runs=runs, seed=SEED,
                         workers=2)
            deal = t.outcome == "deal"
            rows.append({"curve": name, "path": path, "value": round(float(value), 3), "p_deal": deal.mean(),
                         "held": t.deal_held[deal].mean() if deal.any() else np.nan})
        c = pd.DataFrame([r for r in rows if r["curve"] == name])
        jumps = np.abs(np.diff(c.p_deal.to_numpy())) * 100
        k = int(jumps.argmax())
        print(f"{name} ({path})")
        print("  " + "  ".join(f"{v:g}: {100 * p:5.1f}%" for v, p in zip(c.value, c.p_deal, strict=True)))
        print(f"  largest jump between neighbours: {jumps[k]:.1f} points "
              f"(at {c.value.iloc[k]:g} -> {c.value.iloc[k + 1]:g})", flush=True)
    return pd.DataFrame(rows)


def draw(table: pd.DataFrame, runs: int, out: Path) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    for ax, (name, (path, _)) in zip(axes.flat, CURVES.items(), strict=True):
        c = table[table.curve == name]
        ax.plot(c.value, 100 * c.p_deal, "o-", label="P(deal)")
        ax.plot(c.value, 100 * c.held, "s--", alpha=0.7, label="deals held through the window")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel(path, fontsize=8)
        ax.set_ylabel("% of runs (P(deal)) / % of deals (held)")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"Response curves of the baseline, {runs:,} runs a point, master seed {SEED}")
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--fine", "--centred")]
    n = int(args[0]) if args else 1000
    if "--fine" in sys.argv or "--centred" in sys.argv:
        curves(n, FINE if "--fine" in sys.argv else CENTRED)
        sys.exit(0)
    target = Path(args[1]) if len(args) > 1 else Path("response-curves.png")
    draw(curves(n), n, target)
    print(f"written to {target}")
