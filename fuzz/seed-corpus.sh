#!/bin/sh
# Writes the seed corpus of every fuzz target into fuzz/corpus/TARGET/.
#
# Seeds are made at run time with the system `openssl` (requests, responses,
# tokens, certificates, keys in each format, a TSA configuration) and, when
# the project root has a sibling folder ../shared/corpus/realworld, copied
# from the time-stamps of real TSAs there. Nothing here is committed: the
# corpus folder is in fuzz/.gitignore.
set -eu

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz_dir")
corpus="$fuzz_dir/corpus"
realworld="$root/../shared/corpus/realworld"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for target in request response token certificate_der certificate_pem private_key \
    config tsa_config ber_normalize; do
    mkdir -p "$corpus/$target"
done

# Copies FILE into the corpus of TARGET under a name made from its content.
seed() {
    target=$1
    file=$2
    name=$(sha1sum "$file" | cut -c1-16)
    cp "$file" "$corpus/$target/$name"
}

cd "$work"
ossl() {
    openssl "$@" 2>/dev/null
}

# A CA and a TSA certificate, RSA and EC.
cat > ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[tsa]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:tsa.example.com, email:tsa@example.com, IP:127.0.0.1, URI:http://tsa.example.com/
certificatePolicies = 1.2.3.4.1
crlDistributionPoints = URI:http://crl.example.com/ca.crl
CNF
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
    -subj "/C=XX/O=tsrs fuzz/CN=Fuzz CA" -extensions ca -config ext.cnf
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tsa-ec.key
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out tsa-rsa.key
for alg in ec rsa; do
    ossl req -new -key "tsa-$alg.key" -out "tsa-$alg.csr" -subj "/O=tsrs fuzz/CN=Fuzz TSA $alg"
    ossl x509 -req -in "tsa-$alg.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -extfile ext.cnf -extensions tsa -out "tsa-$alg.pem"
done
ossl x509 -in ca.pem -outform DER -out ca.der
ossl x509 -in tsa-rsa.pem -outform DER -out tsa-rsa.der
ossl x509 -in tsa-ec.pem -addtrust timeStamping -addreject emailProtection \
    -setalias "fuzz TSA" -trustout -out trusted.pem
ossl x509 -in tsa-ec.pem -addtrust timeStamping -setalias "fuzz TSA" -trustout \
    -outform DER -out trusted.der
cat tsa-ec.pem ca.pem > chain.pem
cat tsa-rsa.key tsa-rsa.pem > key-and-cert.pem
for file in ca.der tsa-rsa.der trusted.der; do
    seed certificate_der "$file"
    seed ber_normalize "$file"
done
for file in ca.pem tsa-ec.pem chain.pem trusted.pem key-and-cert.pem; do
    seed certificate_pem "$file"
done

# Private keys in every format, plain and encrypted with the passphrase `fuzz`.
ossl genpkey -algorithm ED25519 -out ed25519.key
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec384.key
ossl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:1024 \
    -pkeyopt rsa_pss_keygen_md:sha256 -out pss.key
for key in tsa-rsa.key tsa-ec.key ed25519.key ec384.key pss.key; do
    base=${key%.key}
    seed private_key "$key"
    ossl pkey -in "$key" -outform DER -out "$base.p8.der" && seed private_key "$base.p8.der"
    ossl pkcs8 -topk8 -in "$key" -passout pass:fuzz -v2 aes-128-cbc -iter 1 \
        -out "$base.p8enc.pem" && seed private_key "$base.p8enc.pem"
    ossl pkcs8 -topk8 -in "$key" -passout pass:fuzz -v2 aes-256-cbc -scrypt \
        -scrypt_N 1024 -scrypt_r 1 -scrypt_p 1 -out "$base.scrypt.pem" &&
        seed private_key "$base.scrypt.pem"
done
ossl pkcs8 -topk8 -in tsa-ec.key -passout pass:fuzz -v2 aes-128-cbc -iter 1 -outform DER \
    -out ec.p8enc.der && seed private_key ec.p8enc.der
ossl rsa -in tsa-rsa.key -traditional -out rsa.pkcs1.pem && seed private_key rsa.pkcs1.pem
ossl rsa -in tsa-rsa.key -traditional -outform DER -out rsa.pkcs1.der &&
    seed private_key rsa.pkcs1.der
ossl ec -in tsa-ec.key -out ec.sec1.pem && seed private_key ec.sec1.pem
ossl ec -in tsa-ec.key -outform DER -out ec.sec1.der && seed private_key ec.sec1.der
for cipher in des3 aes128 aes256 des; do
    ossl rsa -in tsa-rsa.key -traditional -"$cipher" -passout pass:fuzz \
        -out "rsa.legacy-$cipher.pem" && seed private_key "rsa.legacy-$cipher.pem"
    ossl ec -in tsa-ec.key -"$cipher" -passout pass:fuzz -out "ec.legacy-$cipher.pem" &&
        seed private_key "ec.legacy-$cipher.pem"
done
seed private_key key-and-cert.pem

# Requests, responses and tokens from `openssl ts` with a TSA configuration,
# which is itself a seed of both configuration targets.
echo 1 > serial
cat > tsa.cnf <<'CNF'
# A TSA configuration in the layout of OpenSSL's openssl.cnf.
HOME = .
oid_section = new_oids

[ new_oids ]
tsa_policy1 = 1.2.3.4.1
tsa_policy2 = 1.2.3.4.5.6
tsa_policy3 = 1.2.3.4.5.7

[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = $HOME
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa-rsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa-rsa.key
signer_digest = sha256
default_policy = tsa_policy1
other_policies = tsa_policy2, tsa_policy3
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = yes
ess_cert_id_alg = sha256

[ tsa_config2 ]
serial = "${tsa_config1::dir}/serial"
signer_cert = 'tsa-ec.pem'
signer_key = tsa-ec.key
signer_digest = SHA384
default_policy = 1.2.3.4.1
digests = "sha256"
accuracy = secs:0
ordering = no
tsa_name = no
.pragma dollarid:on
name\ with\ escapes = a\tb\
 continued $ENV::HOME
CNF
seed config tsa.cnf
# The system's own openssl.cnf, without the lines the target skips.
system_cnf="$(openssl version -d | sed 's/^OPENSSLDIR: "\(.*\)"$/\1/')/openssl.cnf"
if [ -f "$system_cnf" ]; then
    grep -vi include "$system_cnf" > system.cnf
    seed config system.cnf
    seed tsa_config system.cnf
fi
seed tsa_config tsa.cnf
sed 's/^default_tsa = .*/default_tsa = tsa_config2/' tsa.cnf > tsa2.cnf
seed tsa_config tsa2.cnf

echo "data to time-stamp" > data
n=0
for opts in "-sha256 -cert" "-sha1 -no_nonce" "-sha512 -tspolicy 1.2.3.4.5.6 -cert" \
    "-sha384 -tspolicy tsa_policy3"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    ossl ts -query -config tsa.cnf -data data $opts -out "req$n.tsq" || continue
    seed request "req$n.tsq"
    seed ber_normalize "req$n.tsq"
    for section in tsa_config1 tsa_config2; do
        ossl ts -reply -config tsa.cnf -section "$section" -queryfile "req$n.tsq" \
            -out "resp$n-$section.tsr" || continue
        seed response "resp$n-$section.tsr"
        seed ber_normalize "resp$n-$section.tsr"
        ossl ts -reply -config tsa.cnf -section "$section" -queryfile "req$n.tsq" \
            -token_out -out "token$n-$section.tst" &&
            seed token "token$n-$section.tst"
    done
done
# A rejection: the request's digest is not among tsa_config2's digests.
ossl ts -reply -config tsa.cnf -section tsa_config2 -queryfile req2.tsq -out rejected.tsr &&
    seed response rejected.tsr

# Time-stamps from real TSAs, when the shared corpus is there.
if [ -d "$realworld" ]; then
    for file in "$realworld"/*/*; do
        case "$file" in
        *.tsq) seed request "$file"; seed ber_normalize "$file" ;;
        *.tsr) seed response "$file"; seed ber_normalize "$file" ;;
        *.tst) seed token "$file"; seed ber_normalize "$file" ;;
        *.pem)
            seed certificate_pem "$file"
            ossl x509 -in "$file" -outform DER -out cert.der && seed certificate_der cert.der
            ;;
        esac
    done
fi

for target in request response token certificate_der certificate_pem private_key \
    config tsa_config ber_normalize; do
    echo "$target: $(find "$corpus/$target" -type f | wc -l) seeds"
done
