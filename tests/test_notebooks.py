"""The teaching notebooks: stored clean and up to date, and each runs top to bottom in a real Jupyter kernel.

The notebooks are executed with nbclient in the ``python3`` kernel, which jupyter_client starts with
this interpreter (the venv's), in ``notebooks/`` as the working directory and with ``SIM_NB_RUNS``
set small, so that the whole file takes well under a minute. Any error in any cell fails the test.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the test extras: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="needs the test extras: pip install -e '.[test]'")
pytest.importorskip("ipykernel", reason="needs the test extras: pip install -e '.[test]'")
pytest.importorskip("ipywidgets", reason="needs the test extras: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = {"01-the-negotiation.ipynb", "02-comparing-assumptions.ipynb", "03-write-your-own-scenario.ipynb"}

TEST_RUNS = "100"  # SIM_NB_RUNS for the tests (the notebooks default to 1,000)
CELL_TIMEOUT = 300  # seconds per cell: generous, for a busy machine
KERNEL = "python3"


def execute(nb: nbformat.NotebookNode, **env: str) -> float:
    """Run a notebook in place in a fresh kernel started in notebooks/; returns the seconds it took."""
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, startup_timeout=120,
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    start = time.perf_counter()
    client.execute(env={**os.environ, **env})
    return time.perf_counter() - start


def images(cell: nbformat.NotebookNode) -> int:
    return sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))


def test_the_three_notebooks_are_there_one_with_controls():
    assert {p.name for p in NOTEBOOKS} >= EXPECTED
    tagged = [cell for path in NOTEBOOKS for cell in nbformat.read(path, as_version=4).cells
              if "widgets" in cell.metadata.get("tags", [])]
    assert tagged and all("ipywidgets" in cell.source for cell in tagged)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} of {path.name} has outputs: clear them before saving"
            assert cell.execution_count is None, f"cell {i} of {path.name} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state"


def test_stored_notebooks_match_their_generator():
    spec = importlib.util.spec_from_file_location("build_notebooks", NOTEBOOK_DIR / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.NOTEBOOKS) == EXPECTED
    assert module.stale(NOTEBOOK_DIR) == [], "notebooks differ from notebooks/build_notebooks.py: run it to rebuild them"


def test_the_kernel_is_this_python():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    execute(nb)
    printed = "".join(out.get("text", "") for out in nb.cells[0].outputs).strip()
    assert Path(printed).resolve() == Path(sys.prefix).resolve()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path):
    nb = nbformat.read(path, as_version=4)
    seconds = execute(nb, SIM_NB_RUNS=TEST_RUNS)  # raises CellExecutionError on the first error
    print(f"{path.name}: {seconds:.1f} s with SIM_NB_RUNS={TEST_RUNS}")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert any(f"{int(TEST_RUNS):,} runs per scenario" in out.get("text", "") for out in code[0].outputs), \
        "the setup cell did not read SIM_NB_RUNS"
    assert sum(images(cell) for cell in code) > 0, f"{path.name} drew no figure"
    for cell in code:
        if "widgets" in cell.metadata.get("tags", []):
            assert images(cell) > 0, "the interactive cell must draw its figure without a browser too"


def test_a_progress_bar_is_a_widget_in_a_notebook():
    # In a kernel stderr is no terminal, yet the bar must show: tqdm.auto draws it as a widget.
    source = "from sim.progress import progress_bar\nbar = progress_bar('runs')\nbar(0, 10)\nbar(10, 10)"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    execute(nb)
    outputs = nb.cells[0].outputs
    assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs), outputs
