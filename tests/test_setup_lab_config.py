"""`make lab` starts JupyterLab without the "Would you like to get notified about official Jupyter news?"
pop-up: the Makefile adds the course's own config directory (tools/jupyter_config) to JUPYTER_CONFIG_PATH,
whose labconfig/page_config.json disables the announcements plugin. The student's own Jupyter settings
are neither read differently nor written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"


def make_environment(name: str) -> str:
    return subprocess.run(["make", "-s", "--eval", f"show: ; @echo $${name}", "show"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_make_lab_adds_the_course_config_directory_before_the_students_own():
    assert make_environment("JUPYTER_CONFIG_PATH").split(":")[0] == str(ROOT / "tools" / "jupyter_config")


def test_jupyterlab_reads_the_news_plugin_as_disabled_from_that_directory():
    code = ("from jupyterlab_server.config import get_page_config; "
            "print(get_page_config([]).get('disabledExtensions'))")
    environment = {**os.environ, "JUPYTER_CONFIG_PATH": make_environment("JUPYTER_CONFIG_PATH")}
    printed = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                             check=True).stdout
    assert ANNOUNCEMENTS in printed
