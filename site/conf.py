"""Sphinx configuration for the static course pages (built by tools/build_site.py, `make site`).

The pages are built from the stored notebooks (MyST-NB, execution off) and load nothing from
another host: MathJax 3 comes from npm (package.json) and is copied next to the pages, the slider
panels are precomputed images swapped by static/panels.js, and no widget manager is needed.
Sphinx's source folder is build/site-source/ (prepared by tools/build_site.py), not this folder.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"

project = "Backprop by Hand"
author = "Backprop by Hand authors"
copyright = "Backprop by Hand authors"
html_title = "Backprop by Hand"

extensions = ["myst_nb"]
root_doc = "index"  # the contents notebook, copied as index.ipynb
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# Stored, nbval-checked outputs are the pages' content: never re-execute at build time.
nb_execution_mode = "off"
nb_merge_streams = True
# Widget outputs are turned into precomputed panels before the build, so no widget manager
# (and no require.js) is ever loaded; an empty dict keeps MyST-NB from adding its CDN defaults.
nb_ipywidgets_js = {}

myst_enable_extensions = ["dollarmath", "amsmath"]
# `$$...$$` in the middle of a paragraph would otherwise stay as literal dollars.
myst_dmath_double_inline = True
myst_heading_anchors = 3

# MathJax 3 from npm, copied to <site>/vendor/mathjax/ (html_extra_path below). Sphinx puts a
# relative mathjax_path under _static/, hence the "../": the browser resolves it to vendor/.
mathjax_path = "../vendor/mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_download_button": False,   # the pages' notebooks are prepared copies, not the course's
    "use_fullscreen_button": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
# Without a default colour mode the book theme logs a console error in a fresh browser.
html_context = {"default_mode": "light"}
html_static_path = ["static"]
html_css_files = ["panels.css", "details.css"]
html_js_files = ["panels.js"]
# Precomputed panel images and vendored browser assets land at the site's top level (not in _static/).
html_extra_path = [str(BUILD / "site-extra")]
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_permalinks_icon = "#"
# A local icon, so the browser's automatic /favicon.ico request never 404s (a console error).
html_favicon = "static/favicon.svg"
