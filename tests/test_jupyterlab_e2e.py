"""A student's session, for real: `make lab` starts JupyterLab, Chromium opens a chapter, runs
every cell and drags a slider; the figure must change and no error may appear.

The browser is Debian's Chromium driven by Playwright (the `browser` fixture in conftest.py:
`make test` installs Chromium first, so this runs on CI, where a missing Chromium fails the test;
elsewhere it skips with the reason). Screenshots and the measured timings go to
test-artifacts/jupyterlab/ (git-ignored).

The slider latency a student feels is measured in the page (issue 18): an arrow key on a slider's handle →
the panel's new image decoded, with ``performance.now()`` (``input_to_image_median_ms`` in timings.json),
split into where the time goes: the page (key → comm message sent; image message received → <img> src set
→ decoded, timed on the kernel's websocket), the kernel (timed by a probe the test installs in the kernel
through jupyter_client: waiting for the panel's redraw, the chapter's update, drawing, PNG encoding) and the
round trip between them (server and websockets: the rest).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import jupyter_client
import pytest
from jupyter_core.paths import jupyter_runtime_dir

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.latency]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "jupyterlab"
# The chapters a student opens, and the slider each test drags (the label the slider shows).
ADAM_CHAPTER = ("07_adam_on_the_network.ipynb", "β1")
FIRST_CHAPTER = ("01_one_sample_one_step.ipynb", "η (lr)")
# The sliders timed with arrow keys: the slider's whole label, its panel's factory name and its keyword there.
FIRST_CHAPTER_LR_KEYS = ("η (lr)", "linear-one-sample-learning-rate", "lr")
ADAM_CHAPTER_LR_KEYS = ("η", "adam-network-optimizers", "lr")
KEY_PRESSES = 12  # each way: right through new values, then left back through the ones just seen

# Installed in the page before JupyterLab loads: the time each kernel-websocket message is sent or received
# (whether it is a comm message, and its size: the panel's image is the one big message back).
SOCKET_CLOCK = """
(() => {
  const Native = window.WebSocket;
  window.__socketLog = [];
  const size = data => typeof data === 'string' ? data.length : (data.byteLength ?? data.size ?? 0);
  const isComm = data => {
    if (typeof data === 'string') return data.slice(0, 4096).includes('comm_msg');
    const view = data instanceof ArrayBuffer ? new Uint8Array(data, 0, Math.min(data.byteLength, 4096))
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, Math.min(data.byteLength, 4096))
      : null;
    return view !== null && new TextDecoder().decode(view).includes('comm_msg');
  };
  const note = (way, data) => window.__socketLogging &&
    window.__socketLog.push({t: performance.now(), way, size: size(data), comm: isComm(data)});
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => note('in', event.data));
    }
    send(data) {
      note('out', data);
      return super.send(data);
    }
  };
})();
"""

# Waits (in the page) for the next change of the image's src after a key goes down, then for the image to be
# decoded; window.__keyPress resolves to the page's clock at each step and the websocket messages in between.
ARM_KEY_PRESS = """img => {
  const old = img.src, marks = {};
  window.__socketLog.length = 0;
  window.__socketLogging = true;
  document.addEventListener('keydown', () => { marks.key = performance.now(); }, {capture: true, once: true});
  window.__keyPress = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('image did not change within 30 s of the key')), 30000);
    const observer = new MutationObserver(() => {
      if (img.src === old || marks.src !== undefined) return;
      marks.src = performance.now();
      observer.disconnect();
      img.decode().then(() => {
        marks.decoded = performance.now();
        clearTimeout(timer);
        window.__socketLogging = false;
        resolve({...marks, socket: window.__socketLog.slice(), width: img.naturalWidth});
      }, reject);
    });
    observer.observe(img, {attributes: true, attributeFilter: ['src']});
  });
}"""

# Run in the chapter's kernel: times each step of the panel's answer to a slider in __latency_log as
# (step, perf_counter, process_time) in seconds, without changing what the panel does: stamps around the
# panel's own callables. (CPU time tells the work from the waiting for a core on a loaded machine.)
KERNEL_PROBE = """
import time as _time
from helpers import widgets as _widgets

def _install_latency_probe(factory, slider):
    panel = next(p for (name, _), p in _widgets._SHOWN.items() if name == factory)
    log = []

    def stamp(what):
        log.append((what, _time.perf_counter(), _time.process_time()))

    def timed(name, function):
        def call(*args, **kwargs):
            stamp(name + "_start")
            try:
                return function(*args, **kwargs)
            finally:
                stamp(name + "_end")
        return call

    state_from_page = panel.sliders[slider].set_state  # what the slider's comm message calls first

    def arrived(state):
        stamp("value_arrived")
        return state_from_page(state)

    panel.sliders[slider].set_state = arrived
    panel.image.observe(lambda change: stamp("image_sent"), names="value")  # ipywidgets sent it just before
    panel.refresh = timed("refresh", panel.refresh)
    panel.update_function = timed("compute", panel.update_function)
    if panel.frames is not None:
        panel.frames.draw = timed("draw", panel.frames.draw)
    panel.figure.canvas.draw = timed("draw", panel.figure.canvas.draw)
    for encoder in ("encode_png", "figure_to_png"):
        if hasattr(_widgets, encoder):
            setattr(_widgets, encoder, timed("encode", getattr(_widgets, encoder)))
    return log
"""



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
    page.add_init_script(SOCKET_CLOCK)
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


def show_in_middle(page, slider) -> None:
    """Scroll the notebook until ``slider`` stands in the middle third of its view, as a student does before
    using it. (Playwright's scroll_into_view_if_needed stops once a sliver shows, and a handle 7 px from the
    window's bottom edge takes no drag; the windowed notebook may move a first scroll back as the cells around
    render, so scroll, wait and look again.)"""
    for _ in range(20):
        off_middle = slider.evaluate("""el => {
          const notebook = el.closest('.jp-WindowedPanel-outer');
          const box = el.getBoundingClientRect(), view = notebook.getBoundingClientRect();
          const off = box.top + box.height / 2 - (view.top + view.height / 2);
          if (Math.abs(off) > view.height / 6) notebook.scrollBy(0, off);
          return Math.abs(off) > view.height / 6;
        }""")
        if not off_middle:
            return
        page.wait_for_timeout(150)
    raise AssertionError("the slider could not be scrolled into the middle of the notebook's view")


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


def kernel_client(lab, notebook: str) -> jupyter_client.BlockingKernelClient:
    """A second client of the chapter's kernel (the page is the first), from the server's connection file."""
    with urllib.request.urlopen(f"{lab.url}/api/sessions?token={lab.token}", timeout=10) as response:
        sessions = json.load(response)
    kernel_id = next(session["kernel"]["id"] for session in sessions if session["path"].endswith(notebook))
    client = jupyter_client.BlockingKernelClient(
        connection_file=str(Path(jupyter_runtime_dir()) / f"kernel-{kernel_id}.json"))
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return client


def run_in_kernel(client, code: str) -> str:
    """Run ``code`` in the kernel; returns what it printed."""
    printed = []
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda message: message["msg_type"] == "stream"
                                       and printed.append(message["content"]["text"]))
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed)


def kernel_steps(log: list) -> list[dict]:
    """The probe's stamps cut into one answer per slider value: milliseconds from the value's arrival to the
    redraw starting (wait), in the chapter's update (compute), drawing, PNG encoding, the rest (status line,
    checks, sending) and in all, to the image sent; wall-clock time and, as ``..._cpu``, the kernel's CPU time."""
    answers, current = [], None
    for what, *clocks in log:
        if what == "value_arrived":
            current = {"value_arrived": clocks}
            answers.append(current)
        elif current is not None:
            current.setdefault(what, clocks)  # the first of each stamp: one redraw per value
            if what.endswith("_end"):
                current[what] = clocks  # the last end: an outer span holds the inner ones
    steps = []
    for answer in (answer for answer in answers if "image_sent" in answer):
        step = {}
        for clock, suffix in ((0, ""), (1, "_cpu")):
            def ms(start: str, end: str) -> float:
                return 1000 * (answer[end][clock] - answer[start][clock]) if start in answer else 0.0
            span = {name: ms(f"{name}_start", f"{name}_end") for name in ("compute", "draw", "encode")}
            if "draw_start" in answer and "encode_start" in answer and answer["encode_start"] <= answer["draw_start"]:
                span["encode"] -= span["draw"]  # figure_to_png draws inside the encoder
            total = ms("value_arrived", "image_sent")
            wait = ms("value_arrived", "refresh_start")
            step.update({f"kernel_total{suffix}": total, f"kernel_wait_before_redraw{suffix}": wait,
                         f"kernel_compute{suffix}": span["compute"], f"kernel_draw{suffix}": span["draw"],
                         f"kernel_png_encode{suffix}": span["encode"],
                         f"kernel_other{suffix}": total - wait - sum(span.values())})
        steps.append(step)
    return steps


def press_split(press: dict, kernel: dict | None) -> dict:
    """One key press's latency cut into where the time went, in milliseconds (page clock and kernel probe)."""
    sent = next(m["t"] for m in press["socket"] if m["way"] == "out" and m["comm"] and m["t"] >= press["key"])
    image_message = max((m for m in press["socket"] if m["way"] == "in" and m["t"] <= press["src"]),
                        key=lambda m: m["size"])
    split = {"input_to_image": press["decoded"] - press["key"], "key_to_message_sent": sent - press["key"],
             "message_to_image_message_back": image_message["t"] - sent,
             "image_message_to_img_src": press["src"] - image_message["t"], "img_decode": press["decoded"] - press["src"],
             "image_bytes": image_message["size"],
             "messages_back": sum(m["way"] == "in" and sent <= m["t"] <= press["src"] for m in press["socket"])}
    if kernel is not None:
        split.update(kernel, round_trip_outside_kernel=split["message_to_image_message_back"] - kernel["kernel_total"])
    return split


def student_presses_arrow_keys(page, lab, notebook: str, label: str, factory: str, keyword: str,
                               presses: int = KEY_PRESSES) -> dict:
    """Focus the slider's handle and press → ``presses`` times (new values), then ← as often (values seen
    before), each once the last answer is on screen; the page times key → new image decoded, the kernel's
    probe times the panel. Returns the medians (ms) of the whole and of each part, and the load average."""
    slider, image = slider_and_image(page, re.compile(f"^{re.escape(label)}$"))
    show_in_middle(page, slider)
    handle = slider.locator(".noUi-handle").first
    client = kernel_client(lab, notebook)
    try:
        run_in_kernel(client, KERNEL_PROBE + f"__latency_log = _install_latency_probe({factory!r}, {keyword!r})")
        pressed = []
        for index in range(2 * presses):
            handle.focus()
            image.evaluate(ARM_KEY_PRESS)
            page.keyboard.press("ArrowRight" if index < presses else "ArrowLeft")
            pressed.append(page.evaluate("window.__keyPress"))
            assert pressed[-1]["width"] > 0, "the new image did not decode"
            page.wait_for_timeout(100)  # a student's next key comes a moment later (past the 30 ms debounce)
        kernel = kernel_steps(json.loads(run_in_kernel(client, "import json; print(json.dumps(__latency_log))")))
    finally:
        client.stop_channels()
    splits = [press_split(press, kernel[index] if len(kernel) == len(pressed) else None)
              for index, press in enumerate(pressed)]
    totals = [split["input_to_image"] for split in splits]
    return {"input_to_image_median_ms": statistics.median(totals), "input_to_image_max_ms": max(totals),
            "input_to_image_new_values_median_ms": statistics.median(totals[:presses]),
            "input_to_image_seen_values_median_ms": statistics.median(totals[presses:]),
            "key_presses": len(totals), "kernel_answers_probed": len(kernel),
            "split_median_ms": {part: statistics.median(split[part] for split in splits) for part in splits[0]},
            "load_average_1_5_15_min": os.getloadavg()}


def student_moves_slider(browser, lab, notebook: str, label: str, name: str, drags: int = 0,
                         arrow_keys: tuple | None = None) -> dict:
    """Run the chapter, drag the slider labelled ``label`` (then ``drags`` more times, timed), and when
    ``arrow_keys`` = (label, panel factory, slider keyword) is given, time arrow keys on that slider."""
    page, console_errors, timings = open_and_run_all(browser, lab, notebook)
    slider, image = slider_and_image(page, label)
    show_in_middle(page, slider)
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
    if arrow_keys is not None:
        timings["arrow_keys"] = student_presses_arrow_keys(page, lab, notebook, *arrow_keys)
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
    timings = student_moves_slider(browser, lab, *ADAM_CHAPTER, name="adam-beta1", drags=8,
                                   arrow_keys=ADAM_CHAPTER_LR_KEYS)
    record("adam_chapter", timings)
    assert timings["arrow_keys"]["input_to_image_median_ms"] > 0


def test_first_chapter_runs_and_the_learning_rate_slider_redraws_the_figure(lab, browser):
    timings = student_moves_slider(browser, lab, *FIRST_CHAPTER, name="first-chapter-lr", drags=8,
                                   arrow_keys=FIRST_CHAPTER_LR_KEYS)
    # From typing the lab command to the first chapter's kernel being ready for the student.
    timings["lab_command_to_first_chapter_interactive_s"] = lab.seconds_to_answer + timings["open_to_kernel_idle_s"]
    record("first_chapter", timings)
    assert timings["arrow_keys"]["input_to_image_median_ms"] > 0


def test_lab_command_adds_allow_root_only_for_root():
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert ("--allow-root" in dry_run) == (os.geteuid() == 0)
    assert "--IdentityProvider.token=" not in dry_run and "--ServerApp.token=''" not in dry_run
