# Every target bootstraps .venv when it is missing, so a fresh clone needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve test lint format e2e bench bench-surge bench-evaluation bench-consultations bench-venues bench-newsletter bench-library bench-surveys install worker messages clean api-check

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

# The site as in production, on the embedded database: DEBUG off, gunicorn with
# gunicorn.conf.py (2 sync workers per core), static files collected and served by
# WhiteNoise from the manifest, the background worker and the scheduler beside it.
# What differs from a real deployment, and why:
# - SECRET_KEY: with DEBUG=0 settings.py has no default and Django refuses to start, so a
#   random key is made once into $(SERVE_KEY) (inside .venv, so git-ignored, and kept
#   between runs so that sessions survive a restart). A SECRET_KEY in the environment wins.
# - SECURE_SSL_REDIRECT=0: there is no TLS proxy in front locally (settings.py reads it).
#   Cookies stay Secure, which browsers accept on 127.0.0.1 and localhost.
# - E-mail to the console: there is no SMTP relay locally (EMAIL_BACKEND=... overrides).
SERVE_KEY := $(VENV)/.serve-secret-key
EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend

$(SERVE_KEY): | $(STAMP)
	umask 077; $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: export DEBUG = 0
serve: export SECURE_SSL_REDIRECT = 0
serve: export SITE_URL = http://127.0.0.1:$(PORT)
serve: export PORT := $(PORT)
serve: export EMAIL_BACKEND := $(EMAIL_BACKEND)
serve: $(STAMP) $(SERVE_KEY)
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat $(SERVE_KEY))}"; set -e; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) manage.py sync_roles -v 0; \
	$(PY) manage.py demo --if-empty; \
	$(PY) manage.py collectstatic --noinput -v 0; \
	echo "Starting the background worker and the site (gunicorn) on http://127.0.0.1:$(PORT)/"; \
	$(PY) manage.py db_worker & WORKER=$$!; \
	$(PY) manage.py nightly --loop & SCHED=$$!; \
	trap 'kill $$WORKER $$SCHED 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wspolpraca.wsgi

# e2e/setup.sh: the system packages the tests need (Pango and fonts for the PDFs, chromium).
test: $(STAMP)
	bash e2e/setup.sh
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
	$(PY) -m pytest e2e -q -n 2

# Schemathesis over /api/schema/ against a throwaway demo site, bounded in time (.ci/api-check).
api-check: $(STAMP)
	bash .ci/api-check

# Server time (bench/run.py), then throughput under gunicorn with wrk (bench/load.py),
# both at 150,000 organizations on SQLite and PostgreSQL; bench/setup.sh installs wrk.
# BENCH_ARGS go to both, e.g. `make bench BENCH_ARGS="--orgs 2000 --db sqlite"` for a quick
# check of the whole path.
BENCH_ARGS ?=
bench: $(STAMP)
	bash bench/setup.sh
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/load.py $(BENCH_ARGS)
	$(PY) bench/surge.py $(SURGE_ARGS)
	$(PY) bench/evaluation.py $(EVALUATION_ARGS)
	$(PY) bench/consultations.py $(CONSULTATIONS_ARGS)
	$(PY) bench/venues.py $(VENUES_ARGS)
	$(PY) bench/newsletter.py $(NEWSLETTER_ARGS)
	$(PY) bench/library.py $(LIBRARY_ARGS)
	$(PY) bench/surveys.py $(SURVEYS_ARGS)

# The deadline surge alone (bench/surge.py): 200 final submits in a call's last minute on a
# real server, on SQLite and PostgreSQL; e.g. `make bench-surge SURGE_ARGS="--db sqlite"`.
SURGE_ARGS ?=
bench-surge: $(STAMP)
	$(PY) bench/surge.py $(SURGE_ARGS)

# Translations: .po and the compiled .mo are both committed, so running needs no gettext.
messages: $(STAMP)
	$(PY) manage.py makemessages -l pl --ignore=.venv --ignore=bench --ignore=e2e --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3* media/

# Evaluation and open data at scale (bench/evaluation.py): the ranking of 2,000 offers,
# the statistics over ten years and the 360Giving export on a real server, both databases;
# e.g. `make bench-evaluation EVALUATION_ARGS="--db sqlite"`.
bench-evaluation: $(STAMP)
	$(PY) bench/evaluation.py $(EVALUATION_ARGS)

# Consultations and the postulate tracker at scale (bench/consultations.py): a consultation
# of 2,000 postulates, its report and PDF, and 5,000 tracked postulates on a real server,
# both databases; e.g. `make bench-consultations CONSULTATIONS_ARGS="--db sqlite"`.
CONSULTATIONS_ARGS ?=
bench-consultations: $(STAMP)
	$(PY) bench/consultations.py $(CONSULTATIONS_ARGS)

# Rooms at scale (bench/venues.py): the room search "free on date X" over 500 rooms and
# 100,000 bookings on a real server; e.g. `make bench-venues VENUES_ARGS="--db sqlite"`.
VENUES_ARGS ?=
bench-venues: $(STAMP)
	$(PY) bench/venues.py $(VENUES_ARGS)

# The weekly digest for 50,000 subscribers (bench/newsletter.py), time and peak memory;
# e.g. `make bench-newsletter NEWSLETTER_ARGS="--db sqlite"`.
NEWSLETTER_ARGS ?=
bench-newsletter: $(STAMP)
	$(PY) bench/newsletter.py $(NEWSLETTER_ARGS)

# The research library's search over 20,000 studies (bench/library.py) and a survey's
# results with 20,000 responses (bench/surveys.py), each on a real server; e.g.
# `make bench-library LIBRARY_ARGS="--db sqlite"`.
LIBRARY_ARGS ?=
SURVEYS_ARGS ?=
bench-library: $(STAMP)
	$(PY) bench/library.py $(LIBRARY_ARGS)

bench-surveys: $(STAMP)
	$(PY) bench/surveys.py $(SURVEYS_ARGS)
