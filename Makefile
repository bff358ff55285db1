# Every target is a thin call into scripts/ or a tool; `make help` lists them.
# Each needs only python3 (3.11) on the machine: the scripts install uv and the virtualenv.

PYTHON ?= python3
DATA_DIR ?= .data

.DEFAULT_GOAL := help
.PHONY: help dev test check lint fmt openapi reset-dev clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

dev: ## Run the whole shop locally (http://localhost:8080); Ctrl-C stops it
	@$(PYTHON) scripts/dev.py

test: ## Lint, then every test suite on throwaway PostgreSQL/Redis (SUITES="e2e gateway" for some)
	@$(PYTHON) scripts/test.py $(SUITES)

check: ## Exactly what CI runs: lint and every test suite
	@$(PYTHON) scripts/test.py

lint: ## ruff check and ruff format --check
	@$(PYTHON) scripts/test.py lint

fmt: ## Format the code and apply ruff's safe fixes
	@$(PYTHON) scripts/bootstrap.py
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

openapi: ## Write each service's OpenAPI document into contracts/openapi/ (commit them)
	@$(PYTHON) scripts/bootstrap.py
	@$(PYTHON) scripts/openapi.py

# Load tests (loadtests/README.md): against any running shop, `make dev` by default.
.PHONY: loadtest loadtest-ui
loadtest: ## Locust journeys against a running shop, headless; report in reports/loadtest/, fails on broken SLOs
	@$(PYTHON) scripts/loadtest.py

loadtest-ui: ## Locust's web UI (http://localhost:8089) for the same journeys
	@$(PYTHON) scripts/loadtest.py --ui

.PHONY: bench
bench: ## Measure a fresh shop on PostgreSQL against its floors (about 10 min); see docs/performance.md
	@$(PYTHON) scripts/bench.py

# The shop in Docker (deploy/compose/README.md): every process of `make dev` in containers.
.PHONY: up down logs ps reset compose-smoke
COMPOSE_SANDBOX ?= ../shared/tools/compose-sandbox/compose-sandbox

up: ## Run the shop in Docker on http://localhost:8080 (creates deploy/compose/.env on first use)
	@$(PYTHON) scripts/compose_stack.py up

down: ## Stop the Docker stack; its data stays (see reset)
	@$(PYTHON) scripts/compose_stack.py down

logs: ## Follow the Docker stack's logs (SERVICE=orders-relay for one container)
	@$(PYTHON) scripts/compose_stack.py logs $(SERVICE)

ps: ## The Docker stack's containers with their state and health
	@$(PYTHON) scripts/compose_stack.py ps

reset: ## Stop the Docker stack and delete its volumes: databases, Redis, the JWT signing key
	@$(PYTHON) scripts/compose_stack.py reset

compose-smoke: ## Without Docker: build the images, run the stack with compose-sandbox, buy through it, stop it
	@$(PYTHON) scripts/bootstrap.py
	@$(PYTHON) scripts/compose_smoke.py --sandbox "$(COMPOSE_SANDBOX)"

reset-dev: ## Delete the local data of `make dev` (.data/ or DATA_DIR: databases, secrets, keys)
	rm -rf -- "$(DATA_DIR)"

clean: ## Delete caches and reports (keeps the local data; see reset-dev)
	rm -rf .pytest_cache .ruff_cache reports
	find . -name __pycache__ -type d -not -path "./.venv/*" -not -path "./frontend/node_modules/*" -prune -exec rm -rf {} +
