#!/usr/bin/env bash
# Runs OpenSSL's own time-stamping test recipe, test/recipes/80-test_tsa.t,
# with `tsrs ts` standing in for `openssl ts`.
#
#   scripts/openssl-recipe.sh [TSRS_BINARY]
#
# The recipe comes from the OpenSSL 3.0 source package (OPENSSL_SRC names an
# extracted source tree; otherwise the Debian source package is downloaded
# with apt-get, which needs root to add a deb-src entry). It needs no build
# of OpenSSL: a wrapper named `openssl` sends `ts` to tsrs and every other
# command (`req`, `x509`) to the system openssl, and the recipe runs under
# `prove` with the variables OpenSSL's test harness would set.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tsrs=${1:-$root/target/release/tsrs}
tsrs=$(cd "$(dirname "$tsrs")" && pwd)/$(basename "$tsrs")
work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-recipe.XXXXXX")
trap 'rm -rf "$work"' EXIT

fetch_source() {
  local sources=/etc/apt/sources.list.d/tsrs-openssl-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "openssl-recipe: set OPENSSL_SRC to an extracted OpenSSL 3.0 source tree (adding a deb-src entry needs root)" >&2
      exit 1
    fi
    . /etc/os-release
    cat >"$sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: ${VERSION_CODENAME}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    apt-get update -qq
  fi
  # The orig tarball is all the recipe needs; the Debian patches may be
  # missing from the mirror, which makes apt-get fail after the download.
  (cd "$work" && apt-get source --download-only -qq openssl >/dev/null 2>&1) || true
  local tarball
  tarball=$(ls "$work"/openssl_3.0.*.orig.tar.gz 2>/dev/null | head -n 1)
  if [ -z "$tarball" ]; then
    echo "openssl-recipe: could not download the OpenSSL 3.0 source package" >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$work" --wildcards \
    '*/Configure' '*/apps/openssl.cnf' '*/test/CAtsa.cnf' '*/test/certs/*' \
    '*/test/recipes/80-test_tsa.t' '*/test/recipes/80-test_tsa_data/*' '*/util/perl/*'
  OPENSSL_SRC=$(ls -d "$work"/openssl-3.0.*/ | head -n 1)
  OPENSSL_SRC=${OPENSSL_SRC%/}
}

if [ -z "${OPENSSL_SRC:-}" ]; then
  fetch_source
fi

mkdir -p "$work/bin" "$work/build" "$work/results"
cat >"$work/bin/openssl" <<WRAPPER
#!/usr/bin/env bash
if [ "\${1:-}" = ts ]; then
  shift
  exec "$tsrs" ts "\$@"
fi
exec /usr/bin/openssl "\$@"
WRAPPER
chmod +x "$work/bin/openssl"

cd "$OPENSSL_SRC"
SRCTOP="$OPENSSL_SRC" BLDTOP="$work/build" BIN_D="$work/bin" EXE_SHELL= \
  RESULT_D="$work/results" OPENSSL_CONF="$OPENSSL_SRC/apps/openssl.cnf" \
  prove -I "$OPENSSL_SRC/util/perl" test/recipes/80-test_tsa.t
