/*
 * Every function of the OpenSSL mapping (values, ESS, extensions, files,
 * callbacks) with a NULL first argument: each returns its failure value and
 * pushes exactly one error, and the free functions accept NULL. The other
 * arguments point at zeroed scratch memory that is never read as a handle,
 * because the NULL argument fails first. check-exports.sh also reads this
 * file to check that every export is called.
 */
#include "common.h"

static void *scratch[64];

/* Fails unless the queue contains exactly one entry, of any reason. */
static void assert_one_entry(void) {
    assert_int_not_equal(tsrs_err_get(), 0);
    assert_int_equal(tsrs_err_get(), 0);
}

static void null_arguments(void **state) {
    (void)state;
    tsrs_err_clear();

    assert_null(tsrs_accuracy_dup(NULL));
    assert_one_entry();

    tsrs_accuracy_free(NULL);

    assert_null(tsrs_accuracy_from_der(NULL, 1));
    assert_one_entry();

    tsrs_accuracy_free(tsrs_accuracy_new());

    assert_int_equal(tsrs_accuracy_set_micros(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_accuracy_set_millis(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_accuracy_set_seconds(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_accuracy_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_ess_cert_id_dup(NULL));
    assert_one_entry();

    tsrs_ess_cert_id_free(NULL);

    assert_null(tsrs_ess_cert_id_from_der(NULL, 1));
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_get0_issuer_serial(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_get_hash(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    tsrs_ess_cert_id_free(tsrs_ess_cert_id_new());

    assert_int_equal(tsrs_ess_cert_id_set1_issuer_serial(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_set_hash(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_ess_cert_id_v2_dup(NULL));
    assert_one_entry();

    tsrs_ess_cert_id_v2_free(NULL);

    assert_null(tsrs_ess_cert_id_v2_from_der(NULL, 1));
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_get0_issuer_serial(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_get_hash(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_get_hash_algo(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    tsrs_ess_cert_id_v2_free(tsrs_ess_cert_id_v2_new());

    assert_int_equal(tsrs_ess_cert_id_v2_set1_issuer_serial(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_set_hash(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_set_hash_algo(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_cert_id_v2_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_ess_issuer_serial_dup(NULL));
    assert_one_entry();

    tsrs_ess_issuer_serial_free(NULL);

    assert_null(tsrs_ess_issuer_serial_from_der(NULL, 1));
    assert_one_entry();

    assert_int_equal(tsrs_ess_issuer_serial_get_issuer(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_issuer_serial_get_serial(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    tsrs_ess_issuer_serial_free(tsrs_ess_issuer_serial_new());

    assert_int_equal(tsrs_ess_issuer_serial_set_issuer(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_issuer_serial_set_serial(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_issuer_serial_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_ess_signing_cert_dup(NULL));
    assert_one_entry();

    tsrs_ess_signing_cert_free(NULL);

    assert_null(tsrs_ess_signing_cert_from_der(NULL, 1));
    assert_one_entry();

    assert_null(tsrs_ess_signing_cert_get0_cert_id(NULL, 1));
    assert_one_entry();

    assert_int_equal(tsrs_ess_signing_cert_get_cert_id_count(NULL, (void *)scratch), 0);
    assert_one_entry();

    tsrs_ess_signing_cert_free(tsrs_ess_signing_cert_new());

    assert_int_equal(tsrs_ess_signing_cert_push_cert_id(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_signing_cert_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_ess_signing_cert_v2_dup(NULL));
    assert_one_entry();

    tsrs_ess_signing_cert_v2_free(NULL);

    assert_null(tsrs_ess_signing_cert_v2_from_der(NULL, 1));
    assert_one_entry();

    assert_null(tsrs_ess_signing_cert_v2_get0_cert_id(NULL, 1));
    assert_one_entry();

    assert_int_equal(tsrs_ess_signing_cert_v2_get_cert_id_count(NULL, (void *)scratch), 0);
    assert_one_entry();

    tsrs_ess_signing_cert_v2_free(tsrs_ess_signing_cert_v2_new());

    assert_int_equal(tsrs_ess_signing_cert_v2_push_cert_id(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_ess_signing_cert_v2_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_msg_imprint_from_der(NULL, 1));
    assert_one_entry();

    assert_null(tsrs_msg_imprint_load_file(NULL));
    assert_one_entry();

    assert_int_equal(tsrs_msg_imprint_print(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_msg_imprint_save_file(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_msg_imprint_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_req_add_ext(NULL, (void *)scratch, 0), 0);
    assert_one_entry();

    assert_null(tsrs_req_delete_ext(NULL, 0));
    assert_one_entry();

    assert_int_equal(tsrs_req_ext_free(NULL), 0);
    assert_one_entry();

    assert_null(tsrs_req_get_ext(NULL, 0));
    assert_one_entry();

    assert_int_equal(tsrs_req_get_ext_by_critical(NULL, 0, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_req_get_ext_by_obj(NULL, (void *)scratch, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_req_get_ext_count(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_req_get_exts(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_req_load_file(NULL));
    assert_one_entry();

    assert_int_equal(tsrs_req_save_file(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_ctx_add_failure_info(NULL, 0), 0);
    assert_one_entry();

    assert_null(tsrs_resp_ctx_get_request(NULL));
    assert_one_entry();

    assert_null(tsrs_resp_ctx_get_tst_info(NULL));
    assert_one_entry();

    assert_int_equal(tsrs_resp_ctx_set_extension_cb(NULL, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_ctx_set_signer_cb(NULL, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_ctx_set_status_info(NULL, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_ctx_set_status_info_cond(NULL, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_get_signing_cert(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_get_signing_cert_v2(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_resp_load_file(NULL));
    assert_one_entry();

    tsrs_resp_free(tsrs_resp_new());

    assert_int_equal(tsrs_resp_save_file(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_set_status_info(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_set_tst_info(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_resp_verify_signature(NULL, (void *)scratch, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_status_info_add_text(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_status_info_dup(NULL));
    assert_one_entry();

    tsrs_status_info_free(NULL);

    assert_null(tsrs_status_info_from_der(NULL, 1));
    assert_one_entry();

    tsrs_status_info_free(tsrs_status_info_new());

    assert_int_equal(tsrs_status_info_set_failure_info(NULL, 0, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_status_info_set_status(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_status_info_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_add_ext(NULL, (void *)scratch, 0), 0);
    assert_one_entry();

    assert_null(tsrs_tst_info_delete_ext(NULL, 0));
    assert_one_entry();

    assert_null(tsrs_tst_info_dup(NULL));
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_ext_free(NULL), 0);
    assert_one_entry();

    tsrs_tst_info_free(NULL);

    assert_null(tsrs_tst_info_from_der(NULL, 1));
    assert_one_entry();

    assert_null(tsrs_tst_info_get_ext(NULL, 0));
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_get_ext_by_critical(NULL, 0, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_get_ext_by_obj(NULL, (void *)scratch, 0, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_get_ext_count(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_get_exts(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_get_tsa(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_tst_info_load_file(NULL));
    assert_one_entry();

    tsrs_tst_info_free(tsrs_tst_info_new());

    assert_int_equal(tsrs_tst_info_save_file(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_accuracy(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_msg_imprint(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_nonce(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_ordering(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_policy_id(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_serial(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_time(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_tsa(NULL, (void *)scratch, 1), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_set_version(NULL, 0), 0);
    assert_one_entry();

    assert_int_equal(tsrs_tst_info_to_der(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_verify_ctx_cleanup(NULL), 0);
    assert_one_entry();

    assert_int_equal(tsrs_verify_ctx_init(NULL), 0);
    assert_one_entry();

    assert_null(tsrs_x509_extension_dup(NULL));
    assert_one_entry();

    tsrs_x509_extension_free(NULL);

    assert_int_equal(tsrs_x509_extension_get_critical(NULL, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_x509_extension_get_data(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_int_equal(tsrs_x509_extension_get_object(NULL, (void *)scratch, (void *)scratch), 0);
    assert_one_entry();

    assert_null(tsrs_x509_extension_new(NULL, 0, (void *)scratch, 1));
    assert_one_entry();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_arguments),
    };
    return cmocka_run_group_tests_name("mapping_null", tests, NULL, NULL);
}
