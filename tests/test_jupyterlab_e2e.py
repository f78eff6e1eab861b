"""A student's session, for real: `make lab` starts JupyterLab, Chromium opens a chapter, runs
every cell and drags a slider; the figure must change and no error may appear.

The browser is Debian's Chromium driven by Playwright (the `browser` fixture in conftest.py:
`make test` installs Chromium first, so this runs on CI, where a missing Chromium fails the test;
elsewhere it skips with the reason). Screenshots and the measured timings go to
test-artifacts/jupyterlab/ (git-ignored).
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "jupyterlab"
# The chapters a student opens, and the slider each test drags (the label the slider shows).
ADAM_CHAPTER = ("07_adam_on_the_network.ipynb", "β1")
FIRST_CHAPTER = ("01_one_sample_one_step.ipynb", "η (lr)")



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Lab:
    """A JupyterLab server started by the README's command, with a token made by the test."""

    def __init__(self):
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.started = time.perf_counter()
        lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={self.port} "
                    f"--IdentityProvider.token={self.token}")
        self.log = open(ARTIFACTS / "server.log", "w")
        # Its own process group, so teardown stops make, jupyter and the kernels together.
        self.process = subprocess.Popen(["make", "lab", f"LAB_ARGS={lab_args}"], cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`make lab` exited with {self.process.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        else:
            raise RuntimeError("JupyterLab did not answer within 180 s")
        self.seconds_to_answer = time.perf_counter() - self.started

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture(scope="module")
def lab():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    server = Lab()
    try:
        yield server
    finally:
        server.stop()
        assert not port_is_open(server.port), f"port {server.port} still open after teardown"


def open_and_run_all(browser, lab, notebook: str):
    """Open a chapter as a student would, wait for its kernel, run every cell; returns (page, timings)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    started = time.perf_counter()
    # ?reset: a fresh workspace, so the chapter opened by an earlier test is not restored beside it
    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")
    page.wait_for_function("document.body.innerText.includes('| Idle')", timeout=120_000)
    interactive = time.perf_counter() - started
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_selector(".jp-InputPrompt:has-text('[*]')", state="attached", timeout=30_000)
    wait_until_kernel_rests(page)
    ran_all = time.perf_counter() - started
    return page, console_errors, {"open_to_kernel_idle_s": interactive, "open_to_all_cells_run_s": ran_all}


def wait_until_kernel_rests(page, quiet_seconds: float = 3.0, timeout_seconds: float = 300.0) -> None:
    """Wait until the kernel has been idle for ``quiet_seconds`` in a row.

    (A windowed notebook does not render far-away cells, so "[*]" prompts cannot be counted;
    between two queued cells the kernel is idle only for an instant.)
    """
    deadline = time.monotonic() + timeout_seconds
    idle_since = None
    while time.monotonic() < deadline:
        idle = page.evaluate("document.querySelector('.jp-StatusBar-Widget') !== null && "
                             "document.body.innerText.includes('| Idle')")
        if idle:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= quiet_seconds:
                return
        else:
            idle_since = None
        page.wait_for_timeout(100)
    raise TimeoutError(f"the kernel was still busy after {timeout_seconds} s")


def error_outputs(page) -> list[str]:
    texts = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    return [t for t in texts if "Error" in t or "Traceback" in t]


def slider_and_image(page, label: str):
    """The slider whose label reads ``label``, and the image of the panel that holds it.

    JupyterLab renders only the cells near the view (a windowed notebook), so scroll the
    notebook down, a screen at a time, until the slider exists, as a student would.
    """
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    labelled_slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text=label))
    slider = notebook.locator(".widget-slider", has=page.locator(".widget-label", has_text=label)).first
    scroller = notebook.locator(".jp-WindowedPanel-outer").first
    scroller.evaluate("el => el.scrollTo(0, 0)")
    for _ in range(300):
        if slider.count():
            break
        scroller.evaluate("el => el.scrollBy(0, el.clientHeight * 0.7)")
        page.wait_for_timeout(150)
    panel = notebook.locator(".jp-OutputArea-output", has=labelled_slider).first
    return slider, panel.locator(".widget-image").first


def drag(page, slider, pixels: int) -> None:
    handle = slider.locator(".noUi-handle").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + pixels, y, steps=2)
    page.mouse.up()


def wait_for_new_image(page, image, old_src: str, timeout_ms: int = 30_000) -> float:
    started = time.perf_counter()
    image.evaluate("(img, old) => new Promise((resolve, reject) => {"
                   "  const t0 = performance.now();"
                   "  const tick = () => img.src !== old ? resolve()"
                   f"    : performance.now() - t0 > {timeout_ms} ? reject(new Error('image did not change'))"
                   "    : requestAnimationFrame(tick);"
                   "  tick(); })", old_src)
    return time.perf_counter() - started


def student_moves_slider(browser, lab, notebook: str, label: str, name: str, drags: int = 0) -> dict:
    page, console_errors, timings = open_and_run_all(browser, lab, notebook)
    slider, image = slider_and_image(page, label)
    slider.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}-before.png"))
    assert error_outputs(page) == [], "a cell printed an error"
    before = image.get_attribute("src")
    drag(page, slider, 40)
    wait_for_new_image(page, image, before)
    assert image.get_attribute("src") != before
    assert image.evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(ARTIFACTS / f"{name}-after.png"))
    response_times = []
    for index in range(drags):
        src = image.get_attribute("src")
        started = time.perf_counter()
        drag(page, slider, -25 if index % 2 else 25)
        wait_for_new_image(page, image, src)
        response_times.append(time.perf_counter() - started)
    assert error_outputs(page) == [], "moving the slider printed an error"
    page.close()
    timings.update(console_errors=len(console_errors))
    if response_times:
        timings.update(drag_to_new_image_median_ms=1000 * statistics.median(response_times),
                       drag_to_new_image_max_ms=1000 * max(response_times), drags=len(response_times))
    return timings


def record(name: str, timings: dict) -> None:
    path = ARTIFACTS / "timings.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = timings
    path.write_text(json.dumps(data, indent=2))


def test_a_request_without_the_token_gets_no_notebook(lab):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for path, allowed in [(f"/api/contents/{FIRST_CHAPTER[0]}", {403}), (f"/files/{FIRST_CHAPTER[0]}", {302, 403}),
                          (f"/lab/tree/{FIRST_CHAPTER[0]}", {302, 403})]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"{lab.url}{path}", timeout=10)
        assert refused.value.code in allowed, path
        if refused.value.code == 302:
            assert "/login" in refused.value.headers["Location"]
    with urllib.request.urlopen(f"{lab.url}/api/contents/{FIRST_CHAPTER[0]}?token={lab.token}", timeout=10) as ok:
        assert ok.status == 200 and b'"cells"' in ok.read()


def test_adam_chapter_runs_and_the_beta1_slider_redraws_the_figure(lab, browser):
    record("adam_chapter", student_moves_slider(browser, lab, *ADAM_CHAPTER, name="adam-beta1", drags=20))


def test_first_chapter_runs_and_the_learning_rate_slider_redraws_the_figure(lab, browser):
    timings = student_moves_slider(browser, lab, *FIRST_CHAPTER, name="first-chapter-lr", drags=20)
    # From typing the lab command to the first chapter's kernel being ready for the student.
    timings["lab_command_to_first_chapter_interactive_s"] = lab.seconds_to_answer + timings["open_to_kernel_idle_s"]
    record("first_chapter", timings)


def test_lab_command_adds_allow_root_only_for_root():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert ("--allow-root" in dry_run) == (os.geteuid() == 0)
    assert "--IdentityProvider.token=" not in dry_run and "--ServerApp.token=''" not in dry_run
