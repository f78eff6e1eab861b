"""The static course pages (build/site/, `make site`): complete, offline, and faithful to the notebooks.

These tests read the built files; tests/test_site_browser.py checks the same pages in Chromium.
The expected pages and panels come from notebooks/, so a site built before a chapter changed fails.
"""
from __future__ import annotations

import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

SITE = build_site.SITE
NOTEBOOKS = [build_site.CONTENTS, *build_site.chapters()]
PAGES = [f"{build_site.page_name(path)}.html" for path in NOTEBOOKS]
MB = 1024 * 1024

# Hyperlinks in the prose that may point to another host (a reader follows them; the browser never
# fetches them on its own). Everything the pages load must come from the site itself.
ALLOWED_LINKS: set[str] = set()


def built_site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("build/site/ is missing: run `make site` (`make test` builds it before the tests)")
    return SITE


def manifest() -> list[dict]:
    return json.loads((built_site() / build_site.PANELS_URL / "manifest.json").read_text(encoding="utf-8"))


def stored_panel_outputs() -> list[tuple[str, dict]]:
    """(notebook name, output data) of every widget output stored in the notebooks."""
    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if build_site.WIDGET_VIEW_MIME_TYPE in data or build_site.PANEL_MIME_TYPE in data:
                    found.append((path.name, data))
    return found


class _References(HTMLParser):
    """Every URL a page refers to: what the browser loads by itself, and the hyperlinks."""

    LOADED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
              ("iframe", "src"), ("embed", "src"), ("object", "data"), ("video", "src"), ("audio", "src"),
              ("video", "poster"), ("track", "src"), ("input", "src")}

    def __init__(self):
        super().__init__()
        self.loaded, self.links, self.styles = [], [], []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value is None:
                continue
            if (tag, name) in self.LOADED:
                self.loaded += [part.split()[0] for part in value.split(",") if part.strip()] if "srcset" in name else [value]
            elif name == "style":
                self.styles.append(value)
        if tag == "link" and attrs.get("href"):
            # stylesheets, icons, preloads, fonts are fetched; rel=prev/next/index/search are links
            rel = set((attrs.get("rel") or "").lower().split())
            fetched = rel & {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "prefetch", "manifest",
                             "apple-touch-icon", "dns-prefetch", "preconnect"}
            (self.loaded if fetched else self.links).append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def is_off_host(url: str) -> bool:
    """True for a URL that names another host (scheme://host or //host); data: URIs stay on the page."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "mailto", "javascript")


def css_urls(text: str) -> list[str]:
    return re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", text) + re.findall(r"""@import\s+['"]([^'"]+)['"]""", text)


def test_every_notebook_has_a_page_and_the_site_has_no_other_chapters():
    site = built_site()
    assert [p for p in PAGES if not (site / p).exists()] == [], "rebuild the site: make site"
    built = {p.name for p in site.glob("[0-9][0-9]_*.html")}
    assert built == {p for p in PAGES if p != "index.html"}


def test_pages_and_stylesheets_load_nothing_from_another_host():
    site = built_site()
    offenders, outside_links = [], []
    for page in sorted(site.rglob("*.html")):
        parser = _References()
        parser.feed(page.read_text(encoding="utf-8"))
        loaded = parser.loaded + [u for style in parser.styles for u in css_urls(style)]
        offenders += [f"{page.relative_to(site)}: {u}" for u in loaded if is_off_host(u)]
        outside_links += [f"{page.relative_to(site)}: {u}" for u in parser.links
                          if is_off_host(u) and u not in ALLOWED_LINKS and not u.startswith("mailto:")]
    for stylesheet in sorted(site.rglob("*.css")):
        offenders += [f"{stylesheet.relative_to(site)}: {u}" for u in css_urls(stylesheet.read_text(encoding="utf-8"))
                      if is_off_host(u)]
    assert offenders == []
    assert outside_links == [], "a new outside hyperlink in the prose? list it in ALLOWED_LINKS"


def test_the_reference_checker_sees_cdn_scripts_fonts_and_css_urls():
    parser = _References()
    parser.feed('<script src="https://cdn.example/mathjax.js"></script><link rel="stylesheet" href="//fonts.example/a.css">'
                '<img srcset="a.png 1x, https://img.example/b.png 2x"><a href="https://example.org/paper">paper</a>'
                '<div style="background: url(https://img.example/bg.png)"></div><link rel="next" href="02.html">')
    loaded = parser.loaded + [u for s in parser.styles for u in css_urls(s)]
    assert [u for u in loaded if is_off_host(u)] == ["https://cdn.example/mathjax.js", "//fonts.example/a.css",
                                                     "https://img.example/b.png", "https://img.example/bg.png"]
    assert [u for u in parser.links if is_off_host(u)] == ["https://example.org/paper"]
    assert css_urls("@font-face{src:url('fonts/a.woff2') format('woff2')} @import 'https://x.example/b.css';") == [
        "fonts/a.woff2", "https://x.example/b.css"]


def test_no_widget_renders_as_an_empty_box_or_a_line_of_widget_text():
    site = built_site()
    for page in PAGES:
        text = (site / page).read_text(encoding="utf-8")
        assert build_site.WIDGET_VIEW_MIME_TYPE not in text, page
        assert not re.search(r"\b(Float|Int|FloatLog)Slider\(|\b[VH]Box\(|\bDropdown\(", text), page


def test_every_slider_panel_in_the_notebooks_is_precomputed_on_its_page():
    stored = stored_panel_outputs()
    unregistered = [name for name, data in stored if build_site.PANEL_MIME_TYPE not in data]
    assert unregistered == [], "build these panels with a function registered by @panel_factory"
    entries = manifest()
    assert len(entries) == len(stored)
    for entry in entries:
        images = sorted((built_site() / entry["url"]).glob("*.png"))
        assert entry["combinations"] == int(np.prod([len(v) for v in entry["grid"].values()]))
        # one file per distinct picture: every other setting names the file it shares
        assert len(images) == entry["images"] == entry["combinations"] - len(entry["alias"])
        files = {image.stem for image in images}
        assert set(entry["alias"].values()) <= files and not set(entry["alias"]) & files
        assert f'src="{entry["url"]}/' in (built_site() / entry["page"]).read_text(encoding="utf-8")


def test_the_adam_panel_draws_one_image_per_distinct_picture():
    """SGD reads neither β, Momentum not β2, RMSProp not β1: 80 pictures for the 192 settings of the grid
    (4 η × (1 for SGD + 4 β1 for Momentum + 3 β2 for RMSProp + 4 × 3 for Adam))."""
    (entry,) = [e for e in manifest() if e["factory"] == "adam-network-optimizers"]
    sizes = [len(entry["grid"][name]) for name in ("lr", "beta1", "beta2")]
    assert entry["combinations"] == 4 * int(np.prod(sizes))
    assert entry["images"] == sizes[0] * (1 + sizes[1] + sizes[2] + sizes[1] * sizes[2])


def test_settings_that_share_an_image_draw_the_same_picture_status_and_numbers():
    """The panel's ignores= is a claim about its picture: check it against fresh renders of a few shared settings."""
    import helpers

    for entry in manifest():
        if not entry["alias"]:
            continue
        panel = helpers.PANEL_FACTORIES[entry["factory"]](**entry["kwargs"])
        aliases = sorted(entry["alias"].items())
        for key, file in aliases[:: max(1, len(aliases) // 4)]:
            looks = []
            for indices in (key, file):
                values = {name: options[int(i)] for (name, options), i in zip(entry["grid"].items(), indices.split("-"))}
                looks.append((panel.render(**values), panel.set(**values), panel.readout_text))
            same = looks[0] == looks[1]
            assert same, f"{entry['where']}: the settings {key} and {file} share an image but draw differently"


def test_every_exercise_a_notebook_checks_has_a_closed_solution_block_after_it():
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        checked = [key for cell in cells if cell["cell_type"] == "code"
                   for key in build_site.EXERCISE_CHECK.findall("".join(cell["source"]))]
        text = (built_site() / f"{build_site.page_name(path)}.html").read_text(encoding="utf-8")
        blocks = re.findall(r'<details class="solution"([^>]*)>\s*<summary>Show the solution</summary>(.*?)</details>',
                            text, flags=re.S)
        assert len(blocks) == len(checked), path.name
        for attributes, body in blocks:
            assert "open" not in attributes, path.name
            assert "<p>" in body and "$" not in re.sub(r"<pre.*?</pre>", "", body, flags=re.S), body  # math rendered


class _Images(HTMLParser):
    """(src, alt) of every image on a page."""

    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.images.append((attrs.get("src") or "", attrs.get("alt") or ""))


def test_every_figure_on_the_pages_says_what_it_shows_not_its_file_name():
    site, figures = built_site(), 0
    for page in PAGES:
        parser = _Images()
        parser.feed((site / page).read_text(encoding="utf-8"))
        for src, alt in parser.images:
            figures += "_images/" in src
            name = Path(urlsplit(src).path).name
            assert len(alt.split()) >= 2 and name not in alt and not re.search(r"\.(png|jpe?g|svg|gif)\b", alt), (
                f"{page}: the image {src} has the alt text {alt!r}; a screen reader needs what it shows")
    assert figures >= 10  # the chapters' static figures (MyST-NB writes them to _images/)


def test_a_figures_alt_text_comes_from_its_output():
    figure = {"data": {"image/png": "", "text/plain": "Figure: Loss falls"}}
    assert build_site.image_alt(figure) == "Loss falls"
    assert build_site.image_alt({**figure, "metadata": {"image/png": {"alt": "Loss falls;\n left: by step"}}}) == (
        "Loss falls; left: by step")
    assert build_site.image_alt({"data": {"image/png": "", "text/plain": "<Figure size 700x400 with 1 Axes>"}}) is None


def test_each_panel_weighs_at_most_5_mb():
    for entry in manifest():
        weight = sum(f.stat().st_size for f in (built_site() / entry["url"]).glob("*.png"))
        assert weight <= 5 * MB, f"{entry['where']}: {weight / MB:.1f} MB"


def test_each_panel_image_is_what_the_helpers_draw_for_those_slider_values():
    """One grid image per panel, against a fresh render by the helper function the notebook calls."""
    import helpers

    for entry in manifest():
        grid = entry["grid"]
        combinations = build_site.grid_combinations(grid)
        indices = combinations[(len(combinations) * 2) // 3]   # away from the start, reproducibly
        values = {name: options[i] for (name, options), i in zip(grid.items(), indices)}
        panel = helpers.PANEL_FACTORIES[entry["factory"]](**entry["kwargs"])
        fresh = build_site.encode_panel_png(panel.render(**values))
        key = "-".join(map(str, indices))
        shipped = (built_site() / entry["url"] / f"{entry['alias'].get(key, key)}.png").read_bytes()
        same = fresh == shipped   # (a plain bool, so a failure prints the message, not two PNGs)
        assert same, (
            f"{entry['where']} at {values}: the page's image differs from a fresh render by the helpers. Either "
            "the site is stale (make site), or the panel draws differently depending on the values it showed "
            "before (its update must set every artist, limit and text from the slider values alone)")


def test_panel_images_keep_the_figure_pixels():
    """The palette encoding the pages use changes no pixel of a line figure by more than a shade."""
    import helpers

    figure, ax = helpers.new_figure()
    x = np.linspace(0, 10, 200)
    for k, color in enumerate(helpers.PALETTE[:5]):
        ax.plot(x, np.sin(x + k), color=color, label=f"curve {k}")
    ax.contour(*np.meshgrid(x, x), np.add.outer(x, x), levels=8, colors="grey")
    ax.legend()
    ax.set_title("a busy figure: five curves, contours, a legend")
    original = helpers.figure_to_png(figure)
    encoded = build_site.encode_panel_png(original)
    before = np.asarray(Image.open(io.BytesIO(original)).convert("RGB"), dtype=int)
    after = np.asarray(Image.open(io.BytesIO(encoded)).convert("RGB"), dtype=int)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() < 1.0
    assert np.percentile(np.abs(before - after).max(axis=2), 99.9) <= 24
    assert len(encoded) < len(original)


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_a_panel_image_of_at_most_256_colours_keeps_every_pixel_exactly():
    rng = np.random.default_rng(0)
    for n_colours in (1, 2, 200, 256):
        colours = rng.choice(256 ** 3, size=n_colours, replace=False)
        rgb = np.stack([(colours >> shift) & 255 for shift in (16, 8, 0)], axis=1).astype(np.uint8)
        image = rgb[rng.integers(0, n_colours, size=(60, 90))]
        image[:, 40:70] = image[0, 0]   # runs of one colour, as a figure's background has
        assert np.array_equal(decoded(build_site.encode_panel_image(image)), image), n_colours


def test_a_panel_image_of_many_near_identical_blends_keeps_every_pixel_within_the_tolerance():
    """Over 1000 colours in 40 tight clusters (±3 per channel), as anti-aliasing makes them: the palette keeps
    every pixel within PALETTE_TOLERANCE of its own colour."""
    rng = np.random.default_rng(1)
    centres = rng.integers(10, 246, size=(40, 3))
    colours = np.unique(centres[rng.integers(0, 40, size=4000)] + rng.integers(-3, 4, size=(4000, 3)), axis=0)
    assert len(colours) > 1000
    image = colours[rng.integers(0, len(colours), size=(80, 120))].astype(np.uint8)
    error = np.sqrt(((decoded(build_site.encode_panel_image(image)) - image.astype(int)) ** 2).sum(axis=2))
    assert error.max() <= build_site.PALETTE_TOLERANCE


def test_the_site_stays_under_50_mb_with_vendored_assets_under_8_mb():
    site = built_site()
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    vendored = sum(f.stat().st_size for f in (site / "vendor").rglob("*") if f.is_file())
    assert total < 50 * MB, f"{total / MB:.1f} MB"
    assert vendored < 8 * MB, f"{vendored / MB:.1f} MB"


def test_mathjax_is_the_local_copy_of_version_3():
    site = built_site()
    script = (site / "vendor" / "mathjax" / "tex-chtml.js").read_text(encoding="utf-8")
    assert re.search(r'VERSION\s*=\s*"3\.', script) or '"3.2.2"' in script
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/mathjax"]["version"].startswith("3.")
    assert not (site / "vendor" / "mathjax" / "sre").exists(), "copy only the files the pages load"


# -- the panel mechanism itself, on a small test-only panel (so it is covered before any chapter has one)
TEST_PANEL = "test-site-geometric-steps"


@pytest.fixture
def test_panel_factory():
    """A registered panel factory that exists only during the test: w_t = (1 - lr)^t, diverging for lr > 2 (past 1000 at step 18 for lr = 2.5)."""
    import ipywidgets as widgets
    import helpers

    @helpers.panel_factory(TEST_PANEL)
    def geometric_panel(start: float = 1.0):
        figure, ax = helpers.new_figure()
        (line,) = ax.plot([], [])
        ax.set_xlabel("step $t$")

        def update(lr, steps, style):
            w = start * (1.0 - lr) ** np.arange(steps + 1, dtype=float)
            diverged = np.abs(w) > 1e3
            w[diverged] = np.nan
            line.set_data(np.arange(steps + 1), w)
            line.set_linestyle(style)
            ax.relim()
            ax.autoscale_view()
            message = f"diverged at step {int(np.argmax(diverged))}" if diverged.any() else None
            helpers.mark_divergence(ax, message)
            return message

        sliders = {"lr": widgets.FloatSlider(value=0.5, min=0.0, max=3.0, description="learning rate $\\eta$"),
                   "steps": widgets.IntSlider(value=20, min=1, max=40, description="steps"),
                   "style": widgets.Dropdown(options=[("solid", "-"), ("dashed", "--")], value="-", description="line")}
        return helpers.SliderPanel(sliders, figure, update, description="Test panel: w_t = (1 - lr)^t",
                                   grid={"style": ["-", "--"], "lr": [0.1, 0.5, 2.5]},
                                   readout=lambda: f"lr = {sliders['lr'].value:g}")

    try:
        yield geometric_panel
    finally:
        helpers.PANEL_FACTORIES.pop(TEST_PANEL, None)


def test_a_panel_is_precomputed_for_every_grid_combination_with_its_status_line(test_panel_factory, tmp_path):
    panel = test_panel_factory(start=1.0)
    spec = panel._repr_mimebundle_()[build_site.PANEL_MIME_TYPE]
    job = build_site.PanelJob(json.loads(json.dumps(spec)), tmp_path / "p", "panels/x/1", "test")
    assert build_site.render_panels([job], cache=tmp_path / "cache") == 6
    # controls follow the panel's slider order (lr before style); steps is not in the grid
    assert list(job.grid) == ["lr", "style"]
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == [f"{i}-{j}.png" for i in range(3) for j in range(2)]
    assert job.statuses == {"2-0": "diverged at step 18", "2-1": "diverged at step 18"}
    assert job.readouts == {f"{i}-{j}": f"lr = {lr:g}" for i, lr in enumerate([0.1, 0.5, 2.5]) for j in range(2)}
    panel = test_panel_factory(start=1.0)   # the one shown above was closed when the job built it again
    for (i, lr), (j, style) in [((0, 0.1), (1, "--")), ((2, 2.5), (0, "-"))]:
        same = (tmp_path / "p" / f"{i}-{j}.png").read_bytes() == build_site.encode_panel_png(panel.render(lr=lr, style=style))
        assert same, f"image {i}-{j} differs from panel.render(lr={lr}, style={style!r})"
    markup = job.markup()
    assert markup.count('type="range"') == 1 and markup.count("<option") == 2
    assert 'src="panels/x/1/1-0.png"' in markup   # the notebook's values: lr = 0.5, solid line
    assert "Fixed on this page: steps = 20" in markup
    assert '<pre class="bbh-readout">lr = 0.5</pre>' in markup
    assert r'<span class="math">\(\eta\)</span>' in markup


def test_a_rebuild_reuses_cached_images_only_while_nothing_they_depend_on_changed(test_panel_factory, tmp_path):
    spec = json.loads(json.dumps(test_panel_factory(start=1.0)._repr_mimebundle_()[build_site.PANEL_MIME_TYPE]))
    first = build_site.PanelJob(spec, tmp_path / "a", "panels/x/1", "test")
    assert build_site.render_panels([first], cache=tmp_path / "cache") == 6
    again = build_site.PanelJob(spec, tmp_path / "b", "panels/x/1", "test")
    assert build_site.render_panels([again], cache=tmp_path / "cache") == 0
    assert again.statuses == first.statuses and again.readouts == first.readouts
    assert all((tmp_path / "a" / f.name).read_bytes() == f.read_bytes() for f in (tmp_path / "b").iterdir())
    changed = build_site.PanelJob(spec, tmp_path / "c", "panels/x/1", "test")
    changed.use_grid({**changed.grid, "lr": [0.1, 0.7, 2.5]})    # one new value: only its two images are drawn
    assert build_site.render_panels([changed], cache=tmp_path / "cache") == 2


def test_a_stale_stored_panel_stops_the_build(test_panel_factory, tmp_path):
    spec = test_panel_factory(start=1.0)._repr_mimebundle_()[build_site.PANEL_MIME_TYPE]
    spec["values"]["lr"] = 0.7
    with pytest.raises(SystemExit, match="re-run the notebook"):
        build_site.PanelJob(spec, tmp_path, "panels/x/1", "03_x.ipynb cell 4")
    spec = test_panel_factory(start=1.0)._repr_mimebundle_()[build_site.PANEL_MIME_TYPE]
    spec["grid"]["lr"] = [0.1, 0.5, 3.5]    # the notebook was stored before the helpers changed the grid
    with pytest.raises(SystemExit, match="grid .* re-run the notebook"):
        build_site.PanelJob(json.loads(json.dumps(spec)), tmp_path, "panels/x/1", "03_x.ipynb cell 4")


def test_the_page_starts_at_the_notebook_value_or_the_nearest_grid_value():
    assert build_site.start_index([0.01, 0.1, 0.5], 0.1) == 1
    assert build_site.start_index([0.01, 0.1, 0.5], 0.4) == 2
    assert build_site.start_index(["sgd", "adam"], "adam") == 1


def test_slider_labels_are_escaped_and_their_math_goes_to_mathjax():
    assert build_site.math_to_mathjax("β1 <b> $\\beta_1$") == r'β1 &lt;b&gt; <span class="math">\(\beta_1\)</span>'


def test_a_grid_value_outside_its_slider_range_stops_the_build(test_panel_factory, tmp_path):
    spec = json.loads(json.dumps(test_panel_factory(start=1.0)._repr_mimebundle_()[build_site.PANEL_MIME_TYPE]))
    job = build_site.PanelJob(spec, tmp_path / "p", "panels/x/1", "test")
    job.use_grid({**job.grid, "lr": [0.5, 4.0]})   # the slider stops at 3.0: the page would show 3.0 labelled 4
    with pytest.raises(ValueError, match="grid value 4.0 of slider 'lr' is outside"):
        build_site.render_panels([job], cache=tmp_path / "cache")
