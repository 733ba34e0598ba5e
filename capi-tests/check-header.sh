#!/usr/bin/env bash
# Checks include/tsrs.h: it is what the pinned cbindgen makes from src/capi/
# now, and it compiles as C89, C99, C11, C17 and C++ (98, 11, 17, 20) with
# -Wall -Wextra -Werror -pedantic, included twice, with C linkage in C++.
#
# Usage: check-header.sh CBINDGEN_VERSION
set -euo pipefail

pinned=$1
root=$(cd "$(dirname "$0")/.." && pwd)
header=$root/include/tsrs.h
work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-header.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

# The regenerated header goes into its own folder, so that the programs
# below include the committed one.
mkdir "$work/fresh"
if command -v cbindgen >/dev/null 2>&1 && [ "$(cbindgen --version)" = "cbindgen $pinned" ]; then
  (cd "$root" && cbindgen --quiet --config cbindgen.toml --output "$work/fresh/tsrs.h" src/capi/mod.rs)
  if ! cmp -s "$header" "$work/fresh/tsrs.h"; then
    echo "check-header: include/tsrs.h is out of date: cbindgen $pinned makes a different" \
      "header from src/capi/ and cbindgen.toml. Run \`make header\` and commit include/tsrs.h." >&2
    diff -u "$header" "$work/fresh/tsrs.h" | head -n 40 >&2 || true
    status=1
  fi
else
  echo "check-header: WARNING: SKIPPED the freshness check of include/tsrs.h, because" \
    "cbindgen $pinned is not installed. Install it with" \
    "\`cargo install cbindgen --version $pinned --locked\` (scripts/install-test-deps.sh does)." >&2
fi

# The guard must make a second inclusion harmless, and in C++ the functions
# must keep their C names.
cat >"$work/use.c" <<'PROGRAM'
#include "tsrs.h"
#include "tsrs.h"

int main(void)
{
    tsrs_req *req = tsrs_req_new();
    tsrs_req_free(req);
    return 0;
}
PROGRAM
cp "$work/use.c" "$work/use.cpp"
flags=(-Wall -Wextra -Werror -pedantic -I"$root/include")
for std in c89 c99 c11 c17; do
  if ! cc -std=$std "${flags[@]}" -Wstrict-prototypes -c -o "$work/use-$std.o" "$work/use.c"; then
    echo "check-header: include/tsrs.h does not compile as $std" >&2
    status=1
  fi
done
for std in c++98 c++11 c++17 c++20; do
  if ! g++ -std=$std "${flags[@]}" -c -o "$work/use-$std.o" "$work/use.cpp"; then
    echo "check-header: include/tsrs.h does not compile as $std" >&2
    status=1
  elif ! nm "$work/use-$std.o" | grep -qE ' U tsrs_req_new$'; then
    echo "check-header: in $std the functions of include/tsrs.h do not have C linkage" >&2
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "check-header: include/tsrs.h compiles as C89, C99, C11, C17 and C++98 to C++20"
fi
exit $status
