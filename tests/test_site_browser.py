"""The static course pages in a real browser (Chromium through Playwright), served on 127.0.0.1.

What a student with no network sees: every page complete (text, rendered math, figures), nothing
fetched from another host, the contents and previous/next links reaching every chapter, and each
precomputed slider panel answering its sliders. Screenshots for review go to test-artifacts/site/.
"""
from __future__ import annotations

import base64
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ARTIFACTS, ROOT, SITE

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

pytestmark = pytest.mark.browser

NOTEBOOKS = [build_site.CONTENTS, *build_site.chapters()]
PAGES = [f"{build_site.page_name(path)}.html" for path in NOTEBOOKS]
CHAPTER_PAGES = PAGES[1:]
PANEL_PAGES = [f"{build_site.page_name(path)}.html" for path in NOTEBOOKS
               if build_site.PANEL_MIME_TYPE in path.read_text(encoding="utf-8")]
SHOTS = ARTIFACTS / "site"
RAW_TEX = ["$$", "\\frac", "\\(", "\\["]

# Text a reader sees, without code: code cells may legitimately contain "$$" or "\frac" in strings.
VISIBLE_TEXT = """() => {
  const hide = document.createElement("style");
  hide.textContent = ".cell_input, code, script, style, mjx-container { display: none !important; }";
  document.head.appendChild(hide);
  const text = (document.querySelector("main") || document.body).innerText;
  hide.remove();
  return text;
}"""
WAIT_FOR_MATHJAX_AND_IMAGES = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
      new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
}"""
IMAGE_BYTES = """async img => {
  const buffer = await (await fetch(img.currentSrc)).arrayBuffer();
  let binary = "";
  for (const byte of new Uint8Array(buffer)) { binary += String.fromCharCode(byte); }
  return btoa(binary);
}"""


@dataclass
class Visit:
    """What one page did when it was opened."""
    status: int
    console_errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    math_elements: int = 0
    unrendered_math: list = field(default_factory=list)
    math_errors: int = 0
    text: str = ""
    images: list = field(default_factory=list)


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def opened(context, site_url):
    """Opens a page once and keeps its tab open for the module's other tests (a chapter page takes 1.5-2 s
    to load, mostly Chromium running the theme's and MathJax's scripts). Returns (tab, what it did while
    loading); its first screen is saved as a screenshot. Tests that change a tab (open a box, move a
    slider) leave it as a reader would, and check only what their own actions do."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    tabs = {}

    def open_page(name: str) -> tuple:
        if name in tabs:
            tabs[name][0].bring_to_front()  # a tab in the background gets no animation frames: images swap late
            return tabs[name]
        page = context.new_page()
        record = Visit(status=0)
        page.on("console", lambda m: record.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
        page.on("request", lambda request: record.requests.append(request.url))
        response = page.goto(f"{site_url}/{name}")
        record.status = response.status
        page.evaluate(WAIT_FOR_MATHJAX_AND_IMAGES)
        record.math_elements = page.locator(".math").count()
        record.unrendered_math = page.eval_on_selector_all(
            ".math", "els => els.filter(e => !e.querySelector('mjx-container')).map(e => e.textContent)")
        record.math_errors = page.locator("mjx-merror").count()
        record.text = page.evaluate(VISIBLE_TEXT)
        record.images = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => ({src: i.getAttribute('src'), width: i.naturalWidth}))")
        page.screenshot(path=SHOTS / f"{name.removesuffix('.html')}.png")
        tabs[name] = page, record
        return tabs[name]

    return open_page


@pytest.fixture(scope="module")
def visit(opened):
    """What a page did while it loaded (a Visit), the page opened once per module."""
    return lambda name: opened(name)[1]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_with_200_and_no_console_errors(visit, name):
    record = visit(name)
    assert record.status == 200
    assert record.console_errors == []


@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_127_0_0_1(visit, name):
    requests = visit(name).requests
    assert requests, "the request log is empty: the page was not opened"
    assert [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"] == []


@pytest.mark.parametrize("name", PAGES)
def test_math_is_rendered_by_mathjax_and_no_raw_tex_is_visible(visit, name):
    record = visit(name)
    assert record.unrendered_math == []
    assert record.math_errors == 0, "MathJax could not typeset some TeX (red error boxes on the page)"
    assert [raw for raw in RAW_TEX if raw in record.text] == []


def test_chapters_math_is_typeset_on_the_pages(visit):
    """The chapters have formulas, and MathJax's output elements are present for them."""
    if not CHAPTER_PAGES:
        pytest.skip("no chapter yet")
    assert sum(visit(name).math_elements for name in CHAPTER_PAGES) > 0


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_loaded(visit, name):
    images = visit(name).images
    assert [image["src"] for image in images if image["width"] == 0] == []


def page_of(href: str) -> str:
    return Path(urlsplit(href).path).name


def test_the_contents_page_and_its_sidebar_link_every_chapter_in_order(opened):
    page, _ = opened("index.html")
    article = [page_of(h) for h in page.eval_on_selector_all("article a.reference.internal",
                                                              "links => links.map(a => a.href)")]
    sidebar = [page_of(h) for h in page.eval_on_selector_all(".bd-sidebar-primary nav a.reference.internal",
                                                              "links => links.map(a => a.href)")]
    # The chapter list comes first in the article (the glossary below it links chapters again, by term)
    assert [p for p in dict.fromkeys(article) if p in CHAPTER_PAGES] == CHAPTER_PAGES
    assert [p for p in sidebar if p in CHAPTER_PAGES] == CHAPTER_PAGES


def follow(opened, start: str, selector: str) -> list[str]:
    """The pages reached by following the theme's `selector` button from ``start`` until there is none
    (each page's button read on its open tab; test_a_click_on_the_buttons_goes_where_they_point clicks)."""
    reached = [start]
    while len(reached) <= len(PAGES):
        button = opened(reached[-1])[0].locator(selector)
        if not button.count():
            break
        reached.append(page_of(button.first.evaluate("a => a.href")))
    return reached


def test_next_buttons_walk_from_the_contents_through_every_chapter(opened):
    assert follow(opened, "index.html", "a.right-next") == PAGES


def test_previous_buttons_walk_back_from_the_last_chapter_to_the_contents(opened):
    assert follow(opened, PAGES[-1], "a.left-prev") == PAGES[::-1]


@pytest.mark.parametrize(("start", "selector", "reached"), [(PAGES[0], "a.right-next", PAGES[1]),
                                                            (PAGES[-1], "a.left-prev", PAGES[-2])])
def test_a_click_on_the_buttons_goes_where_they_point(context, site_url, start, selector, reached):
    """A real click on the contents' next button and the last chapter's previous button opens the page
    their links name (the walks above read the links)."""
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{start}")
        with page.expect_navigation():
            page.locator(selector).first.click()
        assert page_of(page.url) == reached
    finally:
        page.close()


@pytest.mark.parametrize("name", CHAPTER_PAGES)
def test_each_chapter_navigation_line_links_previous_contents_and_next(opened, name):
    first_paragraph_links = opened(name)[0].eval_on_selector(
        "article p", "p => Array.from(p.querySelectorAll('a')).map(a => a.href)")
    i = CHAPTER_PAGES.index(name)
    expected = CHAPTER_PAGES[max(i - 1, 0):i] + ["index.html"] + CHAPTER_PAGES[i + 1:i + 2]
    assert [page_of(h) for h in first_paragraph_links] == expected


# The pages with folded boxes: an optional derivation (<details> in a chapter's text) or an exercise's solution.
def cell_sources(path: Path) -> str:
    return "\n".join("".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])


DETAILS_PAGES = [f"{build_site.page_name(path)}.html" for path in NOTEBOOKS
                 if "<details" in (text := cell_sources(path)) or build_site.EXERCISE_CHECK.search(text)]
BOX_STYLE = """box => {
  const own = getComputedStyle(box), summary = getComputedStyle(box.querySelector(":scope > summary"));
  return {border: ["Top", "Right", "Bottom", "Left"].map(side =>
            [own["border" + side + "Style"], parseFloat(own["border" + side + "Width"])]),
          padding: parseFloat(own.paddingLeft), background: own.backgroundColor,
          page: getComputedStyle(document.body).backgroundColor,
          cursor: summary.cursor, display: summary.display, weight: Number(summary.fontWeight)};
}"""


@pytest.mark.parametrize("name", DETAILS_PAGES)
def test_each_folded_box_is_framed_and_its_summary_reads_as_clickable(opened, name):
    """A <details> box the course writes (not MyST-NB's cell toggles, details.hide) stands apart from the text (a border
    on every side, padding, its own background) and its summary reads as a control (the open/closed triangle, a
    pointer, bold); a click on it opens the box.
    Screenshots of the page's first derivation (else its first solution), closed and open, go to details/."""
    page, _ = opened(name)
    (SHOTS / "details").mkdir(parents=True, exist_ok=True)
    boxes = page.locator("main details:not(.hide)")
    assert boxes.count() > 0
    for i in range(boxes.count()):
        style = boxes.nth(i).evaluate(BOX_STYLE)
        assert all(kind != "none" and width >= 1 for kind, width in style["border"]), style
        assert style["padding"] > 0 and style["background"] != style["page"], style
        assert (style["cursor"], style["display"]) == ("pointer", "list-item") and style["weight"] >= 600, style
    derivations = page.locator("main details:not(.hide):not(.solution)")
    box = derivations.first if derivations.count() else boxes.first
    box.scroll_into_view_if_needed()
    shot = SHOTS / "details" / name.removesuffix(".html")
    box.screenshot(path=f"{shot}-closed.png")
    assert not box.evaluate("box => box.open")
    box.locator(":scope > summary").click()
    assert box.evaluate("box => box.open")
    box.screenshot(path=f"{shot}-open.png")


def panel_entries(page_name: str) -> list[dict]:
    entries = json.loads((SITE / build_site.PANELS_URL / "manifest.json").read_text(encoding="utf-8"))
    return [e for e in entries if e["page"] == page_name]


def shown_value(control) -> str:
    """What a control shows: the readout beside a range slider, or the chosen option of a select."""
    return control.evaluate("c => c.tagName === 'SELECT' ? c.selectedOptions[0].textContent "
                            ": c.nextElementSibling.textContent")


def names_value(label: str, value) -> bool:
    """A range slider's readout names the grid value it stands for (options show their own labels)."""
    try:
        return math.isclose(float(label), value, rel_tol=1e-5, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


@pytest.mark.parametrize("name", PANEL_PAGES)
def test_each_panel_swaps_to_the_grid_image_as_each_slider_moves(opened, name):
    entries = panel_entries(name)
    page, _ = opened(name)
    errors = []
    listener = lambda m: errors.append(m.text) if m.type == "error" else None  # noqa: E731
    page.on("console", listener)
    (SHOTS / "panels").mkdir(parents=True, exist_ok=True)
    try:
        panels = page.locator("figure.bbh-panel")
        assert panels.count() == len(entries)
        for number, entry in enumerate(entries, start=1):
            panel = panels.nth(number - 1)
            panel.scroll_into_view_if_needed()
            config = json.loads(panel.get_attribute("data-panel"))
            image = panel.locator("img.bbh-panel-image")
            shot = SHOTS / "panels" / f"{name.removesuffix('.html')}-{number}"
            panel.screenshot(path=f"{shot}.png")
            controls = panel.locator("[data-slider]")
            assert controls.count() == len(entry["grid"])
            aliased = []   # settings reached that share another's image file (sliders the panel ignores there)
            for i, (slider, values) in enumerate(entry["grid"].items()):
                control = controls.nth(i)
                before = page.evaluate(IMAGE_BYTES, image.element_handle())
                position = int(control.input_value())
                if len(values) < 2:
                    continue  # a single grid value: nothing to move
                if control.evaluate("c => c.tagName") == "SELECT":
                    control.select_option(str(position - 1 if position + 1 == len(values) else position + 1))
                else:
                    control.focus()
                    control.press("ArrowLeft" if position + 1 == len(values) else "ArrowRight")
                indices = [int(controls.nth(k).input_value()) for k in range(controls.count())]
                key = "-".join(map(str, indices))
                file = entry["alias"].get(key, key)   # a setting that draws another's picture shows its file
                aliased += [key] if file != key else []
                assert indices[i] != position, f"{slider} did not move"
                page.wait_for_function("([img, src]) => img.complete && img.naturalWidth > 0 && img.src.endsWith(src)",
                                       arg=[image.element_handle(), f"{entry['url']}/{file}.png"])
                shown = base64.b64decode(page.evaluate(IMAGE_BYTES, image.element_handle()))
                changed = shown != base64.b64decode(before)
                # Unchanged only where the two settings share a picture (β1 under RMSProp, which does
                # not use it); the check below says it is the right one.
                previous = "-".join(map(str, indices[:i] + [position] + indices[i + 1:]))
                assert changed or entry["alias"].get(previous, previous) == file, f"moving {slider} left the figure unchanged"
                is_grid_entry = shown == (SITE / entry["url"] / f"{file}.png").read_bytes()
                assert is_grid_entry, f"the image shown is not the grid entry {key} (file {file}) for {slider}"
                for k, (other, other_values) in enumerate(entry["grid"].items()):
                    shown_label = shown_value(controls.nth(k))
                    assert shown_label == config["sliders"][k]["labels"][indices[k]], other
                    if controls.nth(k).evaluate("c => c.tagName") == "INPUT":
                        assert names_value(shown_label, other_values[indices[k]]), (other, shown_label)
                assert panel.locator(".bbh-status").inner_text() == config["status"].get(file, "")
                if panel.locator(".bbh-readout").count():  # the panel's numbers follow the controls too
                    assert panel.locator(".bbh-readout").text_content() == config["readout"].get(file, "")
            # the Adam panel's first move (Adam → RMSProp at β1 = 0.9) reaches a setting that shares a file
            assert aliased or not entry["alias"] or entry["factory"] != "adam-network-optimizers"
            panel.screenshot(path=f"{shot}-moved.png")
    finally:
        page.remove_listener("console", listener)
    assert errors == []
