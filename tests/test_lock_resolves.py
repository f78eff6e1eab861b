"""The lock installs on every Python the README names: for each supported interpreter found on this
machine (pyenv's 3.11-3.13 and the system's /usr/bin/python3, Debian 12's 3.11.2 here), pip resolves
`-c constraints.txt -e .[test,site]` for that interpreter, with nothing left unpinned.

Each interpreter gets a fresh venv without pip (it needs no ensurepip), and this venv's pip resolves
for it with `pip --python` (a dry run installs nothing). The requirements are read from pyproject.toml
rather than from `-e .`, which would build the project's metadata once per interpreter for nothing.
The interpreters resolve in parallel: about 30 s of CPU each (pip reads every pinned package's index
page and wheel metadata), so roughly a minute on an idle 2-core machine for four interpreters."""
from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # four pip resolutions at once: about 30 s, both cores

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ["3.11", "3.12", "3.13"]  # the Makefile's PYTHON_MIN to PYTHON_MAX
SYSTEM = "/usr/bin/python3"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_of(python: str) -> str | None:
    try:
        return subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                              capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def interpreters() -> dict[str, str]:
    """{label: interpreter}: the newest pyenv (or PATH) interpreter of each supported minor, and the system's."""
    found = {}
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    for minor in SUPPORTED:
        candidates = sorted(glob.glob(f"{pyenv_root}/versions/{minor}.*/bin/python"),
                            key=lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parents[1].name)])
        candidates += [c for c in [shutil.which(f"python{minor}")] if c]
        working = [c for c in reversed(candidates) if (version_of(c) or "").startswith(minor + ".")]
        if working:
            found[minor] = working[0]
    found["system"] = SYSTEM
    return found


INTERPRETERS = interpreters()


def requirements() -> list[str]:
    """What `pip install -e .[test,site]` asks for: the runtime packages and both extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"],
            *project["optional-dependencies"]["site"]]


def dry_run(python: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([python, "-m", "venv", "--without-pip", f"{tmp}/venv"], check=True, timeout=120)
        report = Path(tmp) / "report.json"
        result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--python",
                                 f"{tmp}/venv/bin/python", "install", "--quiet", "--dry-run", "--ignore-installed",
                                 "--report", str(report), "-c", "constraints.txt", *requirements()],
                                cwd=ROOT, capture_output=True, text=True, timeout=600)
        return {"returncode": result.returncode, "stderr": result.stderr,
                "report": json.loads(report.read_text()) if report.exists() else None}


@pytest.fixture(scope="module")
def resolutions():
    """Every interpreter's dry run, started together."""
    runnable = {label: python for label, python in INTERPRETERS.items() if version_of(python)}
    with ThreadPoolExecutor(max_workers=len(runnable) or 1) as pool:
        futures = {label: pool.submit(dry_run, python) for label, python in runnable.items()}
        return {label: future.result() for label, future in futures.items()}


def pinned() -> set[str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    return {canonical(line.split("==")[0]) for line in lines if "==" in line and not line.startswith("#")}


@pytest.mark.parametrize("label", [*SUPPORTED, "system"])
def test_the_lock_resolves_on_each_supported_python(label, resolutions):
    if label not in INTERPRETERS:
        pytest.skip(f"no Python {label} on this machine (looked in pyenv and on PATH)")
    python = INTERPRETERS[label]
    version = version_of(python)
    if version is None:
        pytest.skip(f"{python} is not on this machine")
    minor = tuple(int(n) for n in version.split(".")[:2])
    if not tuple(map(int, SUPPORTED[0].split("."))) <= minor <= tuple(map(int, SUPPORTED[-1].split("."))):
        pytest.skip(f"{python} is Python {version}, outside the supported {SUPPORTED[0]}-{SUPPORTED[-1]}")
    result = resolutions[label]
    assert result["returncode"] == 0, f"Python {version} ({python}) cannot install the lock:\n{result['stderr'][-3000:]}"
    installs = {canonical(i["metadata"]["name"]) for i in result["report"]["install"]}
    assert installs - pinned() == set(), f"packages the lock leaves unpinned on Python {version}"
