# Entry points: `make demo` time-stamps and verifies a file with a demo TSA;
# `make test` installs missing test dependencies and runs every test.

CARGO ?= cargo
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
CBINDGEN_VERSION := 0.29.4
TSRS := target/release/tsrs
DEMO_DIR := demo
DEMO_FILE ?= README.md

.PHONY: all build demo test test-deps test-c openssl-recipe header mapping bench install oid-table clean

all: build

# The soname is libtsrs.so.0; the link lets programs built against
# target/release run from there with LD_LIBRARY_PATH=target/release.
build:
	$(CARGO) build --release --locked
	ln -sf libtsrs.so target/release/libtsrs.so.0

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
	scripts/openssl-recipe.sh $(TSRS)

test-c: build
	$(MAKE) -C capi-tests run

# OpenSSL's own test/recipes/80-test_tsa.t with tsrs ts in place of openssl ts.
openssl-recipe: build
	scripts/openssl-recipe.sh $(TSRS)

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

install: build
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR)
	install -m 755 target/release/libtsrs.so $(DESTDIR)$(LIBDIR)/libtsrs.so.0.1.0
	ln -sf libtsrs.so.0.1.0 $(DESTDIR)$(LIBDIR)/libtsrs.so.0
	ln -sf libtsrs.so.0 $(DESTDIR)$(LIBDIR)/libtsrs.so
	install -m 644 target/release/libtsrs.a $(DESTDIR)$(LIBDIR)/libtsrs.a
	install -m 644 include/tsrs.h $(DESTDIR)$(INCLUDEDIR)/tsrs.h
	install -m 755 $(TSRS) $(DESTDIR)$(BINDIR)/tsrs

clean:
	$(CARGO) clean
	rm -rf $(DEMO_DIR)
	$(MAKE) -C capi-tests clean
