"""A chunk task that kills its worker process the first time, to test that chunks are retried."""

import os
from pathlib import Path

from sim.experiment import run_chunk


def dies_once(scenario, master_seed, start, stop, extra=None):
    """Kill the worker on the first call for chunk ``start`` (marker file in SIM_TEST_MARKERS)."""
    marker = Path(os.environ["SIM_TEST_MARKERS"]) / f"chunk-{start}"
    if start == 0 and not marker.exists():
        marker.write_text("died")
        os._exit(1)
    return run_chunk(scenario, master_seed, start, stop, extra)
