"""Loading of libtsrs and the ctypes declarations of its C functions.

Every function this package calls is declared here with the ``argtypes`` and
``restype`` of its prototype in ``include/tsrs.h``; the test suite compares
the two, so a changed prototype fails a test instead of a user's process.
"""

import ctypes
import ctypes.util
import os
import pathlib
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_long,
    c_size_t,
    c_uint,
    c_uint8,
    c_uint32,
    c_void_p,
)

#: Environment variable that names the library file to load.
LIBRARY_ENV = "TSRS_LIBRARY"
#: The library's soname.
SONAME = "libtsrs.so.0"


class LibraryNotFoundError(OSError):
    """libtsrs could not be loaded from any of the places searched."""

    def __init__(self, attempts):
        self.attempts = attempts
        lines = ["libtsrs could not be loaded. Places searched, in order:"]
        lines += [f"  {place}: {reason}" for place, reason in attempts]
        lines.append(
            f"Build it with `make build` in the tsrs source tree, install it with "
            f"`make install`, or set {LIBRARY_ENV} to the path of libtsrs.so."
        )
        super().__init__("\n".join(lines))


def _build_folders():
    """Yield the cargo output folders above this file and above the current folder."""
    seen = set()
    for start in (pathlib.Path(__file__).resolve().parent, pathlib.Path.cwd()):
        for folder in (start, *start.parents):
            for profile in ("release", "debug"):
                candidate = folder / "target" / profile / "libtsrs.so"
                if candidate not in seen:
                    seen.add(candidate)
                    yield candidate


def _load_library():
    attempts = []

    def attempt(place, target):
        try:
            return ctypes.CDLL(str(target))
        except OSError as error:
            attempts.append((place, str(error)))
            return None

    explicit = os.environ.get(LIBRARY_ENV)
    if explicit:
        # An explicit choice that fails is an error, not a reason to load
        # some other copy of the library.
        library = attempt(f"{LIBRARY_ENV}={explicit}", explicit)
        if library is None:
            raise LibraryNotFoundError(attempts)
        return library, explicit
    attempts.append((LIBRARY_ENV, "not set"))

    library = attempt(f"{SONAME} on the dynamic loader's search path", SONAME)
    if library is not None:
        return library, SONAME
    found = ctypes.util.find_library("tsrs")
    if found:
        library = attempt(f"{found} (ldconfig cache)", found)
        if library is not None:
            return library, found
    else:
        attempts.append(("ldconfig cache", "no libtsrs"))

    for candidate in _build_folders():
        if candidate.is_file():
            library = attempt(str(candidate), candidate)
            if library is not None:
                return library, str(candidate)
    attempts.append(
        ("target/release and target/debug above the package and the current folder", "not found")
    )
    raise LibraryNotFoundError(attempts)


class _Opaque(Structure):
    pass


def _handle_type(name):
    return POINTER(type(name, (_Opaque,), {}))


ACCURACY_P = _handle_type("tsrs_accuracy")
MSG_IMPRINT_P = _handle_type("tsrs_msg_imprint")
PKEY_P = _handle_type("tsrs_pkey")
REQ_P = _handle_type("tsrs_req")
RESP_P = _handle_type("tsrs_resp")
RESP_CTX_P = _handle_type("tsrs_resp_ctx")
STATUS_INFO_P = _handle_type("tsrs_status_info")
TST_INFO_P = _handle_type("tsrs_tst_info")
VERIFY_CTX_P = _handle_type("tsrs_verify_ctx")
VERIFY_REPORT_P = _handle_type("tsrs_verify_report")
X509_P = _handle_type("tsrs_x509")
X509_LIST_P = _handle_type("tsrs_x509_list")
X509_STORE_P = _handle_type("tsrs_x509_store")

ERR_PRINT_CB = CFUNCTYPE(c_int, c_char_p, c_size_t, c_void_p)
SERIAL_CB = CFUNCTYPE(c_int, c_void_p, POINTER(c_uint8), POINTER(c_size_t))
TIME_CB = CFUNCTYPE(c_int, c_void_p, POINTER(c_int64), POINTER(c_uint32))

# Input byte buffers (``const uint8_t *``) are declared c_char_p so that
# Python bytes pass without a copy. Output buffers (``uint8_t **``,
# ``char **``) are declared as pointers to c_void_p so that the address
# stays available for tsrs_free.
FUNCTIONS = {
    "tsrs_err_get": (c_uint32, []),
    "tsrs_err_peek": (c_uint32, []),
    "tsrs_err_peek_last": (c_uint32, []),
    "tsrs_err_peek_message": (c_size_t, [POINTER(c_char), c_size_t]),
    "tsrs_err_clear": (None, []),
    "tsrs_err_reason_string": (c_char_p, [c_uint32]),
    "tsrs_err_print_errors": (None, []),
    "tsrs_err_print_errors_cb": (c_int, [ERR_PRINT_CB, c_void_p]),
    "tsrs_req_new": (REQ_P, []),
    "tsrs_req_free": (None, [REQ_P]),
    "tsrs_req_dup": (REQ_P, [REQ_P]),
    "tsrs_req_from_der": (REQ_P, [c_char_p, c_size_t]),
    "tsrs_req_to_der": (c_int, [REQ_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_req_print": (c_int, [REQ_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_req_create": (REQ_P, [c_char_p, c_char_p, c_size_t, c_char_p, c_int, c_int]),
    "tsrs_req_set_version": (c_int, [REQ_P, c_long]),
    "tsrs_req_get_version": (c_int, [REQ_P, POINTER(c_long)]),
    "tsrs_req_set_msg_imprint": (c_int, [REQ_P, MSG_IMPRINT_P]),
    "tsrs_req_get_msg_imprint": (MSG_IMPRINT_P, [REQ_P]),
    "tsrs_req_set_policy_id": (c_int, [REQ_P, c_char_p]),
    "tsrs_req_get_policy_id": (c_int, [REQ_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_req_set_nonce": (c_int, [REQ_P, c_char_p, c_size_t]),
    "tsrs_req_get_nonce": (c_int, [REQ_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_req_set_cert_req": (c_int, [REQ_P, c_int]),
    "tsrs_req_get_cert_req": (c_int, [REQ_P, POINTER(c_int)]),
    "tsrs_msg_imprint_new": (MSG_IMPRINT_P, []),
    "tsrs_msg_imprint_free": (None, [MSG_IMPRINT_P]),
    "tsrs_msg_imprint_dup": (MSG_IMPRINT_P, [MSG_IMPRINT_P]),
    "tsrs_msg_imprint_set_algo": (c_int, [MSG_IMPRINT_P, c_char_p]),
    "tsrs_msg_imprint_get_algo": (c_int, [MSG_IMPRINT_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_msg_imprint_set_msg": (c_int, [MSG_IMPRINT_P, c_char_p, c_size_t]),
    "tsrs_msg_imprint_get_msg": (c_int, [MSG_IMPRINT_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_resp_from_der": (RESP_P, [c_char_p, c_size_t]),
    "tsrs_resp_from_token_der": (RESP_P, [c_char_p, c_size_t]),
    "tsrs_resp_free": (None, [RESP_P]),
    "tsrs_resp_dup": (RESP_P, [RESP_P]),
    "tsrs_resp_to_der": (c_int, [RESP_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_resp_get_token_der": (c_int, [RESP_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_resp_print": (c_int, [RESP_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_resp_get_status_info": (STATUS_INFO_P, [RESP_P]),
    "tsrs_resp_get_tst_info": (TST_INFO_P, [RESP_P]),
    "tsrs_status_info_print": (c_int, [STATUS_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_status_info_get_status": (c_int, [STATUS_INFO_P, POINTER(c_long)]),
    "tsrs_status_info_get_text_count": (c_int, [STATUS_INFO_P, POINTER(c_size_t)]),
    "tsrs_status_info_get_text": (
        c_int,
        [STATUS_INFO_P, c_size_t, POINTER(c_void_p), POINTER(c_size_t)],
    ),
    "tsrs_status_info_get_failure_info": (c_int, [STATUS_INFO_P, POINTER(c_uint32)]),
    "tsrs_tst_info_print": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_tst_info_get_version": (c_int, [TST_INFO_P, POINTER(c_long)]),
    "tsrs_tst_info_get_policy_id": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_tst_info_get_msg_imprint": (MSG_IMPRINT_P, [TST_INFO_P]),
    "tsrs_tst_info_get_serial": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_tst_info_get_time": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_tst_info_get_time_unix": (c_int, [TST_INFO_P, POINTER(c_int64), POINTER(c_uint32)]),
    "tsrs_tst_info_get_accuracy": (c_int, [TST_INFO_P, POINTER(ACCURACY_P)]),
    "tsrs_accuracy_get_seconds": (c_int, [ACCURACY_P, POINTER(c_long)]),
    "tsrs_accuracy_get_millis": (c_int, [ACCURACY_P, POINTER(c_long)]),
    "tsrs_accuracy_get_micros": (c_int, [ACCURACY_P, POINTER(c_long)]),
    "tsrs_tst_info_get_ordering": (c_int, [TST_INFO_P, POINTER(c_int)]),
    "tsrs_tst_info_get_nonce": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_tst_info_get_tsa_name": (c_int, [TST_INFO_P, POINTER(c_void_p), POINTER(c_size_t)]),
    "tsrs_resp_ctx_new": (RESP_CTX_P, []),
    "tsrs_resp_ctx_new_from_config": (RESP_CTX_P, [c_char_p, c_char_p, c_char_p]),
    "tsrs_resp_ctx_free": (None, [RESP_CTX_P]),
    "tsrs_resp_ctx_set_signer_cert": (c_int, [RESP_CTX_P, X509_P]),
    "tsrs_resp_ctx_set_signer_key": (c_int, [RESP_CTX_P, PKEY_P]),
    "tsrs_resp_ctx_set_certs": (c_int, [RESP_CTX_P, X509_LIST_P]),
    "tsrs_resp_ctx_set_signer_digest": (c_int, [RESP_CTX_P, c_char_p]),
    "tsrs_resp_ctx_set_ess_cert_id_digest": (c_int, [RESP_CTX_P, c_char_p]),
    "tsrs_resp_ctx_set_def_policy": (c_int, [RESP_CTX_P, c_char_p]),
    "tsrs_resp_ctx_add_policy": (c_int, [RESP_CTX_P, c_char_p]),
    "tsrs_resp_ctx_add_md": (c_int, [RESP_CTX_P, c_char_p]),
    "tsrs_resp_ctx_set_accuracy": (c_int, [RESP_CTX_P, c_int, c_int, c_int]),
    "tsrs_resp_ctx_set_clock_precision_digits": (c_int, [RESP_CTX_P, c_uint]),
    "tsrs_resp_ctx_add_flags": (c_int, [RESP_CTX_P, c_int]),
    "tsrs_resp_ctx_set_serial_cb": (c_int, [RESP_CTX_P, SERIAL_CB, c_void_p]),
    "tsrs_resp_ctx_set_time_cb": (c_int, [RESP_CTX_P, TIME_CB, c_void_p]),
    "tsrs_resp_create_response": (RESP_P, [RESP_CTX_P, c_char_p, c_size_t]),
    "tsrs_verify_ctx_new": (VERIFY_CTX_P, []),
    "tsrs_verify_ctx_free": (None, [VERIFY_CTX_P]),
    "tsrs_verify_ctx_set_flags": (c_int, [VERIFY_CTX_P, c_uint]),
    "tsrs_verify_ctx_add_flags": (c_int, [VERIFY_CTX_P, c_uint]),
    "tsrs_verify_ctx_get_flags": (c_int, [VERIFY_CTX_P, POINTER(c_uint)]),
    "tsrs_verify_ctx_set_data": (c_int, [VERIFY_CTX_P, c_char_p, c_size_t]),
    "tsrs_verify_ctx_set_imprint": (c_int, [VERIFY_CTX_P, c_char_p, c_size_t]),
    "tsrs_verify_ctx_set_store": (c_int, [VERIFY_CTX_P, X509_STORE_P]),
    "tsrs_verify_ctx_set0_store": (c_int, [VERIFY_CTX_P, X509_STORE_P]),
    "tsrs_verify_ctx_set_certs": (c_int, [VERIFY_CTX_P, X509_LIST_P]),
    "tsrs_verify_ctx_set0_certs": (c_int, [VERIFY_CTX_P, X509_LIST_P]),
    "tsrs_req_to_verify_ctx": (VERIFY_CTX_P, [REQ_P, VERIFY_CTX_P]),
    "tsrs_resp_verify_response": (c_int, [VERIFY_CTX_P, RESP_P]),
    "tsrs_resp_verify_token": (c_int, [VERIFY_CTX_P, c_char_p, c_size_t]),
    "tsrs_x509_from_pem": (X509_P, [c_char_p, c_size_t]),
    "tsrs_x509_from_der": (X509_P, [c_char_p, c_size_t]),
    "tsrs_x509_load_file": (X509_P, [c_char_p]),
    "tsrs_x509_free": (None, [X509_P]),
    "tsrs_pkey_from_pem": (PKEY_P, [c_char_p, c_size_t, c_char_p]),
    "tsrs_pkey_load_file": (PKEY_P, [c_char_p, c_char_p]),
    "tsrs_pkey_free": (None, [PKEY_P]),
    "tsrs_x509_store_new": (X509_STORE_P, []),
    "tsrs_x509_store_free": (None, [X509_STORE_P]),
    "tsrs_x509_store_load_file": (c_int, [X509_STORE_P, c_char_p]),
    "tsrs_x509_store_add_dir": (c_int, [X509_STORE_P, c_char_p]),
    "tsrs_x509_store_add_cert": (c_int, [X509_STORE_P, X509_P]),
    "tsrs_x509_list_new": (X509_LIST_P, []),
    "tsrs_x509_list_free": (None, [X509_LIST_P]),
    "tsrs_x509_list_push": (c_int, [X509_LIST_P, X509_P]),
    "tsrs_x509_list_load_file": (c_int, [X509_LIST_P, c_char_p]),
    "tsrs_x509_list_count": (c_int, [X509_LIST_P, POINTER(c_size_t)]),
    "tsrs_obj_create": (c_int, [c_char_p, c_char_p, c_char_p]),
    "tsrs_free": (None, [c_void_p]),
    "tsrs_verify_ctx_set_tsa_name": (c_int, [VERIFY_CTX_P, c_char_p, c_size_t]),
    "tsrs_verify_ctx_set_tsa_name_cert": (c_int, [VERIFY_CTX_P, X509_P]),
    "tsrs_resp_verify_response_report": (VERIFY_REPORT_P, [VERIFY_CTX_P, RESP_P]),
    "tsrs_resp_verify_token_report": (VERIFY_REPORT_P, [VERIFY_CTX_P, c_char_p, c_size_t]),
    "tsrs_verify_report_free": (None, [VERIFY_REPORT_P]),
    "tsrs_verify_report_get_verdict": (c_int, [VERIFY_REPORT_P, POINTER(c_int), POINTER(c_uint32)]),
    "tsrs_verify_report_get_count": (c_int, [VERIFY_REPORT_P, POINTER(c_size_t)]),
    "tsrs_verify_report_get_check_code": (c_int, [VERIFY_REPORT_P, c_size_t, POINTER(c_uint)]),
    "tsrs_verify_report_get_check_verdict": (
        c_int,
        [VERIFY_REPORT_P, c_size_t, POINTER(c_int), POINTER(c_int)],
    ),
    "tsrs_verify_report_get_check_name": (c_int, [VERIFY_REPORT_P, c_size_t, POINTER(c_char_p)]),
    "tsrs_verify_report_get_check_detail": (
        c_int,
        [VERIFY_REPORT_P, c_size_t, POINTER(c_void_p), POINTER(c_size_t)],
    ),
    "tsrs_verify_report_to_json": (c_int, [VERIFY_REPORT_P, POINTER(c_void_p), POINTER(c_size_t)]),
}


def _declare(library):
    for name, (restype, argtypes) in FUNCTIONS.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    return library


lib, path = _load_library()
_declare(lib)
