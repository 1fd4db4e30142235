# Quiver — the targets the README names. CMake presets do the real work.
#   make run          build (release) and start the quiver CLI on examples/data
#   make test         build with ASan+UBSan and run every test (what CI runs)
#   make fuzz-smoke   build the libFuzzer targets (clang) and run each briefly
#   make format/lint  clang-format / clang-tidy over the sources
#   make bench        build release and run the benchmarks in bench/

SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.PHONY: deps run build test unit fuzz-smoke format lint bench clean

deps:
	@scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build build/release -j $(JOBS) --target quiver_cli

run: build
	@build/release/quiver --data examples/data

test: deps
	@cmake --preset debug >/dev/null
	@cmake --build build/debug -j $(JOBS)
	@cd build/debug && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz-smoke

fuzz-smoke: deps
	@scripts/fuzz-smoke $(FUZZ_SECONDS)

format:
	@clang-format -i $(SOURCES)

lint: deps
	@cmake --preset debug >/dev/null
	@clang-tidy -p build/debug --quiet $(filter %.c,$(SOURCES))

bench: build
	@if [ -x bench/run ]; then bench/run; else echo "no benchmarks yet"; fi

clean:
	rm -rf build
