"""The project's docs stay in step with the code."""

import importlib.util
import re
from pathlib import Path

from sim.record import COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def test_scenario_format_doc_is_generated_from_the_current_schema():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "docs" / "gen_scenario_format.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8") == gen.render(), \
        "docs/scenario-format.md is stale: run python docs/gen_scenario_format.py"


def test_every_record_column_is_documented_in_the_model_doc_or_record():
    model_doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert "breakdown_cause" in " ".join(COLUMNS) and "Breakdown causes" in model_doc


def test_readme_names_every_cli_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cli = (ROOT / "sim" / "cli_parser.py").read_text(encoding="utf-8")
    commands = re.findall(r'sub\.add_parser\("([a-z]+)"', cli)
    assert len(commands) >= 8
    missing = [c for c in commands if f"sim {c}" not in readme]
    assert not missing, f"README does not show: {missing}"
