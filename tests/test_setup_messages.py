"""When the machine lacks something, the set-up says what in one line, before it builds anything: a
Python outside the supported range (naming the version found and the range), no such Python at all,
a Python whose venv module cannot install pip (Debian and Ubuntu ship ensurepip as python3.X-venv),
no npm for the static pages. And a new venv's pip is upgraded to the lock's before the lock is read.

Each case stops before a venv or node_modules is made, so the whole file takes a few seconds."""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = (ROOT / "Makefile").read_text()
LOW, HIGH = (re.search(rf"^PYTHON_{bound} := (\S+)$", MAKEFILE, flags=re.M).group(1) for bound in ("MIN", "MAX"))


# `make test` runs pytest inside make: a nested make would print "make[1]: Entering directory ..." first.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def make_venv(tmp_path: Path, python: str, *extra: str) -> tuple[int, str]:
    venv = tmp_path / "venv"
    result = subprocess.run(["make", "--no-print-directory", f"{venv}/.installed-stamp", f"VENV={venv}",
                             f"PYTHON={python}", *extra],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env=CLEAN_ENV)
    assert not venv.exists(), "the check must come before the venv is made"
    return result.returncode, (result.stdout + result.stderr).strip().splitlines()[0]


def test_the_supported_range_is_the_one_the_readme_and_pyproject_name():
    assert (LOW, HIGH) == ("3.11", "3.13")
    assert f'requires-python = ">={LOW}"' in (ROOT / "pyproject.toml").read_text()
    assert f"Python {LOW} to {HIGH}" in (ROOT / "README.md").read_text()


def test_a_python_older_than_the_range_is_named_with_the_range(tmp_path):
    older = [p for p in sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.*/bin/python")))
             if re.search(r"/3\.(\d+)\.", p) and int(re.search(r"/3\.(\d+)\.", p).group(1)) < int(LOW.split(".")[1])]
    if not older:
        pytest.skip(f"no Python older than {LOW} on this machine")
    version = re.search(r"versions/([\d.]+)/", older[-1]).group(1)
    code, line = make_venv(tmp_path, older[-1])
    assert code != 0
    assert line.startswith(f"Backprop by Hand needs Python {LOW} to {HIGH}; {older[-1]} is Python {version}.")


def test_a_python_newer_than_the_range_is_named_with_the_range(tmp_path):
    # No Python 3.14 here: the same check, with the range's top lowered below the running Python.
    found = "%d.%d.%d" % sys.version_info[:3]
    below = "%d.%d" % (sys.version_info[0], sys.version_info[1] - 1)
    code, line = make_venv(tmp_path, sys.executable, "PYTHON_MIN=3.0", f"PYTHON_MAX={below}")
    assert code != 0
    assert line.startswith(f"Backprop by Hand needs Python 3.0 to {below}; {sys.executable} is Python {found}.")


def test_a_python_that_is_not_installed_is_named(tmp_path):
    code, line = make_venv(tmp_path, "python3.99")
    assert code != 0 and line == f"No 'python3.99' found: install Python {LOW} to {HIGH} and name it, e.g. make lab PYTHON=python3.12"


def test_a_python_without_ensurepip_names_the_venv_package(tmp_path):
    # What Debian and Ubuntu do without python3.X-venv: the interpreter runs, `import ensurepip` fails.
    (tmp_path / "ensurepip.py").write_text("raise ImportError('ensurepip is not installed')\n")
    python = tmp_path / "python3"
    python.write_text(f"#!/bin/sh\nPYTHONPATH={tmp_path} exec {sys.executable} \"$@\"\n")
    python.chmod(0o755)
    minor = "%d.%d" % sys.version_info[:2]
    code, line = make_venv(tmp_path, str(python))
    assert code != 0
    assert line == (f"{python} cannot make a virtual environment without ensurepip: install the package "
                    f"python{minor}-venv (Debian/Ubuntu: sudo apt install python{minor}-venv)")


def test_make_site_without_npm_says_what_to_install(tmp_path):
    result = subprocess.run(["/usr/bin/make", "--no-print-directory", "-W", "package.json",
                             "node_modules/.installed-stamp"], cwd=ROOT,
                            capture_output=True, text=True, env={**CLEAN_ENV, "PATH": str(tmp_path)}, timeout=60)
    assert result.returncode != 0
    assert result.stdout.splitlines()[0] == ("make site needs Node.js with npm (for MathJax): install it "
                                             "(Debian/Ubuntu: sudo apt install npm; others: https://nodejs.org)")


def test_a_new_venv_gets_the_locks_pip_before_it_reads_the_lock(tmp_path):
    commands = subprocess.run(["make", "-n", f"{tmp_path}/v/.installed-stamp", f"VENV={tmp_path}/v"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.splitlines()
    installs = [c for c in commands if "pip install" in c]
    assert installs[0].endswith("-c constraints.txt pip") and installs[1].endswith('-c constraints.txt -e ".[test,site]"')
    assert re.search(r"^pip==\d", (ROOT / "constraints.txt").read_text(), flags=re.M)
