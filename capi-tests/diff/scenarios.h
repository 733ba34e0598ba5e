/*
 * The scenarios that diff_openssl.c (libcrypto's TS API) and diff_tsrs.c
 * (libtsrs) both run. Each program writes what it produces into an output
 * folder under the same file names, and run-diff.sh compares the two folders
 * byte for byte. This header contains the scenarios as data, and two helpers
 * that use neither library, so that the two programs cannot drift apart.
 *
 * Output files, for request R and response context C:
 *   req_R.der, req_R.txt             the request's DER and its text
 *   resp_C_R.der, resp_C_R.txt       the response's DER and its text
 *   tok_C_R.der, tok_C_R.txt         the token's DER and the TSTInfo text
 *                                    (granted responses only)
 *   resp_C_B.der, resp_C_B.txt       the response to bad input B (BAD_INPUTS)
 *   verify.txt                       one line per verify scenario:
 *                                    "NAME VERDICT REASON", with REASON the
 *                                    TSRS_R_* code of the failure, 0 on success
 */
#ifndef DIFF_SCENARIOS_H
#define DIFF_SCENARIOS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The frozen clock: 2024-01-02 03:04:05.12345 UTC. run-diff.sh passes the same
 * time to faketime for the OpenSSL program, whose CMS signingTime attribute
 * reads the system clock. */
#define FROZEN_SECONDS 1704164645L
#define FROZEN_MICROSECONDS 123450L

static const char MESSAGE[] = "Hello, time-stamping world!\n";
static const char OTHER_MESSAGE[] = "Some other data.\n";

/* A policy that both programs register by name before anything prints it. */
#define NAMED_POLICY_OID "1.2.3.4.5.6"
#define NAMED_POLICY_SHORT "tsaPolicyTwo"
#define NAMED_POLICY_LONG "TSA policy two"

static const uint8_t NONCE_SMALL[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
/* The high bit is set, so DER needs a leading zero byte. */
static const uint8_t NONCE_HIGH_BIT[] = {0xf1, 0xe2, 0xd3, 0xc4, 0xb5, 0xa6, 0x97, 0x88};
/* The leading zero bytes are not part of the number. */
static const uint8_t NONCE_LEADING_ZEROS[] = {0x00, 0x00, 0x80};
static const uint8_t NONCE_OTHER[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09};

struct request_spec {
    const char *name;
    const char *digest;   /* digest name, spelled the same in both libraries */
    const char *data;     /* hashed with `digest` for the imprint */
    const char *policy;   /* dotted OID, or NULL for none */
    const uint8_t *nonce; /* big-endian, or NULL for none */
    size_t nonce_len;
    int cert_req;
    size_t truncate_digest_to; /* when non-zero, the imprint keeps only this many bytes */
};

static const struct request_spec REQUESTS[] = {
    {"sha256_plain", "sha256", MESSAGE, NULL, NULL, 0, 0, 0},
    {"sha512_full", "sha512", MESSAGE, NAMED_POLICY_OID, NONCE_SMALL, sizeof NONCE_SMALL, 1, 0},
    {"sha1_nonce", "sha1", MESSAGE, NULL, NONCE_HIGH_BIT, sizeof NONCE_HIGH_BIT, 0, 0},
    {"sha256_default_policy", "sha256", MESSAGE, "1.2.3.4.1", NONCE_SMALL, sizeof NONCE_SMALL, 1,
     0},
    {"sha256_other_nonce", "sha256", MESSAGE, NULL, NONCE_OTHER, sizeof NONCE_OTHER, 1, 0},
    {"sha256_other_policy", "sha256", MESSAGE, "1.2.3.4.5.7", NONCE_SMALL, sizeof NONCE_SMALL, 1,
     0},
    {"sha256_nonce", "sha256", MESSAGE, NULL, NONCE_SMALL, sizeof NONCE_SMALL, 1, 0},
    {"sha256_empty", "sha256", "", NULL, NONCE_LEADING_ZEROS, sizeof NONCE_LEADING_ZEROS, 0, 0},
    /* Rejections: a digest no context accepts, a policy no context accepts,
     * and a SHA-256 imprint of 20 bytes. */
    {"sha384_unaccepted", "sha384", MESSAGE, NULL, NULL, 0, 0, 0},
    {"bad_policy", "sha256", MESSAGE, "1.2.3.99", NULL, 0, 0, 0},
    {"short_digest", "sha256", MESSAGE, NULL, NULL, 0, 0, 20},
};
#define REQUEST_COUNT (sizeof REQUESTS / sizeof REQUESTS[0])

/* Inputs to the responder that are not one DER request. Every context
 * responds to each, and the response is written as resp_C_NAME. */
static const char *const BAD_INPUTS[] = {"garbage", "empty", "truncated", "trailing"};
#define BAD_INPUT_COUNT (sizeof BAD_INPUTS / sizeof BAD_INPUTS[0])

/* Writes bad input number i into `out`, which has room for `request_len` + 64
 * bytes, and returns its length. `request` is the DER of REQUESTS[0]:
 * "truncated" is its first half, and "trailing" is the whole of it followed by
 * more bytes. */
static inline size_t bad_input(size_t i, const uint8_t *request, size_t request_len, uint8_t *out) {
    static const char garbage[] = "this is not a time-stamp request\n";
    switch (i) {
    case 0:
        memcpy(out, garbage, sizeof garbage - 1);
        return sizeof garbage - 1;
    case 1:
        return 0;
    case 2:
        memcpy(out, request, request_len / 2);
        return request_len / 2;
    default:
        memcpy(out, request, request_len);
        memcpy(out + request_len, "more", 4);
        return request_len + 4;
    }
}

/* Response context flags, mapped by each program to its library's constant. */
#define SPEC_TSA_NAME 1
#define SPEC_ORDERING 2
#define SPEC_ESS_CERT_ID_CHAIN 4

struct resp_ctx_spec {
    const char *name;
    const char *signer_digest; /* NULL keeps the default, SHA-256 */
    const char *ess_digest;    /* NULL keeps the default, SHA-1 (ESS v1) */
    const char *def_policy;
    const char *other_policies[3]; /* NULL-terminated */
    const char *digests[4];        /* NULL-terminated */
    int with_ca_cert;              /* the root goes into the context's certificates */
    int accuracy_seconds, accuracy_millis, accuracy_micros;
    unsigned precision_digits;
    int flags; /* SPEC_* */
    /* The microseconds of genTime, from the time callback. The signingTime
     * attribute has whole seconds only, so this may differ from the
     * fraction that faketime gives the OpenSSL program. */
    long microseconds;
};

static const struct resp_ctx_spec RESP_CTXS[] = {
    {
        .name = "min",
        .def_policy = "1.2.3.4.1",
        .digests = {"sha256", "sha1", "sha512", NULL},
        .microseconds = FROZEN_MICROSECONDS,
    },
    {
        .name = "full",
        .signer_digest = "sha512",
        .ess_digest = "sha256",
        .def_policy = "1.2.3.4.1",
        .other_policies = {NAMED_POLICY_OID, "1.2.3.4.5.7", NULL},
        .digests = {"sha1", "sha256", "sha512", NULL},
        .with_ca_cert = 1,
        .accuracy_seconds = 1,
        .accuracy_millis = 500,
        .accuracy_micros = 100,
        .precision_digits = 3,
        .flags = SPEC_TSA_NAME | SPEC_ORDERING | SPEC_ESS_CERT_ID_CHAIN,
        .microseconds = FROZEN_MICROSECONDS,
    },
    {
        .name = "v1_chain",
        .signer_digest = "sha384",
        .ess_digest = "sha1",
        .def_policy = NAMED_POLICY_OID,
        .other_policies = {"1.2.3.4.1", NULL},
        .digests = {"sha256", "sha1", "sha512", NULL},
        .with_ca_cert = 1,
        .accuracy_millis = 250,
        .precision_digits = 6,
        .flags = SPEC_ESS_CERT_ID_CHAIN,
        .microseconds = 450,
    },
    {
        .name = "v2_precise",
        .signer_digest = "sha256",
        .ess_digest = "sha512",
        .def_policy = "1.2.3.4.1",
        .digests = {"sha256", "sha512", NULL},
        .accuracy_micros = 7,
        .precision_digits = 2,
        .flags = SPEC_TSA_NAME,
        .microseconds = FROZEN_MICROSECONDS,
    },
    /* Precision 3 with 450 microseconds: the fraction is all zeros and
     * genTime has none. The accuracy is out of its range of 1 to 999
     * millis, which neither library checks. */
    {
        .name = "sha1_signer",
        .signer_digest = "sha1",
        .ess_digest = "sha384",
        .def_policy = "1.2.3.4.1",
        .other_policies = {NAMED_POLICY_OID, NULL},
        .digests = {"sha256", "sha1", NULL},
        .accuracy_seconds = 2,
        .accuracy_millis = 1000,
        .precision_digits = 3,
        .flags = SPEC_ORDERING,
        .microseconds = 450,
    },
};
#define RESP_CTX_COUNT (sizeof RESP_CTXS / sizeof RESP_CTXS[0])

/* Returns the serial number of the token for request r of context c. The last
 * context uses r itself, so 0 is among its serial numbers. The others use a
 * value with the high bit set in its top byte, so DER needs a leading zero. */
static inline uint64_t scenario_serial(size_t c, size_t r) {
    if (c == RESP_CTX_COUNT - 1) {
        return (uint64_t)r;
    }
    return 0x8000000000001000ULL + (uint64_t)(c * 0x100 + r);
}

enum verify_source {
    VERIFY_DATA,    /* TS_VERIFY_CTX_set_data with `data` */
    VERIFY_IMPRINT, /* TS_VERIFY_CTX_set_imprint with the request's digest */
    VERIFY_REQUEST, /* TS_REQ_to_TS_VERIFY_CTX with request `ctx_request` */
};

enum corruption {
    CORRUPT_NONE,
    CORRUPT_SIGNATURE, /* the last byte of the response, in the signature value */
    CORRUPT_CONTENT,   /* the first byte of the imprint's digest, in the signed TSTInfo */
};

struct verify_spec {
    const char *name;
    const char *resp_ctx; /* the response of this context ... */
    const char *request;  /* ... to this request is verified */
    enum verify_source source;
    const char *data;           /* VERIFY_DATA */
    int corrupt_imprint;        /* VERIFY_IMPRINT: flip a bit of the expected digest */
    const char *ctx_request;    /* VERIFY_REQUEST */
    const char *anchor;         /* trust anchor file in the PKI folder */
    int untrusted_signer;       /* the TSA certificate is given as untrusted */
    enum corruption corruption; /* a change to the response's DER before it is verified */
};

static const struct verify_spec VERIFIES[] = {
    {"data_good", "full", "sha512_full", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0, CORRUPT_NONE},
    {"data_wrong", "full", "sha512_full", VERIFY_DATA, OTHER_MESSAGE, 0, NULL, "ca.pem", 0,
     CORRUPT_NONE},
    {"data_v1", "v1_chain", "sha256_default_policy", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0,
     CORRUPT_NONE},
    {"imprint_good", "full", "sha512_full", VERIFY_IMPRINT, NULL, 0, NULL, "ca.pem", 0,
     CORRUPT_NONE},
    {"imprint_wrong", "full", "sha512_full", VERIFY_IMPRINT, NULL, 1, NULL, "ca.pem", 0,
     CORRUPT_NONE},
    {"request_good", "full", "sha512_full", VERIFY_REQUEST, NULL, 0, "sha512_full", "ca.pem", 0,
     CORRUPT_NONE},
    {"request_sha256", "v2_precise", "sha256_nonce", VERIFY_REQUEST, NULL, 0, "sha256_nonce",
     "ca.pem", 1, CORRUPT_NONE},
    {"request_wrong_nonce", "full", "sha256_nonce", VERIFY_REQUEST, NULL, 0, "sha256_other_nonce",
     "ca.pem", 0, CORRUPT_NONE},
    {"request_wrong_policy", "full", "sha256_default_policy", VERIFY_REQUEST, NULL, 0,
     "sha256_other_policy", "ca.pem", 0, CORRUPT_NONE},
    {"request_nonce_missing", "min", "sha256_plain", VERIFY_REQUEST, NULL, 0, "sha256_nonce",
     "ca.pem", 1, CORRUPT_NONE},
    {"request_wrong_data", "full", "sha1_nonce", VERIFY_REQUEST, NULL, 0, "sha256_nonce", "ca.pem",
     1, CORRUPT_NONE},
    {"untrusted_root", "full", "sha512_full", VERIFY_DATA, MESSAGE, 0, NULL, "other-ca.pem", 0,
     CORRUPT_NONE},
    {"signer_missing", "min", "sha256_plain", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0,
     CORRUPT_NONE},
    {"signer_untrusted", "min", "sha256_plain", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 1,
     CORRUPT_NONE},
    {"rejected", "full", "bad_policy", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0, CORRUPT_NONE},
    {"sha1_signer", "sha1_signer", "sha256_default_policy", VERIFY_REQUEST, NULL, 0,
     "sha256_default_policy", "ca.pem", 0, CORRUPT_NONE},
    {"empty_data", "v2_precise", "sha256_empty", VERIFY_DATA, "", 0, NULL, "ca.pem", 1,
     CORRUPT_NONE},
    {"request_plain", "min", "sha256_plain", VERIFY_REQUEST, NULL, 0, "sha256_plain", "ca.pem", 1,
     CORRUPT_NONE},
    {"data_sha1", "full", "sha1_nonce", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 1, CORRUPT_NONE},
    {"bad_signature", "full", "sha512_full", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0,
     CORRUPT_SIGNATURE},
    {"bad_content", "full", "sha512_full", VERIFY_DATA, MESSAGE, 0, NULL, "ca.pem", 0,
     CORRUPT_CONTENT},
};
#define VERIFY_COUNT (sizeof VERIFIES / sizeof VERIFIES[0])

/* Applies `corruption` to `len` bytes of response DER. `digest` is the
 * imprint's digest, which CORRUPT_CONTENT looks for. Returns 0 when the
 * digest is not found. */
static inline int corrupt_response(uint8_t *der, size_t len, enum corruption corruption,
                                   const uint8_t *digest, size_t digest_len) {
    if (corruption == CORRUPT_NONE) {
        return 1;
    }
    if (corruption == CORRUPT_SIGNATURE) {
        der[len - 1] ^= 0x01;
        return 1;
    }
    for (size_t i = 0; i + digest_len <= len; i++) {
        if (memcmp(der + i, digest, digest_len) == 0) {
            der[i] ^= 0x01;
            return 1;
        }
    }
    return 0;
}

#endif
