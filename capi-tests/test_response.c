/*
 * Responses made by `openssl ts -reply`, read through the C API: DER round
 * trips, -text byte for byte, the getters, and token conversion.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tsrs_resp *load_resp(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "out/%s.tsr", name);
    size_t len = 0;
    uint8_t *der = read_fixture(path, &len);
    tsrs_resp *resp = tsrs_resp_from_der(der, len);
    free(der);
    assert_non_null(resp);
    return resp;
}

static int setup(void **state) {
    add_policy_names();
    return enter_fixtures(state);
}

static void responses_round_trip(void **state) {
    (void)state;
    static const char *const names[] = {
        "min",           "full",           "v1",           "ec", "rsa_cert", "reject_md5",
        "reject_policy", "reject_garbage", "reject_serial"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        tsrs_resp *resp = load_resp(names[i]);
        assert_resp_matches(resp, names[i]);
        tsrs_resp *copy = tsrs_resp_dup(resp);
        assert_non_null(copy);
        assert_resp_matches(copy, names[i]);
        tsrs_resp_free(copy);
        tsrs_resp_free(resp);
    }
    assert_no_error();
}

static char *status_text(const tsrs_status_info *status, size_t index) {
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(tsrs_status_info_get_text(status, index, &text, &text_len), 1);
    assert_int_equal(strlen(text), text_len);
    return text;
}

static void granted_status(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    const tsrs_status_info *status = tsrs_resp_get_status_info(resp);
    assert_non_null(status);
    long value = -1;
    size_t count = 99;
    uint32_t bits = 99;
    assert_int_equal(tsrs_status_info_get_status(status, &value), 1);
    assert_int_equal(value, TSRS_STATUS_GRANTED);
    assert_int_equal(tsrs_status_info_get_text_count(status, &count), 1);
    assert_int_equal(count, 0);
    assert_int_equal(tsrs_status_info_get_failure_info(status, &bits), 1);
    assert_int_equal(bits, 0);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void rejection_status(void **state) {
    (void)state;
    static const struct {
        const char *name;
        const char *text;
        int bit;
    } cases[] = {
        {"reject_md5", "Message digest algorithm is not supported.", TSRS_INFO_BAD_ALG},
        {"reject_policy", "Requested policy is not supported.", TSRS_INFO_UNACCEPTED_POLICY},
        {"reject_garbage", "Bad request format or system error.", TSRS_INFO_BAD_DATA_FORMAT},
        {"reject_serial", "Error during serial number generation.",
         TSRS_INFO_ADD_INFO_NOT_AVAILABLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tsrs_resp *resp = load_resp(cases[i].name);
        const tsrs_status_info *status = tsrs_resp_get_status_info(resp);
        long value = -1;
        size_t count = 0;
        uint32_t bits = 0;
        assert_int_equal(tsrs_status_info_get_status(status, &value), 1);
        assert_int_equal(value, TSRS_STATUS_REJECTION);
        assert_int_equal(tsrs_status_info_get_text_count(status, &count), 1);
        assert_int_equal(count, 1);
        char *text = status_text(status, 0);
        assert_string_equal(text, cases[i].text);
        tsrs_free(text);
        assert_int_equal(tsrs_status_info_get_failure_info(status, &bits), 1);
        assert_int_equal(bits, 1u << cases[i].bit);

        char *out = (char *)"unchanged";
        size_t out_len = 7;
        assert_int_equal(tsrs_status_info_get_text(status, 1, &out, &out_len), 0);
        assert_one_error(TSRS_R_INVALID_ARGUMENT);
        assert_string_equal(out, "unchanged");
        assert_int_equal(out_len, 7);

        assert_null(tsrs_resp_get_tst_info(resp));
        assert_one_error(TSRS_R_NO_TIME_STAMP_TOKEN);
        uint8_t *token = NULL;
        size_t token_len = 0;
        assert_int_equal(tsrs_resp_get_token_der(resp, &token, &token_len), 0);
        assert_one_error(TSRS_R_NO_TIME_STAMP_TOKEN);
        assert_null(token);
        tsrs_resp_free(resp);
    }
}

/* The response text is "Status info:\n", the status, "\nTST info:\n" and
 * the TSTInfo, so the three printers agree with each other. */
static void printers_compose(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    char *status = NULL;
    char *tst = NULL;
    char *whole = NULL;
    size_t status_len = 0;
    size_t tst_len = 0;
    size_t whole_len = 0;
    assert_int_equal(tsrs_status_info_print(tsrs_resp_get_status_info(resp), &status, &status_len),
                     1);
    assert_int_equal(tsrs_tst_info_print(tsrs_resp_get_tst_info(resp), &tst, &tst_len), 1);
    assert_int_equal(tsrs_resp_print(resp, &whole, &whole_len), 1);
    size_t joined_len = strlen("Status info:\n") + status_len + strlen("\nTST info:\n") + tst_len;
    char *joined = malloc(joined_len + 1);
    assert_non_null(joined);
    snprintf(joined, joined_len + 1, "Status info:\n%s\nTST info:\n%s", status, tst);
    assert_same_bytes((const uint8_t *)whole, whole_len, (const uint8_t *)joined, joined_len,
                      "response text");
    free(joined);
    tsrs_free(status);
    tsrs_free(tst);
    tsrs_free(whole);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void full_tst_info_getters(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    const tsrs_tst_info *tst = tsrs_resp_get_tst_info(resp);
    assert_non_null(tst);

    long version = 0;
    assert_int_equal(tsrs_tst_info_get_version(tst, &version), 1);
    assert_int_equal(version, 1);

    char *policy = NULL;
    size_t policy_len = 0;
    assert_int_equal(tsrs_tst_info_get_policy_id(tst, &policy, &policy_len), 1);
    assert_string_equal(policy, "1.2.3.4.5.6");
    tsrs_free(policy);

    const uint8_t *serial = NULL;
    size_t serial_len = 0;
    assert_int_equal(tsrs_tst_info_get_serial(tst, &serial, &serial_len), 1);
    assert_int_equal(serial_len, 1);
    assert_int_equal(serial[0], 1);

    char *time = NULL;
    size_t time_len = 0;
    assert_int_equal(tsrs_tst_info_get_time(tst, &time, &time_len), 1);
    assert_string_equal(time, "20240102030405Z");
    tsrs_free(time);
    int64_t seconds = 0;
    uint32_t micros = 99;
    assert_int_equal(tsrs_tst_info_get_time_unix(tst, &seconds, &micros), 1);
    assert_int_equal(seconds, FROZEN_TIME);
    assert_int_equal(micros, 0);

    const tsrs_accuracy *accuracy = NULL;
    long part = 0;
    assert_int_equal(tsrs_tst_info_get_accuracy(tst, &accuracy), 1);
    assert_non_null(accuracy);
    assert_int_equal(tsrs_accuracy_get_seconds(accuracy, &part), 1);
    assert_int_equal(part, 1);
    assert_int_equal(tsrs_accuracy_get_millis(accuracy, &part), 1);
    assert_int_equal(part, 500);
    assert_int_equal(tsrs_accuracy_get_micros(accuracy, &part), 1);
    assert_int_equal(part, 100);

    int ordering = 0;
    assert_int_equal(tsrs_tst_info_get_ordering(tst, &ordering), 1);
    assert_int_equal(ordering, 1);

    char *tsa = NULL;
    size_t tsa_len = 0;
    assert_int_equal(tsrs_tst_info_get_tsa_name(tst, &tsa, &tsa_len), 1);
    assert_string_equal(tsa, "DirName:/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1");
    tsrs_free(tsa);

    /* The nonce and imprint are the request's. */
    size_t req_len = 0;
    uint8_t *req_der = read_fixture("out/req_sha512_policy2.tsq", &req_len);
    tsrs_req *req = tsrs_req_from_der(req_der, req_len);
    free(req_der);
    assert_non_null(req);
    const uint8_t *expected = NULL;
    const uint8_t *actual = NULL;
    size_t expected_len = 0;
    size_t actual_len = 0;
    assert_int_equal(tsrs_req_get_nonce(req, &expected, &expected_len), 1);
    assert_int_equal(tsrs_tst_info_get_nonce(tst, &actual, &actual_len), 1);
    assert_same_bytes(actual, actual_len, expected, expected_len, "nonce");
    assert_int_equal(
        tsrs_msg_imprint_get_msg(tsrs_req_get_msg_imprint(req), &expected, &expected_len), 1);
    assert_int_equal(
        tsrs_msg_imprint_get_msg(tsrs_tst_info_get_msg_imprint(tst), &actual, &actual_len), 1);
    assert_same_bytes(actual, actual_len, expected, expected_len, "imprint");
    char *algo = NULL;
    size_t algo_len = 0;
    assert_int_equal(
        tsrs_msg_imprint_get_algo(tsrs_tst_info_get_msg_imprint(tst), &algo, &algo_len), 1);
    assert_string_equal(algo, "2.16.840.1.101.3.4.2.3");
    tsrs_free(algo);
    tsrs_req_free(req);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void min_tst_info_has_no_options(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("min");
    const tsrs_tst_info *tst = tsrs_resp_get_tst_info(resp);
    assert_non_null(tst);
    const tsrs_accuracy *accuracy = (const tsrs_accuracy *)resp;
    assert_int_equal(tsrs_tst_info_get_accuracy(tst, &accuracy), 1);
    assert_null(accuracy);
    int ordering = -1;
    assert_int_equal(tsrs_tst_info_get_ordering(tst, &ordering), 1);
    assert_int_equal(ordering, 0);
    const uint8_t *nonce = (const uint8_t *)"x";
    size_t nonce_len = 5;
    assert_int_equal(tsrs_tst_info_get_nonce(tst, &nonce, &nonce_len), 1);
    assert_null(nonce);
    assert_int_equal(nonce_len, 0);
    char *tsa = (char *)"x";
    size_t tsa_len = 5;
    assert_int_equal(tsrs_tst_info_get_tsa_name(tst, &tsa, &tsa_len), 1);
    assert_null(tsa);
    assert_int_equal(tsa_len, 0);
    char *policy = NULL;
    size_t policy_len = 0;
    assert_int_equal(tsrs_tst_info_get_policy_id(tst, &policy, &policy_len), 1);
    assert_string_equal(policy, "1.2.3.4.1");
    tsrs_free(policy);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void token_conversion_matches_openssl(void **state) {
    (void)state;
    static const char *const names[] = {"min", "full", "v1", "ec"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[256];
        tsrs_resp *resp = load_resp(names[i]);

        uint8_t *token = NULL;
        size_t token_len = 0;
        assert_int_equal(tsrs_resp_get_token_der(resp, &token, &token_len), 1);
        snprintf(path, sizeof path, "out/%s.tok", names[i]);
        assert_same_as_fixture(token, token_len, path);

        char *text = NULL;
        size_t text_len = 0;
        assert_int_equal(tsrs_tst_info_print(tsrs_resp_get_tst_info(resp), &text, &text_len), 1);
        snprintf(path, sizeof path, "out/%s.tok.txt", names[i]);
        assert_same_as_fixture((const uint8_t *)text, text_len, path);
        tsrs_free(text);

        tsrs_resp *wrapped = tsrs_resp_from_token_der(token, token_len);
        assert_non_null(wrapped);
        uint8_t *der = NULL;
        size_t der_len = 0;
        assert_int_equal(tsrs_resp_to_der(wrapped, &der, &der_len), 1);
        snprintf(path, sizeof path, "out/%s.fromtok.tsr", names[i]);
        assert_same_as_fixture(der, der_len, path);
        tsrs_free(der);
        tsrs_resp_free(wrapped);
        tsrs_free(token);
        tsrs_resp_free(resp);
    }
    assert_no_error();
}

static void response_is_not_a_token(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *der = read_fixture("out/full.tsr", &len);
    assert_null(tsrs_resp_from_token_der(der, len));
    assert_one_error(TSRS_R_DECODE);
    free(der);
    der = read_fixture("out/full.tok", &len);
    assert_null(tsrs_resp_from_der(der, len));
    assert_one_error(TSRS_R_DECODE);
    free(der);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(responses_round_trip),
        cmocka_unit_test(granted_status),
        cmocka_unit_test(rejection_status),
        cmocka_unit_test(printers_compose),
        cmocka_unit_test(full_tst_info_getters),
        cmocka_unit_test(min_tst_info_has_no_options),
        cmocka_unit_test(token_conversion_matches_openssl),
        cmocka_unit_test(response_is_not_a_token),
    };
    return cmocka_run_group_tests_name("response", tests, setup, NULL);
}
