"""Run every chapter once more, from a fresh kernel, and compare EVERY stored output with the new
one, images included: nbval compares text, this proves the whole notebook is reproducible, so
nbval never flickers and `make notebooks` never produces a diff by itself."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # new model id every run; not stored
WRITES_FILES = ("open(", ".savefig(", "np.save", ".to_csv(", "write_text(", "write_bytes(")


def comparable(outputs):
    """Outputs as compared: no widget view or metadata, and consecutive chunks of one stream joined
    (the kernel flushes stdout on a timer, so one cell's prints may arrive in one piece or two)."""
    kept = []
    for output in outputs:
        output = copy.deepcopy(dict(output))
        output.pop("execution_count", None)
        output.get("data", {}).pop(WIDGET_VIEW, None)
        output.pop("metadata", None)
        if kept and output.get("output_type") == "stream" and kept[-1].get("output_type") == "stream" \
                and kept[-1].get("name") == output.get("name"):
            kept[-1]["text"] += output["text"]
            continue
        kept.append(output)
    return kept


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_fresh_run_reproduces_every_stored_output_including_figures(path):
    stored = nbformat.read(path, as_version=4)
    fresh = copy.deepcopy(stored)
    NotebookClient(fresh, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   record_timing=False, store_widget_state=False).execute()
    for index, (before, after) in enumerate(zip(stored.cells, fresh.cells)):
        if before.cell_type == "code":
            assert comparable(before.outputs) == comparable(after.outputs), f"cell {index} changed on a fresh run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_writes_files_another_could_depend_on(path):
    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    assert not [w for w in WRITES_FILES if w in source]
