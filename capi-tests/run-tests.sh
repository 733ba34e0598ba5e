#!/usr/bin/env bash
# Makes the fixtures in a temporary folder and runs each C test binary
# against them, with the library folder on LD_LIBRARY_PATH. A command in
# TSRS_TEST_RUNNER (valgrind and its options, say) runs each binary.
#
# Usage: run-tests.sh BUILD_DIR LIBRARY_DIR TEST...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
libdir=$(cd "$2" && pwd)
shift 2

fixtures=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-capi-tests.XXXXXX")
trap 'rm -rf "$fixtures"' EXIT
"$here/make-fixtures.sh" "$fixtures" >/dev/null

read -r -a runner <<<"${TSRS_TEST_RUNNER:-}"
failed=()
for test in "$@"; do
  if ! TSRS_FIXTURES="$fixtures" LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
      "${runner[@]}" "$build/$test"; then
    failed+=("$test")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
