# Two commands on a fresh machine: `make run` (Kawal on SQLite in ./.kawal) and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: run demo test lint install assets bench train

run: install assets
	$(BIN)/kawal up

demo: install assets
	$(BIN)/kawal up --demo

test: install assets
	$(BIN)/ruff check kawal tests benchmarks training
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check kawal tests benchmarks training

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,train,bench]'
	touch $@

# Front-end packages come from the npm registry at install time; nothing is fetched at run time.
assets:
	@if [ -f package.json ]; then \
		[ -d node_modules ] || npm ci --no-audit --no-fund; \
		$(PYTHON) scripts/copy_assets.py; \
	fi

train: install
	$(BIN)/python training/train_tone.py

bench: install
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done
