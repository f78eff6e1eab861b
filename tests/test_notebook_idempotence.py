"""Notebooks leave nothing behind that another could depend on.

Reproducibility itself is nbval's job: it runs each notebook once from a fresh kernel and compares every
stored output with the new one, figures included (the root conftest.py turns on PNG comparison), so
`make notebooks` never produces a diff by itself and each notebook executes once per test run.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WRITES_FILES = ("open(", ".savefig(", "np.save", ".to_csv(", "write_text(", "write_bytes(")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_writes_files_another_could_depend_on(path):
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    assert not [w for w in WRITES_FILES if w in source]
