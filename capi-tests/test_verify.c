/*
 * Verification through the C API of responses and tokens made by
 * `openssl ts -reply` (RSA and ECDSA), and the reason code of each kind of
 * tampering or mismatch.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *load(const char *name, const char *suffix, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, "out/%s.%s", name, suffix);
    return read_fixture(path, len);
}

static tsrs_resp *resp_of(const uint8_t *der, size_t len) {
    tsrs_resp *resp = tsrs_resp_from_der(der, len);
    assert_non_null(resp);
    return resp;
}

static tsrs_resp *load_resp(const char *name) {
    size_t len = 0;
    uint8_t *der = load(name, "tsr", &len);
    tsrs_resp *resp = resp_of(der, len);
    free(der);
    return resp;
}

/* The checks `openssl ts -verify -data FILE -CAfile pki/ca.pem` makes. */
static tsrs_verify_ctx *data_ctx(const char *data_file, const char *ca_file) {
    tsrs_verify_ctx *ctx = tsrs_verify_ctx_new();
    assert_non_null(ctx);
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_VERSION | TSRS_VFY_SIGNER |
                                                        TSRS_VFY_DATA | TSRS_VFY_SIGNATURE),
                     1);
    size_t len = 0;
    uint8_t *data = read_fixture(data_file, &len);
    assert_int_equal(tsrs_verify_ctx_set_data(ctx, data, len), 1);
    free(data);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_non_null(store);
    assert_int_equal(tsrs_x509_store_load_file(store, ca_file), 1);
    assert_int_equal(tsrs_verify_ctx_set_store(ctx, store), 1);
    tsrs_x509_store_free(store);
    return ctx;
}

static void openssl_responses_verify(void **state) {
    (void)state;
    static const char *const names[] = {"full", "v1", "ec", "rsa_cert"};
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        tsrs_resp *resp = load_resp(names[i]);
        assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
        tsrs_resp_free(resp);

        size_t token_len = 0;
        uint8_t *token = load(names[i], "tok", &token_len);
        assert_int_equal(tsrs_resp_verify_token(ctx, token, token_len), 1);
        free(token);
    }
    tsrs_verify_ctx_free(ctx);
    assert_no_error();
}

static void request_sets_up_checks(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *der = read_fixture("out/req_sha512_policy2.tsq", &len);
    tsrs_req *req = tsrs_req_from_der(der, len);
    free(der);
    assert_non_null(req);
    tsrs_verify_ctx *ctx = tsrs_req_to_verify_ctx(req, NULL);
    assert_non_null(ctx);
    unsigned int flags = 0;
    assert_int_equal(tsrs_verify_ctx_get_flags(ctx, &flags), 1);
    assert_int_equal(flags, TSRS_VFY_VERSION | TSRS_VFY_POLICY | TSRS_VFY_IMPRINT | TSRS_VFY_NONCE |
                                TSRS_VFY_SIGNER);
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE), 1);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_load_file(store, "pki/ca.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_store(ctx, store), 1);

    tsrs_resp *resp = load_resp("full");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);

    /* Reusing the context resets it: the store is gone. */
    assert_true(tsrs_req_to_verify_ctx(req, ctx) == ctx);
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_CERTIFICATE_VERIFY);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
    tsrs_req_free(req);
}

static void check_request_mismatch(const char *digest, const char *policy, int nonce,
                                   const char *name, uint32_t reason) {
    size_t len = 0;
    uint8_t *data = read_fixture("data/msg.txt", &len);
    tsrs_req *req = tsrs_req_create(digest, data, len, policy, nonce, 0);
    free(data);
    assert_non_null(req);
    tsrs_verify_ctx *ctx = tsrs_req_to_verify_ctx(req, NULL);
    assert_non_null(ctx);
    /* The token names its TSA, so the signer check needs the signature. */
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE), 1);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_load_file(store, "pki/ca.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_store(ctx, store), 1);
    tsrs_x509_list *certs = tsrs_x509_list_new();
    assert_int_equal(tsrs_x509_list_load_file(certs, "pki/tsa.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_certs(ctx, certs), 1);
    tsrs_resp *resp = load_resp(name);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(reason);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
    tsrs_req_free(req);
}

static void request_mismatches(void **state) {
    (void)state;
    /* Another nonce than full.tsr's. */
    check_request_mismatch("sha512", "1.2.3.4.5.6", 1, "full", TSRS_R_NONCE_MISMATCH);
    /* Another policy; the policy is checked before the imprint. */
    check_request_mismatch("sha256", "1.2.3.4.5.7", 0, "full", TSRS_R_POLICY_MISMATCH);
    /* Another digest algorithm. */
    check_request_mismatch("sha256", "1.2.3.4.5.6", 0, "full", TSRS_R_IMPRINT_MISMATCH);
    /* A nonce the response, made for a request without one, lacks. */
    check_request_mismatch("sha256", NULL, 1, "min", TSRS_R_NONCE_NOT_RETURNED);
}

static void wrong_data_and_imprint(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/other.txt", "pki/ca.pem");
    tsrs_resp *resp = load_resp("full");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_IMPRINT_MISMATCH);
    tsrs_verify_ctx_free(ctx);

    ctx = tsrs_verify_ctx_new();
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_IMPRINT), 1);
    const uint8_t *digest = NULL;
    size_t digest_len = 0;
    assert_int_equal(
        tsrs_msg_imprint_get_msg(tsrs_tst_info_get_msg_imprint(tsrs_resp_get_tst_info(resp)),
                                 &digest, &digest_len),
        1);
    assert_int_equal(tsrs_verify_ctx_set_imprint(ctx, digest, digest_len), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    uint8_t changed[64];
    assert_int_equal(digest_len, sizeof changed);
    memcpy(changed, digest, sizeof changed);
    changed[10] ^= 1;
    assert_int_equal(tsrs_verify_ctx_set_imprint(ctx, changed, sizeof changed), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_IMPRINT_MISMATCH);

    /* The data check without data. */
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_DATA), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_MISSING);
    tsrs_verify_ctx_free(ctx);
    tsrs_resp_free(resp);
}

/* Returns the length of the DER element at `der`, header included, and
 * sets `*header_len` to its header's length. Lengths of up to 2 bytes. */
static size_t der_element(const uint8_t *der, size_t *header_len) {
    if (der[1] < 0x80) {
        *header_len = 2;
        return 2 + (size_t)der[1];
    }
    assert_true(der[1] == 0x81 || der[1] == 0x82);
    if (der[1] == 0x81) {
        *header_len = 3;
        return 3 + (size_t)der[2];
    }
    *header_len = 4;
    return 4 + ((size_t)der[2] << 8 | der[3]);
}

/* Writes the TSA certificate's subject as a directoryName GeneralName,
 * [4] EXPLICIT Name, into `out` and returns its length. */
static size_t tsa_directory_name(uint8_t *out, size_t out_size) {
    size_t cert_len = 0, header = 0;
    uint8_t *cert = read_fixture("pki/tsa.der", &cert_len);
    der_element(cert, &header);
    const uint8_t *field = cert + header; /* TBSCertificate */
    der_element(field, &header);
    field += header;
    if (field[0] == 0xa0) { /* version */
        field += der_element(field, &header);
    }
    /* serialNumber, signature, issuer, validity */
    for (int i = 0; i < 4; i++) {
        field += der_element(field, &header);
    }
    size_t subject_len = der_element(field, &header);
    assert_true(subject_len < 0x80 && subject_len + 2 <= out_size);
    out[0] = 0xa4;
    out[1] = (uint8_t)subject_len;
    memcpy(out + 2, field, subject_len);
    free(cert);
    return subject_len + 2;
}

static void expected_tsa_name(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *der = read_fixture("out/req_sha512_policy2.tsq", &len);
    tsrs_req *req = tsrs_req_from_der(der, len);
    free(der);
    assert_non_null(req);
    tsrs_verify_ctx *ctx = tsrs_req_to_verify_ctx(req, NULL);
    assert_non_null(ctx);
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_ALL_IMPRINT), 1);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_load_file(store, "pki/ca.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_store(ctx, store), 1);
    tsrs_resp *resp = load_resp("full");

    /* With no expected name the TSA name check cannot pass, as in OpenSSL. */
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_MISSING);

    /* Every TSRS_VFY_ALL_IMPRINT check passes once the name is set. */
    uint8_t name[256] = {0};
    size_t name_len = tsa_directory_name(name, sizeof name);
    assert_int_equal(tsrs_verify_ctx_set_tsa_name(ctx, name, name_len), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);

    /* A dNSName that the signer does not carry. */
    static const uint8_t dns_name[] = {0x82, 0x0b, 't', 's', 'a', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'};
    assert_int_equal(tsrs_verify_ctx_set_tsa_name(ctx, dns_name, sizeof dns_name), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_TSA_UNTRUSTED);

    /* The subject of a certificate: the signer's, then its issuer's. */
    tsrs_x509 *tsa = tsrs_x509_load_file("pki/tsa.pem");
    tsrs_x509 *ca = tsrs_x509_load_file("pki/ca.pem");
    assert_non_null(tsa);
    assert_non_null(ca);
    assert_int_equal(tsrs_verify_ctx_set_tsa_name_cert(ctx, tsa), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    assert_int_equal(tsrs_verify_ctx_set_tsa_name_cert(ctx, ca), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_TSA_UNTRUSTED);

    /* An OCTET STRING is not a GeneralName, and trailing bytes are rejected. */
    static const uint8_t not_a_name[] = {0x04, 0x01, 0x00};
    assert_int_equal(tsrs_verify_ctx_set_tsa_name(ctx, not_a_name, sizeof not_a_name), 0);
    assert_one_error(TSRS_R_DECODE);
    assert_int_equal(tsrs_verify_ctx_set_tsa_name(ctx, name, name_len + 1), 0);
    assert_one_error(TSRS_R_DECODE);

    tsrs_x509_free(tsa);
    tsrs_x509_free(ca);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
    tsrs_req_free(req);
    assert_no_error();
}

/* Returns the offset of `needle` in `haystack`, failing the test when absent. */
static size_t find(const uint8_t *haystack, size_t len, const void *needle, size_t needle_len) {
    for (size_t i = 0; i + needle_len <= len; i++) {
        if (memcmp(haystack + i, needle, needle_len) == 0) {
            return i;
        }
    }
    fail_msg("pattern not found");
    return 0;
}

static void check_tampered(const char *name, uint32_t reason,
                           void (*tamper)(uint8_t *der, size_t len)) {
    size_t len = 0;
    uint8_t *der = load(name, "tsr", &len);
    tamper(der, len);
    tsrs_resp *resp = resp_of(der, len);
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(reason);
    tsrs_verify_ctx_free(ctx);
    tsrs_resp_free(resp);
    free(der);
}

static void flip_last_byte(uint8_t *der, size_t len) { der[len - 1] ^= 0x01; }

/* Changes genTime inside the signed TSTInfo: 03:04:05 becomes 03:04:06. */
static void change_time(uint8_t *der, size_t len) {
    static const char time[] = "20240102030405";
    size_t at = find(der, len, time, strlen(time));
    der[at + strlen(time) - 1] = '6';
}

static void tampered_responses_fail(void **state) {
    (void)state;
    check_tampered("full", TSRS_R_SIGNATURE_FAILURE, flip_last_byte);
    check_tampered("v1", TSRS_R_SIGNATURE_FAILURE, flip_last_byte);
    check_tampered("ec", TSRS_R_SIGNATURE_FAILURE, flip_last_byte);
    check_tampered("full", TSRS_R_SIGNATURE_FAILURE, change_time);
    check_tampered("ec", TSRS_R_SIGNATURE_FAILURE, change_time);
}

static void wrong_trust_anchor_fails(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/other-ca.pem");
    tsrs_resp *resp = load_resp("full");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_CERTIFICATE_VERIFY);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
}

static void signer_outside_token_needs_untrusted(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    tsrs_resp *resp = load_resp("min");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_SIGNER_NOT_FOUND);

    tsrs_x509_list *certs = tsrs_x509_list_new();
    tsrs_x509 *signer = tsrs_x509_load_file("pki/tsa.pem");
    assert_non_null(signer);
    assert_int_equal(tsrs_x509_list_push(certs, signer), 1);
    tsrs_x509_free(signer);
    size_t count = 0;
    assert_int_equal(tsrs_x509_list_count(certs, &count), 1);
    assert_int_equal(count, 1);
    assert_int_equal(tsrs_verify_ctx_set_certs(ctx, certs), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    tsrs_x509_list_free(certs);

    /* The same through set0, which takes the list. */
    tsrs_verify_ctx_free(ctx);
    ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    certs = tsrs_x509_list_new();
    assert_int_equal(tsrs_x509_list_load_file(certs, "pki/tsa.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_certs(ctx, certs), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
    assert_no_error();
}

static void store_from_certificates_and_directories(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/other-ca.pem");

    /* A certificate added by hand. */
    size_t pem_len = 0;
    uint8_t *pem = read_fixture("pki/ca.pem", &pem_len);
    tsrs_x509 *root = tsrs_x509_from_pem(pem, pem_len);
    free(pem);
    assert_non_null(root);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_add_cert(store, root), 1);
    assert_int_equal(tsrs_verify_ctx_set_store(ctx, store), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    tsrs_x509_store_free(store);
    tsrs_x509_free(root);

    /* A DER certificate. */
    size_t der_len = 0;
    uint8_t *der = read_fixture("pki/ca.der", &der_len);
    root = tsrs_x509_from_der(der, der_len);
    free(der);
    assert_non_null(root);
    tsrs_x509_free(root);

    /* A hashed directory. */
    store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_add_dir(store, "pki/capath"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_store(ctx, store), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);
    tsrs_verify_ctx_free(ctx);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void rejection_has_no_token(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    tsrs_resp *resp = load_resp("reject_md5");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    char message[512];
    tsrs_err_peek_message(message, sizeof message);
    assert_non_null(strstr(message, "status code: rejection, status text: Message digest "
                                    "algorithm is not supported., failure codes: badAlg"));
    assert_one_error(TSRS_R_NO_TIME_STAMP_TOKEN);
    tsrs_resp_free(resp);

    size_t len = 0;
    uint8_t *garbage = read_fixture("data/garbage.bin", &len);
    assert_int_equal(tsrs_resp_verify_token(ctx, garbage, len), 0);
    assert_one_error(TSRS_R_DECODE);
    free(garbage);
    tsrs_verify_ctx_free(ctx);
}

static void unknown_flags_are_rejected(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = tsrs_verify_ctx_new();
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, 0x100), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_ALL_IMPRINT | TSRS_VFY_ALL_DATA), 1);
    unsigned int flags = 0;
    assert_int_equal(tsrs_verify_ctx_get_flags(ctx, &flags), 1);
    assert_int_equal(flags, 0xFF);
    tsrs_verify_ctx_free(ctx);
    assert_no_error();
}

/* Returns the index of the check named `name` in `report`, failing the test when absent. */
static size_t check_index(const tsrs_verify_report *report, const char *name) {
    size_t count = 0;
    assert_int_equal(tsrs_verify_report_get_count(report, &count), 1);
    for (size_t i = 0; i < count; i++) {
        const char *found = NULL;
        assert_int_equal(tsrs_verify_report_get_check_name(report, i, &found), 1);
        if (strcmp(found, name) == 0) {
            return i;
        }
    }
    fail_msg("no check named %s", name);
    return 0;
}

static void assert_check(const tsrs_verify_report *report, const char *name, int verdict,
                         int report_only) {
    size_t index = check_index(report, name);
    int found = -1;
    int found_report_only = -1;
    assert_int_equal(tsrs_verify_report_get_check_verdict(report, index, &found, &found_report_only),
                     1);
    if (found != verdict || found_report_only != report_only) {
        char *detail = NULL;
        size_t len = 0;
        tsrs_verify_report_get_check_detail(report, index, &detail, &len);
        fail_msg("check %s: verdict %d (report only %d), expected %d (%d): %s", name, found,
                 found_report_only, verdict, report_only, detail);
    }
}

static void report_of_good_response(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/msg.txt", "pki/ca.pem");
    tsrs_resp *resp = load_resp("full");
    tsrs_verify_report *report = tsrs_resp_verify_response_report(ctx, resp);
    assert_non_null(report);
    assert_no_error();
    int verified = -1;
    uint32_t reason = 99;
    assert_int_equal(tsrs_verify_report_get_verdict(report, &verified, &reason), 1);
    assert_int_equal(verified, 1);
    assert_int_equal(reason, 0);

    size_t count = 0;
    assert_int_equal(tsrs_verify_report_get_count(report, &count), 1);
    assert_int_equal(count, 17);
    unsigned int code = 0;
    assert_int_equal(tsrs_verify_report_get_check_code(report, 0, &code), 1);
    assert_int_equal(code, 1);
    assert_int_equal(tsrs_verify_report_get_check_code(report, 11, &code), 1);
    assert_int_equal(code, 12);
    assert_check(report, "status", TSRS_CHECK_PASSED, 0);
    assert_check(report, "chain", TSRS_CHECK_PASSED, 0);
    assert_check(report, "data", TSRS_CHECK_PASSED, 0);
    assert_check(report, "imprint", TSRS_CHECK_NOT_REQUESTED, 0);

    char *detail = NULL;
    size_t len = 0;
    assert_int_equal(
        tsrs_verify_report_get_check_detail(report, check_index(report, "chain"), &detail, &len), 1);
    assert_int_equal(strlen(detail), len);
    assert_non_null(strstr(detail, "path: /C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1"));
    tsrs_free(detail);

    char *json = NULL;
    assert_int_equal(tsrs_verify_report_to_json(report, &json, &len), 1);
    assert_int_equal(strlen(json), len);
    assert_non_null(strstr(json, "\"verified\": true"));
    assert_non_null(strstr(json, "\"name\": \"signature\""));
    tsrs_free(json);

    /* Out of range. */
    assert_int_equal(tsrs_verify_report_get_check_code(report, count, &code), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    tsrs_verify_report_free(report);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
}

/* The fixtures are stamped on 2024-01-02, before the test PKI was issued,
 * so the path validates now but not at genTime. */
static void report_at_gen_time(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = data_ctx("data/other.txt", "pki/ca.pem");
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_AT_GEN_TIME), 1);
    tsrs_resp *resp = load_resp("full");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_CERTIFICATE_VERIFY);

    tsrs_verify_report *report = tsrs_resp_verify_response_report(ctx, resp);
    assert_non_null(report);
    int verified = -1;
    uint32_t reason = 0;
    assert_int_equal(tsrs_verify_report_get_verdict(report, &verified, &reason), 1);
    assert_int_equal(verified, 0);
    assert_int_equal(reason, TSRS_R_CERTIFICATE_VERIFY);
    assert_check(report, "signer_cert", TSRS_CHECK_PASSED, 0);
    assert_check(report, "chain", TSRS_CHECK_FAILED, 0);
    assert_check(report, "time", TSRS_CHECK_FAILED, 1);
    assert_check(report, "ess", TSRS_CHECK_SKIPPED, 0);
    assert_check(report, "signature", TSRS_CHECK_PASSED, 1);
    /* The other data fails too, but only in the report. */
    assert_check(report, "data", TSRS_CHECK_FAILED, 1);
    tsrs_verify_report_free(report);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
}

/* min.tsr answers a request without certReq and holds no certificate. */
static void strict_request_needs_certificate(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *data = read_fixture("data/msg.txt", &len);
    tsrs_req *req = tsrs_req_create("sha256", data, len, NULL, 0, 1);
    free(data);
    assert_non_null(req);
    tsrs_verify_ctx *ctx = tsrs_req_to_verify_ctx(req, NULL);
    assert_non_null(ctx);
    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE), 1);
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_load_file(store, "pki/ca.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_store(ctx, store), 1);
    tsrs_x509_list *certs = tsrs_x509_list_new();
    assert_int_equal(tsrs_x509_list_load_file(certs, "pki/tsa.pem"), 1);
    assert_int_equal(tsrs_verify_ctx_set0_certs(ctx, certs), 1);
    tsrs_resp *resp = load_resp("min");
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 1);

    assert_int_equal(tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_STRICT_REQUEST), 1);
    assert_int_equal(tsrs_resp_verify_response(ctx, resp), 0);
    assert_one_error(TSRS_R_SIGNER_CERT_NOT_INCLUDED);
    tsrs_verify_report *report = tsrs_resp_verify_response_report(ctx, resp);
    assert_non_null(report);
    assert_check(report, "hash_algorithm", TSRS_CHECK_PASSED, 0);
    assert_check(report, "cert_req", TSRS_CHECK_FAILED, 0);
    tsrs_verify_report_free(report);

    size_t token_len = 0;
    uint8_t *token = load("min", "tok", &token_len);
    report = tsrs_resp_verify_token_report(ctx, token, token_len);
    free(token);
    assert_non_null(report);
    assert_check(report, "status", TSRS_CHECK_NOT_REQUESTED, 0);
    assert_check(report, "cert_req", TSRS_CHECK_FAILED, 0);
    tsrs_verify_report_free(report);
    tsrs_resp_free(resp);
    tsrs_verify_ctx_free(ctx);
    tsrs_req_free(req);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openssl_responses_verify),
        cmocka_unit_test(request_sets_up_checks),
        cmocka_unit_test(request_mismatches),
        cmocka_unit_test(wrong_data_and_imprint),
        cmocka_unit_test(tampered_responses_fail),
        cmocka_unit_test(wrong_trust_anchor_fails),
        cmocka_unit_test(signer_outside_token_needs_untrusted),
        cmocka_unit_test(store_from_certificates_and_directories),
        cmocka_unit_test(rejection_has_no_token),
        cmocka_unit_test(unknown_flags_are_rejected),
        cmocka_unit_test(expected_tsa_name),
        cmocka_unit_test(report_of_good_response),
        cmocka_unit_test(report_at_gen_time),
        cmocka_unit_test(strict_request_needs_certificate),
    };
    return cmocka_run_group_tests_name("verify", tests, enter_fixtures, NULL);
}
