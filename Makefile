# Backprop by Hand: set-up, lab, tests. Every target creates .venv on first use and reuses it.
#   make lab    open the course in JupyterLab (first chapter)
#   make test   run the whole test suite (unit tests + strict nbval on every notebook)
#   make notebooks   re-execute every notebook in place (after editing one)
#   make lock   refresh constraints.txt from the newest versions the registries serve

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
FIRST_CHAPTER := notebooks/01_one_sample_one_step.ipynb
# JupyterLab refuses to run as root without --allow-root; add it only when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test notebooks lock

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Backprop by Hand needs Python 3.10 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	@touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) $(FIRST_CHAPTER)

test: $(STAMP)
	$(PY) -m pytest

notebooks: $(STAMP)
	$(PY) tools/run_notebooks.py

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e ".[test]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^backprop-by-hand' > constraints.txt
	rm -rf .lock-venv
	@echo "constraints.txt refreshed: re-run 'make notebooks' and 'make test', since new versions can change printed digits."
