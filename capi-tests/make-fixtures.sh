#!/usr/bin/env bash
# Builds the inputs of the C tests in DIR with the system `openssl` (3.0):
# a test PKI, TSA configurations, requests, and the responses, tokens and
# texts that `openssl ts` writes for them under a frozen clock. The C tests
# compare what the C API produces with these files byte for byte.
#
# Usage: make-fixtures.sh DIR
#
# Needs openssl and faketime (scripts/install-test-deps.sh installs both).
# Every reply is made with a fresh serial file, so its serial number is 1,
# at 2024-01-02 03:04:05 UTC with 0 microseconds (`faketime -f 'DATE x0'`
# freezes both the seconds and the microseconds).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
for tool in openssl faketime; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is required; run scripts/install-test-deps.sh" >&2
    exit 1
  fi
done

DIR=$1
mkdir -p "$DIR"
cd "$DIR"
mkdir -p pki cnf data out
export TZ=UTC
unset OPENSSL_CONF
FROZEN="2024-01-02 03:04:05"
frozen() { faketime -f "$FROZEN x0" "$@"; }

# ------------------------------------------------------------------ PKI
cat >cnf/pki.cnf <<'EOF'
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
[ non_tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = nonRepudiation, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
EOF

# quiet CMD...: runs CMD with its stderr shown only when it fails.
quiet() {
  if ! "$@" 2>stderr.log; then
    cat stderr.log >&2
    return 1
  fi
}

quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out pki/ca.key
openssl req -config cnf/pki.cnf -new -x509 -key pki/ca.key -days 7300 -set_serial 1 \
  -extensions v3_ca -sha256 -subj "/C=HU/O=tsrs Test CA/CN=tsrs Root CA" -out pki/ca.pem

# RSA TSA, with a critical timeStamping extended key usage.
quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out pki/tsa.key
openssl req -config cnf/pki.cnf -new -key pki/tsa.key \
  -subj "/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1" -out pki/tsa.csr
quiet openssl x509 -req -in pki/tsa.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 0x1001 \
  -days 3650 -sha256 -extfile cnf/pki.cnf -extensions tsa_cert -out pki/tsa.pem

# The same key in a certificate without the timeStamping usage.
quiet openssl x509 -req -in pki/tsa.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 0x1004 \
  -days 3650 -sha256 -extfile cnf/pki.cnf -extensions non_tsa_cert -out pki/nontsa.pem

# The RSA key encrypted with a passphrase, for the key loading tests.
openssl pkey -in pki/tsa.key -aes256 -passout pass:secret -out pki/tsa-enc.key

# ECDSA P-256 TSA.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out pki/tsa-ec.key
openssl req -config cnf/pki.cnf -new -key pki/tsa-ec.key -subj "/C=HU/O=Hun-TSA Ltd./CN=tsa-ec" \
  -out pki/tsa-ec.csr
quiet openssl x509 -req -in pki/tsa-ec.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 0x1002 \
  -days 3650 -sha256 -extfile cnf/pki.cnf -extensions tsa_cert -out pki/tsa-ec.pem

# An unrelated root, the wrong trust anchor.
quiet openssl req -config cnf/pki.cnf -new -x509 -newkey rsa:2048 -nodes -keyout pki/other-ca.key \
  -days 7300 -set_serial 7 -extensions v3_ca -subj "/CN=Other Root" -out pki/other-ca.pem
openssl x509 -in pki/ca.pem -outform DER -out pki/ca.der
openssl x509 -in pki/tsa.pem -outform DER -out pki/tsa.der
# A hashed directory with the root, for -CApath.
mkdir -p pki/capath
cp pki/ca.pem pki/capath/
openssl rehash pki/capath
rm -f pki/*.csr

# ------------------------------------------------------------------ configuration
cat >cnf/tsa.cnf <<'EOF'
oid_section = new_oids

[ new_oids ]
tsa_policy1 = 1.2.3.4.1
tsa_policy2 = 1.2.3.4.5.6
tsa_policy3 = 1.2.3.4.5.7

[ tsa ]
default_tsa = tsa_min

# Only the keys openssl ts -reply needs.
[ tsa_min ]
serial          = ./out/serial
signer_cert     = ./pki/tsa.pem
signer_key      = ./pki/tsa.key
signer_digest   = sha256
default_policy  = tsa_policy1
digests         = sha1, sha256, sha384, sha512

# Every option: accuracy, ordering, TSA name, precision, ESS v2 with the chain.
[ tsa_full ]
serial          = ./out/serial
crypto_device   = builtin
signer_cert     = ./pki/tsa.pem
certs           = ./pki/ca.pem
signer_key      = ./pki/tsa.key
signer_digest   = sha256
default_policy  = tsa_policy1
other_policies  = tsa_policy2, tsa_policy3
digests         = sha1, sha256, sha384, sha512
accuracy        = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering        = yes
tsa_name        = yes
ess_cert_id_chain = yes
ess_cert_id_alg = sha256

# ESS signingCertificate (v1, SHA-1), a chain in the token but not in the ESS attribute.
[ tsa_v1 ]
serial          = ./out/serial
signer_cert     = ./pki/tsa.pem
certs           = ./pki/ca.pem
signer_key      = ./pki/tsa.key
signer_digest   = sha512
default_policy  = tsa_policy1
digests         = sha1, sha256
ess_cert_id_alg = sha1

# ECDSA P-256.
[ tsa_ec ]
serial          = ./out/serial
signer_cert     = ./pki/tsa-ec.pem
signer_key      = ./pki/tsa-ec.key
signer_digest   = sha256
default_policy  = 1.2.3.4.1
digests         = sha256
accuracy        = millisecs:250
EOF

# ------------------------------------------------------------------ requests
printf 'Hello, time-stamping world!\n' >data/msg.txt
printf 'Some other data.\n' >data/other.txt
printf 'this is not a time-stamp request\n' >data/garbage.bin

# Request parity: what tsrs_req_create and the setters must reproduce. Every
# command names cnf/tsa.cnf, so the system configuration's object names
# play no part.
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha256 -no_nonce -out out/query_plain.tsq
quiet openssl ts -query -config cnf/tsa.cnf -in out/query_plain.tsq -text -out out/query_plain.txt
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha512 -no_nonce -cert -tspolicy 1.2.3.4.5.6 \
  -out out/query_full.tsq
quiet openssl ts -query -config cnf/tsa.cnf -in out/query_full.tsq -text -out out/query_full.txt
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha1 -out out/query_nonce.tsq
quiet openssl ts -query -config cnf/tsa.cnf -in out/query_nonce.tsq -text -out out/query_nonce.txt

# Requests for the responder.
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha256 -no_nonce -out out/req_sha256.tsq
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha512 -cert -tspolicy tsa_policy2 \
  -out out/req_sha512_policy2.tsq
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha1 -cert -out out/req_sha1.tsq
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha256 -cert -out out/req_sha256_cert.tsq
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -md5 -no_nonce -out out/req_md5.tsq
quiet openssl ts -query -config cnf/tsa.cnf -data data/msg.txt -sha256 -no_nonce -tspolicy 1.2.3.99 -out out/req_bad_policy.tsq

# ------------------------------------------------------------------ replies
# reply NAME SECTION REQUEST: NAME.tsr, NAME.txt (its -text), NAME.tok (its
# token), NAME.tok.txt (the token's TSTInfo as -token_out -text prints it)
# and NAME.fromtok.tsr (the token turned back into a response by -token_in).
reply() {
  local name=$1 section=$2 request=$3
  rm -f out/serial
  frozen openssl ts -reply -config cnf/tsa.cnf -section "$section" -queryfile "$request" \
    -out "out/$name.tsr" 2>"out/$name.err"
  quiet openssl ts -reply -config cnf/tsa.cnf -in "out/$name.tsr" -text -out "out/$name.txt"
}
token() {
  local name=$1
  quiet openssl ts -reply -config cnf/tsa.cnf -in "out/$name.tsr" -token_out -out "out/$name.tok"
  quiet openssl ts -reply -config cnf/tsa.cnf -in "out/$name.tsr" -token_out -text \
    -out "out/$name.tok.txt"
  quiet openssl ts -reply -config cnf/tsa.cnf -in "out/$name.tok" -token_in \
    -out "out/$name.fromtok.tsr"
}

reply min tsa_min out/req_sha256.tsq
token min
reply full tsa_full out/req_sha512_policy2.tsq
token full
reply v1 tsa_v1 out/req_sha1.tsq
token v1
reply ec tsa_ec out/req_sha256_cert.tsq
token ec
reply rsa_cert tsa_min out/req_sha256_cert.tsq
token rsa_cert

# Rejections: an unaccepted digest, an unaccepted policy, a request that does not decode.
reply reject_md5 tsa_min out/req_md5.tsq
reply reject_policy tsa_full out/req_bad_policy.tsq
reply reject_garbage tsa_min data/garbage.bin

# A serial file openssl cannot read: the rejection a failing serial number source gives.
printf 'not a serial\n' >out/serial
frozen openssl ts -reply -config cnf/tsa.cnf -section tsa_min -queryfile out/req_sha256.tsq \
  -out out/reject_serial.tsr 2>out/reject_serial.err
quiet openssl ts -reply -config cnf/tsa.cnf -in out/reject_serial.tsr -text \
  -out out/reject_serial.txt
rm -f out/serial

# openssl's own verdicts on the responses the C tests verify, as a sanity check.
for name in full v1 ec rsa_cert; do
  quiet openssl ts -verify -in "out/$name.tsr" -data data/msg.txt -CAfile pki/ca.pem >/dev/null
done
quiet openssl ts -verify -in out/min.tsr -data data/msg.txt -CAfile pki/ca.pem \
  -untrusted pki/tsa.pem >/dev/null
rm -f stderr.log
echo "fixtures written to $DIR"
