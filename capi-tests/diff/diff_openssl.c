/*
 * diff_openssl: runs the scenarios of scenarios.h through libcrypto's TS API
 * (OpenSSL 3.0) and writes what it produces into OUT_DIR, for run-diff.sh to
 * compare with what diff_tsrs writes.
 *
 * Usage: diff_openssl PKI_DIR OUT_DIR
 *
 * PKI_DIR contains tsa.pem (with a critical timeStamping extended key usage),
 * tsa.key, ca.pem and other-ca.pem. Run it under
 * `faketime -f '2024-01-02 03:04:05.12345 x0'`: genTime comes from a time
 * callback, but libcrypto reads the system clock for the signingTime
 * attribute and for certificate validity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509_vfy.h>

#include "scenarios.h"
/* Only for the TSRS_R_* reason codes of the mapping table below. */
#include "tsrs.h"

static const char *pki_dir;
static const char *out_dir;

static void fail(const char *step, const char *name) {
    fprintf(stderr, "diff_openssl: %s failed for %s\n", step, name);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static char *join_path(const char *dir, const char *name) {
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    if (path == NULL) {
        fail("malloc", name);
    }
    snprintf(path, len, "%s/%s", dir, name);
    return path;
}

static void write_output(const char *name, const void *bytes, size_t len) {
    char *path = join_path(out_dir, name);
    FILE *file = fopen(path, "wb");
    if (file == NULL || fwrite(bytes, 1, len, file) != len || fclose(file) != 0) {
        fail("writing", path);
    }
    free(path);
}

/* Writes what a print function wrote into a memory BIO, and frees the BIO. */
static void write_bio(const char *name, BIO *bio) {
    char *text = NULL;
    long len = BIO_get_mem_data(bio, &text);
    write_output(name, text, (size_t)len);
    BIO_free(bio);
}

static X509 *load_cert(const char *file_name) {
    char *path = join_path(pki_dir, file_name);
    BIO *bio = BIO_new_file(path, "r");
    X509 *cert = bio == NULL ? NULL : PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (cert == NULL) {
        fail("loading", path);
    }
    BIO_free(bio);
    free(path);
    return cert;
}

static EVP_PKEY *load_key(const char *file_name) {
    char *path = join_path(pki_dir, file_name);
    BIO *bio = BIO_new_file(path, "r");
    EVP_PKEY *key = bio == NULL ? NULL : PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    if (key == NULL) {
        fail("loading", path);
    }
    BIO_free(bio);
    free(path);
    return key;
}

static const EVP_MD *digest_by_name(const char *name) {
    const EVP_MD *md = EVP_get_digestbyname(name);
    if (md == NULL) {
        fail("EVP_get_digestbyname", name);
    }
    return md;
}

static ASN1_OBJECT *policy_object(const char *oid) {
    ASN1_OBJECT *object = OBJ_txt2obj(oid, 1);
    if (object == NULL) {
        fail("OBJ_txt2obj", oid);
    }
    return object;
}

/* ------------------------------------------------------------------ requests */

static TS_REQ *build_request(const struct request_spec *spec) {
    const EVP_MD *md = digest_by_name(spec->digest);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (!EVP_Digest(spec->data, strlen(spec->data), digest, &digest_len, md, NULL)) {
        fail("EVP_Digest", spec->name);
    }
    if (spec->truncate_digest_to != 0) {
        digest_len = (unsigned int)spec->truncate_digest_to;
    }

    /* The algorithm with NULL parameters, as `openssl ts -query` writes it. */
    X509_ALGOR *algorithm = X509_ALGOR_new();
    TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
    TS_REQ *req = TS_REQ_new();
    if (algorithm == NULL || imprint == NULL || req == NULL ||
        !X509_ALGOR_set0(algorithm, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) ||
        !TS_MSG_IMPRINT_set_algo(imprint, algorithm) ||
        !TS_MSG_IMPRINT_set_msg(imprint, digest, (int)digest_len) || !TS_REQ_set_version(req, 1) ||
        !TS_REQ_set_msg_imprint(req, imprint)) {
        fail("building the imprint", spec->name);
    }
    X509_ALGOR_free(algorithm);
    TS_MSG_IMPRINT_free(imprint);

    if (spec->policy != NULL) {
        ASN1_OBJECT *policy = policy_object(spec->policy);
        if (!TS_REQ_set_policy_id(req, policy)) {
            fail("TS_REQ_set_policy_id", spec->name);
        }
        ASN1_OBJECT_free(policy);
    }
    if (spec->nonce != NULL) {
        BIGNUM *number = BN_bin2bn(spec->nonce, (int)spec->nonce_len, NULL);
        ASN1_INTEGER *nonce = number == NULL ? NULL : BN_to_ASN1_INTEGER(number, NULL);
        if (nonce == NULL || !TS_REQ_set_nonce(req, nonce)) {
            fail("TS_REQ_set_nonce", spec->name);
        }
        ASN1_INTEGER_free(nonce);
        BN_free(number);
    }
    if (!TS_REQ_set_cert_req(req, spec->cert_req)) {
        fail("TS_REQ_set_cert_req", spec->name);
    }
    return req;
}

/* Encodes every request and writes req_NAME.der and req_NAME.txt. The
 * encodings stay in der[] and der_len[] for the responder. */
static void run_requests(unsigned char *der[], int der_len[]) {
    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        const struct request_spec *spec = &REQUESTS[r];
        TS_REQ *req = build_request(spec);
        char name[128];

        der[r] = NULL;
        der_len[r] = i2d_TS_REQ(req, &der[r]);
        if (der_len[r] <= 0) {
            fail("i2d_TS_REQ", spec->name);
        }
        snprintf(name, sizeof name, "req_%s.der", spec->name);
        write_output(name, der[r], (size_t)der_len[r]);

        BIO *text = BIO_new(BIO_s_mem());
        if (text == NULL || !TS_REQ_print_bio(text, req)) {
            fail("TS_REQ_print_bio", spec->name);
        }
        snprintf(name, sizeof name, "req_%s.txt", spec->name);
        write_bio(name, text);
        TS_REQ_free(req);
    }
}

/* ------------------------------------------------------------------ responses */

static uint64_t next_serial;
static long current_microseconds;

static ASN1_INTEGER *fixed_serial(TS_RESP_CTX *ctx, void *data) {
    (void)ctx;
    (void)data;
    ASN1_INTEGER *serial = ASN1_INTEGER_new();
    if (serial == NULL || !ASN1_INTEGER_set_uint64(serial, next_serial)) {
        ASN1_INTEGER_free(serial);
        return NULL;
    }
    return serial;
}

static int frozen_time(TS_RESP_CTX *ctx, void *data, long *seconds, long *microseconds) {
    (void)ctx;
    (void)data;
    *seconds = FROZEN_SECONDS;
    *microseconds = current_microseconds;
    return 1;
}

static TS_RESP_CTX *build_resp_ctx(const struct resp_ctx_spec *spec, X509 *signer, EVP_PKEY *key,
                                   X509 *ca) {
    TS_RESP_CTX *ctx = TS_RESP_CTX_new();
    if (ctx == NULL || !TS_RESP_CTX_set_signer_cert(ctx, signer) ||
        !TS_RESP_CTX_set_signer_key(ctx, key)) {
        fail("setting the signer", spec->name);
    }
    if (spec->with_ca_cert) {
        STACK_OF(X509) *certs = sk_X509_new_null();
        if (certs == NULL || !sk_X509_push(certs, ca) || !TS_RESP_CTX_set_certs(ctx, certs)) {
            fail("TS_RESP_CTX_set_certs", spec->name);
        }
        sk_X509_free(certs);
    }
    if (spec->signer_digest != NULL &&
        !TS_RESP_CTX_set_signer_digest(ctx, digest_by_name(spec->signer_digest))) {
        fail("TS_RESP_CTX_set_signer_digest", spec->name);
    }
    if (spec->ess_digest != NULL &&
        !TS_RESP_CTX_set_ess_cert_id_digest(ctx, digest_by_name(spec->ess_digest))) {
        fail("TS_RESP_CTX_set_ess_cert_id_digest", spec->name);
    }

    ASN1_OBJECT *policy = policy_object(spec->def_policy);
    if (!TS_RESP_CTX_set_def_policy(ctx, policy)) {
        fail("TS_RESP_CTX_set_def_policy", spec->name);
    }
    ASN1_OBJECT_free(policy);
    for (size_t i = 0; spec->other_policies[i] != NULL; i++) {
        policy = policy_object(spec->other_policies[i]);
        if (!TS_RESP_CTX_add_policy(ctx, policy)) {
            fail("TS_RESP_CTX_add_policy", spec->name);
        }
        ASN1_OBJECT_free(policy);
    }
    for (size_t i = 0; spec->digests[i] != NULL; i++) {
        if (!TS_RESP_CTX_add_md(ctx, digest_by_name(spec->digests[i]))) {
            fail("TS_RESP_CTX_add_md", spec->name);
        }
    }

    if (!TS_RESP_CTX_set_accuracy(ctx, spec->accuracy_seconds, spec->accuracy_millis,
                                  spec->accuracy_micros) ||
        !TS_RESP_CTX_set_clock_precision_digits(ctx, spec->precision_digits)) {
        fail("setting the accuracy and precision", spec->name);
    }
    int flags = 0;
    flags |= (spec->flags & SPEC_TSA_NAME) ? TS_TSA_NAME : 0;
    flags |= (spec->flags & SPEC_ORDERING) ? TS_ORDERING : 0;
    flags |= (spec->flags & SPEC_ESS_CERT_ID_CHAIN) ? TS_ESS_CERT_ID_CHAIN : 0;
    TS_RESP_CTX_add_flags(ctx, flags);
    TS_RESP_CTX_set_serial_cb(ctx, fixed_serial, NULL);
    TS_RESP_CTX_set_time_cb(ctx, frozen_time, NULL);
    return ctx;
}

/* Creates the response to `len` bytes and writes resp_CTX_REQ.{der,txt} and,
 * for a granted one, tok_CTX_REQ.{der,txt}. Returns the response. */
static TS_RESP *respond(TS_RESP_CTX *ctx, const char *ctx_name, const char *req_name,
                        const unsigned char *req_der, int len) {
    char name[160];
    BIO *input = BIO_new_mem_buf(req_der, len);
    TS_RESP *resp = input == NULL ? NULL : TS_RESP_create_response(ctx, input);
    if (resp == NULL) {
        fail("TS_RESP_create_response", req_name);
    }
    BIO_free(input);
    /* A rejection leaves the reason on the error queue. */
    ERR_clear_error();

    unsigned char *der = NULL;
    int der_len = i2d_TS_RESP(resp, &der);
    if (der_len <= 0) {
        fail("i2d_TS_RESP", req_name);
    }
    snprintf(name, sizeof name, "resp_%s_%s.der", ctx_name, req_name);
    write_output(name, der, (size_t)der_len);
    OPENSSL_free(der);

    BIO *text = BIO_new(BIO_s_mem());
    if (text == NULL || !TS_RESP_print_bio(text, resp)) {
        fail("TS_RESP_print_bio", req_name);
    }
    snprintf(name, sizeof name, "resp_%s_%s.txt", ctx_name, req_name);
    write_bio(name, text);

    PKCS7 *token = TS_RESP_get_token(resp);
    TS_TST_INFO *tst_info = TS_RESP_get_tst_info(resp);
    if (token == NULL || tst_info == NULL) {
        return resp;
    }
    der = NULL;
    der_len = i2d_PKCS7(token, &der);
    if (der_len <= 0) {
        fail("i2d_PKCS7", req_name);
    }
    snprintf(name, sizeof name, "tok_%s_%s.der", ctx_name, req_name);
    write_output(name, der, (size_t)der_len);
    OPENSSL_free(der);

    text = BIO_new(BIO_s_mem());
    if (text == NULL || !TS_TST_INFO_print_bio(text, tst_info)) {
        fail("TS_TST_INFO_print_bio", req_name);
    }
    snprintf(name, sizeof name, "tok_%s_%s.txt", ctx_name, req_name);
    write_bio(name, text);
    return resp;
}

/* Creates the response of every context to every request and bad input.
 * responses[c][r] keeps each response to a request for the verify scenarios. */
static void run_responses(unsigned char *req_der[], int req_len[],
                          TS_RESP *responses[RESP_CTX_COUNT][REQUEST_COUNT]) {
    X509 *signer = load_cert("tsa.pem");
    X509 *ca = load_cert("ca.pem");
    EVP_PKEY *key = load_key("tsa.key");

    for (size_t c = 0; c < RESP_CTX_COUNT; c++) {
        TS_RESP_CTX *ctx = build_resp_ctx(&RESP_CTXS[c], signer, key, ca);
        current_microseconds = RESP_CTXS[c].microseconds;
        for (size_t r = 0; r < REQUEST_COUNT; r++) {
            next_serial = scenario_serial(c, r);
            responses[c][r] =
                respond(ctx, RESP_CTXS[c].name, REQUESTS[r].name, req_der[r], req_len[r]);
        }
        for (size_t i = 0; i < BAD_INPUT_COUNT; i++) {
            unsigned char *input = malloc((size_t)req_len[0] + 64);
            if (input == NULL) {
                fail("malloc", BAD_INPUTS[i]);
            }
            size_t len = bad_input(i, req_der[0], (size_t)req_len[0], input);
            next_serial = scenario_serial(c, REQUEST_COUNT + i);
            TS_RESP_free(respond(ctx, RESP_CTXS[c].name, BAD_INPUTS[i], input, (int)len));
            free(input);
        }
        TS_RESP_CTX_free(ctx);
    }
    X509_free(signer);
    X509_free(ca);
    EVP_PKEY_free(key);
}

/* ------------------------------------------------------------------ verification */

/* The expected mapping from the error OpenSSL 3.0 raises last when a
 * verification fails to the tsrs reason code for the same failure. The last
 * error is the TS library's own when there is one: a bad signature raises
 * RSA and PKCS7 errors and then TS_R_SIGNATURE_FAILURE. A signer that is not
 * found raises only PKCS7_R_SIGNER_CERTIFICATE_NOT_FOUND. */
static const struct {
    int library;
    int reason;
    uint32_t tsrs_reason;
} REASON_MAP[] = {
    {ERR_LIB_TS, TS_R_NO_TIME_STAMP_TOKEN, TSRS_R_NO_TIME_STAMP_TOKEN},
    {ERR_LIB_TS, TS_R_BAD_PKCS7_TYPE, TSRS_R_WRONG_CONTENT_TYPE},
    {ERR_LIB_TS, TS_R_BAD_TYPE, TSRS_R_WRONG_CONTENT_TYPE},
    {ERR_LIB_TS, TS_R_THERE_MUST_BE_ONE_SIGNER, TSRS_R_SIGNER_COUNT},
    {ERR_LIB_TS, TS_R_NO_CONTENT, TSRS_R_NO_CONTENT},
    {ERR_LIB_PKCS7, PKCS7_R_SIGNER_CERTIFICATE_NOT_FOUND, TSRS_R_SIGNER_NOT_FOUND},
    {ERR_LIB_TS, TS_R_CERTIFICATE_VERIFY_ERROR, TSRS_R_CERTIFICATE_VERIFY},
    {ERR_LIB_TS, TS_R_ESS_SIGNING_CERTIFICATE_ERROR, TSRS_R_ESS_SIGNING_CERTIFICATE},
    {ERR_LIB_TS, TS_R_SIGNATURE_FAILURE, TSRS_R_SIGNATURE_FAILURE},
    {ERR_LIB_TS, TS_R_UNSUPPORTED_VERSION, TSRS_R_UNSUPPORTED_VERSION},
    {ERR_LIB_TS, TS_R_POLICY_MISMATCH, TSRS_R_POLICY_MISMATCH},
    {ERR_LIB_TS, TS_R_MESSAGE_IMPRINT_MISMATCH, TSRS_R_IMPRINT_MISMATCH},
    {ERR_LIB_TS, TS_R_NONCE_NOT_RETURNED, TSRS_R_NONCE_NOT_RETURNED},
    {ERR_LIB_TS, TS_R_NONCE_MISMATCH, TSRS_R_NONCE_MISMATCH},
    {ERR_LIB_TS, TS_R_TSA_NAME_MISMATCH, TSRS_R_TSA_NAME_MISMATCH},
    {ERR_LIB_TS, TS_R_TSA_UNTRUSTED, TSRS_R_TSA_UNTRUSTED},
};

/* Returns the tsrs reason code of the newest error and empties the queue.
 * When the table has no row for the error, it prints the error and returns 1,
 * a code that no TSRS_R_* reason uses. */
static uint32_t mapped_error(const char *scenario) {
    unsigned long error = ERR_peek_last_error();
    ERR_clear_error();
    for (size_t i = 0; i < sizeof REASON_MAP / sizeof REASON_MAP[0]; i++) {
        if (ERR_GET_LIB(error) == REASON_MAP[i].library &&
            ERR_GET_REASON(error) == REASON_MAP[i].reason) {
            return REASON_MAP[i].tsrs_reason;
        }
    }
    fprintf(stderr, "diff_openssl: %s: OpenSSL error %s has no tsrs reason in the table\n",
            scenario, ERR_error_string(error, NULL));
    return 1;
}

static size_t request_index(const char *name) {
    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        if (strcmp(REQUESTS[r].name, name) == 0) {
            return r;
        }
    }
    fail("finding the request", name);
    return 0;
}

static size_t resp_ctx_index(const char *name) {
    for (size_t c = 0; c < RESP_CTX_COUNT; c++) {
        if (strcmp(RESP_CTXS[c].name, name) == 0) {
            return c;
        }
    }
    fail("finding the response context", name);
    return 0;
}

static TS_VERIFY_CTX *build_verify_ctx(const struct verify_spec *spec, TS_REQ *requests[]) {
    TS_VERIFY_CTX *ctx = NULL;
    const int common = TS_VFY_VERSION | TS_VFY_SIGNER | TS_VFY_SIGNATURE;

    if (spec->source == VERIFY_REQUEST) {
        ctx = TS_REQ_to_TS_VERIFY_CTX(requests[request_index(spec->ctx_request)], NULL);
        if (ctx == NULL) {
            fail("TS_REQ_to_TS_VERIFY_CTX", spec->name);
        }
        TS_VERIFY_CTX_add_flags(ctx, TS_VFY_SIGNATURE);
    } else if (spec->source == VERIFY_DATA) {
        ctx = TS_VERIFY_CTX_new();
        BIO *data = BIO_new_mem_buf(spec->data, (int)strlen(spec->data));
        if (ctx == NULL || data == NULL) {
            fail("TS_VERIFY_CTX_new", spec->name);
        }
        TS_VERIFY_CTX_set_flags(ctx, common | TS_VFY_DATA);
        TS_VERIFY_CTX_set_data(ctx, data);
    } else {
        ctx = TS_VERIFY_CTX_new();
        TS_REQ *req = requests[request_index(spec->request)];
        ASN1_OCTET_STRING *digest = TS_MSG_IMPRINT_get_msg(TS_REQ_get_msg_imprint(req));
        int len = ASN1_STRING_length(digest);
        unsigned char *imprint = OPENSSL_malloc((size_t)len);
        if (ctx == NULL || imprint == NULL) {
            fail("TS_VERIFY_CTX_new", spec->name);
        }
        memcpy(imprint, ASN1_STRING_get0_data(digest), (size_t)len);
        if (spec->corrupt_imprint) {
            imprint[len - 1] ^= 1;
        }
        TS_VERIFY_CTX_set_flags(ctx, common | TS_VFY_IMPRINT);
        TS_VERIFY_CTX_set_imprint(ctx, imprint, len);
    }

    char *anchor = join_path(pki_dir, spec->anchor);
    X509_STORE *store = X509_STORE_new();
    if (store == NULL || !X509_STORE_load_file(store, anchor)) {
        fail("X509_STORE_load_file", anchor);
    }
    free(anchor);
    TS_VERIFY_CTX_set_store(ctx, store);
    if (spec->untrusted_signer) {
        STACK_OF(X509) *certs = sk_X509_new_null();
        if (certs == NULL || !sk_X509_push(certs, load_cert("tsa.pem"))) {
            fail("building the untrusted certificates", spec->name);
        }
        TS_VERIFY_CTX_set_certs(ctx, certs);
    }
    return ctx;
}

/* Returns a copy of `resp` with the scenario's corruption applied to its DER. */
static TS_RESP *corrupted_copy(const struct verify_spec *spec, TS_RESP *resp, TS_REQ *req) {
    unsigned char *der = NULL;
    int len = i2d_TS_RESP(resp, &der);
    ASN1_OCTET_STRING *digest = TS_MSG_IMPRINT_get_msg(TS_REQ_get_msg_imprint(req));
    if (len <= 0 ||
        !corrupt_response(der, (size_t)len, spec->corruption, ASN1_STRING_get0_data(digest),
                          (size_t)ASN1_STRING_length(digest))) {
        fail("corrupting the response", spec->name);
    }
    const unsigned char *cursor = der;
    TS_RESP *copy = d2i_TS_RESP(NULL, &cursor, len);
    if (copy == NULL) {
        fail("d2i_TS_RESP", spec->name);
    }
    OPENSSL_free(der);
    return copy;
}

static void run_verifies(TS_REQ *requests[], TS_RESP *responses[RESP_CTX_COUNT][REQUEST_COUNT]) {
    BIO *report = BIO_new(BIO_s_mem());
    if (report == NULL) {
        fail("BIO_new", "verify.txt");
    }
    for (size_t v = 0; v < VERIFY_COUNT; v++) {
        const struct verify_spec *spec = &VERIFIES[v];
        TS_VERIFY_CTX *ctx = build_verify_ctx(spec, requests);
        size_t r = request_index(spec->request);
        TS_RESP *resp =
            corrupted_copy(spec, responses[resp_ctx_index(spec->resp_ctx)][r], requests[r]);

        ERR_clear_error();
        int verdict = TS_RESP_verify_response(ctx, resp);
        uint32_t reason = verdict == 1 ? 0 : mapped_error(spec->name);
        BIO_printf(report, "%s %d %u\n", spec->name, verdict, (unsigned)reason);
        TS_RESP_free(resp);
        TS_VERIFY_CTX_free(ctx);
    }
    write_bio("verify.txt", report);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PKI_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    pki_dir = argv[1];
    out_dir = argv[2];
    if (OBJ_create(NAMED_POLICY_OID, NAMED_POLICY_SHORT, NAMED_POLICY_LONG) == NID_undef) {
        fail("OBJ_create", NAMED_POLICY_OID);
    }

    unsigned char *req_der[REQUEST_COUNT];
    int req_len[REQUEST_COUNT];
    TS_REQ *requests[REQUEST_COUNT];
    TS_RESP *responses[RESP_CTX_COUNT][REQUEST_COUNT];

    run_requests(req_der, req_len);
    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        requests[r] = build_request(&REQUESTS[r]);
    }
    run_responses(req_der, req_len, responses);
    run_verifies(requests, responses);

    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        OPENSSL_free(req_der[r]);
        TS_REQ_free(requests[r]);
        for (size_t c = 0; c < RESP_CTX_COUNT; c++) {
            TS_RESP_free(responses[c][r]);
        }
    }
    return 0;
}
