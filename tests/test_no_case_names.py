"""Python names no institution of one case (issue 12, item 10).

Every ``.py`` under ``sim/`` is tokenized: no NAME token, and no STRING token outside docstrings,
may contain a word of the shipped case (the EU, its loan and sanctions packages, the countries, the
region). Comments are not tokens of interest, and docstrings (a string that is the first statement
of a module, class or function, found with ``ast``) may name the case to explain it.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

SIM = Path(__file__).resolve().parent.parent / "sim"
WORDS = ("eu_", "loan", "sanctions_package", "russia", "ukraine", "hungary", "united_states", "donbas")


def docstring_lines(source: str) -> set[tuple[int, int]]:
    """(line, column) where each docstring of the module starts."""
    starts = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                starts.add((first.value.lineno, first.value.col_offset))
    return starts


def offenders(path: Path) -> list[str]:
    """Every NAME or non-docstring STRING token of a file that contains a case word, as FILE:LINE: token."""
    source = path.read_text(encoding="utf-8")
    docstrings = docstring_lines(source)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME or (token.type == tokenize.STRING and token.start not in docstrings):
            text = token.string.lower()
            if any(word in text for word in WORDS):
                found.append(f"{path.relative_to(SIM.parent).as_posix()}:{token.start[0]}: {token.string[:60]}")
    return found


def test_the_tokens_of_interest_are_found():
    # The check itself: a name and a string are caught, a docstring and a comment are not.
    sample = SIM.parent / "tests" / "_sample_case_names.py"
    sample.write_text('"""About Russia."""\n# ukraine\nloan_90bn = "hungary"\n\n\ndef f():\n    """Donbas."""\n',
                      encoding="utf-8")
    try:
        source = sample.read_text(encoding="utf-8")
        assert docstring_lines(source) == {(1, 0), (7, 4)}
        names = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                 if t.type in (tokenize.NAME, tokenize.STRING) and t.start not in docstring_lines(source)
                 and any(w in t.string.lower() for w in WORDS)]
        assert names == ["loan_90bn", '"hungary"']
    finally:
        sample.unlink()


def test_sim_names_no_institution_of_one_case():
    found = [line for path in sorted(SIM.rglob("*.py")) for line in offenders(path)]
    assert not found, "names of one case in sim/:\n" + "\n".join(found)
