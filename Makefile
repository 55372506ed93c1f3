PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test bench clean tmux

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	$(BIN)/mockmle

test: $(DEV_STAMP) tmux
	$(BIN)/python -m pytest -q

# The terminal smoke test (tests/test_tui_tmux.py) drives the real app in tmux. CI runs as root on a clean
# Debian box: install tmux there; anyone else gets a note and the test skips (unless MOCKMLE_REQUIRE_TMUX=1).
tmux:
	@if command -v tmux >/dev/null 2>&1; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing tmux for the terminal smoke test (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tmux >/dev/null; \
	else \
		echo "note: tmux is not installed, so the tmux smoke test (tests/test_tui_tmux.py) will be skipped"; \
	fi

bench: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m bench tests/benchmarks -s -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist *.egg-info
