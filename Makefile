# One entry point for people and CI.
#   make site    set up .venv (Python 3.12+, pinned packages) and build the course into site/
#   make serve   the same, then serve it at http://127.0.0.1:8000 with live reload
#   make test    every test: engine, a strict build of the real course, headless Chromium
#   make bench   the benchmarks in bench/ (numbers go into README.md)

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

AXE    := node_modules/axe-core/axe.min.js

.PHONY: site serve test bench lock clean

$(STAMP): requirements.txt requirements-test.txt constraints.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt -c constraints.txt
	@touch $@

site: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# --no-strict: a broken example shows its error in the page and the server keeps running.
serve: $(STAMP)
	$(VENV)/bin/mkdocs serve --no-strict

# The browser tests drive Debian's Chromium (apt-get install chromium) and inject axe-core.
$(AXE): package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

test: $(STAMP) $(AXE)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/run.py

# Re-pin every transitive package after editing requirements*.txt.
lock:
	rm -rf .lock-venv && "$$(scripts/find-python)" -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.txt -r requirements-test.txt
	(echo "# Every package of requirements.txt and requirements-test.txt with all it pulls in, pinned."; \
	 echo "# Regenerate: make lock"; .lock-venv/bin/pip freeze) > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf site .cache node_modules
