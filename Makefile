# Backprop by Hand: set-up, lab, tests. Every target creates .venv on first use and reuses it.
#   make lab    open the course in JupyterLab (first chapter), in your own copies in my-work/
#   make restore CHAPTER=05   put the course's version of a chapter back in my-work/ (yours kept as a backup)
#   make test   run the whole test suite (unit tests + strict nbval on every notebook; builds the
#               static pages first and checks them in Chromium, which it installs when missing)
#   make site   build the course as static pages in build/site/ (from the stored notebooks)
#   make notebooks   re-execute every notebook in place (after editing one)
#   make lock   refresh constraints.txt from the newest versions the registries serve, for every
#               supported Python (one interpreter each in LOCK_PYTHONS)

PYTHON ?= python3
# The Pythons the lock installs on and the chapters were checked with (README, "Set-up").
PYTHON_MIN := 3.11
PYTHON_MAX := 3.13
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# The student's copies of the chapters (git-ignored; tools/student_copy.py keeps them in step with notebooks/).
WORK   := my-work
FIRST_CHAPTER := $(WORK)/01_one_sample_one_step.ipynb
# Course-local JupyterLab settings (no "Jupyter news?" pop-up), added to the user's own, never written there.
export JUPYTER_CONFIG_PATH := $(CURDIR)/tools/jupyter_config$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))
# JupyterLab refuses to run as root without --allow-root; add it only when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab restore test notebooks lock site chromium

# The course multiplies small matrices; OpenBLAS's thread pool only adds waiting there (seen: a
# slider redraw 4x slower on a busy 2-core machine). One thread each, unless you say otherwise.
OPENBLAS_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS

# The same last digits on every x86-64 machine. NumPy and OpenBLAS pick their loops by CPU, and the
# AVX-512 ones round some results differently in the last bit; chaotic runs (chapter 11's training,
# chapter 8's 1000 RMSProp steps) grow that into other printed digits and pixels. The stored outputs
# use the AVX2 loops (NumPy's X86_V3, OpenBLAS's Haswell kernels), which every x86-64 CPU since 2013
# has; seen: on an AVX-512 machine without these, 11 notebook cells and one test differ. (NumPy
# ignores names it does not know, on ARM for instance; OpenBLAS's kernel is forced only where AVX2 is.)
NPY_DISABLE_CPU_FEATURES ?= X86_V4 AVX512_ICL AVX512_SPR
export NPY_DISABLE_CPU_FEATURES
ifneq ($(shell grep -qsw avx2 /proc/cpuinfo && grep -qsw fma /proc/cpuinfo && echo yes),)
OPENBLAS_CORETYPE ?= Haswell
export OPENBLAS_CORETYPE
endif

# Before the venv: a Python in the supported range, with ensurepip (Debian and Ubuntu ship it apart).
# Then the venv's pip is upgraded to the lock's (old pips cannot read newer packages' metadata).
$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "No '$(PYTHON)' found: install Python $(PYTHON_MIN) to $(PYTHON_MAX) and name it, e.g. make lab PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c 'import sys; lo, hi = [tuple(map(int, s.split("."))) for s in sys.argv[1:]]; sys.exit(None if lo <= sys.version_info[:2] <= hi else "Backprop by Hand needs Python %s to %s; $(PYTHON) is Python %s. See README, Set-up (or use conda: environment.yml)." % (sys.argv[1], sys.argv[2], sys.version.split()[0]))' $(PYTHON_MIN) $(PYTHON_MAX)
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); echo "$(PYTHON) cannot make a virtual environment without ensurepip: install the package python$$v-venv (Debian/Ubuntu: sudo apt install python$$v-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test,site]"
	@touch $(STAMP)

lab: $(STAMP)
	$(PY) tools/student_copy.py sync --work $(WORK)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) $(FIRST_CHAPTER)

restore: $(STAMP)
	$(PY) tools/student_copy.py restore $(CHAPTER) --work $(WORK)

# The test command also installs the `reference` extra: PyTorch, the independent reference that
# tests/test_torch_reference.py compares the course's numbers with (on CPython 3.11; students never need it).
# Only the extra's own requirements, read from pyproject.toml: the course and its other packages are in place,
# and resolving them all again costs pip about 10 s here.
REFERENCE_STAMP := $(VENV)/.reference-stamp
$(REFERENCE_STAMP): $(STAMP)
	$(PY) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["reference"]))' > $(VENV)/reference-requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r $(VENV)/reference-requirements.txt
	@touch $(REFERENCE_STAMP)

# The test files are spread over one worker process per core (pytest-xdist); each file, a notebook's
# cells included, runs whole in one worker, so module fixtures and a notebook's kernel are made once.
# The workers take the files in the order conftest.py gives them (JupyterLab's timing first, the slow ones last).
# Before them, PyTorch's install (mostly unpacking, one core) and the site build run side by side.
TEST_WORKERS ?= auto
test: $(STAMP)
	@$(MAKE) --no-print-directory -j3 $(REFERENCE_STAMP) site chromium
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The static pages load MathJax from the site itself: npm installs the locked version.
NPM_STAMP := node_modules/.installed-stamp
$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make site needs Node.js with npm (for MathJax): install it (Debian/Ubuntu: sudo apt install npm; others: https://nodejs.org)"; exit 1; }
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

# One interpreter per band of Pythons that gets its own versions: Debian 12's 3.11.2 (older than
# some releases' 3.11.5 floor) and CI's 3.11. Newer Pythons use the last band's versions, so 3.11 to
# 3.13 draw the same figures and print the same digits. (3.10 cannot: matplotlib 3.11 needs 3.11.)
LOCK_PYTHONS ?= /usr/bin/python3.11 python3.11
lock: $(STAMP)
	$(PY) tools/lock.py $(LOCK_PYTHONS)
	@echo "constraints.txt refreshed: re-run 'make notebooks' and 'make test', since new versions can change printed digits."
