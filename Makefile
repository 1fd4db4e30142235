# Quiver — the targets the README names. CMake presets do the real work.
#   make run          build (release) and start the quiver CLI on examples/data
#   make test         build with ASan+UBSan and run every test, then the
#                     concurrency tests under TSan and the fuzz smoke (what CI runs)
#   make fuzz-smoke   build the libFuzzer targets (clang) and run each briefly
#   make format/lint  clang-format / clang-tidy over the sources
#   make bench        build release and run the benchmarks in bench/
#   make slt-test     our tests/slt (must all pass, in three configurations) and
#                     the conformance corpus against the committed baseline
#   make conformance  build release quiver-slt, run the whole visible corpus,
#                     print the report and regenerate docs/conformance.md
#   make slt-baseline rewrite tests/slt/conformance-baseline.tsv from a run

SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

.PHONY: deps run build test tsan-test fuzz-smoke format lint bench clean \
        slt-build slt-test slt-baseline conformance

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
	@$(MAKE) --no-print-directory slt-test
	@$(MAKE) --no-print-directory tsan-test
	@$(MAKE) --no-print-directory fuzz-smoke

# The runners whose tests exercise threads (thread pool, memory pool, arrays
# shared between threads), under ThreadSanitizer; any report fails the run.
tsan-test: deps
	@cmake --preset tsan >/dev/null
	@cmake --build build/tsan -j $(JOBS) --target unit_base unit_arrow
	@TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/unit_base
	@TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/unit_arrow

# ---- sqllogictest (tools/slt, quiver-slt) ----
# Corpus paths are given relative to this folder: the TSV summary and the
# baseline are keyed by them.
DF_SLT := ../shared/conformance/datafusion/datafusion/sqllogictest/test_files
SQLITE_SLT := ../shared/conformance/sqlite/test
SLT_CORPUS = $(wildcard $(DF_SLT) $(SQLITE_SLT))
SLT_BASELINE := tests/slt/conformance-baseline.tsv
SLT_JOBS ?= $(JOBS)
SLT_DEBUG := build/debug/quiver-slt

slt-build: deps
	@cmake --preset debug >/dev/null
	@cmake --build build/debug -j $(JOBS) --target quiver_slt

# Our own files must pass in every configuration, TPC-H SF0.01 must give its
# answers (tests/tpch); the corpus must not fall below its baseline (a
# missing baseline only warns).
slt-test: slt-build
	@$(SLT_DEBUG) -j $(SLT_JOBS) tests/slt
	@$(SLT_DEBUG) -j $(SLT_JOBS) --quiet --config batch1,tp1 tests/slt
	@$(SLT_DEBUG) -j $(SLT_JOBS) --quiet --config batch7,tp2,noopt tests/slt
	@tests/tpch/run $(SLT_DEBUG)
	@if [ -z "$(SLT_CORPUS)" ]; then echo "slt-test: conformance corpus not found, skipped"; \
	 else $(SLT_DEBUG) -j $(SLT_JOBS) --quiet --tsv build/debug/conformance.tsv \
	        --baseline $(SLT_BASELINE) $(SLT_CORPUS); fi

slt-baseline: slt-build
	@$(SLT_DEBUG) -j $(SLT_JOBS) --quiet --write-baseline $(SLT_BASELINE) $(SLT_CORPUS)

conformance: deps
	@cmake --preset release >/dev/null
	@cmake --build build/release -j $(JOBS) --target quiver_slt
	@mkdir -p build/conformance docs
	@build/release/quiver-slt -j $(SLT_JOBS) --show 2 --lines 8 \
	    --tsv build/conformance/results.tsv $(SLT_CORPUS) | tee build/conformance/report.txt; true
	@scripts/conformance-report build/conformance/results.tsv > docs/conformance.md
	@echo "report: build/conformance/report.txt; summary: docs/conformance.md"

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
