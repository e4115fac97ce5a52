"""The teaching notebooks: stored clean, in sync with their scripts, and each runs top to bottom in a real kernel.

Each notebook is a jupytext pair: ``notebooks/<name>.py`` (percent format, the source a reviewer reads)
and ``notebooks/<name>.ipynb`` (what Jupyter opens), kept equal by ``make notebooks``.

The notebooks are executed with nbclient in the ``python3`` kernel, which jupyter_client starts with
this interpreter (the venv's), in ``notebooks/`` as the working directory and with ``SIM_NB_RUNS``
set small, so that the whole file takes well under a minute. Any error in any cell fails the test.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the test extras: pip install -e '.[test]'")
nbclient = pytest.importorskip("nbclient", reason="needs the test extras: pip install -e '.[test]'")
pytest.importorskip("ipykernel", reason="needs the test extras: pip install -e '.[test]'")
pytest.importorskip("ipywidgets", reason="needs the test extras: pip install -e '.[test]'")
jupytext = pytest.importorskip("jupytext", reason="needs the test extras: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = {"01-the-negotiation.ipynb", "02-comparing-assumptions.ipynb", "03-write-your-own-scenario.ipynb"}

TEST_RUNS = "100"  # SIM_NB_RUNS for the tests (the notebooks default to 1,000)
CELL_TIMEOUT = 300  # seconds per cell: generous, for a busy machine
KERNEL = "python3"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
PAIRING = "ipynb,py:percent"  # jupytext's formats: each notebooks/<name>.ipynb with notebooks/<name>.py


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
    scripts = {p.with_suffix(".ipynb").name for p in NOTEBOOK_DIR.glob("*.py")}
    assert scripts == {p.name for p in NOTEBOOKS}, "every notebook needs its paired .py and every .py its .ipynb"
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_is_in_sync_with_its_script(path: Path):
    # notebooks/<name>.py (jupytext's percent format) is the source; the .ipynb beside it must hold the
    # same cells: edit the .py, then `make notebooks` (jupytext --sync) rewrites the .ipynb.
    script = path.with_suffix(".py")
    assert script.is_file(), f"{path.name} has no paired script {script.name}"
    stored, source = jupytext.read(path), jupytext.read(script)
    for nb, name in ((stored, path.name), (source, script.name)):
        assert nb.metadata.get("jupytext", {}).get("formats") == PAIRING, f"{name} is not paired as {PAIRING}"
    assert stored.metadata["kernelspec"] == source.metadata["kernelspec"] == KERNELSPEC

    def cells(nb):
        return [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in nb.cells]

    assert cells(stored) == cells(source), \
        f"{path.name} differs from {script.name}: run `make notebooks` (jupytext --sync notebooks/0*.py)"


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
