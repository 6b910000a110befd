# One Makefile for the portal. `make run` and `make test` need nothing but Python 3.11:
# with no DATABASE_URL they start a private PostgreSQL (scripts/withdb.py).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WITHDB := $(PY) scripts/withdb.py --
# Development commands run with DEBUG on (production settings refuse to start without their secrets).
DEV := DEBUG=$${DEBUG:-1}
STAMP := $(VENV)/.installed

.PHONY: run test lint install browser migrate demo manage shell serve bench bench-import soak chaos wrk check backup restore clean \
	cluster cluster-test

# A venv left half-made (interrupted, or made without pip) is made again.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(VENV)/bin/pip || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The mail sender (core/mail.py) in the background of a shell command, stopped (and waited for) when the
# shell ends, however it ends: $(call WITH_MAIL_SENDER,command).
WITH_MAIL_SENDER = $(PY) manage.py mail_sender & sender=$$!; \
	trap "kill $$sender 2>/dev/null; wait $$sender" EXIT; trap "exit 130" INT TERM HUP; $(1)

# Set up the database (migrate, demo content once, an admin account), then serve on :8000, with the mail
# sender beside the web server (e-mails are printed on the console: DEBUG's delivery backend).
run: install
	$(DEV) $(WITHDB) sh -c '$(PY) manage.py migrate --noinput && \
		$(PY) manage.py load_demo --if-empty && \
		$(PY) manage.py feedback_demo && \
		$(PY) manage.py load_state_demo && \
		$(PY) manage.py load_pages_demo && $(PY) manage.py load_navigation_demo && \
		$(PY) manage.py load_sections_demo && $(PY) manage.py load_agenda_demo && $(PY) manage.py load_consultation_demo && $(PY) manage.py load_gallery_demo && \
		$(PY) manage.py media_backfill && $(PY) manage.py stats_demo --days 90 && $(PY) manage.py ensure_admin && \
		{ $(call WITH_MAIL_SENDER,$(PY) manage.py runserver 127.0.0.1:8000); }'

# Any manage.py command on the same private PostgreSQL and development settings as `make run`
# (it shares the server with a running `make run`): make manage ARGS="createsuperuser".
manage: install
	$(DEV) $(WITHDB) $(PY) manage.py $(ARGS)

shell: install
	$(DEV) $(WITHDB) $(PY) manage.py shell

# What the browser tests need from Debian (chromium, libatomic1 for Playwright's driver, fonts with
# Vietnamese glyphs): installed as root or with password-less sudo, else one line saying what to run.
# Runs before the venv is made, so a user who cannot install them is told at once.
browser:
	@$(PYTHON) scripts/browserdeps.py

# The whole suite; a stuck test fails by name after pytest-timeout's ceiling (pyproject.toml).
test: browser install
	DJANGO_SETTINGS_MODULE=portal.settings_test $(WITHDB) sh -c '$(PY) manage.py makemigrations --check --dry-run >/dev/null && \
		$(PY) -m pytest --durations=25 $(PYTEST_ARGS)'

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(DEV) $(WITHDB) $(PY) manage.py check

migrate: install
	$(DEV) $(WITHDB) $(PY) manage.py migrate --noinput

demo: install
	$(DEV) $(WITHDB) sh -c '$(PY) manage.py load_demo && $(PY) manage.py feedback_demo && $(PY) manage.py load_state_demo && \
		$(PY) manage.py load_pages_demo && $(PY) manage.py load_navigation_demo && \
		$(PY) manage.py load_sections_demo && $(PY) manage.py load_agenda_demo && $(PY) manage.py load_consultation_demo && $(PY) manage.py load_gallery_demo && \
		$(PY) manage.py media_backfill && $(PY) manage.py stats_demo --days 90'

# Production mode: gunicorn (gunicorn.conf.py) and the mail sender, DEBUG off, whitenoise's hashed static files.
# Needs the production environment (see .env.example): SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS.
serve: install
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 sh -c '$(call WITH_MAIL_SENDER,$(VENV)/bin/gunicorn -c gunicorn.conf.py portal.wsgi:application)'

wrk:
	@command -v wrk >/dev/null || { \
		echo "Installing wrk (Debian package) for the benchmark…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# Prints a table of requests/s, latency, errors and memory (docs/performance.md). BENCH_ARGS="--articles 100000".
bench: install wrk
	$(PY) scripts/bench.py $(BENCH_ARGS)

# How fast import_site brings in generated old pages with their photos, first and second run (docs/performance.md).
# BENCH_IMPORT_ARGS="--pages 1000 --workers 2 --http"; the database is BENCH_DATABASE (default portal_bench_import).
bench-import: install
	$(PY) scripts/bench_import.py $(BENCH_IMPORT_ARGS)

# 200 clients for 60 s reading pages and sending feedback; checks no 5xx, each acknowledged feedback
# stored once, exact view counts (docs/performance.md, "Soak"). SOAK_ARGS="--clients 200 --duration 60".
soak: install
	$(PY) scripts/soak.py $(SOAK_ARGS)

# Faults under load (scripts/chaos.py): the SMTP server stopped then a tarpit, PostgreSQL away 30 s, a gunicorn
# worker SIGKILLed, a full disk for backups (a tmpfs: root only, else skipped). Prints a table: what readers saw,
# what was lost, recovery (docs/security.md, "Faults"). CHAOS_ARGS="--clients 12 --db-down 30".
chaos: install
	$(PY) scripts/chaos.py $(CHAOS_ARGS)

# Two app servers behind nginx (127.0.0.1:8080) with Redis and a streaming PostgreSQL replica, all on this
# machine (scripts/cluster.py, docs/deploy.md "Growing past one machine"); Ctrl-C stops everything.
# Needs Debian's nginx and redis-server: installed when root, otherwise it says what to install.
cluster: install
	$(PY) scripts/cluster.py

# Tests against a running cluster of its own (tests_cluster/, not part of `make test`): failover, exact counts
# and rate limits across servers, the replica stopped. Prints a table of what it measured.
cluster-test: install
	$(PY) scripts/cluster.py --deps-only
	$(PY) -m pytest tests_cluster -p no:django -p no:cacheprovider -q $(PYTEST_ARGS)

# Timestamped pg_dump (custom format) and media archive in var/backups/.
backup: install
	$(WITHDB) $(PY) scripts/backup.py backup

# make restore FILE=var/backups/portal-YYYYmmdd-HHMMSS.dump
restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/portal-….dump"; exit 2; }
	$(WITHDB) $(PY) scripts/backup.py restore $(FILE)

clean:
	rm -rf $(VENV) staticfiles var/test-media .pytest_cache
