#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
# openssl (the reference), faketime (frozen clocks), libcmocka-dev and
# libssl-dev (the C tests and the OpenSSL side of the benchmark), pkg-config,
# python3 with pip and venv (the ctypes bindings), perl's prove (OpenSSL's
# own test recipe), valgrind (the C tests under memcheck) and g++ (the
# header compiled as C++); and, with cargo, the pinned cbindgen.
set -euo pipefail

missing=()
need() { # need COMMAND-OR-FILE PACKAGE
  case "$1" in
    /*) [ -e "$1" ] || missing+=("$2") ;;
    *) command -v "$1" >/dev/null 2>&1 || missing+=("$2") ;;
  esac
}
need openssl openssl
need faketime faketime
need cc gcc
need make make
need prove perl
need pkg-config pkg-config
need valgrind valgrind
need g++ g++
need /usr/include/cmocka.h libcmocka-dev
need /usr/include/openssl/ts.h libssl-dev
need python3 python3
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)

# The header freshness check needs the cbindgen that include/tsrs.h was made
# with, pinned in the Makefile. cargo builds it once, in about two minutes
# of CPU time (measured with `time cargo install`).
root=$(cd "$(dirname "$0")/.." && pwd)
cbindgen_version=$(sed -n 's/^CBINDGEN_VERSION := //p' "$root/Makefile")
if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $cbindgen_version" ]; then
  echo "Installing cbindgen $cbindgen_version with cargo install"
  cargo install --quiet --locked cbindgen --version "$cbindgen_version"
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing missing test dependencies: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: not root and no sudo; install these Debian packages: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
