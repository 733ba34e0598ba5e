#!/usr/bin/env bash
# Installs tsrs into a temporary DESTDIR with `make install-files` (the
# steps of `make install` after the build) and checks the installed files.
# Then builds docs/example.c as a user would, with pkg-config, once against
# the shared library and once statically against libtsrs.a, and runs both
# against a demo TSA.
#
# Usage: check-install.sh   (after `make build`; from any folder)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=/usr/local
work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
destdir=$work/root
libdir=$destdir$prefix/lib
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)

fail() {
  echo "check-install: $*" >&2
  exit 1
}

# install-files installs what `make build` made without running cargo again.
make -s --no-print-directory -C "$root" install-files PREFIX="$prefix" DESTDIR="$destdir" >/dev/null

for file in "lib/libtsrs.so.$version" lib/libtsrs.a include/tsrs.h \
    lib/pkgconfig/tsrs.pc bin/tsrs; do
  [ -f "$destdir$prefix/$file" ] || fail "$prefix/$file was not installed"
done
[ "$(readlink "$libdir/libtsrs.so.0")" = "libtsrs.so.$version" ] ||
  fail "lib/libtsrs.so.0 is not a link to libtsrs.so.$version"
[ "$(readlink "$libdir/libtsrs.so")" = libtsrs.so.0 ] ||
  fail "lib/libtsrs.so is not a link to libtsrs.so.0"
"$root/capi-tests/check-exports.sh" "$libdir/libtsrs.so.$version" "$destdir$prefix/include/tsrs.h" \
  "$root/capi-tests/test_hostile.c" \
  "$root/capi-tests/test_mapping_null.c" >/dev/null

# pkg-config reads the installed tsrs.pc and prefixes its -I and -L paths
# with the sysroot, as a cross or staged build would.
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$destdir
export PKG_CONFIG_LIBDIR=$libdir/pkgconfig
[ "$(pkg-config --modversion tsrs)" = "$version" ] ||
  fail "pkg-config --modversion tsrs is '$(pkg-config --modversion tsrs)', expected $version"
cp "$root/docs/example.c" "$work/prog.c"

# shellcheck disable=SC2046 # pkg-config's output is a list of words
cc -Wall -Wextra -Werror -o "$work/prog" "$work/prog.c" $(pkg-config --cflags --libs tsrs)
if objdump -T "$work/prog" | grep -F ' tsrs_' | grep -vqF 'TSRS_0'; then
  fail "the program's tsrs_* references do not all require the version TSRS_0"
fi
"$root/capi-tests/run-example.sh" "$work/prog" "$libdir" "$root/target/release/tsrs" >/dev/null

# -ltsrs would pick libtsrs.so, so the static link names libtsrs.a with -l:.
static_libs=$(pkg-config --static --libs tsrs)
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror -o "$work/prog-static" "$work/prog.c" $(pkg-config --cflags tsrs) \
  ${static_libs/-ltsrs/-l:libtsrs.a}
if readelf -d "$work/prog-static" | grep -qF libtsrs; then
  fail "the static program still needs libtsrs.so"
fi
"$root/capi-tests/run-example.sh" "$work/prog-static" "$work" "$root/target/release/tsrs" >/dev/null

echo "check-install: installed libtsrs.so.$version, libtsrs.a, tsrs.h and tsrs.pc;" \
  "docs/example.c builds with pkg-config and runs, shared and static"
