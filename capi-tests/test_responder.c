/*
 * tsrs_resp_create_response against `faketime -f "2024-01-02 03:04:05 x0"
 * openssl ts -reply` with a fresh serial file: DER and -text byte for byte
 * for RSA, rejections included; text and cross-verification for ECDSA.
 */
#include "common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state) {
    add_policy_names();
    return enter_fixtures(state);
}

static void check_section(const char *section, const char *request, const char *name) {
    tsrs_resp_ctx *ctx = make_ctx(section);
    tsrs_resp *resp = respond(ctx, request);
    assert_no_error();
    assert_resp_matches(resp, name);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static void minimal_matches_openssl(void **state) {
    (void)state;
    check_section("min", "out/req_sha256.tsq", "min");
}

static void full_matches_openssl(void **state) {
    (void)state;
    check_section("full", "out/req_sha512_policy2.tsq", "full");
}

static void ess_v1_matches_openssl(void **state) {
    (void)state;
    check_section("v1", "out/req_sha1.tsq", "v1");
}

static void certificate_request_matches_openssl(void **state) {
    (void)state;
    check_section("min", "out/req_sha256_cert.tsq", "rsa_cert");
}

static void token_of_created_response_matches_openssl(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = make_ctx("full");
    tsrs_resp *resp = respond(ctx, "out/req_sha512_policy2.tsq");
    uint8_t *token = NULL;
    size_t token_len = 0;
    assert_int_equal(tsrs_resp_get_token_der(resp, &token, &token_len), 1);
    assert_same_as_fixture(token, token_len, "out/full.tok");
    tsrs_free(token);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
    assert_no_error();
}

static void config_matches_openssl(void **state) {
    (void)state;
    static const struct {
        const char *section;
        const char *request;
        const char *name;
    } cases[] = {
        {"tsa_min", "out/req_sha256.tsq", "min"},
        {"tsa_full", "out/req_sha512_policy2.tsq", "full"},
        {"tsa_v1", "out/req_sha1.tsq", "v1"},
        {"tsa_min", "out/req_md5.tsq", "reject_md5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unlink("out/serial");
        tsrs_resp_ctx *ctx = tsrs_resp_ctx_new_from_config("cnf/tsa.cnf", cases[i].section, NULL);
        assert_non_null(ctx);
        assert_int_equal(tsrs_resp_ctx_set_time_cb(ctx, frozen_time, NULL), 1);
        tsrs_resp *resp = respond(ctx, cases[i].request);
        tsrs_err_clear();
        assert_resp_matches(resp, cases[i].name);
        tsrs_resp_free(resp);
        tsrs_resp_ctx_free(ctx);
    }
    unlink("out/serial");
}

static void config_default_section_and_serial_file(void **state) {
    (void)state;
    unlink("out/serial");
    /* [tsa] default_tsa names tsa_min. */
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new_from_config("cnf/tsa.cnf", NULL, NULL);
    assert_non_null(ctx);
    assert_int_equal(tsrs_resp_ctx_set_time_cb(ctx, frozen_time, NULL), 1);
    for (uint8_t expected = 1; expected <= 3; expected++) {
        tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
        const uint8_t *serial = NULL;
        size_t serial_len = 0;
        assert_int_equal(
            tsrs_tst_info_get_serial(tsrs_resp_get_tst_info(resp), &serial, &serial_len), 1);
        assert_int_equal(serial_len, 1);
        assert_int_equal(serial[0], expected);
        tsrs_resp_free(resp);
    }
    tsrs_resp_ctx_free(ctx);
    size_t len = 0;
    uint8_t *saved = read_fixture("out/serial", &len);
    assert_same_bytes(saved, len, (const uint8_t *)"03\n", 3, "serial file");
    free(saved);
    unlink("out/serial");
    assert_no_error();
}

static void config_errors_name_the_key(void **state) {
    (void)state;
    assert_null(tsrs_resp_ctx_new_from_config("cnf/no-such.cnf", NULL, NULL));
    assert_one_error(TSRS_R_CONFIG_OPEN);
    assert_null(tsrs_resp_ctx_new_from_config("cnf/tsa.cnf", "no_such_section", NULL));
    assert_one_error(TSRS_R_CONFIG_MISSING);
    assert_null(tsrs_resp_ctx_new_from_config("cnf/pki.cnf", NULL, NULL));
    assert_one_error(TSRS_R_CONFIG_MISSING);
}

static void check_rejection(const char *section, const char *request, const char *name,
                            uint32_t reason) {
    tsrs_resp_ctx *ctx = make_ctx(section);
    tsrs_resp *resp = respond(ctx, request);
    assert_one_error(reason);
    assert_resp_matches(resp, name);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static void unsupported_digest_rejection(void **state) {
    (void)state;
    check_rejection("min", "out/req_md5.tsq", "reject_md5", TSRS_R_UNKNOWN_DIGEST);
}

static void unaccepted_policy_rejection(void **state) {
    (void)state;
    check_rejection("full", "out/req_bad_policy.tsq", "reject_policy", TSRS_R_UNACCEPTABLE_POLICY);
}

static void garbage_request_rejection(void **state) {
    (void)state;
    check_rejection("min", "data/garbage.bin", "reject_garbage", TSRS_R_DECODE);

    /* An empty request is rejected the same way. */
    tsrs_resp_ctx *ctx = make_ctx("min");
    tsrs_resp *resp = tsrs_resp_create_response(ctx, NULL, 0);
    assert_non_null(resp);
    assert_one_error(TSRS_R_DECODE);
    assert_resp_matches(resp, "reject_garbage");
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static int serial_fails(void *data, uint8_t *serial, size_t *serial_len) {
    (void)data;
    (void)serial;
    (void)serial_len;
    return 0;
}

static int serial_empty(void *data, uint8_t *serial, size_t *serial_len) {
    (void)data;
    (void)serial;
    *serial_len = 0;
    return 1;
}

static int serial_too_long(void *data, uint8_t *serial, size_t *serial_len) {
    (void)data;
    serial[0] = 1;
    *serial_len = TSRS_MAX_SERIAL_LEN + 1;
    return 1;
}

/* A failing serial number source gives the rejection openssl writes when it
 * cannot read its serial file. */
static void serial_failure_rejection(void **state) {
    (void)state;
    tsrs_serial_cb callbacks[] = {serial_fails, serial_empty, serial_too_long};
    for (size_t i = 0; i < sizeof callbacks / sizeof callbacks[0]; i++) {
        tsrs_resp_ctx *ctx = make_ctx("min");
        assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, callbacks[i], NULL), 1);
        tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
        assert_one_error(TSRS_R_SERIAL);
        assert_resp_matches(resp, "reject_serial");
        tsrs_resp_free(resp);
        tsrs_resp_ctx_free(ctx);
    }
}

static int time_fails(void *data, int64_t *seconds, uint32_t *microseconds) {
    (void)data;
    (void)seconds;
    (void)microseconds;
    return 0;
}

static void time_failure_rejection(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = make_ctx("min");
    assert_int_equal(tsrs_resp_ctx_set_time_cb(ctx, time_fails, NULL), 1);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_one_error(TSRS_R_TIME);
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_resp_to_der(resp, &der, &der_len), 1);
    /* status 2, "Time is not available.", failInfo timeNotAvailable (bit 14) */
    static const uint8_t expected[] = {0x30, 0x24, 0x30, 0x22, 0x02, 0x01, 0x02, 0x30, 0x18, 0x0c,
                                       0x16, 'T',  'i',  'm',  'e',  ' ',  'i',  's',  ' ',  'n',
                                       'o',  't',  ' ',  'a',  'v',  'a',  'i',  'l',  'a',  'b',
                                       'l',  'e',  '.',  0x03, 0x03, 0x01, 0x00, 0x02};
    assert_same_bytes(der, der_len, expected, sizeof expected, "time rejection");
    tsrs_free(der);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static int counter_data_serial(void *data, uint8_t *serial, size_t *serial_len) {
    uint8_t *next = data;
    serial[0] = (*next)++;
    *serial_len = 1;
    return 1;
}

static void serial_callback_gets_its_data(void **state) {
    (void)state;
    uint8_t next = 0x42;
    tsrs_resp_ctx *ctx = make_ctx("min");
    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, counter_data_serial, &next), 1);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    const uint8_t *serial = NULL;
    size_t serial_len = 0;
    assert_int_equal(tsrs_tst_info_get_serial(tsrs_resp_get_tst_info(resp), &serial, &serial_len),
                     1);
    assert_int_equal(serial_len, 1);
    assert_int_equal(serial[0], 0x42);
    assert_int_equal(next, 0x43);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
    assert_no_error();
}

/* ECDSA signatures differ per run: the text must match, and openssl must
 * accept the signature. */
static void ecdsa_text_matches_and_openssl_verifies(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = make_ctx("ec");
    tsrs_resp *resp = respond(ctx, "out/req_sha256_cert.tsq");
    assert_no_error();
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(tsrs_resp_print(resp, &text, &text_len), 1);
    assert_same_as_fixture((const uint8_t *)text, text_len, "out/ec.txt");
    tsrs_free(text);

    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_resp_to_der(resp, &der, &der_len), 1);
    FILE *file = fopen("out/tsrs-ec.tsr", "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(der, 1, der_len, file), der_len);
    fclose(file);
    tsrs_free(der);
    int status = system("openssl ts -verify -in out/tsrs-ec.tsr -data data/msg.txt "
                        "-CAfile pki/ca.pem >/dev/null 2>&1");
    assert_int_equal(status, 0);
    unlink("out/tsrs-ec.tsr");
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static void signer_without_timestamping_usage_fails(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    tsrs_x509 *cert = tsrs_x509_load_file("pki/nontsa.pem");
    assert_non_null(cert);
    assert_int_equal(tsrs_resp_ctx_set_signer_cert(ctx, cert), 0);
    assert_one_error(TSRS_R_SIGNER_PURPOSE);
    tsrs_x509_free(cert);
    tsrs_resp_ctx_free(ctx);
}

static void key_of_another_certificate_rejects(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = make_ctx("min");
    tsrs_pkey *key = tsrs_pkey_load_file("pki/tsa-ec.key", NULL);
    assert_non_null(key);
    assert_int_equal(tsrs_resp_ctx_set_signer_key(ctx, key), 1);
    tsrs_pkey_free(key);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_one_error(TSRS_R_KEY_MISMATCH);
    const tsrs_status_info *status = tsrs_resp_get_status_info(resp);
    long value = 0;
    assert_int_equal(tsrs_status_info_get_status(status, &value), 1);
    assert_int_equal(value, TSRS_STATUS_REJECTION);
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(tsrs_status_info_get_text(status, 0, &text, &text_len), 1);
    assert_string_equal(text, "Error during signature generation.");
    tsrs_free(text);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static void missing_default_policy_rejects(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    assert_int_equal(tsrs_resp_ctx_add_md(ctx, "sha256"), 1);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_one_error(TSRS_R_MISSING);
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(
        tsrs_status_info_get_text(tsrs_resp_get_status_info(resp), 0, &text, &text_len), 1);
    assert_string_equal(text, "Error during response generation.");
    tsrs_free(text);
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
}

static void setter_values_are_checked(void **state) {
    (void)state;
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    assert_int_equal(tsrs_resp_ctx_set_clock_precision_digits(ctx, TSRS_MAX_CLOCK_PRECISION_DIGITS),
                     1);
    assert_int_equal(tsrs_resp_ctx_set_clock_precision_digits(ctx, 7), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_ctx_add_flags(ctx, 0x08), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, "nosuchmd"), 0);
    assert_one_error(TSRS_R_UNKNOWN_DIGEST);
    assert_int_equal(tsrs_resp_ctx_set_def_policy(ctx, "not an oid"), 0);
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);
    tsrs_resp_ctx_free(ctx);
}

static void encrypted_key_needs_passphrase(void **state) {
    (void)state;
    assert_null(tsrs_pkey_load_file("pki/tsa-enc.key", NULL));
    assert_one_error(TSRS_R_PASSWORD);
    assert_null(tsrs_pkey_load_file("pki/tsa-enc.key", "wrong"));
    assert_one_error(TSRS_R_KEY_LOAD);
    tsrs_pkey *key = tsrs_pkey_load_file("pki/tsa-enc.key", "secret");
    assert_non_null(key);

    /* The decrypted key signs the same bytes as the plain one. */
    tsrs_resp_ctx *ctx = make_ctx("min");
    assert_int_equal(tsrs_resp_ctx_set_signer_key(ctx, key), 1);
    tsrs_pkey_free(key);
    tsrs_resp *resp = respond(ctx, "out/req_sha256.tsq");
    assert_resp_matches(resp, "min");
    tsrs_resp_free(resp);
    tsrs_resp_ctx_free(ctx);
    assert_no_error();
}

/* Several threads share one context; the serial callback hands out distinct
 * serial numbers under a lock, and every response is granted. */
enum { THREADS = 4, PER_THREAD = 5 };

struct shared {
    pthread_mutex_t lock;
    uint8_t next;
    const tsrs_resp_ctx *ctx;
    uint8_t *request;
    size_t request_len;
    int seen[256];
    int failures;
};

static int locked_serial(void *data, uint8_t *serial, size_t *serial_len) {
    struct shared *shared = data;
    pthread_mutex_lock(&shared->lock);
    serial[0] = shared->next++;
    pthread_mutex_unlock(&shared->lock);
    *serial_len = 1;
    return 1;
}

static void *answer_requests(void *data) {
    struct shared *shared = data;
    for (int i = 0; i < PER_THREAD; i++) {
        tsrs_resp *resp =
            tsrs_resp_create_response(shared->ctx, shared->request, shared->request_len);
        const uint8_t *serial = NULL;
        size_t serial_len = 0;
        int ok = resp != NULL &&
                 tsrs_tst_info_get_serial(tsrs_resp_get_tst_info(resp), &serial, &serial_len) == 1;
        pthread_mutex_lock(&shared->lock);
        if (ok && serial_len == 1) {
            shared->seen[serial[0]]++;
        } else {
            shared->failures++;
        }
        pthread_mutex_unlock(&shared->lock);
        tsrs_resp_free(resp);
    }
    return NULL;
}

static void shared_context_serves_threads(void **state) {
    (void)state;
    struct shared shared = {.next = 1};
    pthread_mutex_init(&shared.lock, NULL);
    tsrs_resp_ctx *ctx = make_ctx("min");
    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, locked_serial, &shared), 1);
    shared.ctx = ctx;
    shared.request = read_fixture("out/req_sha256.tsq", &shared.request_len);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, answer_requests, &shared), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
    }
    assert_int_equal(shared.failures, 0);
    for (int serial = 1; serial <= THREADS * PER_THREAD; serial++) {
        assert_int_equal(shared.seen[serial], 1);
    }
    free(shared.request);
    tsrs_resp_ctx_free(ctx);
    pthread_mutex_destroy(&shared.lock);
    assert_no_error();
}

/* Each thread has its own error queue. */
static void *fail_once(void *data) {
    (void)data;
    tsrs_req_free(tsrs_req_from_der(NULL, 0));
    return (void *)(uintptr_t)tsrs_err_get();
}

static void error_queue_is_per_thread(void **state) {
    (void)state;
    assert_null(tsrs_x509_load_file("no/such/file.pem"));
    pthread_t thread;
    void *reason = NULL;
    assert_int_equal(pthread_create(&thread, NULL, fail_once, NULL), 0);
    pthread_join(thread, &reason);
    assert_int_equal((uintptr_t)reason, TSRS_R_NULL_POINTER);
    assert_one_error(TSRS_R_IO);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_matches_openssl),
        cmocka_unit_test(full_matches_openssl),
        cmocka_unit_test(ess_v1_matches_openssl),
        cmocka_unit_test(certificate_request_matches_openssl),
        cmocka_unit_test(token_of_created_response_matches_openssl),
        cmocka_unit_test(config_matches_openssl),
        cmocka_unit_test(config_default_section_and_serial_file),
        cmocka_unit_test(config_errors_name_the_key),
        cmocka_unit_test(unsupported_digest_rejection),
        cmocka_unit_test(unaccepted_policy_rejection),
        cmocka_unit_test(garbage_request_rejection),
        cmocka_unit_test(serial_failure_rejection),
        cmocka_unit_test(time_failure_rejection),
        cmocka_unit_test(serial_callback_gets_its_data),
        cmocka_unit_test(ecdsa_text_matches_and_openssl_verifies),
        cmocka_unit_test(signer_without_timestamping_usage_fails),
        cmocka_unit_test(key_of_another_certificate_rejects),
        cmocka_unit_test(missing_default_policy_rejects),
        cmocka_unit_test(setter_values_are_checked),
        cmocka_unit_test(encrypted_key_needs_passphrase),
        cmocka_unit_test(shared_context_serves_threads),
        cmocka_unit_test(error_queue_is_per_thread),
    };
    return cmocka_run_group_tests_name("responder", tests, setup, NULL);
}
