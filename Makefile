# Backprop by Hand: set-up, lab, tests. Every target creates .venv on first use and reuses it.
#   make lab    open the course in JupyterLab (first chapter)
#   make test   run the whole test suite (unit tests + strict nbval on every notebook; builds the
#               static pages first and checks them in Chromium, which it installs when missing)
#   make site   build the course as static pages in build/site/ (from the stored notebooks)
#   make notebooks   re-execute every notebook in place (after editing one)
#   make lock   refresh constraints.txt from the newest versions the registries serve

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
FIRST_CHAPTER := notebooks/01_one_sample_one_step.ipynb
# JupyterLab refuses to run as root without --allow-root; add it only when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test notebooks lock site chromium

# The course multiplies small matrices; OpenBLAS's thread pool only adds waiting there (seen: a
# slider redraw 4x slower on a busy 2-core machine). One thread each, unless you say otherwise.
OPENBLAS_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Backprop by Hand needs Python 3.10 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test,site]"
	@touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) $(FIRST_CHAPTER)

test: $(STAMP) site chromium
	$(PY) -m pytest

# The static pages load MathJax from the site itself: npm installs the locked version.
NPM_STAMP := node_modules/.installed-stamp
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make site needs Node.js with npm (for MathJax)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

site: $(STAMP) $(NPM_STAMP)
	$(PY) tools/build_site.py

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser here),
# with a font for the Chinese terms so the screenshots show them. Installed when we are root.
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei; \
	else echo "Chromium is missing: 'sudo apt-get install chromium' to run the browser tests (they skip until then)"; fi

notebooks: $(STAMP)
	$(PY) tools/run_notebooks.py

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e ".[test,site]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^backprop-by-hand' > constraints.txt
	rm -rf .lock-venv
	@echo "constraints.txt refreshed: re-run 'make notebooks' and 'make test', since new versions can change printed digits."
