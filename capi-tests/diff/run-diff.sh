#!/usr/bin/env bash
# Runs the same scenarios through libcrypto's TS API (diff_openssl) and
# through libtsrs (diff_tsrs), and compares every file they write byte for
# byte. The key and certificates are made here with `openssl` into a
# temporary folder.
#
# Usage: run-diff.sh DIFF_OPENSSL DIFF_TSRS LIBRARY_DIR
#
# Needs openssl and faketime (scripts/install-test-deps.sh installs both).
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 DIFF_OPENSSL DIFF_TSRS LIBRARY_DIR" >&2
  exit 2
fi
for tool in openssl faketime cmp; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is required; run scripts/install-test-deps.sh" >&2
    exit 1
  fi
done
diff_openssl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
diff_tsrs=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
libdir=$(cd "$3" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-capi-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pki" "$work/openssl" "$work/tsrs"
export TZ=UTC
unset OPENSSL_CONF

# The certificates are valid from 2023-12-01 for twenty years, so they are
# valid both at the frozen signing time and at the real time that tsrs
# verifies at. The frozen time must match FROZEN_SECONDS and
# FROZEN_MICROSECONDS in scenarios.h.
ISSUED="2023-12-01 00:00:00"
FROZEN="2024-01-02 03:04:05.12345"

# quiet CMD...: runs CMD with its stderr shown only when it fails.
quiet() {
  if ! "$@" 2>"$work/stderr.log"; then
    cat "$work/stderr.log" >&2
    return 1
  fi
}
issued() { faketime -f "$ISSUED x0" "$@"; }

cd "$work/pki"
cat >pki.cnf <<'EOF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
basicConstraints = critical,CA:true
keyUsage = cRLSign, keyCertSign
[ tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = nonRepudiation, digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
EOF
quiet issued openssl req -config pki.cnf -new -x509 -newkey rsa:2048 -nodes -keyout ca.key \
  -days 7300 -set_serial 1 -extensions v3_ca -sha256 \
  -subj "/C=HU/O=tsrs Test CA/CN=tsrs Root CA" -out ca.pem
quiet issued openssl req -config pki.cnf -new -newkey rsa:2048 -nodes -keyout tsa.key \
  -subj "/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1" -out tsa.csr
quiet issued openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -set_serial 0x1001 \
  -days 7300 -sha256 -extfile pki.cnf -extensions tsa_cert -out tsa.pem
quiet issued openssl req -config pki.cnf -new -x509 -newkey rsa:2048 -nodes -keyout other-ca.key \
  -days 7300 -set_serial 7 -extensions v3_ca -subj "/CN=Other Root" -out other-ca.pem

faketime -f "$FROZEN x0" "$diff_openssl" "$work/pki" "$work/openssl"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$diff_tsrs" "$work/pki" "$work/tsrs"

# Every file of one side must exist on the other, with the same bytes.
cd "$work"
differences=0
compared=0
for file in $({ ls openssl; ls tsrs; } | sort -u); do
  if [ ! -e "openssl/$file" ] || [ ! -e "tsrs/$file" ]; then
    echo "only one side wrote $file" >&2
    differences=$((differences + 1))
  elif ! cmp -s "openssl/$file" "tsrs/$file"; then
    echo "differs: $file" >&2
    case "$file" in
    *.txt) diff -u "openssl/$file" "tsrs/$file" | sed 's/^/    /' >&2 || true ;;
    *.der) cmp "openssl/$file" "tsrs/$file" | sed 's/^/    /' >&2 || true ;;
    esac
    differences=$((differences + 1))
  fi
  compared=$((compared + 1))
done
if [ "$differences" -ne 0 ]; then
  echo "capi-tests/diff: $differences of $compared files differ between OpenSSL and tsrs" >&2
  exit 1
fi
echo "capi-tests/diff: $compared files equal between OpenSSL and tsrs"
