PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench eval clean tmux toolchain audio

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

# The dev extra includes llama-cpp-python, built from source: the first install compiles llama.cpp (minutes).
# llama.cpp builds for the CPU it is compiled on by default, and pip caches that wheel: one built on a machine with
# AVX-512 dies on the first completion on one without (the likely cause of CI losing its model server mid-suite). So it
# is built for any x86-64 with AVX2 (GGML_NATIVE=OFF), and cached apart from pip's own cache so an older native
# wheel is never picked up. The version comes from pyproject.toml's dev extra.
LLAMA_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mockmle/pip-portable-llama
$(DEV_STAMP): $(STAMP) | toolchain
	@$(BIN)/python -c 'import llama_cpp' 2>/dev/null || { \
		echo "Installing dev dependencies; compiling llama.cpp for llama-cpp-python takes a few minutes the first time"; \
		CMAKE_ARGS="-DGGML_NATIVE=OFF" PIP_CACHE_DIR="$(LLAMA_CACHE)" $(BIN)/pip install --quiet \
			"$$(grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml)"; }
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP) audio
	$(BIN)/mockmle

test: $(DEV_STAMP) tmux audio
	$(BIN)/python -m pytest -q

# Static checks; CI runs them before the tests and fails on any finding (configuration in pyproject.toml).
lint: $(DEV_STAMP)
	$(BIN)/ruff check mockmle tests tools
	$(BIN)/mypy

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

# Recording spoken answers (sounddevice) needs the PortAudio library; `speak = "espeak"` reads questions aloud with
# espeak-ng. CI (root, clean Debian) installs both; anyone else gets a note, and the recording tests skip without
# PortAudio (unless MOCKMLE_REQUIRE_AUDIO=1). ldconfig lives in /sbin, off a normal user's PATH.
audio:
	@if { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libportaudio\.so\.2' && command -v espeak-ng >/dev/null 2>&1; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing PortAudio and espeak-ng for spoken answers and their tests (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libportaudio2 espeak-ng >/dev/null; \
	else \
		echo "note: libportaudio2 or espeak-ng is not installed: without PortAudio recording is off and its tests skip; without espeak-ng questions are not read aloud"; \
	fi

# llama-cpp-python's build needs a C and a C++ compiler; CMake and Ninja come from PyPI through pip's build
# isolation when the system has none. CI (root, clean Debian) gets the compilers from apt-get.
toolchain:
	@if command -v cc >/dev/null 2>&1 && command -v c++ >/dev/null 2>&1; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing a C/C++ compiler to build llama-cpp-python (apt-get)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc g++ libc6-dev >/dev/null; \
	else \
		echo "note: no C/C++ compiler found; installing llama-cpp-python (the dev extra) will fail without one"; \
	fi

bench: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m bench tests/benchmarks -s -p no:cacheprovider

# The judge against human grades: the calibration set's test and dev parts, and the outside datasets in
# $MOCKMLE_EVAL_DATA or ~/.cache/mockmle/eval (tools/eval_data.py fills it; a missing one is skipped with a note).
eval: $(STAMP)
	$(BIN)/mockmle calibrate --judge offline --dataset all

clean:
	rm -rf $(VENV) build dist *.egg-info
