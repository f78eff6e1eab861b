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
        streams = [o.get("name") if o["output_type"] == "stream" else None for o in cell.get("outputs", [])]
        assert not any(a is not None and a == b for a, b in zip(streams, streams[1:])), \
            "a cell's printed text is cut in two outputs (timing): tools/run_notebooks.py joins them"
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
def test_chapters_import_each_name_from_its_concept_module_without_path_tricks(path):
    """A reader finds every helper in one jump: names come from the module that holds them
    (``from helpers.network import replay_two_layer``), never from the package's flat namespace."""
    import ast
    import importlib

    source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in source
    imports = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)]
    from_helpers = [node for node in imports if node.module and node.module.split(".")[0] == "helpers"]
    assert from_helpers, "the chapter imports nothing from helpers"
    for node in from_helpers:
        for alias in node.names:
            if node.module == "helpers":  # only whole modules may come from the package itself
                assert importlib.util.find_spec(f"helpers.{alias.name}") is not None, \
                    f"import {alias.name} from its module (helpers.<module>), not from helpers"
            else:
                module = importlib.import_module(node.module)
                assert hasattr(module, alias.name), f"{node.module} has no {alias.name}"
