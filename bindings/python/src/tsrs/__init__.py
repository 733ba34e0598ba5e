"""RFC 3161 time-stamping with libtsrs, through ctypes.

Build requests, run a time-stamping authority and verify responses and
tokens with the same bytes and verdicts as ``openssl ts``. The library is
found through the TSRS_LIBRARY environment variable, then the dynamic
loader's search path, then a ``target/release`` folder of a tsrs build.
"""

from ._native import LibraryNotFoundError
from ._native import path as library_path
from .errors import (
    ConfigError,
    CredentialError,
    DecodeError,
    FileError,
    InternalError,
    InvalidArgumentError,
    NotSupportedError,
    TimeStampError,
    TsrsError,
    VerificationError,
)
from .request import MessageImprint, Request
from .response import Accuracy, Response, StatusInfo, TstInfo
from .tsa import TSA
from .verify import Check, Report, Verifier
from .x509 import Certificate, CertificateList, PrivateKey, TrustStore

__all__ = [
    "Accuracy",
    "Certificate",
    "Check",
    "CertificateList",
    "ConfigError",
    "CredentialError",
    "DecodeError",
    "FileError",
    "InternalError",
    "InvalidArgumentError",
    "LibraryNotFoundError",
    "MessageImprint",
    "NotSupportedError",
    "PrivateKey",
    "Report",
    "Request",
    "Response",
    "StatusInfo",
    "TSA",
    "TimeStampError",
    "TrustStore",
    "TsrsError",
    "TstInfo",
    "Verifier",
    "VerificationError",
    "library_path",
]
