# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Exported so that the links in e-mails (SITE_URL in development) point to the port the server runs on.
export PORT

.PHONY: run test e2e lint format messages check-messages clean bench

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

run: $(VENV)/.installed var/secret_key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo
	@echo "JIM runs on http://127.0.0.1:$(PORT)/  (demo accounts above, password jim-demo-2026 — demo only)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite; the browser tests skip themselves (with a message) where /usr/bin/chromium is missing.
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -rs

# Only the browser tests (Playwright + Debian's Chromium: apt-get install chromium).
e2e: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -rs -m e2e e2e

# The benchmark of issue 12 on PostgreSQL (BENCH_SCALE=1000 for a quick run); see README, "Benchmark".
bench: $(VENV)/.installed-dev
	bash bench/run.sh

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Update locale/nl from the code and templates, then compile the .mo that is committed.
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l nl --no-location --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l nl --ignore=.venv --ignore=var

# Fail if a string is untranslated or fuzzy, or if the committed .mo is not compiled from the .po.
check-messages: $(VENV)/.installed-dev
	bash .ci/check-messages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache staticfiles
