"""The notebooks are stored the way nbval and the course pages need them."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_in_order_without_errors_or_widget_state(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    counts = [c.get("execution_count") for c in notebook["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "restart the kernel and run all (make notebooks)"
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output.get("ename")
            assert "0x7f" not in json.dumps(output.get("data", {}).get("text/plain", "")), "a memory address leaked"
    assert "widgets" not in notebook["metadata"], "stored widget state draws sliders that move nothing"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_have_navigation_and_a_summary(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first, last = notebook["cells"][0], notebook["cells"][-1]
    assert "navigation" in first["metadata"].get("tags", []) and "navigation" in last["metadata"].get("tags", [])
    assert notebook["metadata"].get("course", {}).get("summary"), "add metadata course.summary (one line)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapters_import_helpers_without_path_tricks(path):
    source = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in source and "from helpers import" in source
