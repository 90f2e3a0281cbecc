# motcua — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Development-only values for the demo; production sets real ones in the environment.
DEV_ENV := DEBUG=1 SECRET_KEY=dev-only-insecure-key-do-not-use-in-production
HOST ?= 127.0.0.1
PORT ?= 8000
# The address printed on slips (QR codes, lookup links) and sent in notifications: this server's, unless set.
# A server listening on every interface (HOST=0.0.0.0) is reached at this machine's first network address.
PUBLIC_HOST := $(if $(filter 0.0.0.0,$(HOST)),$(or $(firstword $(shell hostname -I 2>/dev/null)),127.0.0.1),$(HOST))
MOTCUA_PUBLIC_URL ?= http://$(PUBLIC_HOST):$(PORT)

.PHONY: install run test e2e lint lint-imports format messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "motcua needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo talks to a local simulator of the National Public Service Portal (dossier sync, portal login, dossiers
# submitted on the portal, the payment platform) unless NATIONAL_PORTAL_URL names another server. Test values only.
SIM_PORT ?= 8766
SIM_URL := http://127.0.0.1:$(SIM_PORT)
ifeq ($(strip $(NATIONAL_PORTAL_URL)),)
START_SIMULATOR := 1
PORTAL_ENV := NATIONAL_PORTAL_URL=$(SIM_URL) NATIONAL_PORTAL_USERNAME=motcua \
	NATIONAL_PORTAL_PASSWORD=simulator-password NATIONAL_PORTAL_UNIT_CODE=000.00.99.H06 \
	NATIONAL_PORTAL_DSTCODE=SIMULATOR NATIONAL_PORTAL_SSO_URL=$(SIM_URL) \
	NATIONAL_PORTAL_SSO_CLIENT_ID=motcua-simulator NATIONAL_PORTAL_SSO_CLIENT_SECRET=simulator-client-secret \
	VNEID_SSO_URL=$(SIM_URL) VNEID_SSO_CLIENT_ID=motcua-simulator VNEID_SSO_CLIENT_SECRET=simulator-client-secret \
	NATIONAL_PORTAL_INBOUND_SECRET=demo-only-inbound-key MOTCUA_PAYMENT_SANDBOX_URL=$(SIM_URL)
endif
RUN_ENV := $(DEV_ENV) $(PORTAL_ENV) MOTCUA_PUBLIC_URL=$(MOTCUA_PUBLIC_URL)

# `make run` serves the demo with the production application server (gunicorn, several worker processes; see
# motcua/gunicorn_conf.py and docs/DEPLOY.md) and starts beside it the portal simulator (see above), the National
# Public Service Portal outbox worker and the background task worker (notifications); all stop with the server.
# It does not reload on code changes: `motcua runserver` does, for development.
run: install
	$(RUN_ENV) $(BIN)/motcua migrate --noinput
	$(RUN_ENV) $(BIN)/motcua load_demo
	if [ -n "$(START_SIMULATOR)" ]; then \
	  $(RUN_ENV) $(BIN)/motcua portal_simulator --port $(SIM_PORT) --motcua-url http://$(HOST):$(PORT) & \
	fi; sim=$$!; \
	$(RUN_ENV) $(BIN)/motcua portal_outbox_worker & worker=$$!; \
	$(RUN_ENV) $(BIN)/motcua db_worker --no-reload --interval 1 & tasks=$$!; \
	trap 'kill $$sim $$worker $$tasks 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) MOTCUA_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c python:motcua.gunicorn_conf motcua.wsgi

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: install
	MOTCUA_REQUIRE_BROWSER=1 $(BIN)/pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The import contracts of .importlinter: the direction of the dependencies between the parts, no cycle.
lint-imports: install
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the translation catalogs of every part (needs GNU gettext); the compiled .mo files are committed.
messages: install
	cd src/motcua && for d in */; do if [ -d "$$d/locale" ]; then (cd $$d && $(DEV_ENV) ../../../$(BIN)/motcua makemessages -l en && $(DEV_ENV) ../../../$(BIN)/motcua compilemessages); fi; done
	# The shell's own catalog (templates/, settings.py, urls.py): every app folder is left to its own catalog.
	ignores=$$(cd src/motcua && for d in */; do [ -f "$$d/apps.py" ] && printf -- "-i %s* " "$$d"; done); set -f; cd src/motcua && $(DEV_ENV) ../../$(BIN)/motcua makemessages -l en $$ignores -i test_settings.py && $(DEV_ENV) ../../$(BIN)/motcua compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
