/*
 * diff_tsrs: runs the scenarios of scenarios.h through libtsrs and writes
 * what it produces into OUT_DIR, for run-diff.sh to compare with what
 * diff_openssl writes.
 *
 * Usage: diff_tsrs PKI_DIR OUT_DIR
 *
 * PKI_DIR contains tsa.pem, tsa.key, ca.pem and other-ca.pem. The clock is a
 * time callback that returns the frozen time of scenarios.h, for genTime and
 * the signingTime attribute alike, so no faketime is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios.h"
#include "tsrs.h"

static const char *pki_dir;
static const char *out_dir;

static void fail(const char *step, const char *name) {
    fprintf(stderr, "diff_tsrs: %s failed for %s\n", step, name);
    tsrs_err_print_errors();
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

/* Writes a buffer a tsrs function returned, and frees it. */
static void write_tsrs_buffer(const char *name, void *bytes, size_t len) {
    write_output(name, bytes, len);
    tsrs_free(bytes);
}

static tsrs_x509 *load_cert(const char *file_name) {
    char *path = join_path(pki_dir, file_name);
    tsrs_x509 *cert = tsrs_x509_load_file(path);
    if (cert == NULL) {
        fail("tsrs_x509_load_file", path);
    }
    free(path);
    return cert;
}

/* ------------------------------------------------------------------ requests */

/* Builds the request with tsrs_req_create, which hashes the data, and the
 * setters for what tsrs_req_create leaves out. */
static tsrs_req *build_request(const struct request_spec *spec) {
    tsrs_req *req = tsrs_req_create(spec->digest, (const uint8_t *)spec->data, strlen(spec->data),
                                    spec->policy, 0, spec->cert_req);
    if (req == NULL) {
        fail("tsrs_req_create", spec->name);
    }
    if (spec->truncate_digest_to != 0) {
        tsrs_msg_imprint *imprint = tsrs_msg_imprint_dup(tsrs_req_get_msg_imprint(req));
        const uint8_t *digest = NULL;
        size_t digest_len = 0;
        if (imprint == NULL || !tsrs_msg_imprint_get_msg(imprint, &digest, &digest_len) ||
            digest_len < spec->truncate_digest_to ||
            !tsrs_msg_imprint_set_msg(imprint, digest, spec->truncate_digest_to) ||
            !tsrs_req_set_msg_imprint(req, imprint)) {
            fail("truncating the digest", spec->name);
        }
        tsrs_msg_imprint_free(imprint);
    }
    if (spec->nonce != NULL && !tsrs_req_set_nonce(req, spec->nonce, spec->nonce_len)) {
        fail("tsrs_req_set_nonce", spec->name);
    }
    return req;
}

/* Encodes every request and writes req_NAME.der and req_NAME.txt. The
 * encodings stay in der[] and der_len[] for the responder. */
static void run_requests(uint8_t *der[], size_t der_len[]) {
    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        const struct request_spec *spec = &REQUESTS[r];
        tsrs_req *req = build_request(spec);
        char name[128];

        if (!tsrs_req_to_der(req, &der[r], &der_len[r])) {
            fail("tsrs_req_to_der", spec->name);
        }
        snprintf(name, sizeof name, "req_%s.der", spec->name);
        write_output(name, der[r], der_len[r]);

        char *text = NULL;
        size_t text_len = 0;
        if (!tsrs_req_print(req, &text, &text_len)) {
            fail("tsrs_req_print", spec->name);
        }
        snprintf(name, sizeof name, "req_%s.txt", spec->name);
        write_tsrs_buffer(name, text, text_len);
        tsrs_req_free(req);
    }
}

/* ------------------------------------------------------------------ responses */

static uint64_t next_serial;
static uint32_t current_microseconds;

/* Writes next_serial as 8 big-endian bytes, leading zeros included. */
static int fixed_serial(void *data, uint8_t *serial, size_t *serial_len) {
    (void)data;
    if (*serial_len < 8) {
        return 0;
    }
    for (size_t i = 0; i < 8; i++) {
        serial[i] = (uint8_t)(next_serial >> (8 * (7 - i)));
    }
    *serial_len = 8;
    return 1;
}

static int frozen_time(void *data, int64_t *seconds, uint32_t *microseconds) {
    (void)data;
    *seconds = FROZEN_SECONDS;
    *microseconds = current_microseconds;
    return 1;
}

static tsrs_resp_ctx *build_resp_ctx(const struct resp_ctx_spec *spec, const tsrs_x509 *signer,
                                     const tsrs_pkey *key, const tsrs_x509 *ca) {
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    if (ctx == NULL || !tsrs_resp_ctx_set_signer_cert(ctx, signer) ||
        !tsrs_resp_ctx_set_signer_key(ctx, key)) {
        fail("setting the signer", spec->name);
    }
    if (spec->with_ca_cert) {
        tsrs_x509_list *certs = tsrs_x509_list_new();
        if (certs == NULL || !tsrs_x509_list_push(certs, ca) ||
            !tsrs_resp_ctx_set_certs(ctx, certs)) {
            fail("tsrs_resp_ctx_set_certs", spec->name);
        }
        tsrs_x509_list_free(certs);
    }
    if (spec->signer_digest != NULL && !tsrs_resp_ctx_set_signer_digest(ctx, spec->signer_digest)) {
        fail("tsrs_resp_ctx_set_signer_digest", spec->name);
    }
    if (spec->ess_digest != NULL && !tsrs_resp_ctx_set_ess_cert_id_digest(ctx, spec->ess_digest)) {
        fail("tsrs_resp_ctx_set_ess_cert_id_digest", spec->name);
    }

    if (!tsrs_resp_ctx_set_def_policy(ctx, spec->def_policy)) {
        fail("tsrs_resp_ctx_set_def_policy", spec->name);
    }
    for (size_t i = 0; spec->other_policies[i] != NULL; i++) {
        if (!tsrs_resp_ctx_add_policy(ctx, spec->other_policies[i])) {
            fail("tsrs_resp_ctx_add_policy", spec->name);
        }
    }
    for (size_t i = 0; spec->digests[i] != NULL; i++) {
        if (!tsrs_resp_ctx_add_md(ctx, spec->digests[i])) {
            fail("tsrs_resp_ctx_add_md", spec->name);
        }
    }

    if (!tsrs_resp_ctx_set_accuracy(ctx, spec->accuracy_seconds, spec->accuracy_millis,
                                    spec->accuracy_micros) ||
        !tsrs_resp_ctx_set_clock_precision_digits(ctx, spec->precision_digits)) {
        fail("setting the accuracy and precision", spec->name);
    }
    int flags = 0;
    flags |= (spec->flags & SPEC_TSA_NAME) ? TSRS_TSA_NAME : 0;
    flags |= (spec->flags & SPEC_ORDERING) ? TSRS_ORDERING : 0;
    flags |= (spec->flags & SPEC_ESS_CERT_ID_CHAIN) ? TSRS_ESS_CERT_ID_CHAIN : 0;
    if ((flags != 0 && !tsrs_resp_ctx_add_flags(ctx, flags)) ||
        !tsrs_resp_ctx_set_serial_cb(ctx, fixed_serial, NULL) ||
        !tsrs_resp_ctx_set_time_cb(ctx, frozen_time, NULL)) {
        fail("setting the flags and callbacks", spec->name);
    }
    return ctx;
}

/* Creates the response to `len` bytes and writes resp_CTX_REQ.{der,txt} and,
 * for a granted one, tok_CTX_REQ.{der,txt}. Returns the response. */
static tsrs_resp *respond(const tsrs_resp_ctx *ctx, const char *ctx_name, const char *req_name,
                          const uint8_t *req_der, size_t len) {
    char name[160];
    tsrs_resp *resp = tsrs_resp_create_response(ctx, req_der, len);
    if (resp == NULL) {
        fail("tsrs_resp_create_response", req_name);
    }
    /* A rejection leaves the reason on the error queue. */
    tsrs_err_clear();

    uint8_t *der = NULL;
    size_t der_len = 0;
    if (!tsrs_resp_to_der(resp, &der, &der_len)) {
        fail("tsrs_resp_to_der", req_name);
    }
    snprintf(name, sizeof name, "resp_%s_%s.der", ctx_name, req_name);
    write_tsrs_buffer(name, der, der_len);

    char *text = NULL;
    size_t text_len = 0;
    if (!tsrs_resp_print(resp, &text, &text_len)) {
        fail("tsrs_resp_print", req_name);
    }
    snprintf(name, sizeof name, "resp_%s_%s.txt", ctx_name, req_name);
    write_tsrs_buffer(name, text, text_len);

    const tsrs_tst_info *tst_info = tsrs_resp_get_tst_info(resp);
    if (tst_info == NULL) {
        tsrs_err_clear();
        return resp;
    }
    if (!tsrs_resp_get_token_der(resp, &der, &der_len)) {
        fail("tsrs_resp_get_token_der", req_name);
    }
    snprintf(name, sizeof name, "tok_%s_%s.der", ctx_name, req_name);
    write_tsrs_buffer(name, der, der_len);

    if (!tsrs_tst_info_print(tst_info, &text, &text_len)) {
        fail("tsrs_tst_info_print", req_name);
    }
    snprintf(name, sizeof name, "tok_%s_%s.txt", ctx_name, req_name);
    write_tsrs_buffer(name, text, text_len);
    return resp;
}

/* Creates the response of every context to every request and bad input.
 * responses[c][r] keeps each response to a request for the verify scenarios. */
static void run_responses(uint8_t *req_der[], size_t req_len[],
                          tsrs_resp *responses[RESP_CTX_COUNT][REQUEST_COUNT]) {
    tsrs_x509 *signer = load_cert("tsa.pem");
    tsrs_x509 *ca = load_cert("ca.pem");
    char *key_path = join_path(pki_dir, "tsa.key");
    tsrs_pkey *key = tsrs_pkey_load_file(key_path, NULL);
    if (key == NULL) {
        fail("tsrs_pkey_load_file", key_path);
    }
    free(key_path);

    for (size_t c = 0; c < RESP_CTX_COUNT; c++) {
        tsrs_resp_ctx *ctx = build_resp_ctx(&RESP_CTXS[c], signer, key, ca);
        current_microseconds = (uint32_t)RESP_CTXS[c].microseconds;
        for (size_t r = 0; r < REQUEST_COUNT; r++) {
            next_serial = scenario_serial(c, r);
            responses[c][r] =
                respond(ctx, RESP_CTXS[c].name, REQUESTS[r].name, req_der[r], req_len[r]);
        }
        for (size_t i = 0; i < BAD_INPUT_COUNT; i++) {
            uint8_t *input = malloc(req_len[0] + 64);
            if (input == NULL) {
                fail("malloc", BAD_INPUTS[i]);
            }
            size_t len = bad_input(i, req_der[0], req_len[0], input);
            next_serial = scenario_serial(c, REQUEST_COUNT + i);
            tsrs_resp_free(respond(ctx, RESP_CTXS[c].name, BAD_INPUTS[i], input, len));
            free(input);
        }
        tsrs_resp_ctx_free(ctx);
    }
    tsrs_x509_free(signer);
    tsrs_x509_free(ca);
    tsrs_pkey_free(key);
}

/* ------------------------------------------------------------------ verification */

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

static tsrs_verify_ctx *build_verify_ctx(const struct verify_spec *spec, tsrs_req *requests[]) {
    tsrs_verify_ctx *ctx = NULL;
    const unsigned common = TSRS_VFY_VERSION | TSRS_VFY_SIGNER | TSRS_VFY_SIGNATURE;

    if (spec->source == VERIFY_REQUEST) {
        ctx = tsrs_req_to_verify_ctx(requests[request_index(spec->ctx_request)], NULL);
        if (ctx == NULL || !tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE)) {
            fail("tsrs_req_to_verify_ctx", spec->name);
        }
    } else if (spec->source == VERIFY_DATA) {
        ctx = tsrs_verify_ctx_new();
        if (ctx == NULL || !tsrs_verify_ctx_set_flags(ctx, common | TSRS_VFY_DATA) ||
            !tsrs_verify_ctx_set_data(ctx, (const uint8_t *)spec->data, strlen(spec->data))) {
            fail("setting the data", spec->name);
        }
    } else {
        ctx = tsrs_verify_ctx_new();
        const tsrs_msg_imprint *imprint =
            tsrs_req_get_msg_imprint(requests[request_index(spec->request)]);
        const uint8_t *digest = NULL;
        size_t len = 0;
        if (ctx == NULL || !tsrs_msg_imprint_get_msg(imprint, &digest, &len) || len == 0) {
            fail("reading the imprint", spec->name);
        }
        uint8_t *expected = malloc(len);
        if (expected == NULL) {
            fail("malloc", spec->name);
        }
        memcpy(expected, digest, len);
        if (spec->corrupt_imprint) {
            expected[len - 1] ^= 1;
        }
        if (!tsrs_verify_ctx_set_flags(ctx, common | TSRS_VFY_IMPRINT) ||
            !tsrs_verify_ctx_set_imprint(ctx, expected, len)) {
            fail("setting the imprint", spec->name);
        }
        free(expected);
    }

    char *anchor = join_path(pki_dir, spec->anchor);
    tsrs_x509_store *store = tsrs_x509_store_new();
    if (store == NULL || !tsrs_x509_store_load_file(store, anchor) ||
        !tsrs_verify_ctx_set0_store(ctx, store)) {
        fail("loading the trust anchor", anchor);
    }
    free(anchor);
    if (spec->untrusted_signer) {
        tsrs_x509_list *certs = tsrs_x509_list_new();
        tsrs_x509 *signer = load_cert("tsa.pem");
        if (certs == NULL || !tsrs_x509_list_push(certs, signer) ||
            !tsrs_verify_ctx_set0_certs(ctx, certs)) {
            fail("setting the untrusted certificates", spec->name);
        }
        tsrs_x509_free(signer);
    }
    return ctx;
}

/* Returns a copy of `resp` with the scenario's corruption applied to its DER. */
static tsrs_resp *corrupted_copy(const struct verify_spec *spec, const tsrs_resp *resp,
                                 const tsrs_req *req) {
    uint8_t *der = NULL;
    size_t len = 0;
    const uint8_t *digest = NULL;
    size_t digest_len = 0;
    if (!tsrs_resp_to_der(resp, &der, &len) ||
        !tsrs_msg_imprint_get_msg(tsrs_req_get_msg_imprint(req), &digest, &digest_len) ||
        !corrupt_response(der, len, spec->corruption, digest, digest_len)) {
        fail("corrupting the response", spec->name);
    }
    tsrs_resp *copy = tsrs_resp_from_der(der, len);
    if (copy == NULL) {
        fail("tsrs_resp_from_der", spec->name);
    }
    tsrs_free(der);
    return copy;
}

static void run_verifies(tsrs_req *requests[],
                         tsrs_resp *responses[RESP_CTX_COUNT][REQUEST_COUNT]) {
    char *path = join_path(out_dir, "verify.txt");
    FILE *report = fopen(path, "wb");
    if (report == NULL) {
        fail("opening", path);
    }
    for (size_t v = 0; v < VERIFY_COUNT; v++) {
        const struct verify_spec *spec = &VERIFIES[v];
        tsrs_verify_ctx *ctx = build_verify_ctx(spec, requests);
        size_t r = request_index(spec->request);
        tsrs_resp *resp =
            corrupted_copy(spec, responses[resp_ctx_index(spec->resp_ctx)][r], requests[r]);

        tsrs_err_clear();
        int verdict = tsrs_resp_verify_response(ctx, resp);
        uint32_t reason = verdict == 1 ? 0 : tsrs_err_get();
        tsrs_err_clear();
        fprintf(report, "%s %d %u\n", spec->name, verdict, (unsigned)reason);
        tsrs_resp_free(resp);
        tsrs_verify_ctx_free(ctx);
    }
    if (fclose(report) != 0) {
        fail("writing", path);
    }
    free(path);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PKI_DIR OUT_DIR\n", argv[0]);
        return 2;
    }
    pki_dir = argv[1];
    out_dir = argv[2];
    if (!tsrs_obj_create(NAMED_POLICY_OID, NAMED_POLICY_SHORT, NAMED_POLICY_LONG)) {
        fail("tsrs_obj_create", NAMED_POLICY_OID);
    }

    uint8_t *req_der[REQUEST_COUNT];
    size_t req_len[REQUEST_COUNT];
    tsrs_req *requests[REQUEST_COUNT];
    tsrs_resp *responses[RESP_CTX_COUNT][REQUEST_COUNT];

    run_requests(req_der, req_len);
    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        requests[r] = build_request(&REQUESTS[r]);
    }
    run_responses(req_der, req_len, responses);
    run_verifies(requests, responses);

    for (size_t r = 0; r < REQUEST_COUNT; r++) {
        tsrs_free(req_der[r]);
        tsrs_req_free(requests[r]);
        for (size_t c = 0; c < RESP_CTX_COUNT; c++) {
            tsrs_resp_free(responses[c][r]);
        }
    }
    return 0;
}
