# The two commands: `make run` and `make test`. Everything lives in .venv/ at the project root.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install install-dev browser run test lint format bench lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed (set PYTHON=...)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.installed-base
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $@

## install: build .venv/ with the pinned runtime dependencies
install: $(VENV)/.installed-base

install-dev: $(VENV)/.installed-dev

## run: migrate the embedded database, load the seeds, serve on 127.0.0.1:$(PORT)
run: install
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py demo_admin
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_seeds
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: /admin/, API: /api/v1/)"
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py serve 127.0.0.1:$(PORT)

## browser: Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium with apt-get: the browser tests will be skipped"; \
	  else \
	    echo "chromium is missing and this user cannot apt-get install it: the browser tests will be skipped"; \
	  fi; }

## test: install the test tools and run the whole suite
test: install-dev browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: engine throughput vs quantulum3, grouping at 100k and 1M claims, verification on
## our annotated reports (engine and service) and a 200 KB report, (with a PostgreSQL
## DATABASE_URL) a new document against BENCH_VERIFY_CLAIMS claims and the API page at
## BENCH_API_CLAIMS claims, (with REDIS_URL too) the ingest pipeline cases (a) and (b), and
## case (b) on the embedded SQLite default. Figures: README.
BENCH_API_CLAIMS ?= 1000000
BENCH_DESK_CLAIMS ?= 1000000
BENCH_VERIFY_CLAIMS ?= 1000000
VERIFY_SETS := $(addprefix tests/verification/bench/,reports.json heldout.json heldout2.json heldout3.json heldout4.json heldout5.json heldout6.json heldout7.json heldout8.json)
bench: install-dev
	$(BIN)/pip install --quiet -r requirements/bench.txt
	$(BIN)/python -m verifier bench
	$(BIN)/python -m verifier.grouping --claims 100000 1000000
	@for set in $(VERIFY_SETS); do $(BIN)/python -m verifier.relbench $$set; done
	@case "$${DATABASE_URL:-}" in \
	  postgres*) $(BIN)/python manage.py bench_verify $(addprefix --set ,$(VERIFY_SETS)) --report-kb 200 --claims $(BENCH_VERIFY_CLAIMS) && \
	    $(BIN)/python manage.py bench_api --claims $(BENCH_API_CLAIMS) ;; \
	  *) rm -f var/bench-verify.sqlite3; mkdir -p var; export DATABASE_URL=sqlite:///$(CURDIR)/var/bench-verify.sqlite3; \
	     $(BIN)/python manage.py migrate --noinput -v0 && $(BIN)/python manage.py bench_verify $(addprefix --set ,$(VERIFY_SETS)) --report-kb 200; \
	     echo "bench_verify --claims and bench_api skipped: set DATABASE_URL to a PostgreSQL database (they add benchmark rows; --clear removes them)" ;; \
	esac
	@# The review desk: every claim-list filter and the dashboard, at 100,000 claims on a
	@# throwaway SQLite file and (with a PostgreSQL DATABASE_URL) at BENCH_DESK_CLAIMS there.
	mkdir -p var/bench-desk
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-desk/desk.sqlite3 VAR_DIR=$(CURDIR)/var/bench-desk $(BIN)/python manage.py migrate -v0
	DATABASE_URL=sqlite:///$(CURDIR)/var/bench-desk/desk.sqlite3 VAR_DIR=$(CURDIR)/var/bench-desk $(BIN)/python manage.py bench_desk --claims 100000
	@case "$${DATABASE_URL:-}" in \
	  postgres*) $(BIN)/python manage.py bench_desk --claims $(BENCH_DESK_CLAIMS) ;; \
	  *) echo "bench_desk on PostgreSQL skipped: set DATABASE_URL to a PostgreSQL database (--clear removes its rows)" ;; \
	esac
	@case "$${DATABASE_URL:-}:$${REDIS_URL:-}" in \
	  postgres*:redis*) $(BIN)/python manage.py bench_pipeline ;; \
	  *) echo "bench_pipeline (a), (b) skipped: set DATABASE_URL to PostgreSQL and REDIS_URL (each case runs in a database of its own, dropped after)" ;; \
	esac
	$(BIN)/python manage.py bench_pipeline --sqlite --cases b

## lock: re-resolve requirements/*.in into the fully pinned requirements/*.txt
lock:
	PYTHON=$(PYTHON) requirements/lock.sh

clean:
	rm -rf $(VENV) var
