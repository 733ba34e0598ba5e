# Entry points: `make demo` time-stamps and verifies a file with a demo TSA;
# `make test` installs missing test dependencies and runs every test.

CARGO ?= cargo
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CBINDGEN_VERSION := 0.29.4
# The package version from Cargo.toml names the installed library file.
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -n 1)
TSRS := target/release/tsrs
RELEASE := target/release
SHARED_LIB := $(RELEASE)/libtsrs.so.$(VERSION)
# What libtsrs.a needs from the system when linked statically: the output of
# `rustc --print native-static-libs` for a staticlib on x86_64 GNU/Linux.
NATIVE_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
DEMO_DIR := demo
DEMO_FILE ?= README.md

.PHONY: all build demo test test-deps test-c test-python python-tests test-header test-install test-sanitizers \
  openssl-recipe fuzz header mapping bench install install-files oid-table clean

all: build

# The soname is libtsrs.so.0; the links let programs built against
# target/release run from there with LD_LIBRARY_PATH=target/release.
build:
	$(CARGO) build --release --locked
	$(MAKE) --no-print-directory $(SHARED_LIB)
	ln -sf libtsrs.so.$(VERSION) $(RELEASE)/libtsrs.so.0

# The shared library is linked again from libtsrs.a, because rustc passes
# the linker its own anonymous version script for a cdylib, which wins over
# capi/tsrs.map: cargo's libtsrs.so exports the right symbols but with no
# symbol version. This link exports only tsrs_*, each at version TSRS_0.
$(SHARED_LIB): $(RELEASE)/libtsrs.a capi/tsrs.map
	$(CC) -shared -o $@ -Wl,-soname,libtsrs.so.0 -Wl,--version-script=capi/tsrs.map \
	  -Wl,--whole-archive $(RELEASE)/libtsrs.a -Wl,--no-whole-archive \
	  -Wl,--gc-sections -Wl,--as-needed -Wl,-z,relro,-z,now -Wl,-z,noexecstack \
	  $(NATIVE_STATIC_LIBS)

demo: build
	rm -rf $(DEMO_DIR)
	$(TSRS) demo --dir $(DEMO_DIR)
	$(TSRS) ts -query -config $(DEMO_DIR)/tsa.cnf -data $(DEMO_FILE) -cert -out $(DEMO_DIR)/request.tsq
	$(TSRS) ts -reply -config $(DEMO_DIR)/tsa.cnf -queryfile $(DEMO_DIR)/request.tsq -out $(DEMO_DIR)/response.tsr
	$(TSRS) ts -verify -config $(DEMO_DIR)/tsa.cnf -data $(DEMO_FILE) -in $(DEMO_DIR)/response.tsr -CAfile $(DEMO_DIR)/ca.pem
	$(TSRS) ts -reply -config $(DEMO_DIR)/tsa.cnf -in $(DEMO_DIR)/response.tsr -text

test-deps:
	scripts/install-test-deps.sh

# The C tests and the recipe run on what `build` made: running cargo build
# again after cargo test would recompile the crate, because dev-dependencies
# change the features of shared dependencies.
test: test-deps build
	scripts/openssl-mapping.py --check
	$(CARGO) test --release --locked
	$(MAKE) -C capi-tests run
	$(MAKE) python-tests
	capi-tests/check-header.sh $(CBINDGEN_VERSION)
	capi-tests/check-install.sh
	$(MAKE) -C capi-tests run-asan run-valgrind
	scripts/openssl-recipe.sh $(TSRS)

test-c: build
	$(MAKE) -C capi-tests run

# The Python bindings, installed with pip into a virtual environment as a
# user installs them, and tested with pytest against target/release.
PYTHON_VENV := target/python-venv
test-python: build
	$(MAKE) python-tests

python-tests:
	python3 -m venv $(PYTHON_VENV)
	$(PYTHON_VENV)/bin/pip install --quiet pytest ./bindings/python
	TSRS_LIBRARY=$(CURDIR)/target/release/libtsrs.so.0 TSRS_BIN=$(CURDIR)/$(TSRS) \
	  $(PYTHON_VENV)/bin/python -m pytest -q bindings/python/tests

# OpenSSL's own test/recipes/80-test_tsa.t with tsrs ts in place of openssl ts.
openssl-recipe: build
	scripts/openssl-recipe.sh $(TSRS)

# Runs every fuzz target for FUZZ_SECONDS seconds, one after the other, on
# seeds that fuzz/seed-corpus.sh makes. cargo-fuzz needs nightly features:
# the nightly toolchain when rustup has one, else stable with RUSTC_BOOTSTRAP=1.
# Debug assertions are on and the sanitizer is off, since the fuzzed code is
# safe Rust. Crashes are saved in fuzz/artifacts/TARGET/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := request response token certificate_der certificate_pem private_key \
	config tsa_config ber_normalize

fuzz:
	@$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	fuzz/seed-corpus.sh
	@if rustup run nightly rustc --version >/dev/null 2>&1; then \
	  fuzz="$(CARGO) +nightly fuzz"; else fuzz="env RUSTC_BOOTSTRAP=1 $(CARGO) fuzz"; fi; \
	for target in $(FUZZ_TARGETS); do \
	  echo "== $$target: $(FUZZ_SECONDS) s"; \
	  $$fuzz run --sanitizer none $$target -- -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 || exit 1; \
	done

header:
	@command -v cbindgen >/dev/null && cbindgen --version | grep -q ' $(CBINDGEN_VERSION)$$' || \
	  $(CARGO) install --locked cbindgen --version $(CBINDGEN_VERSION)
	cbindgen --quiet --config cbindgen.toml --output include/tsrs.h src/capi/mod.rs

# Regenerates docs/openssl-mapping.md from libcrypto's symbols and the header.
mapping:
	scripts/openssl-mapping.py

# Regenerates the OID name table from the system libcrypto.
oid-table:
	cc -Wall -Wextra -Werror -o target/gen-oid-table tools/gen-oid-table.c -lcrypto
	target/gen-oid-table > src/oid/table.rs

bench: build
	scripts/bench.sh

# Installs the library as a C library is installed: the versioned file with
# its soname link and development link, the static library, the header, the
# pkg-config file and the command. PREFIX, LIBDIR, INCLUDEDIR, BINDIR and
# PKGCONFIGDIR set where; DESTDIR stages the whole tree for packaging.
install: build
	$(MAKE) --no-print-directory install-files

# The install steps alone, on what `build` made.
install-files: $(SHARED_LIB)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/libtsrs.so.$(VERSION)
	ln -sf libtsrs.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libtsrs.so.0
	ln -sf libtsrs.so.0 $(DESTDIR)$(LIBDIR)/libtsrs.so
	install -m 644 $(RELEASE)/libtsrs.a $(DESTDIR)$(LIBDIR)/libtsrs.a
	install -m 644 include/tsrs.h $(DESTDIR)$(INCLUDEDIR)/tsrs.h
	install -m 755 $(TSRS) $(DESTDIR)$(BINDIR)/tsrs
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	  -e 's|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
	  -e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	  -e 's|@LIBS_PRIVATE@|$(NATIVE_STATIC_LIBS)|' capi/tsrs.pc.in \
	  > $(DESTDIR)$(PKGCONFIGDIR)/tsrs.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/tsrs.pc

# Installs into a temporary DESTDIR and builds docs/example.c from there
# with pkg-config, against the shared and the static library.
test-install: build
	capi-tests/check-install.sh

# Checks that include/tsrs.h is what cbindgen makes from src/capi/ now, and
# that it compiles as C89, C99, C11, C17 and C++ with every warning an error.
test-header:
	capi-tests/check-header.sh $(CBINDGEN_VERSION)

# The C tests under AddressSanitizer with UndefinedBehaviorSanitizer, then
# under valgrind's memcheck.
test-sanitizers: build
	$(MAKE) -C capi-tests run-asan run-valgrind

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DIR)
	$(MAKE) -C capi-tests clean
