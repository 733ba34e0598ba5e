/*
 * Requests through the C API against `openssl ts -query`: DER and -text
 * byte for byte, built with tsrs_req_create and with the setters.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state) {
    add_policy_names();
    return enter_fixtures(state);
}

static uint8_t *message(size_t *len) { return read_fixture("data/msg.txt", len); }

static void assert_req_der(const tsrs_req *req, const char *fixture) {
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_req_to_der(req, &der, &der_len), 1);
    assert_same_as_fixture(der, der_len, fixture);
    tsrs_free(der);
}

static void assert_req_text(const tsrs_req *req, const char *fixture) {
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(tsrs_req_print(req, &text, &text_len), 1);
    assert_int_equal(strlen(text), text_len);
    assert_same_as_fixture((const uint8_t *)text, text_len, fixture);
    tsrs_free(text);
}

static tsrs_req *load_req(const char *fixture) {
    size_t len = 0;
    uint8_t *der = read_fixture(fixture, &len);
    tsrs_req *req = tsrs_req_from_der(der, len);
    free(der);
    assert_non_null(req);
    return req;
}

static void create_plain_matches_openssl(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *data = message(&len);
    tsrs_req *req = tsrs_req_create("sha256", data, len, NULL, 0, 0);
    assert_non_null(req);
    assert_req_der(req, "out/query_plain.tsq");
    assert_req_text(req, "out/query_plain.txt");
    tsrs_req_free(req);
    free(data);
    assert_no_error();
}

static void create_full_matches_openssl(void **state) {
    (void)state;
    size_t len = 0;
    uint8_t *data = message(&len);
    tsrs_req *req = tsrs_req_create("SHA512", data, len, "1.2.3.4.5.6", 0, 1);
    assert_non_null(req);
    assert_req_der(req, "out/query_full.tsq");
    assert_req_text(req, "out/query_full.txt");
    tsrs_req_free(req);
    free(data);
    assert_no_error();
}

static void setters_match_openssl(void **state) {
    (void)state;
    tsrs_req *model = load_req("out/query_full.tsq");
    const uint8_t *digest = NULL;
    size_t digest_len = 0;
    assert_int_equal(
        tsrs_msg_imprint_get_msg(tsrs_req_get_msg_imprint(model), &digest, &digest_len), 1);
    assert_int_equal(digest_len, 64);

    tsrs_msg_imprint *imprint = tsrs_msg_imprint_new();
    assert_non_null(imprint);
    assert_int_equal(tsrs_msg_imprint_set_algo(imprint, "sha512"), 1);
    assert_int_equal(tsrs_msg_imprint_set_msg(imprint, digest, digest_len), 1);
    tsrs_req *req = tsrs_req_new();
    assert_non_null(req);
    assert_int_equal(tsrs_req_set_version(req, 1), 1);
    assert_int_equal(tsrs_req_set_msg_imprint(req, imprint), 1);
    assert_int_equal(tsrs_req_set_policy_id(req, "1.2.3.4.5.6"), 1);
    assert_int_equal(tsrs_req_set_cert_req(req, 1), 1);
    tsrs_msg_imprint_free(imprint);

    assert_req_der(req, "out/query_full.tsq");
    assert_req_text(req, "out/query_full.txt");
    tsrs_req_free(req);
    tsrs_req_free(model);
    assert_no_error();
}

static void nonce_request_round_trips(void **state) {
    (void)state;
    tsrs_req *req = load_req("out/query_nonce.tsq");
    assert_req_der(req, "out/query_nonce.tsq");
    assert_req_text(req, "out/query_nonce.txt");

    long version = 0;
    int cert_req = -1;
    assert_int_equal(tsrs_req_get_version(req, &version), 1);
    assert_int_equal(version, 1);
    assert_int_equal(tsrs_req_get_cert_req(req, &cert_req), 1);
    assert_int_equal(cert_req, 0);

    char *policy = (char *)"unchanged";
    size_t policy_len = 99;
    assert_int_equal(tsrs_req_get_policy_id(req, &policy, &policy_len), 1);
    assert_null(policy);
    assert_int_equal(policy_len, 0);

    char *algo = NULL;
    size_t algo_len = 0;
    assert_int_equal(tsrs_msg_imprint_get_algo(tsrs_req_get_msg_imprint(req), &algo, &algo_len), 1);
    assert_string_equal(algo, "1.3.14.3.2.26");
    tsrs_free(algo);

    /* The nonce read back and set on a copy gives the same request. */
    const uint8_t *nonce = NULL;
    size_t nonce_len = 0;
    assert_int_equal(tsrs_req_get_nonce(req, &nonce, &nonce_len), 1);
    assert_non_null(nonce);
    assert_in_range(nonce_len, 1, 8);
    assert_int_not_equal(nonce[0], 0);
    tsrs_req *copy = tsrs_req_dup(req);
    assert_non_null(copy);
    assert_int_equal(tsrs_req_set_nonce(copy, nonce, nonce_len), 1);
    assert_req_der(copy, "out/query_nonce.tsq");
    tsrs_req_free(copy);
    tsrs_req_free(req);
    assert_no_error();
}

static void nonces_are_random(void **state) {
    (void)state;
    tsrs_req *first = tsrs_req_create("sha256", NULL, 0, NULL, 1, 0);
    tsrs_req *second = tsrs_req_create("sha256", NULL, 0, NULL, 1, 0);
    assert_non_null(first);
    assert_non_null(second);
    const uint8_t *a = NULL;
    const uint8_t *b = NULL;
    size_t a_len = 0;
    size_t b_len = 0;
    assert_int_equal(tsrs_req_get_nonce(first, &a, &a_len), 1);
    assert_int_equal(tsrs_req_get_nonce(second, &b, &b_len), 1);
    assert_in_range(a_len, 1, 8);
    assert_in_range(b_len, 1, 8);
    assert_false(a_len == b_len && memcmp(a, b, a_len) == 0);
    tsrs_req_free(first);
    tsrs_req_free(second);
    assert_no_error();
}

static void nonce_setter_strips_leading_zeros(void **state) {
    (void)state;
    static const uint8_t value[] = {0x00, 0x00, 0x80, 0x01};
    tsrs_req *req = tsrs_req_new();
    assert_non_null(req);
    assert_int_equal(tsrs_req_set_nonce(req, value, sizeof value), 1);
    const uint8_t *nonce = NULL;
    size_t nonce_len = 0;
    assert_int_equal(tsrs_req_get_nonce(req, &nonce, &nonce_len), 1);
    assert_int_equal(nonce_len, 2);
    assert_int_equal(nonce[0], 0x80);
    assert_int_equal(nonce[1], 0x01);
    tsrs_req_free(req);
    assert_no_error();
}

static void policy_names_resolve(void **state) {
    (void)state;
    add_policy_names();
    tsrs_req *req = tsrs_req_new();
    assert_non_null(req);
    assert_int_equal(tsrs_req_set_policy_id(req, "tsa_policy2"), 1);
    char *policy = NULL;
    size_t policy_len = 0;
    assert_int_equal(tsrs_req_get_policy_id(req, &policy, &policy_len), 1);
    assert_string_equal(policy, "1.2.3.4.5.6");
    assert_int_equal(policy_len, strlen("1.2.3.4.5.6"));
    tsrs_free(policy);

    assert_int_equal(tsrs_req_set_policy_id(req, "no_such_policy"), 0);
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);
    assert_int_equal(tsrs_obj_create("1.2.3.4.5.6", "tsa_policy2", "tsa_policy2"), 0);
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);
    tsrs_req_free(req);
}

static void unknown_digest_fails(void **state) {
    (void)state;
    assert_null(tsrs_req_create("sha0", NULL, 0, NULL, 0, 0));
    assert_one_error(TSRS_R_UNKNOWN_DIGEST);
    tsrs_msg_imprint *imprint = tsrs_msg_imprint_new();
    assert_non_null(imprint);
    assert_int_equal(tsrs_msg_imprint_set_algo(imprint, "no-such-digest"), 0);
    assert_one_error(TSRS_R_UNKNOWN_DIGEST);
    tsrs_msg_imprint_free(imprint);
}

static void own_imprint_can_be_set_again(void **state) {
    (void)state;
    tsrs_req *req = load_req("out/query_plain.tsq");
    assert_int_equal(tsrs_req_set_msg_imprint(req, tsrs_req_get_msg_imprint(req)), 1);
    assert_req_der(req, "out/query_plain.tsq");

    tsrs_msg_imprint *copy = tsrs_msg_imprint_dup(tsrs_req_get_msg_imprint(req));
    assert_non_null(copy);
    char *algo = NULL;
    size_t algo_len = 0;
    assert_int_equal(tsrs_msg_imprint_get_algo(copy, &algo, &algo_len), 1);
    assert_string_equal(algo, "2.16.840.1.101.3.4.2.1");
    tsrs_free(algo);
    tsrs_msg_imprint_free(copy);
    tsrs_req_free(req);
    assert_no_error();
}

static void version_round_trips(void **state) {
    (void)state;
    tsrs_req *req = tsrs_req_new();
    assert_non_null(req);
    long version = 0;
    assert_int_equal(tsrs_req_get_version(req, &version), 1);
    assert_int_equal(version, 1);
    assert_int_equal(tsrs_req_set_version(req, -300), 1);
    assert_int_equal(tsrs_req_get_version(req, &version), 1);
    assert_int_equal(version, -300);
    tsrs_req_free(req);
    assert_no_error();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_plain_matches_openssl),
        cmocka_unit_test(create_full_matches_openssl),
        cmocka_unit_test(setters_match_openssl),
        cmocka_unit_test(nonce_request_round_trips),
        cmocka_unit_test(nonces_are_random),
        cmocka_unit_test(nonce_setter_strips_leading_zeros),
        cmocka_unit_test(policy_names_resolve),
        cmocka_unit_test(unknown_digest_fails),
        cmocka_unit_test(own_imprint_can_be_set_again),
        cmocka_unit_test(version_round_trips),
    };
    return cmocka_run_group_tests_name("request", tests, setup, NULL);
}
