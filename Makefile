# Every target bootstraps .venv from pyproject.toml, so a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test app bench lint docs clean browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/caseload-sim run --out results/default --report

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

# The planners' web app on http://127.0.0.1:8501 (runs kept in results/app/); Ctrl-C stops it.
app: $(STAMP)
	$(BIN)/caseload-sim app

# Debian's chromium, for the headless browser check of the HTML report (tests/test_report_browser.py).
browser:
	@if test -x /usr/bin/chromium; then \
		echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null || echo present)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "make browser: no /usr/bin/chromium and no apt-get; install chromium by hand to run the browser check"; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks experiments
	$(BIN)/ruff format --check src tests benchmarks experiments
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/caseload-sim schema --markdown > docs/scenario-reference.md
	$(BIN)/caseload-sim kpis --markdown > docs/kpis.md

clean:
	rm -rf $(VENV) results .pytest_cache .hypothesis
