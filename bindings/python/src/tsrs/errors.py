"""Exceptions raised from libtsrs's per-thread error queue."""

import ctypes

from ._native import lib

# Reason codes of include/tsrs.h (TSRS_R_*), by name.
REASONS = {
    100: "DECODE",
    101: "TOO_LARGE",
    102: "IO",
    103: "PEM",
    104: "UNKNOWN_OBJECT",
    105: "BAD_HEX",
    106: "ENCODE",
    200: "CONFIG_SYNTAX",
    201: "CONFIG_MISSING",
    202: "CONFIG_BAD_VALUE",
    203: "CONFIG_OPEN",
    300: "CERT_LOAD",
    301: "KEY_LOAD",
    302: "KEY_MISMATCH",
    303: "SIGNER_PURPOSE",
    304: "UNSUPPORTED_ALGORITHM",
    305: "SIGNING",
    306: "PASSWORD",
    400: "UNKNOWN_DIGEST",
    401: "BAD_DIGEST_LENGTH",
    402: "SERIAL",
    403: "TIME",
    404: "RESPONSE_STRUCTURE",
    405: "BAD_TOKEN",
    406: "MISSING",
    407: "UNACCEPTABLE_POLICY",
    408: "RESPONSE_SETUP",
    409: "BAD_REQUEST",
    500: "NO_TIME_STAMP_TOKEN",
    501: "WRONG_CONTENT_TYPE",
    502: "SIGNER_COUNT",
    503: "NO_CONTENT",
    504: "SIGNER_NOT_FOUND",
    505: "CERTIFICATE_VERIFY",
    506: "ESS_SIGNING_CERTIFICATE",
    507: "SIGNATURE_FAILURE",
    508: "UNSUPPORTED_VERSION",
    509: "POLICY_MISMATCH",
    510: "IMPRINT_MISMATCH",
    511: "NONCE_NOT_RETURNED",
    512: "NONCE_MISMATCH",
    513: "TSA_NAME_MISMATCH",
    514: "TSA_UNTRUSTED",
    515: "TRUST_STORE",
    516: "SIGNER_CERT_NOT_INCLUDED",
    900: "NULL_POINTER",
    901: "INVALID_ARGUMENT",
    902: "PANIC",
    903: "NOT_SUPPORTED",
}


class TsrsError(Exception):
    """A libtsrs failure, with the entries the library put on its error queue.

    ``code`` is the stable reason code of the first entry (a ``TSRS_R_*``
    value), ``reason`` its name without the prefix, ``message`` its text,
    and ``errors`` every entry as ``(code, message)`` pairs, oldest first.
    """

    def __init__(self, errors, context=None):
        self.errors = list(errors) or [(0, "libtsrs failed without an error queue entry")]
        self.code, self.message = self.errors[0]
        self.reason = REASONS.get(self.code, str(self.code))
        text = f"{self.message} [TSRS_R_{self.reason}]"
        if context:
            text = f"{context}: {text}"
        super().__init__(text)


class DecodeError(TsrsError, ValueError):
    """Input bytes are not valid DER, BER, PEM or hex, or are too large."""


class FileError(TsrsError, OSError):
    """A file could not be read or written."""


class ConfigError(TsrsError):
    """A configuration file could not be read or has a missing or invalid key."""


class CredentialError(TsrsError):
    """A certificate or private key could not be loaded or used for signing."""


class TimeStampError(TsrsError):
    """A request or response could not be built, or a TSA setting is invalid."""


class VerificationError(TsrsError):
    """A response or token failed verification; ``reason`` names the failed check."""


class InvalidArgumentError(TsrsError, ValueError):
    """An argument was rejected by libtsrs (for example an unknown flag bit)."""


class NotSupportedError(TsrsError):
    """libtsrs does not implement the requested feature."""


class InternalError(TsrsError):
    """A bug in libtsrs or in these bindings (a panic or a NULL pointer)."""


def read_file(path, what):
    """Read a whole file, raising FileError (reason IO) when it cannot be read."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise FileError([(102, f"cannot read {what} {path}: {error.strerror or error}")]) from error


def _class_for(code):
    if code == 102:
        return FileError
    if 100 <= code < 200:
        return DecodeError
    if 200 <= code < 300:
        return ConfigError
    if 300 <= code < 400:
        return CredentialError
    if 400 <= code < 500:
        return TimeStampError
    if 500 <= code < 600:
        return VerificationError
    if code == 901:
        return InvalidArgumentError
    if code == 903:
        return NotSupportedError
    return InternalError


def take_errors():
    """Remove and return every entry of this thread's error queue, oldest first."""
    errors = []
    while True:
        length = lib.tsrs_err_peek_message(None, 0)
        code = lib.tsrs_err_peek()
        if code == 0:
            return errors
        buffer = ctypes.create_string_buffer(length + 1)
        lib.tsrs_err_peek_message(buffer, length + 1)
        lib.tsrs_err_get()
        errors.append((code, buffer.value.decode("utf-8", "replace")))


def error_for(errors, context=None):
    """Return the exception for error-queue entries, without raising it."""
    code = errors[0][0] if errors else 0
    return _class_for(code)(errors, context)


def raise_last_error(context=None):
    """Raise the exception for the entries on this thread's error queue."""
    raise error_for(take_errors(), context)


def clear_errors():
    """Drop entries left on this thread's error queue by an earlier call."""
    lib.tsrs_err_clear()
