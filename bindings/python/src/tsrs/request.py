"""Time-stamp requests (RFC 3161 TimeStampReq)."""

import dataclasses
import secrets
from ctypes import byref, c_int, c_long

from ._handle import (
    Handle,
    hex_or_bytes,
    required_c_string,
    borrowed_bytes,
    call,
    new_pointer,
    take_bytes,
    take_text,
    to_bytes,
    to_c_string,
)
from ._native import lib
from ._oids import DIGEST_SIZES, digest_name
from .errors import TimeStampError, read_file


@dataclasses.dataclass(frozen=True)
class MessageImprint:
    """The digest algorithm and the digest of the time-stamped data."""

    algorithm: str
    """The digest's OpenSSL name (``"sha256"``), or its dotted OID for others."""
    algorithm_oid: str
    digest: bytes


def read_imprint(pointer):
    """Copy a borrowed ``tsrs_msg_imprint`` into a MessageImprint."""
    oid = take_text(lib.tsrs_msg_imprint_get_algo, pointer)
    digest = borrowed_bytes(lib.tsrs_msg_imprint_get_msg, pointer) or b""
    return MessageImprint(digest_name(oid), oid, digest)


def _is_nonce_value(nonce):
    """Tell an explicit nonce from the True, False and None choices.

    ``0 == False`` and ``1 == True`` in Python, so an identity test is needed.
    """
    if nonce is True or nonce is False or nonce is None:
        return False
    nonce_bytes(nonce)
    return True


def nonce_bytes(nonce):
    """Encode a non-negative nonce as big-endian bytes, at least one byte long."""
    if isinstance(nonce, bool) or not isinstance(nonce, int):
        raise TypeError(f"nonce must be True, False, None or an int, not {nonce!r}")
    if nonce < 0:
        raise ValueError(f"nonce must not be negative: {nonce}")
    return nonce.to_bytes(max(1, (nonce.bit_length() + 7) // 8), "big")


class Request(Handle):
    """A TimeStampReq (``tsrs_req``).

    Build one with :meth:`from_data`, :meth:`from_file` or
    :meth:`from_digest`, or decode one with :meth:`from_der`. ``nonce`` is
    True for a random 64-bit nonce (as ``openssl ts -query`` makes), False
    or None for none, or an int.
    """

    _free_function = "tsrs_req_free"

    @classmethod
    def from_data(cls, data, digest="sha256", policy=None, nonce=True, cert_req=False):
        """Build a request for the digest of ``data``, as ``openssl ts -query -data`` does."""
        payload = to_bytes(data, "data")
        request = cls(
            new_pointer(
                lib.tsrs_req_create,
                required_c_string(digest, "digest"),
                payload,
                len(payload),
                to_c_string(policy, "policy"),
                1 if nonce is True else 0,
                1 if cert_req else 0,
            )
        )
        if _is_nonce_value(nonce):
            request._set_nonce(nonce)
        return request

    @classmethod
    def from_file(cls, path, digest="sha256", policy=None, nonce=True, cert_req=False):
        """Build a request for the digest of a file's contents."""
        return cls.from_data(read_file(path, "data file"), digest, policy, nonce, cert_req)

    @classmethod
    def from_digest(cls, message_digest, digest="sha256", policy=None, nonce=True, cert_req=False):
        """Build a request for a digest computed elsewhere, as ``-digest`` does.

        ``message_digest`` is the raw digest (bytes) or its hex text; its
        length must match the ``digest`` algorithm.
        """
        message_digest = hex_or_bytes(message_digest, "message_digest")
        value = to_bytes(message_digest, "message_digest")
        request = cls(new_pointer(lib.tsrs_req_new))
        imprint = new_pointer(lib.tsrs_msg_imprint_new)
        try:
            call(lib.tsrs_msg_imprint_set_algo, imprint, required_c_string(digest, "digest"))
            _check_digest_length(read_imprint(imprint).algorithm_oid, digest, value)
            call(lib.tsrs_msg_imprint_set_msg, imprint, value, len(value))
            call(lib.tsrs_req_set_msg_imprint, request.pointer, imprint)
        finally:
            lib.tsrs_msg_imprint_free(imprint)
        if policy is not None:
            call(lib.tsrs_req_set_policy_id, request.pointer, to_c_string(policy, "policy"))
        if nonce is True:
            # A random 64-bit value, as openssl ts -query makes.
            request._set_nonce(int.from_bytes(secrets.token_bytes(8), "big"))
        elif _is_nonce_value(nonce):
            request._set_nonce(nonce)
        if cert_req:
            call(lib.tsrs_req_set_cert_req, request.pointer, 1)
        return request

    @classmethod
    def from_der(cls, der):
        """Decode a DER (or BER) TimeStampReq."""
        data = to_bytes(der, "der")
        return cls(new_pointer(lib.tsrs_req_from_der, data, len(data)))

    def _set_nonce(self, nonce):
        value = nonce_bytes(nonce)
        call(lib.tsrs_req_set_nonce, self.pointer, value, len(value))

    def to_der(self):
        """Encode the request as DER, as ``openssl ts -query -out`` writes it."""
        return take_bytes(lib.tsrs_req_to_der, self.pointer)

    def __bytes__(self):
        return self.to_der()

    def text(self):
        """Return the request as ``openssl ts -query -in FILE -text`` prints it."""
        return take_text(lib.tsrs_req_print, self.pointer)

    def copy(self):
        """Return an independent copy."""
        return Request(new_pointer(lib.tsrs_req_dup, self.pointer))

    @property
    def version(self):
        value = c_long()
        call(lib.tsrs_req_get_version, self.pointer, byref(value))
        return value.value

    @property
    def message_imprint(self):
        return read_imprint(new_pointer(lib.tsrs_req_get_msg_imprint, self.pointer))

    @property
    def policy(self):
        """The requested policy as a dotted OID, or None."""
        return take_text(lib.tsrs_req_get_policy_id, self.pointer)

    @property
    def nonce(self):
        """The nonce as an int, or None."""
        value = borrowed_bytes(lib.tsrs_req_get_nonce, self.pointer)
        return None if value is None else int.from_bytes(value, "big")

    @property
    def cert_req(self):
        value = c_int()
        call(lib.tsrs_req_get_cert_req, self.pointer, byref(value))
        return bool(value.value)


def _check_digest_length(oid, name, value):
    # As openssl ts -query -digest does; the C setter takes any length.
    size = DIGEST_SIZES.get(oid)
    if size is not None and len(value) != size:
        message = f"bad digest, {size} bytes must be specified for {name}, got {len(value)}"
        raise TimeStampError([(401, message)])
