# Two commands for a newcomer: `make run` and `make test`. Both build .venv from nothing, with the
# versions pinned in requirements/ (run.txt for the simulator, test.txt adding the test tools), so that
# an install made today and one made next month run the same code. `make lock` refreshes the pins.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNS ?= 1000
# make run writes here only, so a user's own result folders are never touched.
RUN_OUT := results/make-run
UV_VERSION := 0.13.9
# make lock LOCKFLAGS=--upgrade moves every pin to the newest release; without it, pins are kept.
LOCKFLAGS ?=

.PHONY: run test lint lock notebooks bench backtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/run.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	rm -rf $(RUN_OUT)
	$(BIN)/sim run scenarios/baseline.yaml --runs $(RUNS) --out $(RUN_OUT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check sim tests bench notebooks

# The suite runs on every core (pytest-xdist), a test module's tests in one process so that its shared
# fixtures are built once; TEST_WORKERS=0 runs it in this process alone.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

# The test pins are solved first and the run pins inside them, so the two files never disagree.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile --quiet $(LOCKFLAGS) pyproject.toml --extra test --python-version 3.11 -o requirements/test.txt
	$(BIN)/uv pip compile --quiet $(LOCKFLAGS) pyproject.toml --python-version 3.11 -c requirements/test.txt -o requirements/run.txt

# Each notebooks/0N-*.ipynb is paired with the .py beside it (jupytext, percent format): edit the .py, then
# run this to rewrite the .ipynb (jupytext syncs from whichever of the two is newer, keeping cell ids).
notebooks: $(VENV)/.installed-test
	$(BIN)/jupytext --sync notebooks/0*.py

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# The scorecard of the closed negotiations in backtests/ (1,000 runs a case; BACKTESTFLAGS=--quick for 100).
BACKTESTFLAGS ?=
backtest: $(VENV)/.installed
	$(BIN)/sim backtest $(BACKTESTFLAGS) --out results/backtest

clean:
	rm -rf $(VENV) $(RUN_OUT) .pytest_cache .ruff_cache
