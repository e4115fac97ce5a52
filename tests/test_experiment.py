"""Experiments: identical tables for any workers and executor, streaming, resume, clear errors."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import load_scenario
from sim.design import grid, latin_hypercube, parse_assignment
from sim.errors import ExperimentError
from sim.experiment import iter_chunks, plan_chunks, run_many, run_points
from sim.results import read_manifest, read_results, run_to_directory
from sim.streams import run_seed

RUNS = 240


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("scenarios/baseline.yaml")


@pytest.fixture(scope="module")
def serial(baseline):
    return run_many(baseline, runs=RUNS, seed=42, chunk_size=60)


def test_run_many_gives_one_row_per_run_with_its_seed(serial):
    assert len(serial) == RUNS
    assert serial.run.tolist() == list(range(RUNS))
    assert serial.seed.tolist() == [run_seed(42, i) for i in range(RUNS)]
    assert {"outcome", "deal_round", "terms_territory", "force_deployed", "force_contributors",
            "measure_loan_90bn_passed", "council_eu_council_votes_against", "shocks", "breakdown_cause"} <= set(serial)


def test_two_workers_give_the_same_table_as_one(baseline, serial):
    parallel = run_many(baseline, runs=RUNS, seed=42, workers=2, chunk_size=60)
    pd.testing.assert_frame_equal(parallel, serial)


def test_dask_cluster_on_localhost_gives_the_same_table(baseline, serial):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        table = run_many(baseline, runs=RUNS, seed=42, executor="dask", scheduler=address, chunk_size=60)
    pd.testing.assert_frame_equal(table, serial)


def test_unreachable_scheduler_is_a_clear_error(baseline):
    pytest.importorskip("dask.distributed")
    with pytest.raises(ExperimentError, match="cannot reach the Dask scheduler"):
        run_many(baseline, runs=10, seed=1, executor="dask", scheduler="tcp://127.0.0.1:9", connect_timeout=3)


def test_a_dying_worker_has_its_chunk_retried(baseline, serial, tmp_path, monkeypatch):
    monkeypatch.setenv("SIM_TEST_MARKERS", str(tmp_path))
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    from faulty import dies_once

    chunks = plan_chunks(RUNS, 60)
    tables = dict(iter_chunks(baseline, 42, chunks, workers=2, task=dies_once))
    assert (tmp_path / "chunk-0").exists()  # the first attempt did die
    table = pd.concat([tables[c] for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(table, serial)


def test_result_folder_holds_runs_manifest_and_resolved_scenario(baseline, serial, tmp_path):
    out = run_to_directory(baseline, tmp_path / "res", runs=RUNS, seed=42, chunk_size=60, csv=True)
    manifest = read_manifest(out)
    assert manifest["status"] == "complete"
    assert manifest["runs"] == RUNS and manifest["seed"] == 42
    assert manifest["scenario_sha256"] == baseline.digest()
    import hashlib
    assert manifest["scenario_file_sha256"] == hashlib.sha256(Path("scenarios/baseline.yaml").read_bytes()).hexdigest()
    assert manifest["seconds_per_run"] > 0
    assert (out / "scenario.resolved.yaml").read_text().startswith("name: baseline")
    pd.testing.assert_frame_equal(read_results(out), serial)
    csv = pd.read_csv(out / "runs.csv")
    assert len(csv) == RUNS and list(csv.columns) == list(serial.columns)


def test_an_interrupted_run_keeps_its_chunks_and_resumes_to_the_same_table(baseline, serial, tmp_path):
    calls = []

    def interrupt_after_two_chunks(done, total):
        calls.append(done)
        if len(calls) == 3:  # the first call reports 0 done
            raise KeyboardInterrupt

    folder = tmp_path / "res"
    with pytest.raises(KeyboardInterrupt):
        run_to_directory(baseline, folder, runs=RUNS, seed=42, chunk_size=60, progress=interrupt_after_two_chunks)
    assert len(list((folder / "parts").glob("*.parquet"))) == 2
    assert read_manifest(folder)["status"] == "running"
    with pytest.raises(ExperimentError, match="not complete"):
        read_results(folder)
    with pytest.raises(ExperimentError, match="--resume"):
        run_to_directory(baseline, folder, runs=RUNS, seed=42, chunk_size=60)
    with pytest.raises(ExperimentError, match="seed"):
        run_to_directory(baseline, folder, runs=RUNS, seed=43, chunk_size=60, resume=True)
    run_to_directory(baseline, folder, runs=RUNS, seed=42, chunk_size=60, resume=True)
    manifest = read_manifest(folder)
    assert manifest["runs_this_session"] == RUNS - 120
    pd.testing.assert_frame_equal(read_results(folder), serial)


def test_a_killed_cli_run_resumes_to_the_same_table(serial, tmp_path):
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "run", "scenarios/baseline.yaml", "--runs", str(RUNS), "--seed", "42",
           "--chunk-size", "20", "--workers", "1", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((out / "parts").glob("*.parquet"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    parts = len(list((out / "parts").glob("*.parquet")))
    assert 2 <= parts < RUNS // 20, "the run was not interrupted mid-way"
    done = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    pd.testing.assert_frame_equal(read_results(out), serial)


def test_unwritable_output_folder_is_a_clear_cli_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "sim", "run", "scenarios/baseline.yaml", "--runs", "5",
                             "--out", str(blocker / "sub")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == f"sim: error: --out {blocker / 'sub'}: {blocker} is a file (expected a folder for the results)\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_output_folder_is_a_clear_error(baseline, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(ExperimentError, match="cannot write"):
        run_to_directory(baseline, folder, runs=5)


def test_grid_sweep_puts_varied_values_in_columns_and_reuses_seeds(baseline):
    points = grid(baseline, {"actors.united_states.backer.backstop": [0.0, 1.0], "sanctions.russia.start": [0.3, 0.6]})
    table = run_points(points, runs=40, seed=7, chunk_size=25)
    assert len(table) == 4 * 40
    assert table.groupby(["actors.united_states.backer.backstop", "sanctions.russia.start"]).size().tolist() == [40] * 4
    # Common random numbers: run i has the same seed at every point.
    seeds = table.pivot_table(index="run", columns="sanctions.russia.start", values="seed", aggfunc="first")
    assert (seeds[0.3] == seeds[0.6]).all()
    no_backstop = table[table["actors.united_states.backer.backstop"] == 0.0]
    assert not no_backstop.force_deployed.any()


def test_a_grid_mixing_whole_and_decimal_numbers_gives_one_float_column(baseline, tmp_path):
    points = grid(baseline, {"sanctions.russia.start": [0, 0.5]})
    assert [p.values["sanctions.russia.start"] for p in points] == [0.0, 0.5]
    out = run_to_directory(points, tmp_path / "mixed", runs=4, seed=1, chunk_size=2)
    assert read_results(out)["sanctions.russia.start"].dtype == float


def test_latin_hypercube_covers_each_declared_range_once_per_stratum(baseline):
    points = latin_hypercube(baseline, 10, seed=3, params=["front.drift"])
    values = sorted(p.values["front.drift"] for p in points)
    dist = baseline.distributions()["front.drift"]
    assert dist.bounds[0] <= values[0] and values[-1] <= dist.bounds[1]
    # one value per decile of the distribution
    from scipy.stats import triang
    c = (dist.mode - dist.low) / (dist.high - dist.low)
    deciles = sorted(int(10 * triang.cdf(v, c, loc=dist.low, scale=dist.high - dist.low)) for v in values)
    assert deciles == list(range(10))


def test_parse_assignment_reads_yaml_scalars():
    assert parse_assignment("a.b=0.1, 2,true") == ("a.b", [0.1, 2, True])
    # A list value keeps its commas: two values here, each a list.
    assert parse_assignment("t.parties=[a, b],[a, b, c]") == ("t.parties", [["a", "b"], ["a", "b", "c"]])
    with pytest.raises(ValueError):
        parse_assignment("a.b")


def test_cli_sweep_writes_a_tidy_table(tmp_path):
    out = tmp_path / "sweep"
    result = subprocess.run([sys.executable, "-m", "sim", "sweep", "scenarios/baseline.yaml", "--set",
                             "actors.united_states.backer.backstop=0.2,0.9", "--runs", "30", "--workers", "1",
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    table = read_results(out)
    assert sorted(table["actors.united_states.backer.backstop"].unique()) == [0.2, 0.9]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["design"] == [{"actors.united_states.backer.backstop": 0.2},
                                  {"actors.united_states.backer.backstop": 0.9}]


def test_cli_sweep_with_a_bad_key_reports_it(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sim", "sweep", "scenarios/baseline.yaml", "--set",
                             "actors.russia.party.resolv=1,2", "--runs", "5"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "did you mean 'resolve'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dying_dask_worker_has_its_chunk_retried(baseline, serial, tmp_path, monkeypatch):
    distributed = pytest.importorskip("dask.distributed")
    monkeypatch.setenv("SIM_TEST_MARKERS", str(tmp_path))
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    from faulty import dies_once

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        chunks = plan_chunks(RUNS, 60)
        tables = dict(iter_chunks(baseline, 42, chunks, executor="dask", scheduler=cluster.scheduler_address,
                                  task=dies_once))
    assert (tmp_path / "chunk-0").exists()  # the first attempt did kill its worker
    table = pd.concat([tables[c] for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(table, serial)


@pytest.mark.parametrize(("seed", "runs", "message"), [
    (-1, 10, "seed must be a whole number from 0 to 2\\*\\*63 - 1, got -1"),
    (2**63, 10, "seed must be a whole number"),
    (1.5, 10, "seed must be a whole number"),
    (1, 0, "runs must be a whole number of at least 1, got 0"),
    (1, 2.5, "runs must be a whole number of at least 1, got 2.5"),
])
def test_the_python_api_refuses_bad_seeds_and_run_counts_in_words(baseline, seed, runs, message):
    with pytest.raises(ValueError, match=message):
        run_many(baseline, runs=runs, seed=seed)
