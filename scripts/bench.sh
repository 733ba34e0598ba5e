#!/usr/bin/env bash
# Benchmarks tsrs against OpenSSL with the same RSA-2048 and P-384 keys:
#  1. wall time and peak RSS per process of `ts -query`, `ts -reply` and
#     `ts -verify`, for `tsrs ts` and `openssl ts` with the same arguments;
#  2. replies and verifications per second in one thread, through the tsrs
#     Rust API (examples/bench.rs) and libcrypto's TS API
#     (bench/openssl_ts_bench.c).
# It builds what it needs, makes a throwaway PKI with `openssl` in a temporary
# folder, prints one table and removes the folder. It checks that every
# command succeeds but never judges the timings.
#
# Environment: BENCH_RUNS (timed runs per tool and command, default 50),
# BENCH_SECONDS (length of each in-process loop, default 3), TMPDIR (where the
# temporary folder goes, and with it the serial file that `-reply` rewrites),
# CARGO, CC, CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-50}
LOOP_SECONDS=${BENCH_SECONDS:-3}
WARMUP_RUNS=3
CARGO=${CARGO:-cargo}
CC=${CC:-cc}
TARGET_DIR=${CARGO_TARGET_DIR:-target}

for tool in openssl "$CC" "$CARGO"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench: $tool is missing; run scripts/install-test-deps.sh" >&2
    exit 1
  fi
done
if [ ! -e /usr/include/openssl/ts.h ]; then
  echo "bench: <openssl/ts.h> is missing; install libssl-dev (scripts/install-test-deps.sh)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tsrs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Build ------------------------------------------------------------------

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

echo "Building..." >&2
"$CARGO" build --release --locked --quiet
"$CARGO" build --release --locked --quiet --example bench
"$CC" -O2 -Wall -o "$work/openssl_ts_bench" bench/openssl_ts_bench.c -lcrypto
"$CC" -O2 -Wall -o "$work/run_timed" bench/run_timed.c

tsrs_bin=$(realpath "$TARGET_DIR/release/tsrs")
rust_bench=$(realpath "$TARGET_DIR/release/examples/bench")
openssl_bench=$work/openssl_ts_bench
run_timed=$work/run_timed
openssl_bin=$(command -v openssl)

# --- PKI and TSA configuration ----------------------------------------------

echo "Creating a temporary PKI in $work..." >&2
pki=$work/pki
mkdir "$pki"
cd "$pki"

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

run_ok() { # run_ok COMMAND [ARG...]: runs it quietly, or shows its output and stops
  local output
  if ! output=$("$@" 2>&1); then
    echo "bench: $* failed:" >&2
    echo "$output" >&2
    exit 1
  fi
}

issue_tsa_cert() { # issue_tsa_cert KEY CERT SUBJECT SERIAL
  run_ok openssl req -config pki.cnf -new -key "$1" -subj "$3" -out tsa.csr
  run_ok openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -set_serial "$4" \
    -days 30 -sha256 -extfile pki.cnf -extensions tsa_cert -out "$2"
  rm tsa.csr
}

run_ok openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
run_ok openssl req -config pki.cnf -new -x509 -key ca.key -days 30 -set_serial 1 \
  -extensions v3_ca -sha256 -subj "/O=tsrs bench/CN=Bench Root CA" -out ca.pem
run_ok openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out tsa-rsa.key
issue_tsa_cert tsa-rsa.key tsa-rsa.pem "/O=tsrs bench/CN=Bench TSA RSA-2048" 0x1001
run_ok openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out tsa-p384.key
issue_tsa_cert tsa-p384.key tsa-p384.pem "/O=tsrs bench/CN=Bench TSA P-384" 0x1002
rm ca.key pki.cnf

printf 'Data to time-stamp, %s\n' "$(date -u)" >data.txt

# Both sections share every setting but the key, its certificate and the
# signature digest that suits the key.
tsa_section() { # tsa_section NAME KEY_NAME SIGNER_DIGEST
  cat <<EOF
[ $1 ]
serial = $pki/serial
signer_cert = $pki/$2.pem
certs = $pki/ca.pem
signer_key = $pki/$2.key
signer_digest = $3
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256

EOF
}
{
  printf '[ tsa ]\ndefault_tsa = tsa_rsa\n\n'
  tsa_section tsa_rsa tsa-rsa sha256
  tsa_section tsa_p384 tsa-p384 sha384
} >tsa.cnf

run_ok openssl ts -query -config tsa.cnf -data data.txt -sha256 -cert -out request.tsq
for key in rsa p384; do
  run_ok openssl ts -reply -config tsa.cnf -section "tsa_$key" -queryfile request.tsq \
    -out "response-$key.tsr"
done

# Cross-check once before timing anything: each tool verifies the other's reply.
for key in rsa p384; do
  run_ok "$tsrs_bin" ts -reply -config tsa.cnf -section "tsa_$key" -queryfile request.tsq \
    -out "tsrs-response-$key.tsr"
  run_ok "$tsrs_bin" ts -verify -config tsa.cnf -queryfile request.tsq \
    -in "response-$key.tsr" -CAfile ca.pem
  run_ok "$openssl_bin" ts -verify -config tsa.cnf -queryfile request.tsq \
    -in "tsrs-response-$key.tsr" -CAfile ca.pem
done

# --- Formatting helpers ------------------------------------------------------

# Prints "MEAN MEDIAN MIN MAX" of column COLUMN of FILE.
column_stats() { # column_stats FILE COLUMN
  sort -g -k"$2,$2" "$1" | awk -v c="$2" '
    { v[NR] = $c; sum += $c }
    END {
      median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.2f %.2f %.2f %.2f\n", sum / NR, median, v[1], v[NR]
    }'
}

ratio() { # ratio A B: A / B with two decimals
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# --- 1. Wall time per process ------------------------------------------------

process_table=$work/process-table
printf '%-10s %-9s %-8s %8s %8s %8s %12s %14s\n' command key tool "mean" median min \
  "max RSS KiB" "tsrs/openssl" >"$process_table"

# time_pair LABEL KEY: times the commands in the arrays tsrs_command and
# openssl_command, alternating the two tools run by run so that drift in
# machine load hits both alike.
time_pair() {
  local label=$1 key=$2
  local tool line i
  : >"$work/times-tsrs"
  : >"$work/times-openssl"
  echo "Timing $label ($key): $WARMUP_RUNS warm-up and $RUNS timed runs per tool..." >&2
  for ((i = 0; i < WARMUP_RUNS + RUNS; i++)); do
    for tool in tsrs openssl; do
      if [ "$tool" = tsrs ]; then
        set -- "${tsrs_command[@]}"
      else
        set -- "${openssl_command[@]}"
      fi
      if ! line=$("$run_timed" "$@"); then
        echo "bench: '$*' failed; its output:" >&2
        "$@" >&2 || true
        exit 1
      fi
      if ((i >= WARMUP_RUNS)); then
        echo "$line" >>"$work/times-$tool"
      fi
    done
  done

  local mean median min max rss_max openssl_median
  read -r _ openssl_median _ _ < <(column_stats "$work/times-openssl" 1)
  for tool in tsrs openssl; do
    read -r mean median min max < <(column_stats "$work/times-$tool" 1)
    read -r _ _ _ rss_max < <(column_stats "$work/times-$tool" 2)
    local versus=""
    if [ "$tool" = tsrs ]; then
      versus="$(ratio "$median" "$openssl_median")x"
    fi
    printf '%-10s %-9s %-8s %8s %8s %8s %12.0f %14s\n' "$label" "$key" "$tool" \
      "$mean" "$median" "$min" "$rss_max" "$versus" >>"$process_table"
  done
}

# time_ts LABEL KEY ARGS...: times `tsrs ts ARGS` against `openssl ts ARGS`.
time_ts() {
  local label=$1 key=$2
  shift 2
  tsrs_command=("$tsrs_bin" ts "$@")
  openssl_command=("$openssl_bin" ts "$@")
  time_pair "$label" "$key"
}

key_name() { # key_name rsa|p384
  case $1 in
    rsa) echo RSA-2048 ;;
    p384) echo P-384 ;;
  esac
}

# The cost of starting each program and printing its version, for scale.
tsrs_command=("$tsrs_bin" --version)
openssl_command=("$openssl_bin" version)
time_pair start-up -

time_ts -query - -query -config tsa.cnf -data data.txt -sha256 -cert -out query-out.tsq
for key in rsa p384; do
  time_ts -reply "$(key_name "$key")" -reply -config tsa.cnf -section "tsa_$key" \
    -queryfile request.tsq -out reply-out.tsr
done
for key in rsa p384; do
  time_ts -verify "$(key_name "$key")" -verify -config tsa.cnf -queryfile request.tsq \
    -in "response-$key.tsr" -CAfile ca.pem
done

# --- 2. In-process throughput -------------------------------------------------

throughput_table=$work/throughput-table
printf '%-10s %-9s %12s %12s %14s\n' operation key "tsrs ops/s" "openssl ops/s" \
  "tsrs/openssl" >"$throughput_table"

# Prints "reply OPS_PER_SECOND" and "verify OPS_PER_SECOND" from a bench program.
run_throughput() { # run_throughput PROGRAM SECTION RESPONSE
  "$1" tsa.cnf "$2" request.tsq "$3" ca.pem "$LOOP_SECONDS" |
    awk '{ printf "%s %.1f\n", $1, $2 / $3 }'
}

for key in rsa p384; do
  name=$(key_name "$key")
  echo "Measuring in-process throughput ($name), 2 x ${LOOP_SECONDS} s per tool..." >&2
  tsrs_rates=$(run_throughput "$rust_bench" "tsa_$key" "response-$key.tsr")
  openssl_rates=$(run_throughput "$openssl_bench" "tsa_$key" "response-$key.tsr")
  for operation in reply verify; do
    tsrs_rate=$(awk -v op="$operation" '$1 == op { print $2 }' <<<"$tsrs_rates")
    openssl_rate=$(awk -v op="$operation" '$1 == op { print $2 }' <<<"$openssl_rates")
    printf '%-10s %-9s %12s %12s %14s\n' "$operation" "$name" "$tsrs_rate" "$openssl_rate" \
      "$(ratio "$tsrs_rate" "$openssl_rate")x" >>"$throughput_table"
  done
done

# --- Report --------------------------------------------------------------------

memory_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
cat <<EOF

tsrs benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')
Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), \
$((memory_kib / 1024)) MiB RAM, $(uname -sr)
Load:    load average (1, 5, 15 min) $load_at_start at the start, \
$(cut -d' ' -f1-3 /proc/loadavg) at the end
Tools:   $("$tsrs_bin" --version 2>/dev/null || echo tsrs), $(openssl version), $(rustc --version)

1. Wall time per process in ms ($RUNS runs per row after $WARMUP_RUNS warm-up runs,
   tools alternating; max RSS is the highest over the runs;
   tsrs/openssl is the ratio of the medians, below 1 means tsrs is faster)

$(cat "$process_table")

   Commands (files in the temporary PKI folder); the ts arguments are the same
   for both tools:
   start-up tsrs --version, and openssl version
   -query   ts -query -config tsa.cnf -data data.txt -sha256 -cert -out query-out.tsq
   -reply   ts -reply -config tsa.cnf -section tsa_KEY -queryfile request.tsq -out reply-out.tsr
   -verify  ts -verify -config tsa.cnf -queryfile request.tsq -in response-KEY.tsr -CAfile ca.pem

2. In-process throughput, one thread (each loop ${LOOP_SECONDS} s after a warm-up;
   serial number always 1, system clock, the request of the -reply rows; verify
   checks the response that openssl ts -reply made from it;
   tsrs/openssl above 1 means tsrs is faster)

$(cat "$throughput_table")
EOF
