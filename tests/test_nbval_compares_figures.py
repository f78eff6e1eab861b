"""nbval checks the stored figures too (the root conftest.py): a notebook whose stored PNG differs from
what its cell draws now fails, and one whose PNG matches passes."""
from __future__ import annotations

import base64
import subprocess
import sys
import zlib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _png(red: int) -> bytes:
    """A 1×1 RGB PNG of colour (red, 0, 0), built by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes([0, red, 0, 0]))) \
        + chunk(b"IEND", b"")


def _notebook(path: Path, stored_red: int) -> None:
    cell = nbformat.v4.new_code_cell(f"from IPython.display import Image\nImage(data={_png(200)!r})", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=1,
                                           data={"image/png": base64.b64encode(_png(stored_red)).decode(),
                                                 "text/plain": "<IPython.core.display.Image object>"})]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


@pytest.mark.slow
@pytest.mark.parametrize("stored_red, verdict", [(200, "1 passed"), (100, "1 failed")])
def test_a_changed_figure_fails_nbval_and_an_unchanged_one_passes(stored_red, verdict):
    folder = ROOT / "build" / "nbval-figure-check"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"figure_{stored_red}.ipynb"
    _notebook(path, stored_red)
    result = subprocess.run([sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider", "--nbval",
                             "--nbval-current-env", "-o", "addopts="], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert verdict in result.stdout, result.stdout[-2000:]
    if verdict == "1 failed":
        assert "image/png" in result.stdout
