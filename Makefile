# eimza — the two commands a newcomer needs, and a few for developers.
#   make run    install what is missing, build, create the demo data set, serve the portal
#   make test   install what is missing, build (also with ASan+UBSan), run every test suite
#   make fuzz   the libFuzzer drivers for FUZZ_SECONDS each (docs/TESTING.md)
# Underneath: CMake builds build/ (RelWithDebInfo) and build-asan/ (sanitizers), ctest runs
# the tests in build-asan/ beside a throwaway PostgreSQL server (scripts/with-postgres.sh).
#   make install [PREFIX=/usr/local] [DESTDIR=]   the release build, installed (cmake/install.cmake)
#   make deb                                       the Debian packages (scripts/build-deb.sh)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_DRIVERS ?= csv x509 cms assuan templates form json headers config bureau shipments
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
PREFIX     ?= /usr/local
DESTDIR    ?=

.PHONY: all deps build asan fuzz-build fuzz test run demo bench crash soak scan format lint clean install deb

all: build

deps:
	@scripts/install-deps.sh
	@scripts/install-node-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEIMZA_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

# The libFuzzer drivers of tests/fuzz, built with clang in a tree of their own.
fuzz-build: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DEIMZA_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_drivers

# Every test suite, under ASan+UBSan, against SQLite and a real PostgreSQL server; then a
# short run of each fuzz driver.
test: build asan fuzz-build lint
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/with-postgres.sh ctest --test-dir $(ASAN_BUILD) --output-on-failure \
	  -j$(JOBS) $(CTEST_ARGS)
	@ctest --test-dir $(FUZZ_BUILD) -L fuzz --output-on-failure -j$(JOBS)

# Each fuzz driver for FUZZ_SECONDS, one after the other; what they learn is kept in
# $(FUZZ_BUILD)/fuzz-work/ for the next run (docs/TESTING.md).
fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_BUILD)/fuzz-work $(FUZZ_DRIVERS)

# The demo: var/demo/ with its data, then the portal on http://127.0.0.1:8080.
run: build
	@scripts/demo.sh serve

demo: build
	@scripts/demo.sh create

bench: build
	@bench/run.sh

# The long runs that make test keeps short or leaves out (docs/TESTING.md):
#   make crash  the server killed 100+ times per database, PostgreSQL crashed too, 1,000
#               power cuts under SQLite, and every fault demonstration (tests/crash/long.sh)
#   make soak   10 minutes of steady load, memory and descriptors watched (tests/soak/soak.sh;
#               SOAK_SECONDS=N to change)
#   make scan   sqlmap, wapiti and the project's own HTTP cases against a development server
#               in a network namespace with no route out (scripts/scan.sh; reports in var/scan/)
crash: build asan
	@scripts/with-postgres.sh bash tests/crash/long.sh

soak: build
	@bash tests/soak/soak.sh

scan: build
	@bash scripts/scan.sh

lint:
	@scripts/lint.sh

# The prefix is given at install time, so the build is not redone for another one; DESTDIR
# stages the tree elsewhere (the installed binary still finds its files: cmake/install.cmake).
install: build
	@DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

deb: deps
	@scripts/build-deb.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-deb
