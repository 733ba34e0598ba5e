#!/usr/bin/env bash
# Checks the exports of libtsrs.so: the soname is libtsrs.so.0, every
# exported symbol is a tsrs_* function with the symbol version TSRS_0, the
# header declares exactly the exported functions, and the NULL-argument tests
# name every one of them.
#
# Usage: check-exports.sh LIBRARY HEADER NULL_TEST_SOURCE...
set -euo pipefail

library=$1
header=$2
shift 2
null_tests=("$@")
status=0

soname=$(readelf -d "$library" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != libtsrs.so.0 ]; then
  echo "check-exports: soname is '$soname', expected libtsrs.so.0" >&2
  status=1
fi

# nm prints each versioned symbol as NAME@@VERSION, and the version
# definition itself as an absolute symbol named TSRS_0.
symbols=$(nm -D --defined-only --with-symbol-versions "$library" |
  awk '!($2 == "A" && $3 == "TSRS_0")')
unversioned=$(awk '$3 !~ /@@TSRS_0$/ {print $3}' <<<"$symbols")
if [ -n "$unversioned" ]; then
  echo "check-exports: symbols exported without the version TSRS_0:" >&2
  echo "$unversioned" >&2
  status=1
fi
exports=$(awk '{sub(/@.*/, "", $3); print $3}' <<<"$symbols" | sort)
others=$(grep -v '^tsrs_' <<<"$exports" || true)
if [ -n "$others" ]; then
  echo "check-exports: symbols other than tsrs_* are exported:" >&2
  echo "$others" >&2
  status=1
fi
not_functions=$(awk '$2 != "T" {print $3}' <<<"$symbols")
if [ -n "$not_functions" ]; then
  echo "check-exports: exported symbols that are not functions:" >&2
  echo "$not_functions" >&2
  status=1
fi

declared=$(grep -oE '\btsrs_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)
if ! diff <(echo "$exports") <(echo "$declared") >/dev/null; then
  echo "check-exports: exported (<) and declared in $header (>) differ:" >&2
  diff <(echo "$exports") <(echo "$declared") >&2 || true
  status=1
fi

for symbol in $exports; do
  if ! grep -qE "\\b$symbol\\(" "${null_tests[@]}"; then
    echo "check-exports: no NULL-argument test (${null_tests[*]}) calls $symbol" >&2
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "check-exports: $(wc -l <<<"$exports") tsrs_* functions exported at TSRS_0, soname $soname"
fi
exit $status
