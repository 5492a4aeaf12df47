# One command per task; README.md names the two that matter: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install dev lock wheelhouse run parse-demo test lint typecheck unit test-postgres bench-parse bench-app bench-pages bench-docs bench-feedback bench-vagueness bench-similar system-deps messages clean

# What running needs; the developer tools (pytest, mypy, Playwright …) come with
# `dev`, which every target that checks the code asks for. Every package comes
# from the lock files in requirements/, pinned and checked against its hash;
# the project itself is installed last, with nothing more.
#
# WHEELHOUSE=folder installs from that folder alone, with no network: fill it
# with `make wheelhouse` on a machine that has one (README.md, "Deployment").
WHEELHOUSE ?=
PIP_FROM = $(if $(WHEELHOUSE),--no-index --find-links $(WHEELHOUSE))
LOCKED = $(BIN)/pip install --quiet --require-hashes $(PIP_FROM) -r
PROJECT = $(BIN)/pip install --quiet --no-deps --no-build-isolation $(PIP_FROM) -e .

$(BIN)/zhenggai: pyproject.toml requirements/run.lock
	scripts/bootstrap.sh python
	$(PYTHON) -m venv $(VENV)
	$(LOCKED) requirements/run.lock
	$(PROJECT)
	touch $@

$(VENV)/.dev: $(BIN)/zhenggai requirements/dev.lock
	$(LOCKED) requirements/dev.lock
	$(PROJECT)
	touch $@

# The lock files, after a change to the dependencies in pyproject.toml. Hashes
# are PyPI's (this machine's own package mirrors are left out), for every file
# of each pinned release, so the lock installs on any platform PyPI serves.
COMPILE = env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: dev
	$(COMPILE) --output-file requirements/run.lock pyproject.toml requirements/build.in
	$(COMPILE) --extra dev --output-file requirements/dev.lock pyproject.toml requirements/build.in

# Every file the lock names, for installing on a machine with no network.
wheelhouse: install
	$(BIN)/pip download --quiet --require-hashes --no-deps --dest wheelhouse \
		-r requirements/run.lock

install: $(BIN)/zhenggai

dev: $(VENV)/.dev

# LibreOffice (for .doc/.wps and the PDF tests) and a Chinese font, from Debian.
system-deps:
	scripts/bootstrap.sh test

# Migrate, load the demo (its users and passwords are printed) and serve on
# 127.0.0.1:8000 (ZHENGGAI_PORT) through gunicorn; DATABASE_URL for PostgreSQL.
run: install
	ZHENGGAI_BIN=$(BIN) scripts/run.sh

# The seed bulletins parsed and written back as text.
parse-demo: install
	@for f in tests/samples/*.txt; do echo "== $$f"; $(BIN)/zhenggai parse --format text "$$f" || exit 1; done

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: dev
	$(BIN)/mypy

# The database tests (all under tests/app) run a second time on a real
# PostgreSQL that scripts/postgres.sh starts and removes, since SQLite lets
# through what PostgreSQL rejects. Skipped only while tests/app does not exist.
POSTGRES_PASS = if [ -d tests/app ]; then \
		scripts/postgres.sh run $(BIN)/pytest tests/app -p no:cacheprovider; \
	else echo "no tests/app: PostgreSQL pass skipped"; fi

unit: dev
	$(BIN)/pytest
	$(POSTGRES_PASS)

test-postgres: dev
	$(POSTGRES_PASS)

test: system-deps lint typecheck unit

bench-parse: install
	$(BIN)/python scripts/bench_parse.py

# The read API under gunicorn on a county-scale synthetic ledger (SQLite); on
# PostgreSQL: scripts/postgres.sh run $(BIN)/python scripts/bench_app.py
bench-app: install
	$(BIN)/python scripts/bench_app.py

# The documents written from a ledger: the largest seed and a 60-problem inspection.
bench-docs: install
	$(BIN)/python scripts/bench_docs.py

# The pages of the journey, signed in, under gunicorn on the same data set (SQLite);
# on PostgreSQL: scripts/postgres.sh run $(BIN)/python scripts/bench_pages.py.
# SCALE=office: 300 organisations and 30,000 measures, the cockpit's target (issue 14).
bench-pages: install
	$(BIN)/python scripts/bench_pages.py $(if $(SCALE),--scale $(SCALE))

# Importing a 60-problem feedback .docx through the upload service, on SQLite.
bench-feedback: install
	$(BIN)/python scripts/bench_feedback_import.py

# The vagueness check of plan measures on the labelled set (tests/quality/):
# precision and recall, whole and held out, and the texts it gets wrong.
bench-vagueness: install
	$(BIN)/python scripts/bench_vagueness.py

# 举一反三: precision@5 and MRR on tests/similar/, the time per query among
# 30,000 problems, and the topic suggestion's accuracy.
bench-similar: install
	$(BIN)/python scripts/bench_similar.py

# The English catalogue. The Chinese strings of the apps and templates (not core,
# which has no Django) are the msgids; new ones are merged into
# src/zhenggai/locale/en/LC_MESSAGES/django.po for translating, then compiled.
# The .mo is committed, so `make run` needs no gettext. The creation date is
# dropped so that a run with no new string changes no file.
IN_SRC = cd src/zhenggai && ZHENGGAI_DATA_DIR=$(CURDIR)/var ../../$(BIN)/zhenggai
messages: install
	$(IN_SRC) makemessages --locale en --extension html,py --ignore core \
		--ignore demo_data --ignore migrations --add-location file --no-obsolete
	sed -i '/^"POT-Creation-Date: /d' src/zhenggai/locale/en/LC_MESSAGES/django.po
	$(IN_SRC) compilemessages --locale en

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis test-artifacts
