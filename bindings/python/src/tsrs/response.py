"""Time-stamp responses and tokens (RFC 3161 TimeStampResp, TSTInfo)."""

import dataclasses
import datetime
from ctypes import byref, c_int, c_int64, c_long, c_size_t, c_uint32

from ._handle import (
    Handle,
    borrowed_bytes,
    call,
    new_pointer,
    take_bytes,
    take_text,
    to_bytes,
)
from ._native import ACCURACY_P, lib
from .request import MessageImprint, read_imprint

STATUS_NAMES = {
    0: "granted",
    1: "grantedWithMods",
    2: "rejection",
    3: "waiting",
    4: "revocationWarning",
    5: "revocationNotification",
}

FAILURE_NAMES = {
    0: "badAlg",
    2: "badRequest",
    5: "badDataFormat",
    14: "timeNotAvailable",
    15: "unacceptedPolicy",
    16: "unacceptedExtension",
    17: "addInfoNotAvailable",
    25: "systemFailure",
}


@dataclasses.dataclass(frozen=True)
class StatusInfo:
    """A PKIStatusInfo: the status, its free texts and its failure bits."""

    status: int
    texts: tuple
    failure_bits: frozenset
    """The numbers of the failure bits that are set (``TSRS_INFO_*``)."""

    @property
    def name(self):
        """The status as RFC 3161 names it (``"granted"``, ``"rejection"``...)."""
        return STATUS_NAMES.get(self.status, str(self.status))

    @property
    def failures(self):
        """The names of the failure bits that are set, in bit order."""
        return tuple(FAILURE_NAMES.get(bit, str(bit)) for bit in sorted(self.failure_bits))


@dataclasses.dataclass(frozen=True)
class Accuracy:
    """The TSTInfo accuracy; a field the token leaves out is 0."""

    seconds: int
    millis: int
    micros: int


@dataclasses.dataclass(frozen=True)
class TstInfo:
    """The signed content of a time-stamp token."""

    version: int
    policy: str
    message_imprint: MessageImprint
    serial: int
    time: str
    """genTime as the token encodes it (``20261204120000.5Z``)."""
    timestamp: datetime.datetime
    """genTime as an aware UTC datetime truncated to microseconds, or None before year 1."""
    accuracy: object
    """An Accuracy, or None when the token states none."""
    ordering: bool
    nonce: object
    """The nonce as an int, or None."""
    tsa_name: object
    """The TSA name as ``-text`` shows it (``DirName:/CN=tsa``), or None."""


def _read_status(pointer):
    status = c_long()
    call(lib.tsrs_status_info_get_status, pointer, byref(status))
    count = c_size_t()
    call(lib.tsrs_status_info_get_text_count, pointer, byref(count))
    texts = tuple(
        take_text(lib.tsrs_status_info_get_text, pointer, index) for index in range(count.value)
    )
    bits = c_uint32()
    call(lib.tsrs_status_info_get_failure_info, pointer, byref(bits))
    failure_bits = frozenset(bit for bit in range(32) if bits.value >> bit & 1)
    return StatusInfo(status.value, texts, failure_bits)


def _read_accuracy(tst_info):
    pointer = ACCURACY_P()
    call(lib.tsrs_tst_info_get_accuracy, tst_info, byref(pointer))
    if not pointer:
        return None
    fields = []
    for getter in (
        lib.tsrs_accuracy_get_seconds,
        lib.tsrs_accuracy_get_millis,
        lib.tsrs_accuracy_get_micros,
    ):
        value = c_long()
        call(getter, pointer, byref(value))
        fields.append(value.value)
    return Accuracy(*fields)


def _utc_datetime(seconds, microseconds):
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    try:
        return epoch + datetime.timedelta(seconds=seconds, microseconds=microseconds)
    except OverflowError:
        # genTime years run from 0 to 9999 and datetime starts at year 1.
        return None


def _read_tst_info(pointer):
    version = c_long()
    call(lib.tsrs_tst_info_get_version, pointer, byref(version))
    serial = borrowed_bytes(lib.tsrs_tst_info_get_serial, pointer) or b""
    seconds = c_int64()
    microseconds = c_uint32()
    call(lib.tsrs_tst_info_get_time_unix, pointer, byref(seconds), byref(microseconds))
    ordering = c_int()
    call(lib.tsrs_tst_info_get_ordering, pointer, byref(ordering))
    nonce = borrowed_bytes(lib.tsrs_tst_info_get_nonce, pointer)
    return TstInfo(
        version=version.value,
        policy=take_text(lib.tsrs_tst_info_get_policy_id, pointer),
        message_imprint=read_imprint(new_pointer(lib.tsrs_tst_info_get_msg_imprint, pointer)),
        serial=int.from_bytes(serial, "big"),
        time=take_text(lib.tsrs_tst_info_get_time, pointer),
        timestamp=_utc_datetime(seconds.value, microseconds.value),
        accuracy=_read_accuracy(pointer),
        ordering=bool(ordering.value),
        nonce=None if nonce is None else int.from_bytes(nonce, "big"),
        tsa_name=take_text(lib.tsrs_tst_info_get_tsa_name, pointer),
    )


class Response(Handle):
    """A TimeStampResp (``tsrs_resp``), or a bare token wrapped as a granted one."""

    _free_function = "tsrs_resp_free"

    #: For a rejection made by :meth:`TSA.respond`, the TsrsError with
    #: its cause; None otherwise.
    rejection_error = None

    @classmethod
    def from_der(cls, der):
        """Decode a DER (or BER) TimeStampResp."""
        data = to_bytes(der, "der")
        return cls(new_pointer(lib.tsrs_resp_from_der, data, len(data)))

    @classmethod
    def from_token(cls, token):
        """Wrap a DER (or BER) time-stamp token in a granted response, as ``-token_in`` does."""
        data = to_bytes(token, "token")
        return cls(new_pointer(lib.tsrs_resp_from_token_der, data, len(data)))

    def to_der(self):
        """Encode the response as DER."""
        return take_bytes(lib.tsrs_resp_to_der, self.pointer)

    def __bytes__(self):
        return self.to_der()

    def token_der(self):
        """Encode the token (CMS ContentInfo) as DER, as ``-token_out`` writes it.

        Raises VerificationError (``NO_TIME_STAMP_TOKEN``) for a rejection.
        """
        return take_bytes(lib.tsrs_resp_get_token_der, self.pointer)

    def text(self):
        """Return the response as ``openssl ts -reply -in FILE -text`` prints it."""
        return take_text(lib.tsrs_resp_print, self.pointer)

    def token_text(self):
        """Return the token as ``openssl ts -reply -in FILE -token_out -text`` prints it."""
        pointer = new_pointer(lib.tsrs_resp_get_tst_info, self.pointer)
        return take_text(lib.tsrs_tst_info_print, pointer)

    def copy(self):
        """Return an independent copy."""
        return Response(new_pointer(lib.tsrs_resp_dup, self.pointer))

    @property
    def status(self):
        """The StatusInfo."""
        return _read_status(new_pointer(lib.tsrs_resp_get_status_info, self.pointer))

    @property
    def granted(self):
        """True when the status is granted or grantedWithMods."""
        return self.status.status in (0, 1)

    @property
    def tst_info(self):
        """The token's TstInfo, or None for a response without a token."""
        if not self.granted:
            return None
        return _read_tst_info(new_pointer(lib.tsrs_resp_get_tst_info, self.pointer))
