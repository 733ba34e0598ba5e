"""Verification of time-stamp responses and tokens (``tsrs_verify_ctx``)."""

import dataclasses
import json
import os
from ctypes import byref, c_char_p, c_int, c_size_t, c_uint, c_uint32

from ._handle import Handle, call, hex_or_bytes, new_pointer, take_text, to_bytes
from ._native import lib
from .errors import REASONS, FileError, read_file
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
AT_GEN_TIME = 1 << 16
STRICT_REQUEST = 1 << 17

# Verdicts of one check (TSRS_CHECK_*).
CHECK_VERDICTS = {0: "passed", 1: "failed", 2: "skipped", 3: "not_requested"}


@dataclasses.dataclass(frozen=True)
class Check:
    """One check of a verification report."""

    code: int
    """The check's stable code (1 for status to 17 for cert_req)."""
    name: str
    verdict: str
    """``"passed"``, ``"failed"``, ``"skipped"`` or ``"not_requested"``."""
    report_only: bool
    """True when the check ran only for the report, after an earlier failure decided the verdict."""
    detail: str
    """A sentence, then one ``NAME: VALUE`` line per value behind the verdict."""


@dataclasses.dataclass(frozen=True)
class Report:
    """Every check a verification made, with the overall verdict.

    ``verified`` and ``reason`` are what :meth:`Verifier.verify` decides
    (OpenSSL's order, stopping at the first failure); ``checks`` also shows
    the later checks that could run on their own. ``json`` is the report
    as ``tsrs ts -verify -report`` writes it.
    """

    verified: bool
    reason_code: int
    """The ``TSRS_R_*`` code of the failure that decided the verdict, or 0."""
    checks: tuple
    json: str

    @property
    def reason(self):
        """The name of the deciding failure's reason (``"IMPRINT_MISMATCH"``), or None."""
        if not self.reason_code:
            return None
        return REASONS.get(self.reason_code, str(self.reason_code))

    @property
    def failed(self):
        """The checks whose verdict is failed, in verification order."""
        return tuple(check for check in self.checks if check.verdict == "failed")

    def check(self, name):
        """Return the check called ``name``; raise KeyError when the report has none."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def to_dict(self):
        """Return the JSON report decoded into Python objects."""
        return json.loads(self.json)


class _Report(Handle):
    _free_function = "tsrs_verify_report_free"

    def read(self):
        pointer = self.pointer
        verified = c_int()
        reason = c_uint32()
        call(lib.tsrs_verify_report_get_verdict, pointer, byref(verified), byref(reason))
        count = c_size_t()
        call(lib.tsrs_verify_report_get_count, pointer, byref(count))
        checks = []
        for index in range(count.value):
            code = c_uint()
            call(lib.tsrs_verify_report_get_check_code, pointer, index, byref(code))
            verdict = c_int()
            report_only = c_int()
            call(
                lib.tsrs_verify_report_get_check_verdict,
                pointer,
                index,
                byref(verdict),
                byref(report_only),
            )
            name = c_char_p()
            call(lib.tsrs_verify_report_get_check_name, pointer, index, byref(name))
            checks.append(
                Check(
                    code=code.value,
                    name=name.value.decode(),
                    verdict=CHECK_VERDICTS.get(verdict.value, str(verdict.value)),
                    report_only=bool(report_only.value),
                    detail=take_text(lib.tsrs_verify_report_get_check_detail, pointer, index),
                )
            )
        document = take_text(lib.tsrs_verify_report_to_json, pointer)
        return Report(bool(verified.value), reason.value, tuple(checks), document)


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
            for path, what in ((ca_file, "CA file"), (ca_path, "CA folder")):
                if path is not None and not os.path.exists(path):
                    message = f"cannot read {what} {path}: No such file or directory"
                    raise FileError([(102, message)])
            store = TrustStore(ca_file=ca_file, ca_path=ca_path)
        elif ca_file is not None or ca_path is not None:
            raise ValueError("give either store or ca_file/ca_path, not both")
        self._store = store
        self._untrusted = None if untrusted is None else CertificateList(untrusted)

    def verify(
        self,
        response,
        *,
        data=None,
        data_file=None,
        digest=None,
        request=None,
        at_gen_time=False,
        strict_request=False,
    ):
        """Verify a Response (or DER response bytes) and return its TstInfo.

        Exactly one of ``data`` (bytes), ``data_file`` (a path), ``digest``
        (the raw digest, or hex text) and ``request`` (a Request or DER
        request bytes) says what the token must stamp, as -data, -digest and
        -queryfile do. Raises VerificationError, whose ``reason`` names the
        first check that failed.

        Two checks go beyond OpenSSL's: ``at_gen_time`` validates the
        signer's certificate path at the token's genTime instead of now,
        and ``strict_request`` (with ``request``) requires every value of
        the request to be answered, including the signer's certificate in
        the token when the request set certReq.
        """
        response = _as_response(response)
        with self._context(
            data, data_file, digest, request, at_gen_time, strict_request
        ) as context:
            call(lib.tsrs_resp_verify_response, context.pointer, response.pointer)
        return response.tst_info

    def verify_token(
        self,
        token,
        *,
        data=None,
        data_file=None,
        digest=None,
        request=None,
        at_gen_time=False,
        strict_request=False,
    ):
        """Verify a bare DER token, as ``-token_in`` does, and return its TstInfo."""
        der = to_bytes(token, "token")
        with self._context(
            data, data_file, digest, request, at_gen_time, strict_request
        ) as context:
            call(lib.tsrs_resp_verify_token, context.pointer, der, len(der))
        with Response.from_token(der) as response:
            return response.tst_info

    def report(
        self,
        response,
        *,
        token=False,
        data=None,
        data_file=None,
        digest=None,
        request=None,
        at_gen_time=False,
        strict_request=False,
    ):
        """Verify as :meth:`verify` does and return a Report of every check.

        A failed verification does not raise: read ``Report.verified``.
        ``token=True`` takes ``response`` as bare DER token bytes. Raises
        DecodeError for a token that does not decode.
        """
        with self._context(
            data, data_file, digest, request, at_gen_time, strict_request
        ) as context:
            if token:
                der = to_bytes(response, "token")
                pointer = new_pointer(
                    lib.tsrs_resp_verify_token_report, context.pointer, der, len(der)
                )
            else:
                # The Response must stay referenced while C reads it.
                parsed = _as_response(response)
                pointer = new_pointer(
                    lib.tsrs_resp_verify_response_report, context.pointer, parsed.pointer
                )
        with _Report(pointer) as report:
            return report.read()

    def _context(self, data, data_file, digest, request, at_gen_time, strict_request):
        given = [value for value in (data, data_file, digest, request) if value is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of data, data_file, digest and request")
        if request is not None:
            if not isinstance(request, Request):
                request = Request.from_der(to_bytes(request, "request"))
            context = _VerifyContext(new_pointer(lib.tsrs_req_to_verify_ctx, request.pointer, None))
            call(lib.tsrs_verify_ctx_add_flags, context.pointer, SIGNATURE)
        else:
            context = _VerifyContext(new_pointer(lib.tsrs_verify_ctx_new))
            if digest is not None:
                value = hex_or_bytes(digest, "digest")
                call(lib.tsrs_verify_ctx_set_imprint, context.pointer, value, len(value))
                checks = VERSION | SIGNER | IMPRINT | SIGNATURE
            else:
                if data_file is not None:
                    data = read_file(data_file, "data file")
                value = to_bytes(data, "data")
                call(lib.tsrs_verify_ctx_set_data, context.pointer, value, len(value))
                checks = VERSION | SIGNER | DATA | SIGNATURE
            call(lib.tsrs_verify_ctx_set_flags, context.pointer, checks)
        extra = (AT_GEN_TIME if at_gen_time else 0) | (STRICT_REQUEST if strict_request else 0)
        if extra:
            call(lib.tsrs_verify_ctx_add_flags, context.pointer, extra)
        call(lib.tsrs_verify_ctx_set_store, context.pointer, self._store.pointer)
        if self._untrusted is not None:
            call(lib.tsrs_verify_ctx_set_certs, context.pointer, self._untrusted.pointer)
        return context


def _as_response(response):
    if isinstance(response, Response):
        return response
    return Response.from_der(to_bytes(response, "response"))
