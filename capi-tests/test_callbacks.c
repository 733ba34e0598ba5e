/*
 * Extensions of requests and TSTInfo values, and what a response context
 * offers its callbacks: the request, the TSTInfo, the status, the
 * extension callback and an external signer that signs through OpenSSL's
 * libcrypto in the same process.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#define EXT_OID "1.3.6.1.4.1.99999.1"
#define EXT_OID2 "1.3.6.1.4.1.99999.2"
static const uint8_t EXT_VALUE[] = {0x04, 0x02, 'h', 'i'};

static int setup(void **state) {
    add_policy_names();
    return enter_fixtures(state);
}

static tsrs_req *request_with_extensions(void) {
    tsrs_req *req = tsrs_req_create("sha256", (const uint8_t *)"data", 4, NULL, 0, 0);
    assert_non_null(req);
    tsrs_x509_extension *critical = tsrs_x509_extension_new(EXT_OID, 1, EXT_VALUE, sizeof EXT_VALUE);
    tsrs_x509_extension *plain = tsrs_x509_extension_new(EXT_OID2, 0, EXT_VALUE, sizeof EXT_VALUE);
    assert_non_null(critical);
    assert_non_null(plain);
    assert_int_equal(tsrs_req_add_ext(req, plain, -1), 1);
    assert_int_equal(tsrs_req_add_ext(req, critical, 0), 1);
    tsrs_x509_extension_free(critical);
    tsrs_x509_extension_free(plain);
    return req;
}

static void request_extensions(void **state) {
    (void)state;
    tsrs_req *req = request_with_extensions();
    size_t count = 0;
    assert_int_equal(tsrs_req_get_ext_count(req, &count), 1);
    assert_int_equal(count, 2);

    const tsrs_x509_extension *first = tsrs_req_get_ext(req, 0);
    assert_non_null(first);
    char *oid = NULL;
    size_t oid_len = 0;
    assert_int_equal(tsrs_x509_extension_get_object(first, &oid, &oid_len), 1);
    assert_string_equal(oid, EXT_OID);
    tsrs_free(oid);
    int critical = -1;
    assert_int_equal(tsrs_x509_extension_get_critical(first, &critical), 1);
    assert_int_equal(critical, 1);
    const uint8_t *value = NULL;
    size_t value_len = 0;
    assert_int_equal(tsrs_x509_extension_get_data(first, &value, &value_len), 1);
    assert_same_bytes(value, value_len, EXT_VALUE, sizeof EXT_VALUE, "extension value");
    assert_null(tsrs_req_get_ext(req, 2));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);

    int index = 99;
    assert_int_equal(tsrs_req_get_ext_by_obj(req, EXT_OID2, -1, &index), 1);
    assert_int_equal(index, 1);
    assert_int_equal(tsrs_req_get_ext_by_obj(req, EXT_OID2, 1, &index), 1);
    assert_int_equal(index, -1);
    assert_int_equal(tsrs_req_get_ext_by_critical(req, 0, -1, &index), 1);
    assert_int_equal(index, 1);
    assert_int_equal(tsrs_req_get_ext_by_critical(req, 1, -5, &index), 1);
    assert_int_equal(index, 0);
    assert_int_equal(tsrs_req_get_ext_by_obj(req, "not an object", -1, &index), 0);
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);

    /* OpenSSL reads the same extensions from tsrs's encoding. */
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_req_to_der(req, &der, &der_len), 1);
    const unsigned char *p = der;
    TS_REQ *theirs = d2i_TS_REQ(NULL, &p, (long)der_len);
    assert_non_null(theirs);
    assert_int_equal(TS_REQ_get_ext_count(theirs), 2);
    assert_int_equal(TS_REQ_get_ext_by_critical(theirs, 1, -1), 0);
    ASN1_OBJECT *object = OBJ_txt2obj(EXT_OID2, 1);
    assert_int_equal(TS_REQ_get_ext_by_OBJ(theirs, object, -1), 1);
    ASN1_OBJECT_free(object);
    unsigned char *expected = NULL;
    int expected_len = i2d_TS_REQ(theirs, &expected);
    assert_same_bytes(der, der_len, expected, (size_t)expected_len, "request with extensions");
    OPENSSL_free(expected);
    uint8_t *exts = NULL;
    size_t exts_len = 0;
    assert_int_equal(tsrs_req_get_exts(req, &exts, &exts_len), 1);
    expected = NULL;
    expected_len = i2d_X509_EXTENSIONS(TS_REQ_get_exts(theirs), &expected);
    assert_same_bytes(exts, exts_len, expected, (size_t)expected_len, "Extensions");
    OPENSSL_free(expected);
    tsrs_free(exts);
    TS_REQ_free(theirs);
    tsrs_free(der);

    tsrs_x509_extension *removed = tsrs_req_delete_ext(req, 0);
    assert_non_null(removed);
    tsrs_x509_extension *copy = tsrs_x509_extension_dup(removed);
    assert_non_null(copy);
    assert_null(tsrs_req_delete_ext(req, 1));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_req_get_ext_count(req, &count), 1);
    assert_int_equal(count, 1);
    assert_int_equal(tsrs_req_ext_free(req), 1);
    assert_int_equal(tsrs_req_get_ext_count(req, &count), 1);
    assert_int_equal(count, 0);
    exts = (uint8_t *)"x";
    assert_int_equal(tsrs_req_get_exts(req, &exts, &exts_len), 1);
    assert_null(exts);
    tsrs_x509_extension_free(copy);
    tsrs_x509_extension_free(removed);
    tsrs_req_free(req);

    assert_null(tsrs_x509_extension_new("no such object", 0, EXT_VALUE, sizeof EXT_VALUE));
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);
    assert_no_error();
}

/* Creates the response of `ctx` to `req`, failing the test on NULL. */
static tsrs_resp *answer(const tsrs_resp_ctx *ctx, const tsrs_req *req) {
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_req_to_der(req, &der, &der_len), 1);
    tsrs_resp *resp = tsrs_resp_create_response(ctx, der, der_len);
    assert_non_null(resp);
    tsrs_free(der);
    return resp;
}

static void assert_status(const tsrs_resp *resp, long expected, const char *text, uint32_t bits) {
    const tsrs_status_info *status = tsrs_resp_get_status_info(resp);
    long value = -1;
    assert_int_equal(tsrs_status_info_get_status(status, &value), 1);
    assert_int_equal(value, expected);
    size_t count = 0;
    assert_int_equal(tsrs_status_info_get_text_count(status, &count), 1);
    if (text == NULL) {
        assert_int_equal(count, 0);
    } else {
        assert_int_equal(count, 1);
        char *actual = NULL;
        size_t actual_len = 0;
        assert_int_equal(tsrs_status_info_get_text(status, 0, &actual, &actual_len), 1);
        assert_string_equal(actual, text);
        tsrs_free(actual);
    }
    uint32_t actual_bits = 0;
    assert_int_equal(tsrs_status_info_get_failure_info(status, &actual_bits), 1);
    assert_int_equal(actual_bits, bits);
}

static int accept_and_echo(const tsrs_resp_ctx *ctx, const tsrs_x509_extension *extension,
                           void *data) {
    int *calls = data;
    (*calls)++;
    if (tsrs_resp_ctx_get_request(ctx) == NULL) {
        return 0;
    }
    tsrs_tst_info *tst = tsrs_resp_ctx_get_tst_info(ctx);
    if (tst == NULL) {
        return 0;
    }
    return tsrs_tst_info_add_ext(tst, extension, -1);
}

static int reject_with_status(const tsrs_resp_ctx *ctx, const tsrs_x509_extension *extension,
                              void *data) {
    (void)extension;
    (void)data;
    tsrs_resp_ctx_set_status_info(ctx, TSRS_STATUS_REJECTION, "Extension not allowed.");
    tsrs_resp_ctx_add_failure_info(ctx, TSRS_INFO_UNACCEPTED_EXTENSION);
    return 0;
}

static int reject_silently(const tsrs_resp_ctx *ctx, const tsrs_x509_extension *extension,
                           void *data) {
    (void)ctx;
    (void)extension;
    (void)data;
    return 0;
}

static void extension_callback(void **state) {
    (void)state;
    tsrs_req *req = request_with_extensions();

    /* Without a callback, as OpenSSL's default callback does. */
    tsrs_resp_ctx *ctx = make_ctx("min");
    tsrs_resp *resp = answer(ctx, req);
    assert_status(resp, TSRS_STATUS_REJECTION, "Unsupported extension.",
                  1u << TSRS_INFO_UNACCEPTED_EXTENSION);
    tsrs_resp_free(resp);
    tsrs_err_clear();

    /* Accepted, and echoed into the token through the TSTInfo. */
    int calls = 0;
    assert_int_equal(tsrs_resp_ctx_set_extension_cb(ctx, accept_and_echo, &calls), 1);
    resp = answer(ctx, req);
    assert_int_equal(calls, 2);
    assert_status(resp, TSRS_STATUS_GRANTED, NULL, 0);
    const tsrs_tst_info *tst = tsrs_resp_get_tst_info(resp);
    size_t count = 0;
    assert_int_equal(tsrs_tst_info_get_ext_count(tst, &count), 1);
    assert_int_equal(count, 2);
    int index = -1;
    assert_int_equal(tsrs_tst_info_get_ext_by_obj(tst, EXT_OID, -1, &index), 1);
    assert_int_equal(index, 0);
    assert_int_equal(tsrs_tst_info_get_ext_by_critical(tst, 0, -1, &index), 1);
    assert_int_equal(index, 1);
    const tsrs_x509_extension *echoed = tsrs_tst_info_get_ext(tst, 1);
    assert_non_null(echoed);
    uint8_t *exts = NULL;
    size_t exts_len = 0;
    assert_int_equal(tsrs_tst_info_get_exts(tst, &exts, &exts_len), 1);
    assert_non_null(exts);
    tsrs_free(exts);
    tsrs_tst_info *own = tsrs_tst_info_dup(tst);
    tsrs_x509_extension *removed = tsrs_tst_info_delete_ext(own, 0);
    assert_non_null(removed);
    tsrs_x509_extension_free(removed);
    assert_int_equal(tsrs_tst_info_ext_free(own), 1);
    assert_int_equal(tsrs_tst_info_get_ext_count(own, &count), 1);
    assert_int_equal(count, 0);
    tsrs_tst_info_free(own);

    /* The token verifies with OpenSSL, extensions and all. */
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_resp_to_der(resp, &der, &der_len), 1);
    const unsigned char *p = der;
    TS_RESP *theirs = d2i_TS_RESP(NULL, &p, (long)der_len);
    assert_non_null(theirs);
    assert_int_equal(TS_TST_INFO_get_ext_count(TS_RESP_get_tst_info(theirs)), 2);
    TS_RESP_free(theirs);
    tsrs_free(der);
    tsrs_resp_free(resp);

    /* Rejected with the callback's own status. */
    assert_int_equal(tsrs_resp_ctx_set_extension_cb(ctx, reject_with_status, NULL), 1);
    resp = answer(ctx, req);
    assert_status(resp, TSRS_STATUS_REJECTION, "Extension not allowed.",
                  1u << TSRS_INFO_UNACCEPTED_EXTENSION);
    tsrs_resp_free(resp);
    tsrs_err_clear();

    /* Rejected without a status: OpenSSL's generic text and no bit. */
    assert_int_equal(tsrs_resp_ctx_set_extension_cb(ctx, reject_silently, NULL), 1);
    resp = answer(ctx, req);
    assert_status(resp, TSRS_STATUS_REJECTION, "Error during response generation.", 0);
    tsrs_resp_free(resp);
    tsrs_err_clear();

    /* Outside a callback there is no call to change. */
    assert_null(tsrs_resp_ctx_get_request(ctx));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_null(tsrs_resp_ctx_get_tst_info(ctx));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_ctx_set_status_info(ctx, TSRS_STATUS_REJECTION, NULL), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_ctx_set_status_info_cond(ctx, TSRS_STATUS_REJECTION, NULL), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_ctx_add_failure_info(ctx, TSRS_INFO_BAD_ALG), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);

    tsrs_resp_ctx_free(ctx);
    tsrs_req_free(req);
}

/* A serial number callback that rejects with its own status; `data` is the context. */
static int serial_refused(void *data, uint8_t *serial, size_t *serial_len) {
    (void)serial;
    (void)serial_len;
    const tsrs_resp_ctx *ctx = data;
    if (tsrs_resp_ctx_get_tst_info(ctx) != NULL) {
        return 0;
    }
    tsrs_err_clear();
    tsrs_resp_ctx_set_status_info_cond(ctx, TSRS_STATUS_WAITING, "Try again later.");
    tsrs_resp_ctx_set_status_info_cond(ctx, TSRS_STATUS_REJECTION, "ignored: not granted any more");
    tsrs_resp_ctx_add_failure_info(ctx, TSRS_INFO_SYSTEM_FAILURE);
    return 0;
}

/* A serial number callback that changes only the status text of a granted response. */
static int serial_with_mods(void *data, uint8_t *serial, size_t *serial_len) {
    tsrs_resp_ctx_set_status_info(data, TSRS_STATUS_GRANTED_WITH_MODS, "Accuracy relaxed.");
    serial[0] = 1;
    *serial_len = 1;
    return 1;
}

static void status_from_callbacks(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = make_ctx("min");
    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, serial_refused, ctx), 1);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_status(resp, TSRS_STATUS_WAITING, "Try again later.", 1u << TSRS_INFO_SYSTEM_FAILURE);
    tsrs_resp_free(resp);
    tsrs_err_clear();

    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, serial_with_mods, ctx), 1);
    resp = respond(ctx, "out/req_sha256.tsq");
    assert_status(resp, TSRS_STATUS_GRANTED_WITH_MODS, "Accuracy relaxed.", 0);
    assert_non_null(tsrs_resp_get_tst_info(resp));
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
    assert_no_error();
}

/* An external signer: OpenSSL's EVP_DigestSign with a key that tsrs never reads. */
static int openssl_sign(void *data, const char *digest_name, const uint8_t *message,
                        size_t message_len, uint8_t *signature, size_t *signature_len) {
    EVP_PKEY *key = data;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = EVP_DigestSignInit_ex(md, NULL, digest_name, NULL, NULL, key, NULL) == 1 &&
             EVP_DigestSign(md, signature, signature_len, message, message_len) == 1;
    EVP_MD_CTX_free(md);
    return ok;
}

static int failing_sign(void *data, const char *digest_name, const uint8_t *message,
                        size_t message_len, uint8_t *signature, size_t *signature_len) {
    (void)data;
    (void)digest_name;
    (void)message;
    (void)message_len;
    (void)signature;
    (void)signature_len;
    return 0;
}

static EVP_PKEY *load_openssl_key(const char *path) {
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    EVP_PKEY *key = PEM_read_PrivateKey(file, NULL, NULL, NULL);
    fclose(file);
    assert_non_null(key);
    return key;
}

static tsrs_resp_ctx *external_ctx(const char *cert_path, EVP_PKEY *key, const char *digest) {
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    assert_int_equal(tsrs_resp_ctx_set_signer_cb(ctx, openssl_sign, key), 0);
    assert_one_error(TSRS_R_MISSING);
    tsrs_x509 *cert = tsrs_x509_load_file(cert_path);
    assert_int_equal(tsrs_resp_ctx_set_signer_cert(ctx, cert), 1);
    tsrs_x509_free(cert);
    assert_int_equal(tsrs_resp_ctx_set_signer_cb(ctx, openssl_sign, key), 1);
    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, serial_one, NULL), 1);
    assert_int_equal(tsrs_resp_ctx_set_time_cb(ctx, frozen_time, NULL), 1);
    assert_int_equal(tsrs_resp_ctx_set_def_policy(ctx, "1.2.3.4.1"), 1);
    assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, digest), 1);
    assert_int_equal(tsrs_resp_ctx_add_md(ctx, "sha256"), 1);
    assert_int_equal(tsrs_resp_ctx_add_md(ctx, "sha1"), 1);
    assert_int_equal(tsrs_resp_ctx_add_md(ctx, "sha384"), 1);
    assert_int_equal(tsrs_resp_ctx_add_md(ctx, "sha512"), 1);
    return ctx;
}

/* OpenSSL's verdict on a response: signature, chain to the CA, and version. */
static void assert_openssl_verifies(const tsrs_resp *resp, const char *untrusted) {
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_resp_to_der(resp, &der, &der_len), 1);
    const unsigned char *p = der;
    TS_RESP *theirs = d2i_TS_RESP(NULL, &p, (long)der_len);
    assert_non_null(theirs);
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(X509_STORE_load_file(store, "pki/ca.pem"), 1);
    TS_VERIFY_CTX *verify = TS_VERIFY_CTX_new();
    TS_VERIFY_CTX_set_flags(verify, TS_VFY_SIGNATURE | TS_VFY_VERSION);
    TS_VERIFY_CTX_set_store(verify, store);
    if (untrusted != NULL) {
        FILE *file = fopen(untrusted, "r");
        STACK_OF(X509) *certs = sk_X509_new_null();
        sk_X509_push(certs, PEM_read_X509(file, NULL, NULL, NULL));
        fclose(file);
        TS_VERIFY_CTX_set_certs(verify, certs);
    }
    assert_int_equal(TS_RESP_verify_response(verify, theirs), 1);
    TS_VERIFY_CTX_free(verify);
    TS_RESP_free(theirs);
    tsrs_free(der);
}

static void external_signer(void **state) {
    (void)state;
    EVP_PKEY *key = load_openssl_key("pki/tsa.key");
    tsrs_resp_ctx *ctx = external_ctx("pki/tsa.pem", key, "sha256");
    /* RSA PKCS#1 v1.5 is deterministic: the same bytes as openssl ts -reply. */
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_resp_matches(resp, "min");
    assert_openssl_verifies(resp, "pki/tsa.pem");
    tsrs_resp_free(resp);

    assert_int_equal(tsrs_resp_ctx_set_signer_cb(ctx, failing_sign, NULL), 1);
    resp = respond(ctx, "out/req_sha256.tsq");
    assert_status(resp, TSRS_STATUS_REJECTION, "Error during signature generation.", 0);
    assert_one_error(TSRS_R_SIGNING);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
    EVP_PKEY_free(key);

    /* ECDSA signatures differ per run: OpenSSL checks them instead. */
    EVP_PKEY *ec_key = load_openssl_key("pki/tsa-ec.key");
    tsrs_resp_ctx *ec_ctx = external_ctx("pki/tsa-ec.pem", ec_key, "sha384");
    resp = respond(ec_ctx, "out/req_sha256_cert.tsq");
    assert_status(resp, TSRS_STATUS_GRANTED, NULL, 0);
    assert_openssl_verifies(resp, NULL);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ec_ctx);
    EVP_PKEY_free(ec_key);
    assert_no_error();
}

static void verify_ctx_reset(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = tsrs_verify_ctx_new();
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_VERSION), 1);
    assert_int_equal(tsrs_verify_ctx_cleanup(ctx), 1);
    unsigned int flags = 99;
    assert_int_equal(tsrs_verify_ctx_get_flags(ctx, &flags), 1);
    assert_int_equal(flags, 0);
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, TSRS_VFY_VERSION), 1);
    assert_int_equal(tsrs_verify_ctx_init(ctx), 1);
    assert_int_equal(tsrs_verify_ctx_get_flags(ctx, &flags), 1);
    assert_int_equal(flags, 0);
    tsrs_verify_ctx_free(ctx);
    assert_no_error();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_extensions),
        cmocka_unit_test(extension_callback),
        cmocka_unit_test(status_from_callbacks),
        cmocka_unit_test(external_signer),
        cmocka_unit_test(verify_ctx_reset),
    };
    return cmocka_run_group_tests_name("callbacks", tests, setup, NULL);
}
