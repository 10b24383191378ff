# The commands the README and CI use. Everything runs inside .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Test tools from the npm registry (the HTML checker, axe-core); see package.json.
NODE_INSTALLED := node_modules/.installed
# Local development runs with DEBUG on; the tests set their own environment.
DEV := DEBUG=1

.DELETE_ON_ERROR:
.PHONY: install run serve release cluster-test bench bench-live bench-desk bench-search load test lint format messages clean

install: $(INSTALLED)

$(INSTALLED): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Newsroom needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The SQLite database is seeded once, when it is created; later runs keep
# whatever editors changed.
db.sqlite3: | $(INSTALLED)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py loaddata seed

run: $(INSTALLED) db.sqlite3
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py create_editor
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The production server: gunicorn (deploy/gunicorn.conf.py) with static files by
# whitenoise. Needs the production environment: SECRET_KEY, ALLOWED_HOSTS, ...
# Run `make release` first, once per release (not on every node start).
serve: $(INSTALLED)
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

# The release step: migrations and static files (then `manage.py purge site`
# once every node runs the new code).
release: $(INSTALLED)
	$(BIN)/python manage.py release

# The site as a cluster on 127.0.0.1 under load (tests/cluster.py): Varnish,
# three nodes, PostgreSQL primary and replica, PgBouncer, Redis, S3.
cluster-test: $(INSTALLED)
	$(BIN)/python tests/cluster.py

# Requests per second and latency of the production server (bench/run.py).
bench: $(INSTALLED)
	$(BIN)/python bench/run.py

# A live page under load while an editor posts updates (bench/live.py).
bench-live: $(INSTALLED)
	$(BIN)/python bench/live.py

# The desk's dashboard lists at 100,000 articles (bench/desk.py); SQLite, or
# BENCH_DATABASE_URL=postgres://… (a database it may empty).
bench-desk: $(INSTALLED)
	$(BIN)/python bench/desk.py

# The search page at 100,000 articles (bench/search.py); SQLite, or
# BENCH_DATABASE_URL=postgres://… (a database it may empty).
bench-search: $(INSTALLED)
	$(BIN)/python bench/search.py

# 100 connections for 60 s while an editor saves (bench/load.py); PostgreSQL.
load: $(INSTALLED)
	cd bench && ../$(BIN)/python load.py

# The migrations check runs on a database in memory: it must not leave an
# empty db.sqlite3 that `make run` would then take for the seeded one.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV) DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

test: lint $(NODE_INSTALLED)
	$(DEV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh locale/uk after changing user-facing text; commit the .po and .mo.
messages: $(INSTALLED)
	$(DEV) $(BIN)/python manage.py makemessages --locale uk --no-obsolete --no-location --ignore '.venv/*' --ignore 'node_modules/*'
	$(DEV) $(BIN)/python manage.py makemessages --domain djangojs --locale uk --no-obsolete --no-location --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*'
	$(DEV) $(BIN)/python manage.py compilemessages --locale uk --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
