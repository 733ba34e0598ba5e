/*
 * The standalone values of the OpenSSL mapping, checked against OpenSSL's
 * libcrypto in the same process. TSTInfo, status, accuracy, imprint and ESS
 * values come from tokens that `openssl ts -reply` made. The tests compare
 * their encodings byte for byte, build them field by field, and put
 * responses together by hand.
 */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

static uint8_t *fixture(const char *name, const char *suffix, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, "out/%s.%s", name, suffix);
    return read_fixture(path, len);
}

static tsrs_resp *load_resp(const char *name) {
    size_t len = 0;
    uint8_t *der = fixture(name, "tsr", &len);
    tsrs_resp *resp = tsrs_resp_from_der(der, len);
    free(der);
    assert_non_null(resp);
    return resp;
}

/* OpenSSL's view of a token fixture. */
static PKCS7 *openssl_token(const char *name) {
    size_t len = 0;
    uint8_t *der = fixture(name, "tok", &len);
    const unsigned char *p = der;
    PKCS7 *token = d2i_PKCS7(NULL, &p, (long)len);
    free(der);
    assert_non_null(token);
    return token;
}

static int setup(void **state) {
    add_policy_names();
    return enter_fixtures(state);
}

/* Fails unless tsrs's DER equals OpenSSL's `i2d` output for the same value. */
static void assert_same_as_openssl(const uint8_t *ours, size_t ours_len, unsigned char *theirs,
                                   int theirs_len, const char *what) {
    assert_true(theirs_len > 0);
    assert_same_bytes(ours, ours_len, theirs, (size_t)theirs_len, what);
    OPENSSL_free(theirs);
}

static void tst_info_matches_openssl(void **state) {
    (void)state;
    static const char *const names[] = {"min", "full", "v1", "ec"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        tsrs_resp *resp = load_resp(names[i]);
        const tsrs_tst_info *tst = tsrs_resp_get_tst_info(resp);
        uint8_t *der = NULL;
        size_t der_len = 0;
        assert_int_equal(tsrs_tst_info_to_der(tst, &der, &der_len), 1);

        PKCS7 *token = openssl_token(names[i]);
        TS_TST_INFO *theirs = PKCS7_to_TS_TST_INFO(token);
        assert_non_null(theirs);
        unsigned char *expected = NULL;
        int expected_len = i2d_TS_TST_INFO(theirs, &expected);
        assert_same_as_openssl(der, der_len, expected, expected_len, "TSTInfo");

        /* Decoding tsrs's encoding and copying it give the same bytes. */
        tsrs_tst_info *decoded = tsrs_tst_info_from_der(der, der_len);
        assert_non_null(decoded);
        tsrs_tst_info *copy = tsrs_tst_info_dup(decoded);
        assert_non_null(copy);
        uint8_t *again = NULL;
        size_t again_len = 0;
        assert_int_equal(tsrs_tst_info_to_der(copy, &again, &again_len), 1);
        assert_same_bytes(again, again_len, der, der_len, "TSTInfo round trip");

        tsrs_free(again);
        tsrs_tst_info_free(copy);
        tsrs_tst_info_free(decoded);
        TS_TST_INFO_free(theirs);
        PKCS7_free(token);
        tsrs_free(der);
        tsrs_resp_free(resp);
    }
    assert_no_error();
}

/* The TSTInfo of the "full" token, rebuilt with the setters from its fields. */
static void tst_info_built_field_by_field(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    const tsrs_tst_info *source = tsrs_resp_get_tst_info(resp);
    tsrs_tst_info *built = tsrs_tst_info_new();
    assert_non_null(built);

    char *text = NULL;
    size_t text_len = 0;
    const uint8_t *bytes = NULL;
    size_t bytes_len = 0;
    uint8_t *der = NULL;
    size_t der_len = 0;
    const tsrs_accuracy *accuracy = NULL;

    /* An empty genTime cannot be encoded. */
    assert_int_equal(tsrs_tst_info_to_der(built, &der, &der_len), 0);
    assert_one_error(TSRS_R_MISSING);

    assert_int_equal(tsrs_tst_info_set_version(built, 1), 1);
    assert_int_equal(tsrs_tst_info_get_policy_id(source, &text, &text_len), 1);
    assert_int_equal(tsrs_tst_info_set_policy_id(built, text), 1);
    tsrs_free(text);
    assert_int_equal(tsrs_tst_info_set_msg_imprint(built, tsrs_tst_info_get_msg_imprint(source)),
                     1);
    assert_int_equal(tsrs_tst_info_get_serial(source, &bytes, &bytes_len), 1);
    assert_int_equal(tsrs_tst_info_set_serial(built, bytes, bytes_len), 1);
    assert_int_equal(tsrs_tst_info_get_time(source, &text, &text_len), 1);
    assert_int_equal(tsrs_tst_info_set_time(built, text), 1);
    tsrs_free(text);
    assert_int_equal(tsrs_tst_info_get_accuracy(source, &accuracy), 1);
    assert_non_null(accuracy);
    long seconds = 0, millis = 0, micros = 0;
    assert_int_equal(tsrs_accuracy_get_seconds(accuracy, &seconds), 1);
    assert_int_equal(tsrs_accuracy_get_millis(accuracy, &millis), 1);
    assert_int_equal(tsrs_accuracy_get_micros(accuracy, &micros), 1);
    tsrs_accuracy *own_accuracy = tsrs_accuracy_new();
    assert_int_equal(tsrs_accuracy_set_seconds(own_accuracy, seconds), 1);
    assert_int_equal(tsrs_accuracy_set_millis(own_accuracy, millis), 1);
    assert_int_equal(tsrs_accuracy_set_micros(own_accuracy, micros), 1);
    assert_int_equal(tsrs_tst_info_set_accuracy(built, own_accuracy), 1);
    tsrs_accuracy_free(own_accuracy);
    int ordering = 0;
    assert_int_equal(tsrs_tst_info_get_ordering(source, &ordering), 1);
    assert_int_equal(tsrs_tst_info_set_ordering(built, ordering), 1);
    assert_int_equal(tsrs_tst_info_get_nonce(source, &bytes, &bytes_len), 1);
    assert_int_equal(tsrs_tst_info_set_nonce(built, bytes, bytes_len), 1);
    assert_int_equal(tsrs_tst_info_get_tsa(source, &der, &der_len), 1);
    assert_non_null(der);
    assert_int_equal(tsrs_tst_info_set_tsa(built, der, der_len), 1);
    tsrs_free(der);

    uint8_t *expected = NULL;
    size_t expected_len = 0;
    assert_int_equal(tsrs_tst_info_to_der(source, &expected, &expected_len), 1);
    assert_int_equal(tsrs_tst_info_to_der(built, &der, &der_len), 1);
    assert_same_bytes(der, der_len, expected, expected_len, "TSTInfo built field by field");

    /* Removing the optional fields again leaves the minimal form. */
    assert_int_equal(tsrs_tst_info_set_accuracy(built, NULL), 1);
    assert_int_equal(tsrs_tst_info_set_nonce(built, NULL, 0), 1);
    assert_int_equal(tsrs_tst_info_set_tsa(built, NULL, 0), 1);
    uint8_t *tsa = (uint8_t *)"x";
    size_t tsa_len = 1;
    assert_int_equal(tsrs_tst_info_get_tsa(built, &tsa, &tsa_len), 1);
    assert_null(tsa);
    assert_int_equal(tsa_len, 0);

    tsrs_free(der);
    tsrs_free(expected);
    tsrs_tst_info_free(built);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void tst_info_setters_reject_bad_values(void **state) {
    (void)state;
    tsrs_tst_info *tst = tsrs_tst_info_new();
    static const char *const bad_times[] = {"2024", "20240102030405", "20240102030405.10Z",
                                            "20241302030405Z", "20240102030405.1234567Z", ""};
    for (size_t i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++) {
        assert_int_equal(tsrs_tst_info_set_time(tst, bad_times[i]), 0);
        assert_one_error(TSRS_R_TIME);
    }
    assert_int_equal(tsrs_tst_info_set_time(tst, "20240102030405.185Z"), 1);
    assert_int_equal(tsrs_tst_info_set_policy_id(tst, "no such policy name"), 0);
    assert_one_error(TSRS_R_UNKNOWN_OBJECT);
    assert_int_equal(tsrs_tst_info_set_serial(tst, (const uint8_t *)"", 0), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_tst_info_set_tsa(tst, (const uint8_t *)"\x30\x00", 2), 0);
    assert_one_error(TSRS_R_DECODE);
    assert_int_equal(tsrs_tst_info_set_serial(tst, (const uint8_t *)"x", (size_t)1 << 40), 0);
    assert_one_error(TSRS_R_TOO_LARGE);
    tsrs_tst_info_free(tst);

    static const uint8_t garbage[] = {0x30, 0x82, 0xff, 0xff, 0x01};
    assert_null(tsrs_tst_info_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_tst_info_from_der(garbage, 0));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_null(tsrs_tst_info_from_der(garbage, (size_t)1 << 40));
    assert_one_error(TSRS_R_TOO_LARGE);
}

static void status_and_accuracy_match_openssl(void **state) {
    (void)state;
    static const char *const names[] = {"full", "reject_md5", "reject_policy", "reject_serial"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = 0;
        uint8_t *resp_der = fixture(names[i], "tsr", &len);
        const unsigned char *p = resp_der;
        TS_RESP *theirs = d2i_TS_RESP(NULL, &p, (long)len);
        assert_non_null(theirs);
        tsrs_resp *resp = tsrs_resp_from_der(resp_der, len);
        assert_non_null(resp);

        uint8_t *der = NULL;
        size_t der_len = 0;
        assert_int_equal(tsrs_status_info_to_der(tsrs_resp_get_status_info(resp), &der, &der_len),
                         1);
        unsigned char *expected = NULL;
        int expected_len = i2d_TS_STATUS_INFO(TS_RESP_get_status_info(theirs), &expected);
        assert_same_as_openssl(der, der_len, expected, expected_len, "PKIStatusInfo");
        tsrs_status_info *status = tsrs_status_info_from_der(der, der_len);
        assert_non_null(status);
        tsrs_status_info_free(status);
        tsrs_free(der);

        if (i == 0) {
            const tsrs_accuracy *accuracy = NULL;
            assert_int_equal(tsrs_tst_info_get_accuracy(tsrs_resp_get_tst_info(resp), &accuracy),
                             1);
            assert_int_equal(tsrs_accuracy_to_der(accuracy, &der, &der_len), 1);
            expected = NULL;
            expected_len = i2d_TS_ACCURACY(
                TS_TST_INFO_get_accuracy(TS_RESP_get_tst_info(theirs)), &expected);
            assert_same_as_openssl(der, der_len, expected, expected_len, "Accuracy");
            tsrs_accuracy *copy = tsrs_accuracy_from_der(der, der_len);
            tsrs_accuracy *copy2 = tsrs_accuracy_dup(copy);
            uint8_t *again = NULL;
            size_t again_len = 0;
            assert_int_equal(tsrs_accuracy_to_der(copy2, &again, &again_len), 1);
            assert_same_bytes(again, again_len, der, der_len, "Accuracy round trip");
            tsrs_free(again);
            tsrs_accuracy_free(copy2);
            tsrs_accuracy_free(copy);
            tsrs_free(der);

            const tsrs_msg_imprint *imprint =
                tsrs_tst_info_get_msg_imprint(tsrs_resp_get_tst_info(resp));
            assert_int_equal(tsrs_msg_imprint_to_der(imprint, &der, &der_len), 1);
            expected = NULL;
            expected_len = i2d_TS_MSG_IMPRINT(
                TS_TST_INFO_get_msg_imprint(TS_RESP_get_tst_info(theirs)), &expected);
            assert_same_as_openssl(der, der_len, expected, expected_len, "MessageImprint");
            tsrs_msg_imprint *decoded = tsrs_msg_imprint_from_der(der, der_len);
            assert_non_null(decoded);
            tsrs_msg_imprint_free(decoded);
            tsrs_free(der);
        }
        tsrs_resp_free(resp);
        TS_RESP_free(theirs);
        free(resp_der);
    }
    assert_no_error();
}

/* Prints to a memory BIO with OpenSSL and returns the text, NUL-terminated. */
static char *bio_text(BIO *bio) {
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    char *copy = calloc((size_t)len + 1, 1);
    memcpy(copy, data, (size_t)len);
    return copy;
}

static void imprint_print_matches_openssl(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(
        tsrs_msg_imprint_print(tsrs_tst_info_get_msg_imprint(tsrs_resp_get_tst_info(resp)), &text,
                               &text_len),
        1);
    PKCS7 *token = openssl_token("full");
    TS_TST_INFO *theirs = PKCS7_to_TS_TST_INFO(token);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(TS_MSG_IMPRINT_print_bio(bio, TS_TST_INFO_get_msg_imprint(theirs)), 1);
    char *expected = bio_text(bio);
    assert_string_equal(text, expected);
    free(expected);
    BIO_free(bio);
    TS_TST_INFO_free(theirs);
    PKCS7_free(token);
    tsrs_free(text);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void status_built_by_hand(void **state) {
    (void)state;
    tsrs_status_info *status = tsrs_status_info_new();
    assert_non_null(status);
    assert_int_equal(tsrs_status_info_set_status(status, TSRS_STATUS_REJECTION), 1);
    assert_int_equal(tsrs_status_info_add_text(status, "Bad message digest."), 1);
    assert_int_equal(tsrs_status_info_set_failure_info(status, TSRS_INFO_BAD_DATA_FORMAT, 1), 1);
    assert_int_equal(tsrs_status_info_set_failure_info(status, TSRS_INFO_BAD_ALG, 1), 1);
    assert_int_equal(tsrs_status_info_set_failure_info(status, TSRS_INFO_BAD_ALG, 0), 1);
    assert_int_equal(tsrs_status_info_set_failure_info(status, 32, 1), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_status_info_set_status(status, -1), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);

    /* OpenSSL builds the same value with its own setters. */
    TS_STATUS_INFO *theirs = TS_STATUS_INFO_new();
    assert_int_equal(TS_STATUS_INFO_set_status(theirs, TS_STATUS_REJECTION), 1);
    ASN1_UTF8STRING *text = ASN1_UTF8STRING_new();
    ASN1_STRING_set(text, "Bad message digest.", -1);
    STACK_OF(ASN1_UTF8STRING) *texts = sk_ASN1_UTF8STRING_new_null();
    sk_ASN1_UTF8STRING_push(texts, text);
    /* TS_STATUS_INFO has no text setter: go through a response context's encoding. */
    ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
    ASN1_BIT_STRING_set_bit(bits, TS_INFO_BAD_DATA_FORMAT, 1);
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_status_info_to_der(status, &der, &der_len), 1);
    const unsigned char *p = der;
    TS_STATUS_INFO *decoded = d2i_TS_STATUS_INFO(NULL, &p, (long)der_len);
    assert_non_null(decoded);
    assert_int_equal(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(decoded)), TS_STATUS_REJECTION);
    const STACK_OF(ASN1_UTF8STRING) *their_texts = TS_STATUS_INFO_get0_text(decoded);
    assert_int_equal(sk_ASN1_UTF8STRING_num(their_texts), 1);
    assert_int_equal(ASN1_STRING_cmp(sk_ASN1_UTF8STRING_value(their_texts, 0), text), 0);
    assert_int_equal(ASN1_STRING_cmp(TS_STATUS_INFO_get0_failure_info(decoded), bits), 0);
    unsigned char *expected = NULL;
    int expected_len = i2d_TS_STATUS_INFO(decoded, &expected);
    assert_same_as_openssl(der, der_len, expected, expected_len, "PKIStatusInfo by hand");

    TS_STATUS_INFO_free(decoded);
    ASN1_BIT_STRING_free(bits);
    sk_ASN1_UTF8STRING_pop_free(texts, ASN1_UTF8STRING_free);
    TS_STATUS_INFO_free(theirs);
    tsrs_free(der);
    tsrs_status_info *copy = tsrs_status_info_dup(status);
    assert_non_null(copy);
    tsrs_status_info_free(copy);
    tsrs_status_info_free(status);
    assert_no_error();
}

/* A response made from openssl's token and a status equals openssl's response. */
static void response_built_by_hand(void **state) {
    (void)state;
    tsrs_resp *source = load_resp("min");
    tsrs_resp *resp = tsrs_resp_new();
    assert_non_null(resp);
    assert_int_equal(tsrs_resp_set_status_info(resp, tsrs_resp_get_status_info(source)), 1);
    size_t token_len = 0;
    uint8_t *token = fixture("min", "tok", &token_len);
    assert_int_equal(tsrs_resp_set_tst_info(resp, token, 0), 0);
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    assert_int_equal(tsrs_resp_set_tst_info(resp, token, token_len - 1), 0);
    assert_int_not_equal(tsrs_err_get(), 0);
    assert_int_equal(tsrs_resp_set_tst_info(resp, token, token_len), 1);
    assert_resp_matches(resp, "min");

    uint8_t *token_der = NULL;
    size_t token_der_len = 0;
    assert_int_equal(tsrs_resp_get_token_der(resp, &token_der, &token_der_len), 1);
    assert_same_bytes(token_der, token_der_len, token, token_len, "token");
    tsrs_free(token_der);
    free(token);
    tsrs_resp_free(resp);
    tsrs_resp_free(source);
    assert_no_error();
}

static tsrs_x509_store *ca_store(const char *path) {
    tsrs_x509_store *store = tsrs_x509_store_new();
    assert_int_equal(tsrs_x509_store_load_file(store, path), 1);
    return store;
}

static void verify_signature_finds_signer(void **state) {
    (void)state;
    tsrs_x509_store *store = ca_store("pki/ca.pem");
    tsrs_resp *resp = load_resp("full");
    tsrs_x509 *signer = NULL;
    assert_int_equal(tsrs_resp_verify_signature(resp, NULL, store, &signer), 1);
    assert_non_null(signer);
    tsrs_x509_free(signer);

    /* The "min" token carries no certificate: the signer must come from certs. */
    tsrs_resp *min = load_resp("min");
    assert_int_equal(tsrs_resp_verify_signature(min, NULL, store, NULL), 0);
    assert_int_not_equal(tsrs_err_get(), 0);
    assert_no_error();
    tsrs_x509_list *certs = tsrs_x509_list_new();
    tsrs_x509 *tsa = tsrs_x509_load_file("pki/tsa.pem");
    assert_int_equal(tsrs_x509_list_push(certs, tsa), 1);
    assert_int_equal(tsrs_resp_verify_signature(min, certs, store, NULL), 1);

    tsrs_x509_store *other = ca_store("pki/other-ca.pem");
    assert_int_equal(tsrs_resp_verify_signature(resp, NULL, other, &signer), 0);
    assert_one_error(TSRS_R_CERTIFICATE_VERIFY);

    tsrs_resp *rejection = load_resp("reject_md5");
    assert_int_equal(tsrs_resp_verify_signature(rejection, NULL, store, NULL), 0);
    assert_one_error(TSRS_R_NO_TIME_STAMP_TOKEN);

    tsrs_resp_free(rejection);
    tsrs_x509_store_free(other);
    tsrs_x509_free(tsa);
    tsrs_x509_list_free(certs);
    tsrs_resp_free(min);
    tsrs_resp_free(resp);
    tsrs_x509_store_free(store);
}

/* The DER of the token's signed attribute `nid`, as OpenSSL finds it. */
static ASN1_STRING *openssl_attribute(PKCS7 *token, int nid) {
    STACK_OF(PKCS7_SIGNER_INFO) *signers = PKCS7_get_signer_info(token);
    assert_int_equal(sk_PKCS7_SIGNER_INFO_num(signers), 1);
    ASN1_TYPE *value = PKCS7_get_signed_attribute(sk_PKCS7_SIGNER_INFO_value(signers, 0), nid);
    assert_non_null(value);
    assert_int_equal(value->type, V_ASN1_SEQUENCE);
    return value->value.sequence;
}

static void ess_v1_matches_openssl(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("v1");
    tsrs_ess_signing_cert *cert = NULL;
    tsrs_ess_signing_cert_v2 *none = (tsrs_ess_signing_cert_v2 *)1;
    assert_int_equal(tsrs_resp_get_signing_cert_v2(resp, &none), 1);
    assert_null(none);
    assert_int_equal(tsrs_resp_get_signing_cert(resp, &cert), 1);
    assert_non_null(cert);

    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_ess_signing_cert_to_der(cert, &der, &der_len), 1);
    PKCS7 *token = openssl_token("v1");
    ASN1_STRING *attribute = openssl_attribute(token, NID_id_smime_aa_signingCertificate);
    assert_same_bytes(der, der_len, ASN1_STRING_get0_data(attribute),
                      (size_t)ASN1_STRING_length(attribute), "signingCertificate");
    const unsigned char *p = der;
    ESS_SIGNING_CERT *theirs = d2i_ESS_SIGNING_CERT(NULL, &p, (long)der_len);
    assert_non_null(theirs);
    unsigned char *expected = NULL;
    int expected_len = i2d_ESS_SIGNING_CERT(theirs, &expected);
    assert_same_as_openssl(der, der_len, expected, expected_len, "ESS_SIGNING_CERT");

    /* The signer's id: the SHA-1 of its certificate, with no issuer and serial. */
    size_t count = 0;
    assert_int_equal(tsrs_ess_signing_cert_get_cert_id_count(cert, &count), 1);
    assert_int_equal(count, 1);
    const tsrs_ess_cert_id *id = tsrs_ess_signing_cert_get0_cert_id(cert, 0);
    assert_non_null(id);
    assert_null(tsrs_ess_signing_cert_get0_cert_id(cert, 1));
    assert_one_error(TSRS_R_INVALID_ARGUMENT);
    const uint8_t *hash = NULL;
    size_t hash_len = 0;
    assert_int_equal(tsrs_ess_cert_id_get_hash(id, &hash, &hash_len), 1);
    FILE *file = fopen("pki/tsa.pem", "r");
    X509 *tsa = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    unsigned char sha1[EVP_MAX_MD_SIZE];
    unsigned int sha1_len = 0;
    assert_int_equal(X509_digest(tsa, EVP_sha1(), sha1, &sha1_len), 1);
    assert_same_bytes(hash, hash_len, sha1, sha1_len, "ESSCertID hash");
    const tsrs_ess_issuer_serial *issuer_serial = (const tsrs_ess_issuer_serial *)1;
    assert_int_equal(tsrs_ess_cert_id_get0_issuer_serial(id, &issuer_serial), 1);
    assert_null(issuer_serial);

    /* The same attribute built by hand, and the id round trip through OpenSSL. */
    tsrs_ess_cert_id *built_id = tsrs_ess_cert_id_new();
    assert_int_equal(tsrs_ess_cert_id_set_hash(built_id, sha1, sha1_len), 1);
    tsrs_ess_signing_cert *built = tsrs_ess_signing_cert_new();
    assert_int_equal(tsrs_ess_signing_cert_push_cert_id(built, built_id), 1);
    uint8_t *built_der = NULL;
    size_t built_len = 0;
    assert_int_equal(tsrs_ess_signing_cert_to_der(built, &built_der, &built_len), 1);
    assert_same_bytes(built_der, built_len, der, der_len, "signingCertificate by hand");
    uint8_t *id_der = NULL;
    size_t id_len = 0;
    assert_int_equal(tsrs_ess_cert_id_to_der(built_id, &id_der, &id_len), 1);
    p = id_der;
    ESS_CERT_ID *their_id = d2i_ESS_CERT_ID(NULL, &p, (long)id_len);
    assert_non_null(their_id);
    expected = NULL;
    expected_len = i2d_ESS_CERT_ID(their_id, &expected);
    assert_same_as_openssl(id_der, id_len, expected, expected_len, "ESS_CERT_ID");
    tsrs_ess_cert_id *decoded_id = tsrs_ess_cert_id_from_der(id_der, id_len);
    tsrs_ess_cert_id *id_copy = tsrs_ess_cert_id_dup(decoded_id);
    assert_non_null(id_copy);
    tsrs_ess_signing_cert *decoded = tsrs_ess_signing_cert_from_der(der, der_len);
    tsrs_ess_signing_cert *copy = tsrs_ess_signing_cert_dup(decoded);
    assert_non_null(copy);

    tsrs_ess_signing_cert_free(copy);
    tsrs_ess_signing_cert_free(decoded);
    tsrs_ess_cert_id_free(id_copy);
    tsrs_ess_cert_id_free(decoded_id);
    ESS_CERT_ID_free(their_id);
    tsrs_free(id_der);
    tsrs_free(built_der);
    tsrs_ess_signing_cert_free(built);
    tsrs_ess_cert_id_free(built_id);
    X509_free(tsa);
    ESS_SIGNING_CERT_free(theirs);
    PKCS7_free(token);
    tsrs_free(der);
    tsrs_ess_signing_cert_free(cert);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void ess_v2_matches_openssl(void **state) {
    (void)state;
    tsrs_resp *resp = load_resp("full");
    tsrs_ess_signing_cert_v2 *cert = NULL;
    assert_int_equal(tsrs_resp_get_signing_cert_v2(resp, &cert), 1);
    assert_non_null(cert);
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_ess_signing_cert_v2_to_der(cert, &der, &der_len), 1);
    PKCS7 *token = openssl_token("full");
    ASN1_STRING *attribute = openssl_attribute(token, NID_id_smime_aa_signingCertificateV2);
    assert_same_bytes(der, der_len, ASN1_STRING_get0_data(attribute),
                      (size_t)ASN1_STRING_length(attribute), "signingCertificateV2");
    const unsigned char *p = der;
    ESS_SIGNING_CERT_V2 *theirs = d2i_ESS_SIGNING_CERT_V2(NULL, &p, (long)der_len);
    assert_non_null(theirs);
    unsigned char *expected = NULL;
    int expected_len = i2d_ESS_SIGNING_CERT_V2(theirs, &expected);
    assert_same_as_openssl(der, der_len, expected, expected_len, "ESS_SIGNING_CERT_V2");

    /* The chain option lists the CA with its issuer and serial. */
    size_t count = 0;
    assert_int_equal(tsrs_ess_signing_cert_v2_get_cert_id_count(cert, &count), 1);
    assert_int_equal(count, 2);
    const tsrs_ess_cert_id_v2 *ca_id = tsrs_ess_signing_cert_v2_get0_cert_id(cert, 1);
    char *algo = NULL;
    size_t algo_len = 0;
    assert_int_equal(tsrs_ess_cert_id_v2_get_hash_algo(ca_id, &algo, &algo_len), 1);
    assert_string_equal(algo, "2.16.840.1.101.3.4.2.1");
    tsrs_free(algo);
    const tsrs_ess_issuer_serial *issuer_serial = NULL;
    assert_int_equal(tsrs_ess_cert_id_v2_get0_issuer_serial(ca_id, &issuer_serial), 1);
    assert_non_null(issuer_serial);
    const uint8_t *serial = NULL;
    size_t serial_len = 0;
    assert_int_equal(tsrs_ess_issuer_serial_get_serial(issuer_serial, &serial, &serial_len), 1);
    assert_int_equal(serial_len, 1);
    assert_int_equal(serial[0], 1);

    /* Rebuild the CA's id field by field and compare. */
    uint8_t *issuer = NULL;
    size_t issuer_len = 0;
    assert_int_equal(tsrs_ess_issuer_serial_get_issuer(issuer_serial, &issuer, &issuer_len), 1);
    tsrs_ess_issuer_serial *built_is = tsrs_ess_issuer_serial_new();
    assert_int_equal(tsrs_ess_issuer_serial_set_issuer(built_is, issuer, issuer_len), 1);
    assert_int_equal(tsrs_ess_issuer_serial_set_serial(built_is, serial, serial_len), 1);
    const uint8_t *hash = NULL;
    size_t hash_len = 0;
    assert_int_equal(tsrs_ess_cert_id_v2_get_hash(ca_id, &hash, &hash_len), 1);
    tsrs_ess_cert_id_v2 *built = tsrs_ess_cert_id_v2_new();
    assert_int_equal(tsrs_ess_cert_id_v2_set_hash_algo(built, "sha256"), 1);
    assert_int_equal(tsrs_ess_cert_id_v2_set_hash(built, hash, hash_len), 1);
    assert_int_equal(tsrs_ess_cert_id_v2_set1_issuer_serial(built, built_is), 1);
    uint8_t *built_der = NULL, *ca_der = NULL;
    size_t built_len = 0, ca_len = 0;
    assert_int_equal(tsrs_ess_cert_id_v2_to_der(built, &built_der, &built_len), 1);
    assert_int_equal(tsrs_ess_cert_id_v2_to_der(ca_id, &ca_der, &ca_len), 1);
    assert_same_bytes(built_der, built_len, ca_der, ca_len, "ESSCertIDv2 by hand");
    p = built_der;
    ESS_CERT_ID_V2 *their_id = d2i_ESS_CERT_ID_V2(NULL, &p, (long)built_len);
    assert_non_null(their_id);
    expected = NULL;
    expected_len = i2d_ESS_CERT_ID_V2(their_id, &expected);
    assert_same_as_openssl(built_der, built_len, expected, expected_len, "ESS_CERT_ID_V2");

    uint8_t *is_der = NULL;
    size_t is_len = 0;
    assert_int_equal(tsrs_ess_issuer_serial_to_der(built_is, &is_der, &is_len), 1);
    p = is_der;
    ESS_ISSUER_SERIAL *their_is = d2i_ESS_ISSUER_SERIAL(NULL, &p, (long)is_len);
    assert_non_null(their_is);
    expected = NULL;
    expected_len = i2d_ESS_ISSUER_SERIAL(their_is, &expected);
    assert_same_as_openssl(is_der, is_len, expected, expected_len, "ESS_ISSUER_SERIAL");
    tsrs_ess_issuer_serial *is_decoded = tsrs_ess_issuer_serial_from_der(is_der, is_len);
    tsrs_ess_issuer_serial *is_copy = tsrs_ess_issuer_serial_dup(is_decoded);
    assert_non_null(is_copy);
    tsrs_ess_cert_id_v2 *id_decoded = tsrs_ess_cert_id_v2_from_der(built_der, built_len);
    tsrs_ess_cert_id_v2 *id_copy = tsrs_ess_cert_id_v2_dup(id_decoded);
    assert_non_null(id_copy);
    tsrs_ess_signing_cert_v2 *decoded = tsrs_ess_signing_cert_v2_from_der(der, der_len);
    tsrs_ess_signing_cert_v2 *copy = tsrs_ess_signing_cert_v2_dup(decoded);
    tsrs_ess_signing_cert_v2 *fresh = tsrs_ess_signing_cert_v2_new();
    assert_int_equal(tsrs_ess_signing_cert_v2_push_cert_id(fresh, built), 1);
    assert_int_equal(tsrs_ess_signing_cert_v2_get_cert_id_count(fresh, &count), 1);
    assert_int_equal(count, 1);

    /* Removing the issuer and serial, and SHA-384 written explicitly. */
    assert_int_equal(tsrs_ess_cert_id_v2_set1_issuer_serial(built, NULL), 1);
    assert_int_equal(tsrs_ess_cert_id_v2_set_hash_algo(built, "sha384"), 1);
    assert_int_equal(tsrs_ess_cert_id_v2_get_hash_algo(built, &algo, &algo_len), 1);
    assert_string_equal(algo, "2.16.840.1.101.3.4.2.2");
    tsrs_free(algo);
    assert_int_equal(tsrs_ess_cert_id_v2_set_hash_algo(built, "no-such-digest"), 0);
    assert_int_not_equal(tsrs_err_get(), 0);

    tsrs_ess_signing_cert_v2_free(fresh);
    tsrs_ess_signing_cert_v2_free(copy);
    tsrs_ess_signing_cert_v2_free(decoded);
    tsrs_ess_cert_id_v2_free(id_copy);
    tsrs_ess_cert_id_v2_free(id_decoded);
    tsrs_ess_issuer_serial_free(is_copy);
    tsrs_ess_issuer_serial_free(is_decoded);
    ESS_ISSUER_SERIAL_free(their_is);
    tsrs_free(is_der);
    ESS_CERT_ID_V2_free(their_id);
    tsrs_free(ca_der);
    tsrs_free(built_der);
    tsrs_ess_cert_id_v2_free(built);
    tsrs_ess_issuer_serial_free(built_is);
    tsrs_free(issuer);
    ESS_SIGNING_CERT_V2_free(theirs);
    PKCS7_free(token);
    tsrs_free(der);
    tsrs_ess_signing_cert_v2_free(cert);
    tsrs_resp_free(resp);
    assert_no_error();
}

static void ess_rejects_malformed_der(void **state) {
    (void)state;
    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01};
    assert_null(tsrs_ess_issuer_serial_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_ess_cert_id_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_ess_cert_id_v2_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_ess_signing_cert_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_ess_signing_cert_v2_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_ess_signing_cert_from_der(garbage, (size_t)1 << 40));
    assert_one_error(TSRS_R_TOO_LARGE);
    assert_null(tsrs_status_info_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_accuracy_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_msg_imprint_from_der(garbage, sizeof garbage));
    assert_one_error(TSRS_R_DECODE);
    tsrs_resp *rejection = load_resp("reject_md5");
    tsrs_ess_signing_cert *cert = (tsrs_ess_signing_cert *)1;
    assert_int_equal(tsrs_resp_get_signing_cert(rejection, &cert), 0);
    assert_one_error(TSRS_R_NO_TIME_STAMP_TOKEN);
    assert_ptr_equal(cert, (tsrs_ess_signing_cert *)1);
    tsrs_resp_free(rejection);
}

/* The path forms of d2i_*_fp and i2d_*_fp: what they write equals openssl's files. */
static void files_round_trip(void **state) {
    (void)state;
    char dir[] = "/tmp/tsrs-files-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    size_t len = 0;
    uint8_t *expected = NULL;
    uint8_t *written = NULL;
    size_t written_len = 0;

    tsrs_resp *resp = tsrs_resp_load_file("out/full.tsr");
    assert_non_null(resp);
    snprintf(path, sizeof path, "%s/full.tsr", dir);
    assert_int_equal(tsrs_resp_save_file(resp, path), 1);
    expected = fixture("full", "tsr", &len);
    written = read_fixture(path, &written_len);
    assert_same_bytes(written, written_len, expected, len, "saved response");
    free(written);
    free(expected);

    tsrs_tst_info *tst = tsrs_tst_info_dup(tsrs_resp_get_tst_info(resp));
    snprintf(path, sizeof path, "%s/full.tst", dir);
    assert_int_equal(tsrs_tst_info_save_file(tst, path), 1);
    tsrs_tst_info *loaded = tsrs_tst_info_load_file(path);
    assert_non_null(loaded);
    uint8_t *a = NULL, *b = NULL;
    size_t a_len = 0, b_len = 0;
    assert_int_equal(tsrs_tst_info_to_der(tst, &a, &a_len), 1);
    assert_int_equal(tsrs_tst_info_to_der(loaded, &b, &b_len), 1);
    assert_same_bytes(b, b_len, a, a_len, "TSTInfo file");
    tsrs_free(a);
    tsrs_free(b);

    snprintf(path, sizeof path, "%s/imprint.der", dir);
    assert_int_equal(tsrs_msg_imprint_save_file(tsrs_tst_info_get_msg_imprint(tst), path), 1);
    tsrs_msg_imprint *imprint = tsrs_msg_imprint_load_file(path);
    assert_non_null(imprint);
    tsrs_msg_imprint_free(imprint);

    tsrs_req *req = tsrs_req_load_file("out/query_full.tsq");
    assert_non_null(req);
    snprintf(path, sizeof path, "%s/query.tsq", dir);
    assert_int_equal(tsrs_req_save_file(req, path), 1);
    expected = read_fixture("out/query_full.tsq", &len);
    written = read_fixture(path, &written_len);
    assert_same_bytes(written, written_len, expected, len, "saved request");
    free(written);
    free(expected);

    /* A missing file, a file that is no DER, and a folder that cannot be written. */
    assert_null(tsrs_req_load_file("out/no-such-file.tsq"));
    assert_one_error(TSRS_R_IO);
    assert_null(tsrs_resp_load_file("data/msg.txt"));
    assert_int_not_equal(tsrs_err_get(), 0);
    assert_no_error();
    assert_null(tsrs_tst_info_load_file("data/garbage.bin"));
    assert_one_error(TSRS_R_DECODE);
    assert_null(tsrs_msg_imprint_load_file("out/no-such-file"));
    assert_one_error(TSRS_R_IO);
    assert_int_equal(tsrs_req_save_file(req, "/nonexistent-folder/query.tsq"), 0);
    assert_one_error(TSRS_R_IO);

    tsrs_req_free(req);
    tsrs_tst_info_free(loaded);
    tsrs_tst_info_free(tst);
    tsrs_resp_free(resp);
    char command[300];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    assert_int_equal(system(command), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tst_info_matches_openssl),
        cmocka_unit_test(tst_info_built_field_by_field),
        cmocka_unit_test(tst_info_setters_reject_bad_values),
        cmocka_unit_test(status_and_accuracy_match_openssl),
        cmocka_unit_test(imprint_print_matches_openssl),
        cmocka_unit_test(status_built_by_hand),
        cmocka_unit_test(response_built_by_hand),
        cmocka_unit_test(verify_signature_finds_signer),
        cmocka_unit_test(ess_v1_matches_openssl),
        cmocka_unit_test(ess_v2_matches_openssl),
        cmocka_unit_test(ess_rejects_malformed_der),
        cmocka_unit_test(files_round_trip),
    };
    return cmocka_run_group_tests_name("values", tests, setup, NULL);
}
