"""A time-stamping authority: a response context (``tsrs_resp_ctx``) that signs."""

import datetime
import math
import threading

from ._handle import (
    Handle,
    call,
    new_pointer,
    require_handle,
    required_c_string,
    to_bytes,
    to_c_string,
)
from ._native import SERIAL_CB, TIME_CB, lib
from .request import Request
from .response import Response
from .errors import clear_errors, error_for, take_errors
from .x509 import Certificate, CertificateList, PrivateKey

# Flags of tsrs_resp_ctx_add_flags.
_TSA_NAME = 1
_ORDERING = 2
_ESS_CERT_ID_CHAIN = 4
_MAX_SERIAL_LEN = 64


class TSA(Handle):
    """Signs time-stamp responses, from a config file or from objects.

    ``clock`` (optional) returns the time to stamp, as an aware datetime or
    as seconds since the Unix epoch; without it the system clock is used.
    ``serial`` returns the next serial number (an int from 0) and must
    never repeat one; a TSA built from a config file uses the config's
    serial file instead, unless ``serial`` is given. A TSA may serve many
    threads at once, so both callables must then be thread-safe. An
    exception raised by either of them is raised again by :meth:`respond`.
    """

    _free_function = "tsrs_resp_ctx_free"

    def __init__(
        self,
        signer_cert,
        signer_key,
        *,
        serial,
        policy,
        other_policies=(),
        digests=("sha256", "sha384", "sha512"),
        certs=(),
        signer_digest="sha256",
        ess_cert_id_digest=None,
        accuracy=None,
        clock_precision_digits=0,
        ordering=False,
        tsa_name=False,
        ess_cert_id_chain=False,
        clock=None,
    ):
        cert_pointer = require_handle(signer_cert, Certificate, "signer_cert")
        key_pointer = require_handle(signer_key, PrivateKey, "signer_key")
        if accuracy is not None and len(accuracy) != 3:
            raise ValueError(f"accuracy must be (seconds, millis, micros), not {accuracy!r}")
        if not 0 <= clock_precision_digits <= 6:
            raise ValueError(f"clock_precision_digits must be 0 to 6, not {clock_precision_digits}")
        super().__init__(new_pointer(lib.tsrs_resp_ctx_new))
        self._setup_callbacks(clock, serial)
        pointer = self.pointer
        call(lib.tsrs_resp_ctx_set_signer_cert, pointer, cert_pointer)
        call(lib.tsrs_resp_ctx_set_signer_key, pointer, key_pointer)
        if certs:
            with CertificateList(certs) as chain:
                call(lib.tsrs_resp_ctx_set_certs, pointer, chain.pointer)
        call(lib.tsrs_resp_ctx_set_signer_digest, pointer, _name(signer_digest, "signer_digest"))
        if ess_cert_id_digest is not None:
            call(
                lib.tsrs_resp_ctx_set_ess_cert_id_digest,
                pointer,
                _name(ess_cert_id_digest, "ess_cert_id_digest"),
            )
        call(lib.tsrs_resp_ctx_set_def_policy, pointer, _name(policy, "policy"))
        for other in other_policies:
            call(lib.tsrs_resp_ctx_add_policy, pointer, _name(other, "other_policies"))
        for digest in digests:
            call(lib.tsrs_resp_ctx_add_md, pointer, _name(digest, "digests"))
        if accuracy is not None:
            seconds, millis, micros = accuracy
            call(lib.tsrs_resp_ctx_set_accuracy, pointer, seconds, millis, micros)
        call(lib.tsrs_resp_ctx_set_clock_precision_digits, pointer, clock_precision_digits)
        flags = (
            (_TSA_NAME if tsa_name else 0)
            | (_ORDERING if ordering else 0)
            | (_ESS_CERT_ID_CHAIN if ess_cert_id_chain else 0)
        )
        if flags:
            call(lib.tsrs_resp_ctx_add_flags, pointer, flags)

    @classmethod
    def from_config(cls, path, section=None, passphrase=None, *, clock=None, serial=None):
        """Load the TSA section of an openssl.cnf file, as ``openssl ts -reply -config`` does.

        ``section`` None means the section that ``[tsa] default_tsa``
        names. Relative paths in the file are relative to the current folder.
        """
        tsa = cls.__new__(cls)
        Handle.__init__(
            tsa,
            new_pointer(
                lib.tsrs_resp_ctx_new_from_config,
                required_c_string(path, "path"),
                to_c_string(section, "section"),
                to_c_string(passphrase, "passphrase"),
            ),
        )
        tsa._setup_callbacks(clock, serial)
        return tsa

    def _setup_callbacks(self, clock, serial):
        self._failures = threading.local()
        # The ctypes function objects must live as long as the context.
        self._time_callback = None
        self._serial_callback = None
        if clock is not None:
            self._time_callback = TIME_CB(self._guard(lambda out: _write_time(clock(), *out)))
            call(lib.tsrs_resp_ctx_set_time_cb, self.pointer, self._time_callback, None)
        if serial is not None:
            self._serial_callback = SERIAL_CB(
                self._guard(lambda out: _write_serial(serial(), *out))
            )
            call(lib.tsrs_resp_ctx_set_serial_cb, self.pointer, self._serial_callback, None)

    def _guard(self, body):
        def callback(_data, *out):
            try:
                body(out)
                return 1
            except BaseException as error:  # noqa: BLE001 - re-raised by respond()
                if getattr(self._failures, "error", None) is None:
                    self._failures.error = error
                return 0

        return callback

    def respond(self, request):
        """Create the response to a Request or to DER request bytes.

        Returns a granted Response with a signed token, or a rejection
        Response with OpenSSL's status text and failure bit for a request
        the TSA does not accept (an unaccepted digest or policy, say). A
        rejection's ``rejection_error`` is the TsrsError with the cause,
        including failures of the TSA itself (a key that does not match its
        certificate, an unreadable serial file) that the status text
        only calls "Error during signature generation.".
        """
        if isinstance(request, Request):
            der = request.to_der()
        else:
            der = to_bytes(request, "request")
        self._failures.error = None
        clear_errors()
        pointer = new_pointer(lib.tsrs_resp_create_response, self.pointer, der, len(der))
        response = Response(pointer)
        cause = take_errors()
        error, self._failures.error = self._failures.error, None
        if error is not None:
            response.close()
            raise error
        if cause and not response.granted:
            response.rejection_error = error_for(cause)
        return response


def _name(value, what):
    encoded = to_c_string(value, what)
    if encoded is None:
        raise TypeError(f"{what} must not be None")
    return encoded


def _write_time(now, seconds_out, microseconds_out):
    if isinstance(now, bool) or not isinstance(now, (datetime.datetime, int, float)):
        raise TypeError(f"clock must return a datetime or epoch seconds, not {now!r}")
    if isinstance(now, float) and not math.isfinite(now):
        raise ValueError(f"clock returned {now}, which is not a time")
    if isinstance(now, datetime.datetime):
        if now.tzinfo is None:
            raise ValueError(f"clock returned a naive datetime {now!r}; give it a tzinfo")
        delta = now - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        seconds = delta.days * 86400 + delta.seconds
        microseconds = delta.microseconds
    else:
        whole = int(now // 1)
        seconds, microseconds = whole, int(round((now - whole) * 1_000_000))
        if microseconds == 1_000_000:
            seconds, microseconds = seconds + 1, 0
    seconds_out[0] = seconds
    microseconds_out[0] = microseconds


def _write_serial(serial, buffer, length):
    if isinstance(serial, bool) or not isinstance(serial, int) or serial < 0:
        raise ValueError(f"serial must return a non-negative int, not {serial!r}")
    value = serial.to_bytes(max(1, (serial.bit_length() + 7) // 8), "big")
    if len(value) > min(length[0], _MAX_SERIAL_LEN):
        raise ValueError(f"serial {serial} is longer than {length[0]} bytes")
    for index, byte in enumerate(value):
        buffer[index] = byte
    length[0] = len(value)
