#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int enter_fixtures(void **state) {
    (void)state;
    const char *dir = getenv("TSRS_FIXTURES");
    if (dir == NULL || chdir(dir) != 0) {
        fprintf(stderr, "TSRS_FIXTURES must name the folder make-fixtures.sh wrote\n");
        return -1;
    }
    tsrs_err_clear();
    return 0;
}

uint8_t *read_fixture(const char *name, size_t *len) {
    FILE *file = fopen(name, "rb");
    if (file == NULL) {
        fail_msg("cannot open fixture %s", name);
    }
    size_t capacity = 4096;
    size_t used = 0;
    uint8_t *data = malloc(capacity);
    assert_non_null(data);
    for (;;) {
        size_t got = fread(data + used, 1, capacity - used, file);
        used += got;
        if (used < capacity) {
            break;
        }
        capacity *= 2;
        data = realloc(data, capacity);
        assert_non_null(data);
    }
    fclose(file);
    *len = used;
    return data;
}

void assert_same_bytes(const uint8_t *actual, size_t actual_len, const uint8_t *expected,
                       size_t expected_len, const char *what) {
    size_t shorter = actual_len < expected_len ? actual_len : expected_len;
    for (size_t i = 0; i < shorter; i++) {
        if (actual[i] != expected[i]) {
            fail_msg("%s: first difference at offset %zu: 0x%02x, expected 0x%02x "
                     "(lengths %zu and %zu)",
                     what, i, actual[i], expected[i], actual_len, expected_len);
        }
    }
    if (actual_len != expected_len) {
        fail_msg("%s: length %zu, expected %zu (equal up to the shorter)", what, actual_len,
                 expected_len);
    }
}

void assert_same_as_fixture(const uint8_t *actual, size_t len, const char *name) {
    size_t expected_len = 0;
    uint8_t *expected = read_fixture(name, &expected_len);
    assert_same_bytes(actual, len, expected, expected_len, name);
    free(expected);
}

void assert_one_error(uint32_t reason) {
    char message[512];
    tsrs_err_peek_message(message, sizeof message);
    uint32_t first = tsrs_err_get();
    uint32_t second = tsrs_err_get();
    if (first != reason) {
        fail_msg("error queue: reason %u (%s), expected %u", first, message, reason);
    }
    if (second != 0) {
        fail_msg("error queue: a second entry, reason %u, after %u (%s)", second, first, message);
    }
}

void assert_no_error(void) {
    char message[512] = "";
    tsrs_err_peek_message(message, sizeof message);
    uint32_t reason = tsrs_err_get();
    if (reason != 0) {
        fail_msg("unexpected error %u: %s", reason, message);
    }
}

int serial_one(void *data, uint8_t *serial, size_t *serial_len) {
    (void)data;
    if (*serial_len < 1) {
        return 0;
    }
    serial[0] = 0x01;
    *serial_len = 1;
    return 1;
}

int frozen_time(void *data, int64_t *seconds, uint32_t *microseconds) {
    (void)data;
    *seconds = FROZEN_TIME;
    *microseconds = 0;
    return 1;
}

static void load_signer(tsrs_resp_ctx *ctx, const char *cert_path, const char *key_path) {
    tsrs_x509 *cert = tsrs_x509_load_file(cert_path);
    assert_non_null(cert);
    tsrs_pkey *key = tsrs_pkey_load_file(key_path, NULL);
    assert_non_null(key);
    assert_int_equal(tsrs_resp_ctx_set_signer_cert(ctx, cert), 1);
    assert_int_equal(tsrs_resp_ctx_set_signer_key(ctx, key), 1);
    tsrs_x509_free(cert);
    tsrs_pkey_free(key);
}

static void set_chain(tsrs_resp_ctx *ctx) {
    tsrs_x509_list *chain = tsrs_x509_list_new();
    assert_non_null(chain);
    assert_int_equal(tsrs_x509_list_load_file(chain, "pki/ca.pem"), 1);
    assert_int_equal(tsrs_resp_ctx_set_certs(ctx, chain), 1);
    tsrs_x509_list_free(chain);
}

static void add_digests(tsrs_resp_ctx *ctx, const char *const *names) {
    for (; *names != NULL; names++) {
        assert_int_equal(tsrs_resp_ctx_add_md(ctx, *names), 1);
    }
}

tsrs_resp_ctx *make_ctx(const char *section) {
    static const char *const all_digests[] = {"sha1", "sha256", "sha384", "sha512", NULL};
    tsrs_resp_ctx *ctx = tsrs_resp_ctx_new();
    assert_non_null(ctx);
    assert_int_equal(tsrs_resp_ctx_set_serial_cb(ctx, serial_one, NULL), 1);
    assert_int_equal(tsrs_resp_ctx_set_time_cb(ctx, frozen_time, NULL), 1);
    assert_int_equal(tsrs_resp_ctx_set_def_policy(ctx, "1.2.3.4.1"), 1);
    if (strcmp(section, "min") == 0) {
        load_signer(ctx, "pki/tsa.pem", "pki/tsa.key");
        assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, "sha256"), 1);
        add_digests(ctx, all_digests);
    } else if (strcmp(section, "full") == 0) {
        load_signer(ctx, "pki/tsa.pem", "pki/tsa.key");
        set_chain(ctx);
        assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, "sha256"), 1);
        assert_int_equal(tsrs_resp_ctx_add_policy(ctx, "1.2.3.4.5.6"), 1);
        assert_int_equal(tsrs_resp_ctx_add_policy(ctx, "1.2.3.4.5.7"), 1);
        add_digests(ctx, all_digests);
        assert_int_equal(tsrs_resp_ctx_set_accuracy(ctx, 1, 500, 100), 1);
        assert_int_equal(tsrs_resp_ctx_set_clock_precision_digits(ctx, 3), 1);
        assert_int_equal(
            tsrs_resp_ctx_add_flags(ctx, TSRS_ORDERING | TSRS_TSA_NAME | TSRS_ESS_CERT_ID_CHAIN),
            1);
        assert_int_equal(tsrs_resp_ctx_set_ess_cert_id_digest(ctx, "sha256"), 1);
    } else if (strcmp(section, "v1") == 0) {
        static const char *const v1_digests[] = {"sha1", "sha256", NULL};
        load_signer(ctx, "pki/tsa.pem", "pki/tsa.key");
        set_chain(ctx);
        assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, "sha512"), 1);
        add_digests(ctx, v1_digests);
        assert_int_equal(tsrs_resp_ctx_set_ess_cert_id_digest(ctx, "sha1"), 1);
    } else if (strcmp(section, "ec") == 0) {
        static const char *const ec_digests[] = {"sha256", NULL};
        load_signer(ctx, "pki/tsa-ec.pem", "pki/tsa-ec.key");
        assert_int_equal(tsrs_resp_ctx_set_signer_digest(ctx, "sha256"), 1);
        add_digests(ctx, ec_digests);
        assert_int_equal(tsrs_resp_ctx_set_accuracy(ctx, 0, 250, 0), 1);
    } else {
        fail_msg("unknown section %s", section);
    }
    assert_no_error();
    return ctx;
}

tsrs_resp *respond(const tsrs_resp_ctx *ctx, const char *request) {
    size_t len = 0;
    uint8_t *der = read_fixture(request, &len);
    tsrs_resp *resp = tsrs_resp_create_response(ctx, der, len);
    free(der);
    assert_non_null(resp);
    return resp;
}

void assert_resp_matches(const tsrs_resp *resp, const char *name) {
    char path[256];
    uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(tsrs_resp_to_der(resp, &der, &der_len), 1);
    snprintf(path, sizeof path, "out/%s.tsr", name);
    assert_same_as_fixture(der, der_len, path);
    tsrs_free(der);

    char *text = NULL;
    size_t text_len = 0;
    assert_int_equal(tsrs_resp_print(resp, &text, &text_len), 1);
    assert_int_equal(strlen(text), text_len);
    snprintf(path, sizeof path, "out/%s.txt", name);
    assert_same_as_fixture((const uint8_t *)text, text_len, path);
    tsrs_free(text);
}

void add_policy_names(void) {
    static int added = 0;
    if (added) {
        return;
    }
    /* Names may exist already when tsrs_resp_ctx_new_from_config ran first. */
    tsrs_obj_create("1.2.3.4.1", "tsa_policy1", "tsa_policy1");
    tsrs_obj_create("1.2.3.4.5.6", "tsa_policy2", "tsa_policy2");
    tsrs_obj_create("1.2.3.4.5.7", "tsa_policy3", "tsa_policy3");
    tsrs_err_clear();
    added = 1;
}
