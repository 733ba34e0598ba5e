#!/usr/bin/env bash
# Runs the documented C example (docs/example.c) against a fresh demo TSA and
# checks that it verifies the token and prints it.
#
# Usage: run-example.sh EXAMPLE_BINARY LIBRARY_DIR TSRS_BINARY
set -euo pipefail

example=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
libdir=$(cd "$2" && pwd)
tsrs=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")

work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$tsrs" demo --dir "$work/demo" 2>/dev/null
printf 'data to time-stamp\n' >"$work/data.txt"
output=$(LD_LIBRARY_PATH="$libdir" "$example" "$work/demo/tsa.cnf" "$work/demo/ca.pem" "$work/data.txt")
for expected in "Verification: OK" "Status: Granted." "Policy OID: tsa_policy1"; do
  if ! grep -qF "$expected" <<<"$output"; then
    echo "run-example: expected '$expected' in the example's output:" >&2
    echo "$output" >&2
    exit 1
  fi
done
echo "run-example: docs/example.c verified and printed a token"
