"""Build the course as static pages in build/site/ (what `make site` runs, after `npm ci`).

    python tools/build_site.py

The pages come from the stored, nbval-checked notebooks; nothing is re-executed. Steps:

1. Copy every notebook of notebooks/ into build/site-source/ (the contents notebook becomes
   index.ipynb and gets a hidden table of contents in chapter order, so the theme's previous/next
   buttons follow the chapters), changing only their widget outputs:
   - a slider panel (an output carrying PANEL_MIME_TYPE) is rebuilt with the same helper function
     the notebook called (``helpers.PANEL_FACTORIES[factory](**kwargs)``), one panel per worker
     process, its figure is rendered as JupyterLab shows it for every combination of its ``grid`` values into
     build/site/panels/ (once per distinct picture: combinations that differ only in sliders
     the panel ``ignores`` at that setting share one image file), and the output becomes static
     HTML: real range/select controls, the image, and data that site/static/panels.js uses to swap
     the image as a control moves. The workers draw while steps 1-3 run here with a placeholder
     for each panel, which is replaced by its HTML in the finished page;
   - any other widget output becomes a one-line note (a widget needs a kernel);
   - the navigation lines and the contents' chapter list are regenerated for the chapters present
     (with tools/run_notebooks.py's own functions), so a chapter stored before a later one landed
     still links to it.
2. Copy only the MathJax 3 files the pages load (from node_modules/, installed by `npm ci` from the
   committed package-lock.json) into build/site-extra/vendor/mathjax/.
3. Run Sphinx (MyST-NB, sphinx-book-theme; configuration in site/conf.py) into build/site/.

The pages are rebuilt from clean each time, so a change to a notebook or to conf.py is always picked
up. Drawing and encoding the panel images is the slow part (~0.08 s of CPU each): an image is reused from
build/panel-cache/ only when its panel, its slider values and a fingerprint of helpers/,
constraints.txt and this file are all unchanged; CI, from a fresh clone, draws every image.
"""
from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import math
import os
import re
import shutil
import sys
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

import nbformat
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
# One chapter order and one generator for the navigation lines and the chapter list, shared with the notebooks.
from run_notebooks import CONTENTS, chapter_list_markdown, chapters, navigation_cell  # noqa: E402

BUILD = ROOT / "build"
SOURCE = BUILD / "site-source"     # notebooks as Sphinx reads them
EXTRA = BUILD / "site-extra"       # copied to the site's top level by Sphinx: vendor/
SITE = BUILD / "site"              # the finished pages
DOCTREES = BUILD / "site-doctrees"
CACHE = BUILD / "panel-cache"       # images from earlier builds, by content (see render_panels)
# The variables that pick NumPy's and OpenBLAS's CPU loops (set by the Makefile): a last bit of a number can follow them.
NUMERIC_ENVIRONMENT = ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES")
CONFDIR = ROOT / "site"
MATHJAX = ROOT / "node_modules" / "mathjax"
# The MathJax files a page loads: the combined TeX->CommonHTML component, its web fonts, and the TeX
# extensions it autoloads on demand (\boldsymbol, \cancel, ...). Not the rest of the 24 MB package.
MATHJAX_FILES = ["es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2", "es5/input/tex/extensions", "LICENSE"]

PANEL_MIME_TYPE = "application/vnd.backprop-by-hand.panel+json"
WIDGET_VIEW_MIME_TYPE = "application/vnd.jupyter.widget-view+json"
PANELS_URL = "panels"              # where the panel images live, relative to every page
PANEL_LIMIT_BYTES = 5 * 1024 * 1024
WIDGET_NOTE = ('<p class="bbh-widget-note">An interactive control is here in the notebook; '
               'run the chapter in JupyterLab to use it.</p>')


# -- panel images ------------------------------------------------------------------------------
PALETTE_SIZE = 256                 # colours in a PNG palette (8-bit indices)
PALETTE_TOLERANCE = 8              # RGB distance a pixel may move to its palette colour (the pixel test allows 24)


def panel_palette(rgb) -> tuple[np.ndarray, np.ndarray]:
    """The colours a panel image is stored with, and each pixel's colour among them.

    ``rgb``: uint8 array (height, width, 3 or 4; a fourth channel, alpha, is not read). Returns (palette,
    (≤ 256, 3) uint8; index, (height, width) uint8).
    An image of at most 256 colours keeps them all (exact). Otherwise the palette is chosen greedily: first the
    most common colour, then each time, among the colours c farther than PALETTE_TOLERANCE from every palette
    colour p, the one that adds most to the squared error Σ_pixels ‖pixel − nearest p‖², i.e. the largest
    count(c) · min_p ‖c − p‖², until every colour is within the tolerance or the palette is full; every pixel
    takes its nearest palette colour. Matplotlib's line art is a few flat colours plus anti-aliased blends
    between them: the flats and the blends that stand out get a colour of their own, near-identical blends
    share one, which keeps the file small (tests/test_site.py bounds the error).
    The image is read as runs of equal pixels along its rows, so the work grows with runs, not pixels; each
    pixel is read as one 32-bit word (its 4 bytes: a canvas's RGBA buffer as it is, no copy).
    """
    pixels = np.asarray(rgb)
    height, width, depth = pixels.shape
    if depth == 3:
        pixels = np.dstack([pixels, np.zeros((height, width), np.uint8)])
    words = np.ascontiguousarray(pixels).view("<u4").ravel() & 0xFFFFFF   # R + G·2⁸ + B·2¹⁶
    starts = np.flatnonzero(np.concatenate(([True], words[1:] != words[:-1])))
    lengths = np.diff(np.append(starts, words.size))
    runs = words[starts]
    # colours numbered in order of R·2¹⁶ + G·2⁸ + B (which of two equal errors wins depends on it)
    colours, run_colour = np.unique((runs & 255) << 16 | (runs & 0xFF00) | runs >> 16, return_inverse=True)
    channels = [((colours >> shift) & 255).astype(np.int64) for shift in (16, 8, 0)]
    if len(colours) <= PALETTE_SIZE:
        chosen, nearest = np.arange(len(colours)), np.arange(len(colours))
    else:
        counts = np.bincount(run_colour, weights=lengths).astype(np.int64)   # pixels of each colour
        red, green, blue = channels

        def squared_distance(j):
            return (red - red[j]) ** 2 + (green - green[j]) ** 2 + (blue - blue[j]) ** 2

        def error(distance, count):  # what a colour adds to the squared error, 0 once within the tolerance
            return np.where(distance > PALETTE_TOLERANCE ** 2, count * distance, 0)

        chosen = [int(np.argmax(counts))]
        distance, nearest = squared_distance(chosen[0]), np.zeros(len(colours), dtype=np.intp)
        errors = error(distance, counts)
        for k in range(1, PALETTE_SIZE):
            worst = int(np.argmax(errors))   # ties: the first, so the result is reproducible
            if errors[worst] == 0:
                break
            chosen.append(worst)
            candidate = squared_distance(worst)
            closer = np.flatnonzero(candidate < distance)   # only these colours' errors change
            distance[closer], nearest[closer] = candidate[closer], k
            errors[closer] = error(distance[closer], counts[closer])
    palette = np.stack([channel[chosen] for channel in channels], axis=1).astype(np.uint8)
    index = np.repeat(nearest[run_colour].astype(np.uint8), lengths).reshape(height, width)
    return palette, index


def encode_panel_image(rgba) -> bytes:
    """The image file a page ships for one panel figure (an RGB(A) uint8 array, (height, width, 3 or 4)):
    its pixels in a palette of at most 256 colours (:func:`panel_palette`), as an 8-bit palette PNG.

    Matplotlib's line art uses few colours, so the palette keeps the figure visually identical (no pixel of the
    course's figures more than a shade off, most exact) while cutting the file to about a third; that
    keeps a 200-image panel well under 5 MB. zlib level 7: level 8 makes the files ~6 % smaller in twice the
    time (~11 ms an image instead of ~5), level 9 ~8 % in six times.
    """
    palette, index = panel_palette(rgba)
    image = Image.fromarray(index)
    image.putpalette(palette.tobytes())   # an "L" image with a palette becomes a "P" image
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=7)
    return buffer.getvalue()


def encode_panel_png(png: bytes) -> bytes:
    """:func:`encode_panel_image` of the pixels of a PNG (e.g. ``panel.render()``)."""
    return encode_panel_image(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))


def format_value(slider, value) -> str:
    """What a control shows for ``value``: the option's label for a dropdown, else the number."""
    if hasattr(slider, "_options_values"):
        labels = dict(zip(slider._options_values, slider._options_labels))
        return str(labels.get(value, value))
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def start_index(values: list, start) -> int:
    """Index of the grid value a page starts at: the notebook's value, or the nearest one to it."""
    for index, value in enumerate(values):
        if value == start or (isinstance(value, float) and isinstance(start, (int, float))
                              and math.isclose(value, start, rel_tol=1e-12, abs_tol=1e-15)):
            return index
    numeric = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if isinstance(start, (int, float)) and len(numeric) == len(values):
        return min(range(len(values)), key=lambda i: abs(values[i] - start))
    return 0


def grid_combinations(grid: dict) -> list[tuple[int, ...]]:
    """Every combination of grid indices, in the order the image files are named."""
    return list(itertools.product(*(range(len(values)) for values in grid.values())))


def image_name(indices: tuple[int, ...]) -> str:
    return "-".join(str(i) for i in indices) + ".png"


def math_to_mathjax(text: str) -> str:
    """Escape ``text`` for HTML and turn ``$...$`` (as in widget descriptions) into MathJax's ``\\(...\\)``."""
    parts = re.split(r"\$([^$]+)\$", text)
    return "".join(html.escape(p) if i % 2 == 0 else rf'<span class="math">\({html.escape(p)}\)</span>'
                   for i, p in enumerate(parts))


class PanelJob:
    """One slider panel found in a stored notebook: what to precompute and where it goes."""

    def __init__(self, spec: dict, folder: Path, url: str, where: str):
        import helpers  # noqa: F401  (importing helpers registers every chapter's panel factory)
        from helpers import PANEL_FACTORIES

        self.spec, self.folder, self.url, self.where = spec, folder, url, where
        self.factory = spec["factory"]
        if self.factory not in PANEL_FACTORIES:
            raise SystemExit(f"{where}: panel factory {self.factory!r} is not registered; "
                             f"known: {sorted(PANEL_FACTORIES)}")
        self.panel = PANEL_FACTORIES[self.factory](**spec["kwargs"])
        self.start = self.panel.values()
        stale = [name for name, value in spec["values"].items() if self.start.get(name) != value]
        if spec["grid"] != json.loads(json.dumps(self.panel.grid)):
            stale.append(f"grid {spec['grid']} vs {self.panel.grid}")
        if stale or self.panel.description != spec["description"]:
            raise SystemExit(f"{where}: the stored panel {self.factory!r} differs from what the helpers build now "
                             f"({'; '.join(map(str, stale)) or 'description'}: {spec['description']!r} vs "
                             f"{self.panel.description!r}); re-run the notebook with tools/run_notebooks.py")
        grid = spec["grid"] or {name: [value] for name, value in list(self.start.items())[:1]}
        # Controls appear in the panel's own slider order; sliders outside the grid stay fixed.
        self.use_grid({name: list(grid[name]) for name in self.panel.sliders if name in grid})
        self.statuses: dict[str, str] = {}   # by image file
        self.readouts: dict[str, str] = {}
        self.cache_keys: set[str] = set()
        self.bytes = 0

    def use_grid(self, grid: dict) -> None:
        """Precompute ``grid`` ({slider: values}): its combinations, and each one's image file (the first
        combination that draws the same picture)."""
        self.grid = grid
        self.combinations = grid_combinations(grid)
        self.files = {"-".join(map(str, c)): "-".join(map(str, self.picture_of(c))) for c in self.combinations}

    def picture_of(self, indices: tuple[int, ...]) -> tuple[int, ...]:
        """The grid indices whose image shows ``indices``: each slider the panel ``ignores`` at these values
        (SGD reads neither β) goes to its first grid value."""
        values = {**self.start, **{name: options[i] for (name, options), i in zip(self.grid.items(), indices)}}
        ignored = {other for name, by_value in self.panel.ignores.items() for value, others in by_value.items()
                   if values[name] == value for other in others}
        return tuple(0 if name in ignored else i for name, i in zip(self.grid, indices))

    @property
    def pictures(self) -> list[tuple[int, ...]]:
        """The combinations that get an image file of their own (one per distinct picture)."""
        return [c for c in self.combinations if self.files["-".join(map(str, c))] == "-".join(map(str, c))]

    def record(self, indices: tuple[int, ...], text: dict) -> None:
        """Note the texts beside the image of one grid combination: ``text["status"]`` (the status line,
        "diverged at step 7" or "") and ``text["readout"]`` (the panel's numbers as text, or "")."""
        key = "-".join(map(str, indices))
        if text["status"]:
            self.statuses[key] = text["status"]
        if text["readout"]:
            self.readouts[key] = text["readout"]

    def markup(self) -> str:
        """The static panel: controls, the image at the notebook's values, data for panels.js."""
        first = tuple(start_index(values, self.start[name]) for name, values in self.grid.items())
        labels = {name: [format_value(self.panel.sliders[name], v) for v in values] for name, values in self.grid.items()}
        controls = []
        for (name, values), index in zip(self.grid.items(), first):
            slider = self.panel.sliders[name]
            if hasattr(slider, "_options_values"):
                options = "".join(f'<option value="{i}"{" selected" if i == index else ""}>{html.escape(text)}</option>'
                                  for i, text in enumerate(labels[name]))
                control = f'<select data-slider="{html.escape(name)}">{options}</select>'
            else:
                text = html.escape(labels[name][index])
                control = (f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{index}" '
                           f'data-slider="{html.escape(name)}" aria-valuetext="{text}"><output>{text}</output>')
            controls.append(f'<label class="bbh-control"><span class="bbh-control-name">'
                            f'{math_to_mathjax(slider.description or name)}</span>{control}</label>')
        fixed = [f"{math_to_mathjax(self.panel.sliders[n].description or n)} = "
                 f"{html.escape(format_value(self.panel.sliders[n], v))}" for n, v in self.start.items() if n not in self.grid]
        if fixed:
            controls.append('<p class="bbh-fixed">Fixed on this page: ' + ", ".join(fixed)
                            + " (every slider is live in JupyterLab).</p>")
        # status and readout are stored by image file: combinations that share a picture share them too
        config = {"base": self.url, "sliders": [{"name": n, "labels": labels[n]} for n in self.grid],
                  "status": self.statuses, "readout": self.readouts,
                  "alias": {key: file for key, file in self.files.items() if key != file}}
        key = self.files["-".join(map(str, first))]
        size = self.panel.figure.bbox
        return (f'<figure class="bbh-panel" data-panel="{html.escape(json.dumps(config, sort_keys=True))}">'
                f'<div class="bbh-panel-controls">{"".join(controls)}</div>'
                f'<p class="bbh-status" role="status">{html.escape(self.statuses.get(key, ""))}</p>'
                + (f'<pre class="bbh-readout">{html.escape(self.readouts.get(key, ""))}</pre>'
                   if self.panel.readout_function else "") +
                f'<img class="bbh-panel-image" src="{self.url}/{key}.png" alt="{html.escape(self.panel.description)}" '
                f'width="{size.width:.0f}" height="{size.height:.0f}">'
                f'<figcaption>{html.escape(self.panel.description.rstrip("."))}. <span class="bbh-panel-note">Precomputed for '
                f'{len(self.combinations)} settings; in JupyterLab every value is live.</span></figcaption></figure>')

    def manifest(self, page: str) -> dict:
        first = [start_index(values, self.start[name]) for name, values in self.grid.items()]
        return {"page": page, "where": self.where, "factory": self.factory, "kwargs": self.spec["kwargs"],
                "url": self.url, "grid": self.grid, "start": first, "combinations": len(self.combinations),
                "images": len(self.pictures), "alias": {k: f for k, f in self.files.items() if k != f},
                "bytes": self.bytes}


def draw_pictures(job: PanelJob, work: list, cache: Path) -> None:
    """Draw the images of some grid combinations into ``job.folder`` and ``cache``, and note their texts.
    ``work`` lists (grid indices, cache key) pairs. Each picture is drawn once, as JupyterLab shows it: the pixels
    ``panel.set`` would encode as the panel's PNG (``panel.recompute`` then ``panel.draw``: from kept frames plus the
    data when the panel keeps frames), palette-encoded from the canvas (the widget's own PNG is not made)."""
    panel = job.panel
    for indices, cache_key in work:
        wanted = {name: values[i] for (name, values), i in zip(job.grid.items(), indices)}
        message = panel.recompute(**wanted) or ""
        panel.draw()
        for name, value in wanted.items():  # a widget clamps a value outside its range: the page would lie
            taken = panel.sliders[name].value
            if not (taken == value or (isinstance(value, float) and math.isclose(taken, value, rel_tol=1e-9))):
                raise ValueError(f"panel {job.factory!r}: grid value {value!r} of slider {name!r} is outside the "
                                 f"slider's range (it took {taken!r}); fix the panel's grid")
        data = encode_panel_image(np.asarray(panel.figure.canvas.buffer_rgba()))
        (job.folder / image_name(indices)).write_bytes(data)
        (cache / f"{cache_key}.png").write_bytes(data)
        text = {"status": message, "readout": panel.readout_text}
        (cache / f"{cache_key}.json").write_text(json.dumps(text), encoding="utf-8")
        job.record(indices, text)


def code_digest() -> str:
    """A fingerprint of everything a panel image depends on: the helpers, the pinned versions, this file, and
    the variables that choose NumPy's and OpenBLAS's CPU loops (the Makefile sets them)."""
    digest = hashlib.sha256()
    for name in NUMERIC_ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name)}\0".encode())
    for path in sorted((ROOT / "helpers").rglob("*.py")) + [ROOT / "constraints.txt", Path(__file__)]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def render_panels(jobs: list[PanelJob], cache: Path = CACHE, fingerprint: str | None = None) -> int:
    """Precompute the panels' images in this process, one per distinct picture (see PanelJob.files).

    Images whose panel, slider values and code fingerprint are unchanged since the last build are
    copied from ``cache`` (build/panel-cache/) instead of drawn again; each job notes the cache keys
    it uses (``job.cache_keys``). Returns how many images were drawn.
    """
    cache.mkdir(parents=True, exist_ok=True)
    fingerprint, drawn = fingerprint or code_digest(), 0
    for job in jobs:
        job.folder.mkdir(parents=True, exist_ok=True)
        missing = []
        for indices in job.pictures:
            values = [values[i] for values, i in zip(job.grid.values(), indices)]
            cache_key = hashlib.sha256(json.dumps([fingerprint, job.factory, job.spec["kwargs"], list(job.grid), values],
                                                  sort_keys=True).encode()).hexdigest()[:32]
            job.cache_keys.add(cache_key)
            cached = cache / f"{cache_key}.png"
            if cached.exists() and cached.with_suffix(".json").exists():
                shutil.copyfile(cached, job.folder / image_name(indices))
                job.record(indices, json.loads(cached.with_suffix(".json").read_text(encoding="utf-8")))
            else:
                missing.append((indices, cache_key))
        draw_pictures(job, missing, cache)
        drawn += len(missing)
        job.bytes = sum((job.folder / image_name(indices)).stat().st_size for indices in job.pictures)
        if job.bytes > PANEL_LIMIT_BYTES:
            raise SystemExit(f"{job.where}: panel {job.factory!r} weighs {job.bytes / 1e6:.1f} MB over "
                             f"{len(job.pictures)} images; the limit is 5 MB: use fewer grid values")
    return drawn


def precompute_panel(spec: dict, url: str, where: str, page: str, fingerprint: str) -> dict:
    """One notebook panel, start to end, in a worker process: rebuild it with the helper function the notebook
    called (stopping if the stored panel is stale), draw or reuse its images, and return what the page needs:
    {"markup": the static HTML, "manifest": its manifest entry (with the CPU seconds it took), "drawn": images
    drawn, "cache_keys": [...]}."""
    started = time.process_time()
    job = PanelJob(spec, SITE / url, url, where)
    built = time.process_time()
    drawn = render_panels([job], CACHE, fingerprint)
    manifest = {**job.manifest(page), "cpu_seconds": {"build": round(built - started, 2),
                                                     "images": round(time.process_time() - built, 2)}}
    return {"markup": job.markup(), "manifest": manifest, "drawn": drawn, "cache_keys": sorted(job.cache_keys)}


def precompute_panels(slots: list[tuple[dict, str, str, str]], processes: int, meanwhile=lambda: None) -> list[dict]:
    """:func:`precompute_panel` for every (spec, url, where, page) slot, one panel per task over ``processes``
    worker processes, the largest grids first (so the two cores finish together); results in slot order.
    ``meanwhile()`` runs in this process while the workers draw (the build runs Sphinx there: the pages do not
    wait for the panels, only their markup does); should it fail, the panels not yet begun are cancelled and
    its error raised once those being drawn are done. Afterwards build/panel-cache/ forgets the images no panel
    uses any more."""
    fingerprint = code_digest()
    order = sorted(range(len(slots)), key=lambda i: -math.prod(len(v) for v in (slots[i][0]["grid"] or {0: [0]}).values()))
    if processes <= 1 or len(slots) <= 1:
        meanwhile()
        results = {i: precompute_panel(*slots[i], fingerprint) for i in order}
    else:
        import helpers  # noqa: F401  (loaded once, here: the workers fork below and inherit it)
        with ProcessPoolExecutor(max_workers=processes) as pool:
            futures = {i: pool.submit(precompute_panel, *slots[i], fingerprint) for i in order}
            try:
                meanwhile()
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            done, _ = wait(futures.values(), return_when=FIRST_EXCEPTION)
            failed = [future for future in done if future.exception() is not None]
            if failed:  # a stale panel: say so now, without drawing the others
                pool.shutdown(wait=True, cancel_futures=True)
                failed[0].result()
            results = {i: future.result() for i, future in futures.items()}
    used = {key for result in results.values() for key in result["cache_keys"]}
    for stale in CACHE.iterdir():  # forget images no panel uses any more
        if stale.stem not in used:
            stale.unlink()
    return [results[i] for i in range(len(slots))]


# -- notebooks ---------------------------------------------------------------------------------
# An exercise the notebook checks by id: the page shows its worked solution after the cell, closed.
EXERCISE_CHECK = re.compile(r"""exercise\(\s*["']([^"']+)["']\s*\)\s*\.check\(""")


def solution_cells(cell) -> list:
    """A closed "Show the solution" block (Markdown, math for MathJax) per exercise the code cell checks."""
    from helpers.exercises import exercise
    return [nbformat.v4.new_markdown_cell(
        f'<details class="solution">\n<summary>Show the solution</summary>\n\n{exercise(key).solution_text}\n\n'
        '</details>', metadata={"tags": ["solution"]}) for key in EXERCISE_CHECK.findall(cell.source)]


def image_alt(output) -> str | None:
    """A figure output's alt text: the alt in its PNG's metadata (show_figure puts the figure's titles there),
    else its text form ("Figure: <title>") without "Figure: "; None for a text form that is only a repr."""
    alt = output.get("metadata", {}).get("image/png", {}).get("alt")
    text = "".join(output.get("data", {}).get("text/plain", ""))
    if not alt and text and not text.startswith("<"):  # "<Figure size 700x400 with 1 Axes>" says nothing
        alt = text.removeprefix("Figure: ")
    return " ".join(alt.split()) if alt else None


def page_name(path: Path) -> str:
    return "index" if path == CONTENTS else path.stem


def panel_url(name: str, number: int) -> str:
    """Where the images of a page's ``number``-th panel (from 1) live, relative to the site."""
    return f"{PANELS_URL}/{name}/{number}"


def panel_placeholder(url: str) -> str:
    """What a page holds where the panel at ``url`` goes, until its markup is known (see :func:`fill_in_panels`)."""
    return f"<!-- bbh-panel {url} -->"


def panel_slots(path: Path) -> list[tuple[dict, str, str, str]]:
    """The slider panels stored in notebook ``path``, in order: (panel spec, url, where, page) for
    :func:`precompute_panel`, ``where`` naming the cell as the stored notebook numbers it."""
    name, slots = page_name(path), []
    for cell_number, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1):
        for output in cell.get("outputs", []):
            if PANEL_MIME_TYPE in output.get("data", {}):
                slots.append((output["data"][PANEL_MIME_TYPE], panel_url(name, len(slots) + 1),
                              f"{path.name} cell {cell_number}", f"{name}.html"))
    return slots


def prepare_notebook(path: Path, order: list[Path]) -> nbformat.NotebookNode:
    """A copy of ``path`` for Sphinx: each slider panel is a placeholder for its markup (:func:`panel_placeholder`,
    numbered as :func:`panel_slots` numbers them), the furniture and solutions added."""
    notebook = nbformat.read(path, as_version=4)
    name = page_name(path)
    panels = 0
    # The generated furniture follows the chapters present now, even in a notebook stored before a
    # later chapter landed: the navigation lines, and the contents page's chapter list.
    if path in order:
        cells = [c for c in notebook.cells if "navigation" not in c.metadata.get("tags", [])]
        notebook.cells = [navigation_cell(path, order, "navigation-top"), *cells,
                          navigation_cell(path, order, "navigation-bottom")]
    notebook.cells = [new for cell in notebook.cells
                      for new in [cell, *(solution_cells(cell) if cell.cell_type == "code" else [])]]
    for cell in notebook.cells:
        if "chapter-list" in cell.metadata.get("tags", []):
            cell.source = chapter_list_markdown(order, "")
    for cell_number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":  # the contents notebook is the site's index page
            cell.source = cell.source.replace(f"]({CONTENTS.name}", "](index.ipynb")
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PANEL_MIME_TYPE in data:
                panels += 1
                output["data"] = {"text/html": panel_placeholder(panel_url(name, panels)),
                                  "text/plain": data.get("text/plain", "")}
            elif "image/png" in data and image_alt(output):  # MyST-NB takes an image's alt from its cell
                cell.metadata.setdefault("mystnb", {}).setdefault("image", {}).setdefault("alt", image_alt(output))
            elif WIDGET_VIEW_MIME_TYPE in data:
                print(f"warning: {path.name} cell {cell_number} shows a widget that is not a registered slider "
                      "panel; the page shows a note instead", file=sys.stderr)
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": "An interactive control"}
    if path == CONTENTS:
        entries = "\n".join(p.stem for p in order)
        notebook.cells.append(nbformat.v4.new_markdown_cell(
            f"```{{toctree}}\n:hidden:\n:caption: Chapters\n\n{entries}\n```"))
    return notebook


def fill_in_panels(results: list[dict]) -> None:
    """Put each panel's markup (``precompute_panel``'s results) in its page in build/site/, where its placeholder is."""
    for page in sorted({result["manifest"]["page"] for result in results}):
        text = (SITE / page).read_text(encoding="utf-8")
        for result in (r for r in results if r["manifest"]["page"] == page):
            placeholder = panel_placeholder(result["manifest"]["url"])
            if text.count(placeholder) != 1:
                raise SystemExit(f"{page}: expected the placeholder {placeholder!r} once, found it "
                                 f"{text.count(placeholder)} times; did MyST-NB change how it writes HTML outputs?")
            text = text.replace(placeholder, result["markup"])
        (SITE / page).write_text(text, encoding="utf-8")


def copy_mathjax() -> int:
    if not (MATHJAX / "es5" / "tex-chtml.js").exists():
        raise SystemExit("node_modules/mathjax is missing: run `npm ci` first (`make site` does)")
    target = EXTRA / "vendor" / "mathjax"
    for relative in MATHJAX_FILES:
        source = MATHJAX / relative
        destination = target / relative.removeprefix("es5/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            shutil.copy2(source, destination)
    return sum(f.stat().st_size for f in target.rglob("*") if f.is_file())


def pages_without_panels(pages: list[Path], order: list[Path]) -> int:
    """Steps 1 (less the panels' markup), 2 and 3 of the module docstring: the prepared notebooks, MathJax and
    Sphinx's pages in build/site/, each panel a placeholder. Returns the vendored assets' bytes."""
    for path in pages:
        nbformat.write(prepare_notebook(path, order), SOURCE / f"{page_name(path)}.ipynb")
    vendor_bytes = copy_mathjax()
    from sphinx.cmd.build import build_main
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-c", str(CONFDIR), "-d", str(DOCTREES),
                         str(SOURCE), str(SITE)])
    if status:
        raise SystemExit(f"sphinx-build failed (exit {status}); see the warnings above")
    for source_map in (SITE / "_static").rglob("*.map"):
        source_map.unlink()  # the themes' source maps: only a browser's developer tools fetch them
    return vendor_bytes


def build(processes: int = os.cpu_count() or 1) -> dict:
    for folder in (SOURCE, EXTRA, SITE, DOCTREES):
        shutil.rmtree(folder, ignore_errors=True)
    SOURCE.mkdir(parents=True)
    EXTRA.mkdir(parents=True)
    started = time.perf_counter()
    order = chapters()
    pages = ([CONTENTS] if CONTENTS.exists() else []) + order
    slots = [slot for path in pages for slot in panel_slots(path)]
    seconds, vendored = {}, {}

    def sphinx_pages():  # in this process, while the workers draw the panels
        vendored["bytes"] = pages_without_panels(pages, order)
        seconds["pages"] = time.perf_counter() - started

    results = precompute_panels(slots, processes, meanwhile=sphinx_pages)
    seconds["panels"] = time.perf_counter() - started
    fill_in_panels(results)
    manifest = [result["manifest"] for result in results]
    (SITE / PANELS_URL).mkdir(exist_ok=True)
    (SITE / PANELS_URL / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    drawn = sum(result["drawn"] for result in results)
    site_bytes = sum(f.stat().st_size for f in SITE.rglob("*") if f.is_file())
    for entry in manifest:
        print(f"  panel {entry['url']} ({entry['factory']}, {entry['where']}): {entry['images']} images for "
              f"{entry['combinations']} settings, {entry['bytes'] / 1e6:.2f} MB, CPU {entry['cpu_seconds']['build']:.1f} s "
              f"to build the panel + {entry['cpu_seconds']['images']:.1f} s for the images")
    seconds["total"] = time.perf_counter() - started
    print(f"site: {len(pages)} pages, {len(manifest)} panels ({sum(e['images'] for e in manifest)} images for "
          f"{sum(e['combinations'] for e in manifest)} settings, {drawn} drawn now, the rest from build/panel-cache/), "
          f"vendored assets {vendored['bytes'] / 1e6:.1f} MB, total {site_bytes / 1e6:.1f} MB, built in {seconds['total']:.1f} s "
          f"(pages by Sphinx after {seconds['pages']:.1f} s, panels beside them after {seconds['panels']:.1f} s) "
          f"-> {SITE.relative_to(ROOT)}/index.html")
    return {"pages": len(pages), "panels": manifest, "seconds": seconds["total"], "site_bytes": site_bytes,
            "vendor_bytes": vendored["bytes"]}


if __name__ == "__main__":
    build()
