/*
 * Every exported function with NULL arguments, empty buffers and garbage.
 * Each call returns its failure value, leaves its out-parameters alone and
 * pushes exactly one entry onto the error queue. The free functions accept
 * NULL. check-exports.sh fails when an exported function is not called here.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#define FAILS(call, reason)                                                                        \
    do {                                                                                           \
        assert_int_equal((call), 0);                                                               \
        assert_one_error(reason);                                                                  \
    } while (0)

#define FAILS_NULL(call, reason)                                                                   \
    do {                                                                                           \
        assert_null((call));                                                                       \
        assert_one_error(reason);                                                                  \
    } while (0)

#define NUL TSRS_R_NULL_POINTER

static const uint8_t GARBAGE[] = "\x30\x82\xff\xff garbage that is no DER at all";
static const uint8_t ONE_BYTE[] = {0x30};

/* Valid objects, so that each NULL argument is tried on its own. */
static struct {
    tsrs_req *req;
    tsrs_msg_imprint *imprint;
    tsrs_resp *resp;
    tsrs_resp *rejection;
    const tsrs_status_info *status;
    const tsrs_tst_info *tst;
    const tsrs_accuracy *accuracy;
    tsrs_resp_ctx *resp_ctx;
    tsrs_verify_ctx *verify_ctx;
    tsrs_x509 *cert;
    tsrs_pkey *key;
    tsrs_x509_store *store;
    tsrs_x509_list *list;
    uint8_t *token;
    size_t token_len;
} valid;

static tsrs_resp *load_resp(const char *path) {
    size_t len = 0;
    uint8_t *der = read_fixture(path, &len);
    tsrs_resp *resp = tsrs_resp_from_der(der, len);
    free(der);
    return resp;
}

static int setup(void **state) {
    if (enter_fixtures(state) != 0) {
        return -1;
    }
    valid.req = tsrs_req_create("sha256", NULL, 0, NULL, 1, 1);
    valid.imprint = tsrs_msg_imprint_new();
    valid.resp = load_resp("out/full.tsr");
    valid.rejection = load_resp("out/reject_md5.tsr");
    valid.status = tsrs_resp_get_status_info(valid.resp);
    valid.tst = tsrs_resp_get_tst_info(valid.resp);
    tsrs_tst_info_get_accuracy(valid.tst, &valid.accuracy);
    valid.resp_ctx = tsrs_resp_ctx_new();
    valid.verify_ctx = tsrs_verify_ctx_new();
    valid.cert = tsrs_x509_load_file("pki/tsa.pem");
    valid.key = tsrs_pkey_load_file("pki/tsa.key", NULL);
    valid.store = tsrs_x509_store_new();
    valid.list = tsrs_x509_list_new();
    valid.token = read_fixture("out/full.tok", &valid.token_len);
    if (valid.req == NULL || valid.imprint == NULL || valid.resp == NULL ||
        valid.rejection == NULL || valid.status == NULL || valid.tst == NULL ||
        valid.accuracy == NULL || valid.resp_ctx == NULL || valid.verify_ctx == NULL ||
        valid.cert == NULL || valid.key == NULL || valid.store == NULL || valid.list == NULL) {
        return -1;
    }
    tsrs_err_clear();
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tsrs_req_free(valid.req);
    tsrs_msg_imprint_free(valid.imprint);
    tsrs_resp_free(valid.resp);
    tsrs_resp_free(valid.rejection);
    tsrs_resp_ctx_free(valid.resp_ctx);
    tsrs_verify_ctx_free(valid.verify_ctx);
    tsrs_x509_free(valid.cert);
    tsrs_pkey_free(valid.key);
    tsrs_x509_store_free(valid.store);
    tsrs_x509_list_free(valid.list);
    free(valid.token);
    return 0;
}

/* An out-parameter that must keep its value when a call fails. */
static uint8_t SENTINEL_BYTE;
#define SENTINEL ((void *)&SENTINEL_BYTE)

static void free_functions_accept_null(void **state) {
    (void)state;
    tsrs_req_free(NULL);
    tsrs_msg_imprint_free(NULL);
    tsrs_resp_free(NULL);
    tsrs_resp_ctx_free(NULL);
    tsrs_verify_ctx_free(NULL);
    tsrs_x509_free(NULL);
    tsrs_pkey_free(NULL);
    tsrs_x509_store_free(NULL);
    tsrs_x509_list_free(NULL);
    tsrs_free(NULL);
    assert_no_error();
}

static void constructors_succeed(void **state) {
    (void)state;
    tsrs_req *req = tsrs_req_new();
    tsrs_msg_imprint *imprint = tsrs_msg_imprint_new();
    tsrs_resp_ctx *resp_ctx = tsrs_resp_ctx_new();
    tsrs_verify_ctx *verify_ctx = tsrs_verify_ctx_new();
    tsrs_x509_store *store = tsrs_x509_store_new();
    tsrs_x509_list *list = tsrs_x509_list_new();
    assert_non_null(req);
    assert_non_null(imprint);
    assert_non_null(resp_ctx);
    assert_non_null(verify_ctx);
    assert_non_null(store);
    assert_non_null(list);
    tsrs_req_free(req);
    tsrs_msg_imprint_free(imprint);
    tsrs_resp_ctx_free(resp_ctx);
    tsrs_verify_ctx_free(verify_ctx);
    tsrs_x509_store_free(store);
    tsrs_x509_list_free(list);
    assert_no_error();
}

static int count_lines(const char *line, size_t len, void *data) {
    (void)line;
    (void)len;
    (*(int *)data)++;
    return 1;
}

static void error_functions(void **state) {
    (void)state;
    assert_int_equal(tsrs_err_get(), 0);
    assert_int_equal(tsrs_err_peek(), 0);
    assert_int_equal(tsrs_err_peek_last(), 0);
    assert_int_equal(tsrs_err_peek_message(NULL, 0), 0);
    assert_null(tsrs_err_reason_string(0));
    assert_null(tsrs_err_reason_string(99999));
    assert_string_equal(tsrs_err_reason_string(TSRS_R_NULL_POINTER), "invalid null pointer");
    assert_string_equal(tsrs_err_reason_string(TSRS_R_IMPRINT_MISMATCH),
                        "message imprint mismatch");

    /* Two failures, read in order. */
    assert_null(tsrs_req_dup(NULL));
    assert_null(tsrs_req_from_der(GARBAGE, sizeof GARBAGE));
    assert_int_equal(tsrs_err_peek(), TSRS_R_NULL_POINTER);
    assert_int_equal(tsrs_err_peek_last(), TSRS_R_DECODE);
    size_t needed = tsrs_err_peek_message(NULL, 0);
    assert_true(needed > 0);
    char small[8];
    assert_int_equal(tsrs_err_peek_message(small, sizeof small), needed);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(tsrs_err_print_errors_cb(NULL, NULL), 0);
    int lines = 0;
    assert_int_equal(tsrs_err_print_errors_cb(count_lines, &lines), 1);
    assert_int_equal(lines, 2);
    assert_int_equal(tsrs_err_get(), 0);

    /* tsrs_err_print_errors writes to stderr and empties the queue. */
    assert_null(tsrs_req_dup(NULL));
    tsrs_err_print_errors();
    assert_int_equal(tsrs_err_get(), 0);
    assert_null(tsrs_req_dup(NULL));
    tsrs_err_clear();
    assert_int_equal(tsrs_err_get(), 0);
}

static void request_functions(void **state) {
    (void)state;
    uint8_t *buf = SENTINEL;
    char *text = SENTINEL;
    size_t len = 7;
    long version = 7;
    int flag = 7;
    const uint8_t *borrowed = SENTINEL;

    FAILS_NULL(tsrs_req_dup(NULL), NUL);
    FAILS_NULL(tsrs_req_from_der(NULL, 10), NUL);
    FAILS_NULL(tsrs_req_from_der(NULL, 0), NUL);
    FAILS_NULL(tsrs_req_from_der(GARBAGE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_req_from_der(GARBAGE, sizeof GARBAGE), TSRS_R_DECODE);
    FAILS_NULL(tsrs_req_from_der(ONE_BYTE, sizeof ONE_BYTE), TSRS_R_DECODE);
    FAILS_NULL(tsrs_req_from_der(valid.token, valid.token_len), TSRS_R_DECODE);

    FAILS(tsrs_req_to_der(NULL, &buf, &len), NUL);
    FAILS(tsrs_req_to_der(valid.req, NULL, &len), NUL);
    FAILS(tsrs_req_to_der(valid.req, &buf, NULL), NUL);
    FAILS(tsrs_req_print(NULL, &text, &len), NUL);
    FAILS(tsrs_req_print(valid.req, NULL, &len), NUL);
    FAILS(tsrs_req_print(valid.req, &text, NULL), NUL);

    FAILS_NULL(tsrs_req_create(NULL, NULL, 0, NULL, 0, 0), NUL);
    FAILS_NULL(tsrs_req_create("sha256", NULL, 5, NULL, 0, 0), NUL);
    FAILS_NULL(tsrs_req_create("", NULL, 0, NULL, 0, 0), TSRS_R_UNKNOWN_DIGEST);
    FAILS_NULL(tsrs_req_create("sha256", NULL, 0, "", 0, 0), TSRS_R_UNKNOWN_OBJECT);
    FAILS_NULL(tsrs_req_create("\xff\xfe", NULL, 0, NULL, 0, 0), TSRS_R_INVALID_ARGUMENT);

    FAILS(tsrs_req_set_version(NULL, 1), NUL);
    FAILS(tsrs_req_get_version(NULL, &version), NUL);
    FAILS(tsrs_req_get_version(valid.req, NULL), NUL);
    FAILS(tsrs_req_set_msg_imprint(NULL, valid.imprint), NUL);
    FAILS(tsrs_req_set_msg_imprint(valid.req, NULL), NUL);
    FAILS_NULL(tsrs_req_get_msg_imprint(NULL), NUL);
    FAILS(tsrs_req_set_policy_id(NULL, "1.2.3"), NUL);
    FAILS(tsrs_req_set_policy_id(valid.req, NULL), NUL);
    FAILS(tsrs_req_set_policy_id(valid.req, "1"), TSRS_R_UNKNOWN_OBJECT);
    FAILS(tsrs_req_get_policy_id(NULL, &text, &len), NUL);
    FAILS(tsrs_req_get_policy_id(valid.req, NULL, &len), NUL);
    FAILS(tsrs_req_get_policy_id(valid.req, &text, NULL), NUL);
    FAILS(tsrs_req_set_nonce(NULL, ONE_BYTE, 1), NUL);
    FAILS(tsrs_req_set_nonce(valid.req, NULL, 1), NUL);
    FAILS(tsrs_req_set_nonce(valid.req, ONE_BYTE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_req_get_nonce(NULL, &borrowed, &len), NUL);
    FAILS(tsrs_req_get_nonce(valid.req, NULL, &len), NUL);
    FAILS(tsrs_req_get_nonce(valid.req, &borrowed, NULL), NUL);
    FAILS(tsrs_req_set_cert_req(NULL, 1), NUL);
    FAILS(tsrs_req_get_cert_req(NULL, &flag), NUL);
    FAILS(tsrs_req_get_cert_req(valid.req, NULL), NUL);

    FAILS_NULL(tsrs_msg_imprint_dup(NULL), NUL);
    FAILS(tsrs_msg_imprint_set_algo(NULL, "sha256"), NUL);
    FAILS(tsrs_msg_imprint_set_algo(valid.imprint, NULL), NUL);
    FAILS(tsrs_msg_imprint_set_algo(valid.imprint, ""), TSRS_R_UNKNOWN_DIGEST);
    FAILS(tsrs_msg_imprint_get_algo(NULL, &text, &len), NUL);
    FAILS(tsrs_msg_imprint_get_algo(valid.imprint, NULL, &len), NUL);
    FAILS(tsrs_msg_imprint_get_algo(valid.imprint, &text, NULL), NUL);
    FAILS(tsrs_msg_imprint_set_msg(NULL, ONE_BYTE, 1), NUL);
    FAILS(tsrs_msg_imprint_set_msg(valid.imprint, NULL, 1), NUL);
    FAILS(tsrs_msg_imprint_set_msg(valid.imprint, ONE_BYTE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_msg_imprint_get_msg(NULL, &borrowed, &len), NUL);
    FAILS(tsrs_msg_imprint_get_msg(valid.imprint, NULL, &len), NUL);
    FAILS(tsrs_msg_imprint_get_msg(valid.imprint, &borrowed, NULL), NUL);

    assert_ptr_equal(buf, SENTINEL);
    assert_ptr_equal(text, SENTINEL);
    assert_ptr_equal(borrowed, SENTINEL);
    assert_int_equal(len, 7);
    assert_int_equal(version, 7);
    assert_int_equal(flag, 7);
}

static void response_functions(void **state) {
    (void)state;
    uint8_t *buf = SENTINEL;
    char *text = SENTINEL;
    size_t len = 7;
    long number = 7;
    int flag = 7;
    uint32_t bits = 7;
    int64_t seconds = 7;
    uint32_t micros = 7;
    const uint8_t *borrowed = SENTINEL;
    const tsrs_accuracy *accuracy = SENTINEL;

    FAILS_NULL(tsrs_resp_from_der(NULL, 4), NUL);
    FAILS_NULL(tsrs_resp_from_der(GARBAGE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_resp_from_der(GARBAGE, sizeof GARBAGE), TSRS_R_DECODE);
    FAILS_NULL(tsrs_resp_from_der(ONE_BYTE, sizeof ONE_BYTE), TSRS_R_DECODE);
    FAILS_NULL(tsrs_resp_from_token_der(NULL, 4), NUL);
    FAILS_NULL(tsrs_resp_from_token_der(GARBAGE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_resp_from_token_der(GARBAGE, sizeof GARBAGE), TSRS_R_DECODE);
    FAILS_NULL(tsrs_resp_dup(NULL), NUL);
    FAILS(tsrs_resp_to_der(NULL, &buf, &len), NUL);
    FAILS(tsrs_resp_to_der(valid.resp, NULL, &len), NUL);
    FAILS(tsrs_resp_to_der(valid.resp, &buf, NULL), NUL);
    FAILS(tsrs_resp_get_token_der(NULL, &buf, &len), NUL);
    FAILS(tsrs_resp_get_token_der(valid.resp, NULL, &len), NUL);
    FAILS(tsrs_resp_get_token_der(valid.rejection, &buf, &len), TSRS_R_NO_TIME_STAMP_TOKEN);
    FAILS(tsrs_resp_print(NULL, &text, &len), NUL);
    FAILS(tsrs_resp_print(valid.resp, &text, NULL), NUL);
    FAILS_NULL(tsrs_resp_get_status_info(NULL), NUL);
    FAILS_NULL(tsrs_resp_get_tst_info(NULL), NUL);
    FAILS_NULL(tsrs_resp_get_tst_info(valid.rejection), TSRS_R_NO_TIME_STAMP_TOKEN);

    FAILS(tsrs_status_info_print(NULL, &text, &len), NUL);
    FAILS(tsrs_status_info_print(valid.status, NULL, &len), NUL);
    FAILS(tsrs_status_info_get_status(NULL, &number), NUL);
    FAILS(tsrs_status_info_get_status(valid.status, NULL), NUL);
    FAILS(tsrs_status_info_get_text_count(NULL, &len), NUL);
    FAILS(tsrs_status_info_get_text_count(valid.status, NULL), NUL);
    FAILS(tsrs_status_info_get_text(NULL, 0, &text, &len), NUL);
    FAILS(tsrs_status_info_get_text(valid.status, 0, &text, &len), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_status_info_get_failure_info(NULL, &bits), NUL);
    FAILS(tsrs_status_info_get_failure_info(valid.status, NULL), NUL);

    FAILS(tsrs_tst_info_print(NULL, &text, &len), NUL);
    FAILS(tsrs_tst_info_print(valid.tst, &text, NULL), NUL);
    FAILS(tsrs_tst_info_get_version(NULL, &number), NUL);
    FAILS(tsrs_tst_info_get_version(valid.tst, NULL), NUL);
    FAILS(tsrs_tst_info_get_policy_id(NULL, &text, &len), NUL);
    FAILS(tsrs_tst_info_get_policy_id(valid.tst, NULL, &len), NUL);
    FAILS_NULL(tsrs_tst_info_get_msg_imprint(NULL), NUL);
    FAILS(tsrs_tst_info_get_serial(NULL, &borrowed, &len), NUL);
    FAILS(tsrs_tst_info_get_serial(valid.tst, NULL, &len), NUL);
    FAILS(tsrs_tst_info_get_time(NULL, &text, &len), NUL);
    FAILS(tsrs_tst_info_get_time(valid.tst, &text, NULL), NUL);
    FAILS(tsrs_tst_info_get_time_unix(NULL, &seconds, &micros), NUL);
    FAILS(tsrs_tst_info_get_time_unix(valid.tst, NULL, &micros), NUL);
    FAILS(tsrs_tst_info_get_time_unix(valid.tst, &seconds, NULL), NUL);
    FAILS(tsrs_tst_info_get_accuracy(NULL, &accuracy), NUL);
    FAILS(tsrs_tst_info_get_accuracy(valid.tst, NULL), NUL);
    FAILS(tsrs_accuracy_get_seconds(NULL, &number), NUL);
    FAILS(tsrs_accuracy_get_seconds(valid.accuracy, NULL), NUL);
    FAILS(tsrs_accuracy_get_millis(NULL, &number), NUL);
    FAILS(tsrs_accuracy_get_millis(valid.accuracy, NULL), NUL);
    FAILS(tsrs_accuracy_get_micros(NULL, &number), NUL);
    FAILS(tsrs_accuracy_get_micros(valid.accuracy, NULL), NUL);
    FAILS(tsrs_tst_info_get_ordering(NULL, &flag), NUL);
    FAILS(tsrs_tst_info_get_ordering(valid.tst, NULL), NUL);
    FAILS(tsrs_tst_info_get_nonce(NULL, &borrowed, &len), NUL);
    FAILS(tsrs_tst_info_get_nonce(valid.tst, &borrowed, NULL), NUL);
    FAILS(tsrs_tst_info_get_tsa_name(NULL, &text, &len), NUL);
    FAILS(tsrs_tst_info_get_tsa_name(valid.tst, NULL, &len), NUL);

    assert_ptr_equal(buf, SENTINEL);
    assert_ptr_equal(text, SENTINEL);
    assert_ptr_equal(borrowed, SENTINEL);
    assert_ptr_equal(accuracy, SENTINEL);
    assert_int_equal(len, 7);
    assert_int_equal(number, 7);
    assert_int_equal(flag, 7);
    assert_int_equal(bits, 7);
    assert_int_equal(seconds, 7);
    assert_int_equal(micros, 7);
}

static void responder_functions(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = valid.resp_ctx;
    FAILS_NULL(tsrs_resp_ctx_new_from_config(NULL, NULL, NULL), NUL);
    FAILS_NULL(tsrs_resp_ctx_new_from_config("data/garbage.bin", NULL, NULL), TSRS_R_CONFIG_SYNTAX);
    /* As with openssl, a folder reads as an empty file. */
    FAILS_NULL(tsrs_resp_ctx_new_from_config("pki", NULL, NULL), TSRS_R_CONFIG_MISSING);
    FAILS_NULL(tsrs_resp_ctx_new_from_config("", NULL, NULL), TSRS_R_CONFIG_OPEN);
    FAILS(tsrs_resp_ctx_set_signer_cert(NULL, valid.cert), NUL);
    FAILS(tsrs_resp_ctx_set_signer_cert(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_signer_key(NULL, valid.key), NUL);
    FAILS(tsrs_resp_ctx_set_signer_key(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_certs(NULL, valid.list), NUL);
    FAILS(tsrs_resp_ctx_set_certs(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_signer_digest(NULL, "sha256"), NUL);
    FAILS(tsrs_resp_ctx_set_signer_digest(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_ess_cert_id_digest(NULL, "sha256"), NUL);
    FAILS(tsrs_resp_ctx_set_ess_cert_id_digest(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_ess_cert_id_digest(ctx, "sha257"), TSRS_R_UNKNOWN_DIGEST);
    FAILS(tsrs_resp_ctx_set_def_policy(NULL, "1.2.3"), NUL);
    FAILS(tsrs_resp_ctx_set_def_policy(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_add_policy(NULL, "1.2.3"), NUL);
    FAILS(tsrs_resp_ctx_add_policy(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_add_policy(ctx, "1.2.x"), TSRS_R_UNKNOWN_OBJECT);
    FAILS(tsrs_resp_ctx_add_md(NULL, "sha256"), NUL);
    FAILS(tsrs_resp_ctx_add_md(ctx, NULL), NUL);
    FAILS(tsrs_resp_ctx_add_md(ctx, "md3"), TSRS_R_UNKNOWN_DIGEST);
    FAILS(tsrs_resp_ctx_set_accuracy(NULL, 1, 2, 3), NUL);
    FAILS(tsrs_resp_ctx_set_clock_precision_digits(NULL, 1), NUL);
    FAILS(tsrs_resp_ctx_set_clock_precision_digits(ctx, 100000), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_resp_ctx_add_flags(NULL, TSRS_ORDERING), NUL);
    FAILS(tsrs_resp_ctx_add_flags(ctx, -1), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_resp_ctx_set_serial_cb(NULL, serial_one, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_serial_cb(ctx, NULL, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_time_cb(NULL, frozen_time, NULL), NUL);
    FAILS(tsrs_resp_ctx_set_time_cb(ctx, NULL, NULL), NUL);
    FAILS_NULL(tsrs_resp_create_response(NULL, GARBAGE, sizeof GARBAGE), NUL);
    FAILS_NULL(tsrs_resp_create_response(ctx, NULL, 10), NUL);

    /* Garbage, a lone byte and a token are rejections, not failures. */
    const uint8_t *inputs[] = {GARBAGE, ONE_BYTE, valid.token};
    size_t lengths[] = {sizeof GARBAGE, sizeof ONE_BYTE, valid.token_len};
    for (size_t i = 0; i < 3; i++) {
        tsrs_resp *resp = tsrs_resp_create_response(ctx, inputs[i], lengths[i]);
        assert_non_null(resp);
        assert_one_error(TSRS_R_DECODE);
        long status = 0;
        assert_int_equal(tsrs_status_info_get_status(tsrs_resp_get_status_info(resp), &status), 1);
        assert_int_equal(status, TSRS_STATUS_REJECTION);
        tsrs_resp_free(resp);
    }
}

static void verify_functions(void **state) {
    (void)state;
    tsrs_verify_ctx *ctx = valid.verify_ctx;
    unsigned int flags = 7;
    FAILS(tsrs_verify_ctx_set_flags(NULL, TSRS_VFY_DATA), NUL);
    FAILS(tsrs_verify_ctx_add_flags(NULL, TSRS_VFY_DATA), NUL);
    FAILS(tsrs_verify_ctx_add_flags(ctx, 0x80000000u), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_verify_ctx_get_flags(NULL, &flags), NUL);
    FAILS(tsrs_verify_ctx_get_flags(ctx, NULL), NUL);
    assert_int_equal(flags, 7);
    FAILS(tsrs_verify_ctx_set_data(NULL, ONE_BYTE, 1), NUL);
    FAILS(tsrs_verify_ctx_set_data(ctx, NULL, 1), NUL);
    FAILS(tsrs_verify_ctx_set_imprint(NULL, ONE_BYTE, 1), NUL);
    FAILS(tsrs_verify_ctx_set_imprint(ctx, NULL, 1), NUL);
    FAILS(tsrs_verify_ctx_set_imprint(ctx, ONE_BYTE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_verify_ctx_set_tsa_name(NULL, ONE_BYTE, 1), NUL);
    FAILS(tsrs_verify_ctx_set_tsa_name(ctx, NULL, 1), NUL);
    FAILS(tsrs_verify_ctx_set_tsa_name(ctx, ONE_BYTE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_verify_ctx_set_tsa_name(ctx, ONE_BYTE, 1), TSRS_R_DECODE);
    FAILS(tsrs_verify_ctx_set_tsa_name_cert(NULL, valid.cert), NUL);
    FAILS(tsrs_verify_ctx_set_tsa_name_cert(ctx, NULL), NUL);
    FAILS(tsrs_verify_ctx_set_store(NULL, valid.store), NUL);
    FAILS(tsrs_verify_ctx_set_store(ctx, NULL), NUL);
    FAILS(tsrs_verify_ctx_set0_store(NULL, valid.store), NUL);
    FAILS(tsrs_verify_ctx_set0_store(ctx, NULL), NUL);
    FAILS(tsrs_verify_ctx_set_certs(NULL, valid.list), NUL);
    FAILS(tsrs_verify_ctx_set_certs(ctx, NULL), NUL);
    FAILS(tsrs_verify_ctx_set0_certs(NULL, valid.list), NUL);
    FAILS(tsrs_verify_ctx_set0_certs(ctx, NULL), NUL);
    FAILS_NULL(tsrs_req_to_verify_ctx(NULL, NULL), NUL);
    FAILS_NULL(tsrs_req_to_verify_ctx(NULL, ctx), NUL);
    FAILS(tsrs_resp_verify_response(NULL, valid.resp), NUL);
    FAILS(tsrs_resp_verify_response(ctx, NULL), NUL);
    FAILS(tsrs_resp_verify_token(NULL, valid.token, valid.token_len), NUL);
    FAILS(tsrs_resp_verify_token(ctx, NULL, 10), NUL);
    FAILS(tsrs_resp_verify_token(ctx, valid.token, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_resp_verify_token(ctx, GARBAGE, sizeof GARBAGE), TSRS_R_DECODE);
    FAILS(tsrs_resp_verify_token(ctx, valid.token, valid.token_len / 2), TSRS_R_DECODE);

    FAILS_NULL(tsrs_resp_verify_response_report(NULL, valid.resp), NUL);
    FAILS_NULL(tsrs_resp_verify_response_report(ctx, NULL), NUL);
    FAILS_NULL(tsrs_resp_verify_token_report(NULL, valid.token, valid.token_len), NUL);
    FAILS_NULL(tsrs_resp_verify_token_report(ctx, NULL, 10), NUL);
    FAILS_NULL(tsrs_resp_verify_token_report(ctx, valid.token, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_resp_verify_token_report(ctx, GARBAGE, sizeof GARBAGE), TSRS_R_DECODE);
    tsrs_verify_report_free(NULL);

    /* A context without checks accepts any well-formed token. */
    assert_int_equal(tsrs_verify_ctx_set_flags(ctx, 0), 1);
    assert_int_equal(tsrs_resp_verify_token(ctx, valid.token, valid.token_len), 1);
    assert_no_error();

    tsrs_verify_report *report = tsrs_resp_verify_token_report(ctx, valid.token, valid.token_len);
    assert_non_null(report);
    int verified = 7;
    uint32_t reason = 7;
    size_t count = 7;
    unsigned int code = 7;
    int verdict = 7;
    const char *name = NULL;
    char *text = NULL;
    size_t len = 7;
    FAILS(tsrs_verify_report_get_verdict(NULL, &verified, &reason), NUL);
    FAILS(tsrs_verify_report_get_verdict(report, NULL, &reason), NUL);
    FAILS(tsrs_verify_report_get_verdict(report, &verified, NULL), NUL);
    FAILS(tsrs_verify_report_get_count(NULL, &count), NUL);
    FAILS(tsrs_verify_report_get_count(report, NULL), NUL);
    FAILS(tsrs_verify_report_get_check_code(NULL, 0, &code), NUL);
    FAILS(tsrs_verify_report_get_check_code(report, 0, NULL), NUL);
    FAILS(tsrs_verify_report_get_check_code(report, SIZE_MAX, &code), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_verify_report_get_check_verdict(NULL, 0, &verdict, &verified), NUL);
    FAILS(tsrs_verify_report_get_check_verdict(report, 0, NULL, &verified), NUL);
    FAILS(tsrs_verify_report_get_check_verdict(report, 0, &verdict, NULL), NUL);
    FAILS(tsrs_verify_report_get_check_name(NULL, 0, &name), NUL);
    FAILS(tsrs_verify_report_get_check_name(report, 0, NULL), NUL);
    FAILS(tsrs_verify_report_get_check_name(report, 99, &name), TSRS_R_INVALID_ARGUMENT);
    FAILS(tsrs_verify_report_get_check_detail(NULL, 0, &text, &len), NUL);
    FAILS(tsrs_verify_report_get_check_detail(report, 0, NULL, &len), NUL);
    FAILS(tsrs_verify_report_get_check_detail(report, 0, &text, NULL), NUL);
    FAILS(tsrs_verify_report_to_json(NULL, &text, &len), NUL);
    FAILS(tsrs_verify_report_to_json(report, NULL, &len), NUL);
    FAILS(tsrs_verify_report_to_json(report, &text, NULL), NUL);
    /* Out-parameters stay untouched on failure. */
    assert_int_equal(verified, 7);
    assert_int_equal(reason, 7);
    assert_int_equal(count, 7);
    assert_int_equal(code, 7);
    assert_int_equal(verdict, 7);
    assert_null(name);
    assert_null(text);
    assert_int_equal(len, 7);
    tsrs_verify_report_free(report);
}

static void x509_functions(void **state) {
    (void)state;
    size_t count = 7;
    FAILS_NULL(tsrs_x509_from_pem(NULL, 10), NUL);
    FAILS_NULL(tsrs_x509_from_pem(GARBAGE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_x509_from_pem(GARBAGE, sizeof GARBAGE), TSRS_R_CERT_LOAD);
    static const char empty_pem[] = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
    FAILS_NULL(tsrs_x509_from_pem((const uint8_t *)empty_pem, strlen(empty_pem)), TSRS_R_CERT_LOAD);
    FAILS_NULL(tsrs_x509_from_der(NULL, 10), NUL);
    FAILS_NULL(tsrs_x509_from_der(GARBAGE, 0), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_x509_from_der(GARBAGE, sizeof GARBAGE), TSRS_R_CERT_LOAD);
    FAILS_NULL(tsrs_x509_load_file(NULL), NUL);
    FAILS_NULL(tsrs_x509_load_file("pki/no-such.pem"), TSRS_R_IO);
    FAILS_NULL(tsrs_x509_load_file("pki/tsa.key"), TSRS_R_CERT_LOAD);

    FAILS_NULL(tsrs_pkey_from_pem(NULL, 10, NULL), NUL);
    FAILS_NULL(tsrs_pkey_from_pem(GARBAGE, 0, NULL), TSRS_R_INVALID_ARGUMENT);
    FAILS_NULL(tsrs_pkey_from_pem(GARBAGE, sizeof GARBAGE, NULL), TSRS_R_KEY_LOAD);
    FAILS_NULL(tsrs_pkey_load_file(NULL, NULL), NUL);
    FAILS_NULL(tsrs_pkey_load_file("pki/no-such.key", NULL), TSRS_R_IO);
    FAILS_NULL(tsrs_pkey_load_file("pki/tsa.pem", NULL), TSRS_R_KEY_LOAD);
    size_t key_len = 0;
    uint8_t *key_pem = read_fixture("pki/tsa.key", &key_len);
    tsrs_pkey *key = tsrs_pkey_from_pem(key_pem, key_len, NULL);
    assert_non_null(key);
    tsrs_pkey_free(key);
    free(key_pem);

    FAILS(tsrs_x509_store_load_file(NULL, "pki/ca.pem"), NUL);
    FAILS(tsrs_x509_store_load_file(valid.store, NULL), NUL);
    FAILS(tsrs_x509_store_load_file(valid.store, "data/garbage.bin"), TSRS_R_TRUST_STORE);
    FAILS(tsrs_x509_store_load_file(valid.store, "pki/no-such.pem"), TSRS_R_TRUST_STORE);
    FAILS(tsrs_x509_store_add_dir(NULL, "pki"), NUL);
    FAILS(tsrs_x509_store_add_dir(valid.store, NULL), NUL);
    FAILS(tsrs_x509_store_add_dir(valid.store, "pki/ca.pem"), TSRS_R_TRUST_STORE);
    FAILS(tsrs_x509_store_add_cert(NULL, valid.cert), NUL);
    FAILS(tsrs_x509_store_add_cert(valid.store, NULL), NUL);

    FAILS(tsrs_x509_list_push(NULL, valid.cert), NUL);
    FAILS(tsrs_x509_list_push(valid.list, NULL), NUL);
    FAILS(tsrs_x509_list_load_file(NULL, "pki/ca.pem"), NUL);
    FAILS(tsrs_x509_list_load_file(valid.list, NULL), NUL);
    FAILS(tsrs_x509_list_load_file(valid.list, "data/garbage.bin"), TSRS_R_CERT_LOAD);
    FAILS(tsrs_x509_list_count(NULL, &count), NUL);
    FAILS(tsrs_x509_list_count(valid.list, NULL), NUL);
    assert_int_equal(count, 7);
    assert_int_equal(tsrs_x509_list_count(valid.list, &count), 1);
    assert_int_equal(count, 0);

    FAILS(tsrs_obj_create(NULL, "a", "b"), NUL);
    FAILS(tsrs_obj_create("1.2.3.9.9", NULL, "b"), NUL);
    FAILS(tsrs_obj_create("1.2.3.9.9", "a", NULL), NUL);
    FAILS(tsrs_obj_create("not.an.oid", "hostile_a", "hostile_a"), TSRS_R_UNKNOWN_OBJECT);
    FAILS(tsrs_obj_create("1.2.3.9.9", "sha256", "hostile_b"), TSRS_R_UNKNOWN_OBJECT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_functions_accept_null),
        cmocka_unit_test(constructors_succeed),
        cmocka_unit_test(error_functions),
        cmocka_unit_test(request_functions),
        cmocka_unit_test(response_functions),
        cmocka_unit_test(responder_functions),
        cmocka_unit_test(verify_functions),
        cmocka_unit_test(x509_functions),
    };
    return cmocka_run_group_tests_name("hostile", tests, setup, teardown);
}
