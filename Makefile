# Every target bootstraps .venv when it is missing, so a fresh clone needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format e2e bench install worker messages clean api-check

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# DEBUG is off unless set; the local site turns it on and links its e-mails to its own port.
run: export DEBUG = 1
run: export SITE_URL = http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py sync_roles -v 0
	$(PY) manage.py demo --if-empty
	@echo "Starting the background worker and the site on http://127.0.0.1:$(PORT)/"
	$(PY) manage.py db_worker & WORKER=$$!; \
	$(PY) manage.py nightly --loop & SCHED=$$!; \
	trap 'kill $$WORKER $$SCHED 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest -n 2 -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

e2e: $(STAMP)
	bash e2e/setup.sh
	$(PY) -m pytest e2e -q -p no:xdist

# Schemathesis over /api/schema/ against a throwaway demo site, bounded in time (.ci/api-check).
api-check: $(STAMP)
	bash .ci/api-check

bench: $(STAMP)
	$(PY) bench/run.py

# Translations: .po and the compiled .mo are both committed, so running needs no gettext.
messages: $(STAMP)
	$(PY) manage.py makemessages -l pl --ignore=.venv --ignore=bench --ignore=e2e --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* media/
