"""Verification of time-stamp responses and tokens (``tsrs_verify_ctx``)."""

from ._handle import Handle, call, new_pointer, to_bytes
from ._native import lib
from .request import Request
from .response import Response
from .x509 import CertificateList, TrustStore

# Checks of tsrs_verify_ctx_set_flags (TSRS_VFY_*).
SIGNATURE = 1 << 0
VERSION = 1 << 1
POLICY = 1 << 2
IMPRINT = 1 << 3
DATA = 1 << 4
NONCE = 1 << 5
SIGNER = 1 << 6
TSA_NAME = 1 << 7


class _VerifyContext(Handle):
    _free_function = "tsrs_verify_ctx_free"


class Verifier:
    """Verifies responses and tokens as ``openssl ts -verify`` does.

    The trust anchors come from ``ca_file`` (PEM, as -CAfile), ``ca_path``
    (a hashed folder, as -CApath) or a ready TrustStore given as ``store``.
    ``untrusted`` (a PEM file path or a list of Certificates, as -untrusted)
    helps find the signer and build its chain. A Verifier keeps copies of
    what it is given, and many threads may use it at once.
    """

    def __init__(self, *, ca_file=None, ca_path=None, store=None, untrusted=None):
        if store is None:
            store = TrustStore(ca_file=ca_file, ca_path=ca_path)
        elif ca_file is not None or ca_path is not None:
            raise ValueError("give either store or ca_file/ca_path, not both")
        self._store = store
        self._untrusted = None if untrusted is None else CertificateList(untrusted)

    def verify(self, response, *, data=None, data_file=None, digest=None, request=None):
        """Verify a Response (or DER response bytes) and return its TstInfo.

        Exactly one of ``data`` (bytes), ``data_file`` (a path), ``digest``
        (the raw digest, or hex text) and ``request`` (a Request or DER
        request bytes) says what the token must stamp, as -data, -digest and
        -queryfile do. Raises VerificationError, whose ``reason`` names the
        first check that failed.
        """
        if not isinstance(response, Response):
            response = Response.from_der(to_bytes(response, "response"))
        with self._context(data, data_file, digest, request) as context:
            call(lib.tsrs_resp_verify_response, context.pointer, response.pointer)
        return response.tst_info

    def verify_token(self, token, *, data=None, data_file=None, digest=None, request=None):
        """Verify a bare DER token, as ``-token_in`` does, and return its TstInfo."""
        der = to_bytes(token, "token")
        with self._context(data, data_file, digest, request) as context:
            call(lib.tsrs_resp_verify_token, context.pointer, der, len(der))
        with Response.from_token(der) as response:
            return response.tst_info

    def _context(self, data, data_file, digest, request):
        given = [value for value in (data, data_file, digest, request) if value is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of data, data_file, digest and request")
        if request is not None:
            if not isinstance(request, Request):
                request = Request.from_der(to_bytes(request, "request"))
            context = _VerifyContext(
                new_pointer(lib.tsrs_req_to_verify_ctx, request.pointer, None)
            )
            call(lib.tsrs_verify_ctx_add_flags, context.pointer, SIGNATURE)
        else:
            context = _VerifyContext(new_pointer(lib.tsrs_verify_ctx_new))
            if digest is not None:
                if isinstance(digest, str):
                    digest = bytes.fromhex(digest)
                value = to_bytes(digest, "digest")
                call(lib.tsrs_verify_ctx_set_imprint, context.pointer, value, len(value))
                checks = VERSION | SIGNER | IMPRINT | SIGNATURE
            else:
                if data_file is not None:
                    with open(data_file, "rb") as file:
                        data = file.read()
                value = to_bytes(data, "data")
                call(lib.tsrs_verify_ctx_set_data, context.pointer, value, len(value))
                checks = VERSION | SIGNER | DATA | SIGNATURE
            call(lib.tsrs_verify_ctx_set_flags, context.pointer, checks)
        call(lib.tsrs_verify_ctx_set_store, context.pointer, self._store.pointer)
        if self._untrusted is not None:
            call(lib.tsrs_verify_ctx_set_certs, context.pointer, self._untrusted.pointer)
        return context
