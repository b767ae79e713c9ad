# fastqueue: `make run` serves the API on a local database; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Ports of the local clusters: `make run DEV_PORT=54400` moves the development one.
DEV_PORT := 54329
TEST_PORT := 54330
DEV_URL := postgresql://fastqueue:fastqueue@127.0.0.1:$(DEV_PORT)/fastqueue
# The API runs as fastqueue_api, which may run the fastqueue functions and nothing else.
API_URL := postgresql://fastqueue_api:fastqueue@127.0.0.1:$(DEV_PORT)/fastqueue
TEST_URL := postgresql://fastqueue:fastqueue@127.0.0.1:$(TEST_PORT)/fastqueue
TEST_TARGET := db:pg://fastqueue:fastqueue@127.0.0.1:$(TEST_PORT)/fastqueue
export SQITCH_FULLNAME ?= fastqueue
export SQITCH_EMAIL ?= fastqueue@localhost
export PGPASSWORD := fastqueue

.PHONY: help setup doctor db run stop test lint test-db pgtap roundtrip schema schema-check \
	pytest bench bench-deps bench-quick

help:
	@echo "make run         set up the local database, then serve the API on 127.0.0.1:8000"
	@echo "make db          install what is missing, start the local database, deploy"
	@echo "make test        set up a throwaway database and run every check"
	@echo "make doctor      list what set-up would install or start"
	@echo "make stop        stop the local databases"
	@echo "make schema      regenerate db/schema.sql from a fresh deploy"
	@echo "make bench       run the benchmarks (bench-quick: under three minutes)"

setup db:
	FQ_PGPORT=$(DEV_PORT) scripts/setup

# Ctrl-C stops the server; `make stop` stops the database.
run: db
	fastqueue_database_url=$(API_URL) fastqueue_enable_prometheus_metrics=true \
		$(VENV)/bin/fastqueue server

doctor:
	FQ_PGPORT=$(DEV_PORT) scripts/setup --dry-run

stop:
	FQ_PGPORT="$(DEV_PORT) $(TEST_PORT)" scripts/stop

# --- tests ------------------------------------------------------------------------

# The throwaway cluster stops when every check passed, and stays up for a look
# when one failed.
test: test-db lint pgtap roundtrip schema-check pytest
	FQ_PGPORT=$(TEST_PORT) scripts/stop
	@echo "make test: all checks passed"

test-db:
	FQ_PGPORT=$(TEST_PORT) FQ_DBNAME=fastqueue scripts/setup --fresh

lint: test-db
	$(VENV)/bin/ruff check api tests bench
	$(VENV)/bin/ruff format --check api tests bench
	$(VENV)/bin/mypy

pgtap: test-db
	pg_prove --ext .sql -h 127.0.0.1 -p $(TEST_PORT) -U fastqueue -d fastqueue db/tests/

# Revert every change and deploy again: proves the revert scripts undo everything;
# then every verify script must pass on the deployed schema.
roundtrip: pgtap
	sqitch --quiet revert -y --target $(TEST_TARGET)
	scripts/check-empty $(TEST_PORT)
	sqitch --quiet deploy --target $(TEST_TARGET)
	sqitch --quiet verify --target $(TEST_TARGET)

schema-check: roundtrip
	scripts/dump-schema $(TEST_PORT) | diff -u db/schema.sql - \
		|| { echo "db/schema.sql is stale: run 'make schema' and commit it"; exit 1; }

pytest: schema-check
	FASTQUEUE_TEST_DATABASE_URL=$(TEST_URL) $(VENV)/bin/pytest -q

schema: test-db
	scripts/dump-schema $(TEST_PORT) > db/schema.sql

# --- benchmarks (by hand; never part of make test) ---------------------------------

# The benchmarks use their own cluster (port 54331, recreated by bench/run.py), not
# the one of `make run`: set-up installs what is missing without deploying there.
# The bench extra brings the HTTP load generator (aiohttp); run.py installs wrk
# with apt-get when it runs as root and skips the wrk scenario otherwise.
bench-deps:
	FQ_PGPORT=$${FQ_BENCH_PGPORT:-54331} scripts/setup --no-deploy
	$(VENV)/bin/pip install -q -e '.[dev,bench]'

bench: bench-deps
	$(VENV)/bin/python bench/run.py

bench-quick: bench-deps
	$(VENV)/bin/python bench/run.py --quick
