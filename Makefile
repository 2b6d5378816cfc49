# Thin wrappers over dev.py, so `make X` and `python dev.py X` are the same command.
PYTHON ?= python3

.PHONY: run test bench chaos deploy-check docs postman api-docs setup lint format help

help:  ## list the targets
	@$(PYTHON) dev.py --help

run:  ## set up and run the shop at http://127.0.0.1:8000/
	$(PYTHON) dev.py run

test:  ## set up and run every test suite (ARGS="-k orders" or ARGS="--service orders")
	$(PYTHON) dev.py test $(ARGS)

bench:  ## measure both stacks side by side (make bench ARGS=--quick for a smoke test)
	$(PYTHON) dev.py bench $(ARGS)

chaos:  ## crash both stacks' processes on a schedule, then audit them (ARGS=--quick)
	$(PYTHON) dev.py chaos $(ARGS)

deploy-check:  ## production settings pass `manage.py check --deploy`
	$(PYTHON) dev.py deploy-check

docs:  ## serve the docs site at http://127.0.0.1:8008/ (ARGS=--build: only build it)
	$(PYTHON) dev.py docs $(ARGS)

postman:  ## run the Postman collection with newman against `make run`'s stacks
	$(PYTHON) dev.py postman $(ARGS)

api-docs:  ## export the OpenAPI schemas and build the Postman collection (docs/api/)
	$(PYTHON) dev.py api-docs $(ARGS)

setup:  ## only create .venv and install
	$(PYTHON) dev.py setup

lint:  ## ruff and mypy, as CI runs them
	$(PYTHON) dev.py lint

format:  ## let ruff fix what it can
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .
