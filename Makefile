# Accord: `make run` serves the demo on embedded defaults; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
REQ_HASH := $(shell cat requirements.txt | sha1sum | cut -c1-12)
TEST_HASH := $(shell cat requirements.txt requirements-test.txt | sha1sum | cut -c1-12)

.PHONY: run test install install-test web worker migrate demo lint audit plain-install bench-import clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.deps-$(REQ_HASH): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-deps-$(TEST_HASH): requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.deps-$(REQ_HASH)

# Browser tests drive Debian's chromium; install it when it is missing.
install-test: $(VENV)/.test-deps-$(TEST_HASH)
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

# The web server and a Celery worker together; Ctrl+C stops both.
# The worker starts without its banner; the "running at" lines come last, once the web
# server accepts connections (a bare TCP connect: no request line in its log).
run: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@PYTHONWARNINGS="ignore:You're running the worker with superuser privileges" $(BIN)/celery -A annotator --quiet worker --loglevel=ERROR --concurrency=2 & WORKER=$$!; \
	  $(SERVE) --bind $(HOST):$(PORT) --workers 2 --threads 4 & WEB=$$!; \
	  trap 'kill $$WORKER $$WEB 2>/dev/null; wait $$WORKER $$WEB 2>/dev/null' EXIT INT TERM; \
	  until $(BIN)/python -c "import socket; socket.create_connection(('$(HOST)', $(PORT)), 1).close()" 2>/dev/null; do \
	    kill -0 $$WEB 2>/dev/null || exit 1; sleep 0.3; done; \
	  echo ""; \
	  echo "Accord is running at http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"; \
	  echo "Sign in as lead, ana, ben or chloe with the password accord-demo."; \
	  echo "Annotators find work in the practice project: http://$(HOST):$(PORT)/p/demo-practice/annotate/"; \
	  echo "Another port: make run PORT=8400. Stop with Ctrl+C."; \
	  echo ""; \
	  wait $$WEB

# gunicorn (sync WSGI app: no async hop per request) with kept-alive connections, TCP_NODELAY
# (gunicorn sets it), threads, and the app imported once before forking (--preload).
SERVE := $(BIN)/gunicorn annotator.wsgi --preload --worker-class gthread --keep-alive 30 --log-level warning

web: install
	$(SERVE) --bind $(HOST):$(PORT) --workers 3

worker: install
	$(BIN)/celery -A annotator worker --loglevel=INFO

lint: install-test
	$(BIN)/ruff check annotator api frontend tests bench clients

test: install-test
	$(BIN)/ruff check annotator api frontend tests bench clients
	$(BIN)/bandit -q -r annotator api frontend --ini .bandit --severity-level high
	$(BIN)/mypy
	bash .ci/audit
	node --test $$(find tests -name "*.test.mjs" | sort)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

audit: install-test
	bash .ci/audit

# every export format on a virtualenv made from requirements.txt alone (cached by its hash)
plain-install:
	bash .ci/plain-install

bench-import: install-test
	$(BIN)/python bench/run.py import

clean:
	rm -rf var test-artifacts
