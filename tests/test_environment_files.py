"""pyproject.toml (pip) and environment.yml (conda) must describe the same course."""
import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_RUNTIME = {"jupyterlab", "numpy", "sympy", "matplotlib", "ipywidgets", "nbval"}


def package_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pip_runtime() -> set:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {package_name(r) for r in project["dependencies"]}


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_runtime() -> set:
    names = {package_name(d) for d in conda_environment()["dependencies"] if isinstance(d, str)}
    return names - {"python", "pip"}


def test_pip_and_conda_list_the_same_runtime_packages():
    assert pip_runtime() == conda_runtime()


def test_the_course_runtime_packages_are_all_listed():
    assert REQUIRED_RUNTIME <= pip_runtime()


def test_conda_environment_installs_helpers_editable_with_the_same_constraints():
    pip_section = next(d["pip"] for d in conda_environment()["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
    assert "-c constraints.txt" in pip_section


def test_every_runtime_package_is_pinned_exactly_in_the_lock():
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pinned[package_name(name)] = version.strip()
    for name in pip_runtime():
        assert name in pinned, f"{name} is not pinned in constraints.txt"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert [l for l in ci.splitlines() if l and not l.startswith(("#", "set ", "cd "))] == ["make test"]
