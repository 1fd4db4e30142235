# Quiver — the targets the README names. CMake presets do the real work.
#   make run          build (release) and start the quiver CLI on examples/data
#   make test         build with ASan+UBSan and run every test, then the
#                     concurrency tests under TSan and the fuzz smoke (what CI runs)
#   make fuzz-smoke   build the libFuzzer targets (clang) and run each briefly
#   make format/lint  clang-format / clang-tidy over the sources
#   make bench        build release and run the benchmarks in bench/

SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.PHONY: deps run build test tsan-test fuzz-smoke format lint bench clean

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
	@$(MAKE) --no-print-directory tsan-test
	@$(MAKE) --no-print-directory fuzz-smoke

# The runners whose tests exercise threads (thread pool, memory pool, arrays
# shared between threads), under ThreadSanitizer; any report fails the run.
tsan-test: deps
	@cmake --preset tsan >/dev/null
	@cmake --build build/tsan -j $(JOBS) --target unit_base unit_arrow
	@TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/unit_base
	@TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/unit_arrow

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
