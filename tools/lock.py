"""Write constraints.txt, the lock: one exact version of every package, for every supported Python.

    python tools/lock.py PYTHON [PYTHON ...]      # `make lock` passes $(LOCK_PYTHONS)

Each interpreter resolves the course's packages (`pip install --dry-run --report`, in a fresh venv
with the pip this script pins) against the newest versions the registries serve. Where every
interpreter picks the same version the lock has one plain line (`numpy==2.4.6`); where they differ
(a release that dropped an older Python) each version gets a line with an environment marker
(`numpy==2.2.6; python_full_version < "3.11"`), so one file installs the same way on every Python.
A boundary between two tested interpreters is the newer version's own Requires-Python bound when
that lies between them, else the newer interpreter's minor version (or its patch release, within
one minor). Give one interpreter per band of Pythons that should get its own versions (the Makefile's
LOCK_PYTHONS: Debian 12's 3.11.2 and CI's 3.11); newer Pythons take the newest band's versions.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from itertools import groupby
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
PIP = "26.3"  # the pip every venv is upgraded to before it reads the lock (Debian 12's venv starts at 23.0.1)
EXTRAS = ".[test,site,reference]"  # reference: PyTorch, for the tests only (CPython 3.11)
HEADER = """\
# The lock: exact versions for `make lab`, `make test` and environment.yml. Written by `make lock`
# (tools/lock.py) from the interpreters {pythons}.
# A line with a marker applies only to those Pythons: there the newest release needs a newer Python.
# Re-run `make notebooks` and `make test` after `make lock`: new versions can change printed digits.
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve(python: str) -> tuple[Version, dict[str, tuple[str, str, str]]]:
    """{canonical name: (name, version, requires_python)} that pip would install on `python`."""
    with tempfile.TemporaryDirectory(prefix="lock-venv-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", f"pip=={PIP}"], check=True)
        report = Path(tmp) / "report.json"
        subprocess.run([*pip, "install", "--dry-run", "--ignore-installed", "--report", str(report), "-e", EXTRAS],
                       check=True, cwd=ROOT)
        version = subprocess.run([str(venv / "bin" / "python"), "-c", "import platform; print(platform.python_version())"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        installs = json.loads(report.read_text())["install"]
    packages = {canonical(i["metadata"]["name"]): (i["metadata"]["name"], i["metadata"]["version"],
                                                   i["metadata"].get("requires_python") or "")
                for i in installs if canonical(i["metadata"]["name"]) != "backprop-by-hand"}
    return Version(version), packages


def boundary(older: Version, newer: Version, requires_python: str) -> Version:
    """Where the newer interpreter's pick starts to apply, between two tested interpreters."""
    lows = [Version(s.version) for s in SpecifierSet(requires_python) if s.operator in (">=", ">")]
    inside = [low for low in lows if older < low <= newer]
    if inside:
        return max(inside)
    if (older.major, older.minor) != (newer.major, newer.minor):
        return Version(f"{newer.major}.{newer.minor}")
    return newer


def lock_lines(resolutions: list[tuple[Version, dict[str, tuple[str, str, str]]]]) -> list[str]:
    resolutions = sorted(resolutions, key=lambda r: r[0])
    lines = []
    for key in sorted({k for _, packages in resolutions for k in packages}):
        present = [(python, packages[key]) for python, packages in resolutions if key in packages]
        if len({version for _, (_, version, _) in present}) == 1:
            name, version, _ = present[0][1]
            lines.append(f"{name}=={version}")
            continue
        runs = [list(run) for _, run in groupby(present, key=lambda p: p[1][1])]
        for index, run in enumerate(runs):
            name, version, requires = run[0][1]
            markers = []
            if index > 0:
                markers.append(f'python_full_version >= "{boundary(runs[index - 1][-1][0], run[0][0], requires)}"')
            if index + 1 < len(runs):
                following = runs[index + 1]
                markers.append(f'python_full_version < "{boundary(run[-1][0], following[0][0], following[0][1][2])}"')
            lines.append(f"{name}=={version}; " + " and ".join(markers))
    return lines + [f"pip=={PIP}"]


def main(pythons: list[str]) -> int:
    if not pythons:
        print(__doc__)
        return 2
    resolutions = [resolve(python) for python in pythons]
    tested = ", ".join(str(v) for v in sorted(v for v, _ in resolutions))
    LOCK.write_text(HEADER.format(pythons=tested) + "\n".join(lock_lines(resolutions)) + "\n")
    print(f"constraints.txt written for Python {tested}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
