"""Certificates, private keys and trust stores."""

from ctypes import byref, c_size_t

from ._handle import Handle, call, new_pointer, to_bytes, to_c_string
from ._native import lib


class Certificate(Handle):
    """An X.509 certificate (``tsrs_x509``)."""

    _free_function = "tsrs_x509_free"

    @classmethod
    def from_pem(cls, pem):
        """Decode the first certificate of PEM text (DER is accepted too)."""
        data = to_bytes(pem, "pem")
        return cls(new_pointer(lib.tsrs_x509_from_pem, data, len(data)))

    @classmethod
    def from_der(cls, der):
        """Decode one DER certificate."""
        data = to_bytes(der, "der")
        return cls(new_pointer(lib.tsrs_x509_from_der, data, len(data)))

    @classmethod
    def load(cls, path):
        """Load the first certificate of a PEM or DER file."""
        return cls(new_pointer(lib.tsrs_x509_load_file, to_c_string(path, "path")))


class PrivateKey(Handle):
    """A private key (``tsrs_pkey``): RSA, RSA-PSS, ECDSA or Ed25519."""

    _free_function = "tsrs_pkey_free"

    @classmethod
    def from_pem(cls, pem, passphrase=None):
        """Decode a PEM or DER key; ``passphrase`` decrypts an encrypted one."""
        data = to_bytes(pem, "pem")
        secret = to_c_string(passphrase, "passphrase")
        return cls(new_pointer(lib.tsrs_pkey_from_pem, data, len(data), secret))

    @classmethod
    def load(cls, path, passphrase=None):
        """Load a key from a PEM or DER file."""
        secret = to_c_string(passphrase, "passphrase")
        return cls(new_pointer(lib.tsrs_pkey_load_file, to_c_string(path, "path"), secret))


class TrustStore(Handle):
    """Trust anchors and CRLs (``tsrs_x509_store``), as -CAfile and -CApath give them."""

    _free_function = "tsrs_x509_store_free"

    def __init__(self, ca_file=None, ca_path=None, certificates=()):
        super().__init__(new_pointer(lib.tsrs_x509_store_new))
        if ca_file is not None:
            self.load_file(ca_file)
        if ca_path is not None:
            self.add_dir(ca_path)
        for certificate in certificates:
            self.add(certificate)

    def load_file(self, path):
        """Add every certificate and CRL of a PEM file, or the certificate of a DER file."""
        call(lib.tsrs_x509_store_load_file, self.pointer, to_c_string(path, "path"))

    def add_dir(self, path):
        """Add a hashed certificate folder, read when a verification needs it."""
        call(lib.tsrs_x509_store_add_dir, self.pointer, to_c_string(path, "path"))

    def add(self, certificate):
        """Add a copy of a Certificate as a trust anchor."""
        call(lib.tsrs_x509_store_add_cert, self.pointer, certificate.pointer)


class CertificateList(Handle):
    """An ordered list of certificates (``tsrs_x509_list``)."""

    _free_function = "tsrs_x509_list_free"

    def __init__(self, certificates=()):
        super().__init__(new_pointer(lib.tsrs_x509_list_new))
        if isinstance(certificates, (str, bytes)) or hasattr(certificates, "__fspath__"):
            self.load_file(certificates)
        else:
            for certificate in certificates:
                self.append(certificate)

    def load_file(self, path):
        """Append every certificate of a PEM file, or the one of a DER file."""
        call(lib.tsrs_x509_list_load_file, self.pointer, to_c_string(path, "path"))

    def append(self, certificate):
        """Append a copy of a Certificate."""
        call(lib.tsrs_x509_list_push, self.pointer, certificate.pointer)

    def __len__(self):
        count = c_size_t()
        call(lib.tsrs_x509_list_count, self.pointer, byref(count))
        return count.value
