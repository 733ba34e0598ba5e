//! Certificate purposes and trust settings, as OpenSSL 3.0 checks them
//! (crypto/x509/v3_purp.c and x509_trust.c).

use der::asn1::ObjectIdentifier;

use super::Cert;
use super::extensions::{KeyUsage, xku};
use super::oids;
use crate::error::{Error, Reason, Result};

/// Netscape certificate type bits (OpenSSL's `NS_*`).
mod ns {
    pub const SSL_CLIENT: u8 = 0x80;
    pub const SSL_SERVER: u8 = 0x40;
    pub const SMIME: u8 = 0x20;
    pub const SSL_CA: u8 = 0x04;
    pub const SMIME_CA: u8 = 0x02;
    pub const ANY_CA: u8 = 0x07;
}

/// A purpose a certificate chain is checked for, as `-purpose` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// `sslclient`: SSL client.
    SslClient,
    /// `sslserver`: SSL server.
    SslServer,
    /// `nssslserver`: Netscape SSL server.
    NsSslServer,
    /// `smimesign`: S/MIME signing.
    SmimeSign,
    /// `smimeencrypt`: S/MIME encryption.
    SmimeEncrypt,
    /// `crlsign`: CRL signing.
    CrlSign,
    /// `any`: any purpose; no check.
    Any,
    /// `ocsphelper`: OCSP helper.
    OcspHelper,
    /// `timestampsign`: time stamp signing, the purpose `openssl ts -verify` sets.
    TimestampSign,
}

impl Purpose {
    /// Every purpose, in OpenSSL's table order.
    pub const ALL: [Purpose; 9] = [
        Purpose::SslClient,
        Purpose::SslServer,
        Purpose::NsSslServer,
        Purpose::SmimeSign,
        Purpose::SmimeEncrypt,
        Purpose::CrlSign,
        Purpose::Any,
        Purpose::OcspHelper,
        Purpose::TimestampSign,
    ];

    /// The short name `-purpose` takes, such as `timestampsign`.
    pub const fn name(self) -> &'static str {
        match self {
            Purpose::SslClient => "sslclient",
            Purpose::SslServer => "sslserver",
            Purpose::NsSslServer => "nssslserver",
            Purpose::SmimeSign => "smimesign",
            Purpose::SmimeEncrypt => "smimeencrypt",
            Purpose::CrlSign => "crlsign",
            Purpose::Any => "any",
            Purpose::OcspHelper => "ocsphelper",
            Purpose::TimestampSign => "timestampsign",
        }
    }

    /// OpenSSL's description, such as `Time Stamp signing`.
    pub const fn description(self) -> &'static str {
        match self {
            Purpose::SslClient => "SSL client",
            Purpose::SslServer => "SSL server",
            Purpose::NsSslServer => "Netscape SSL server",
            Purpose::SmimeSign => "S/MIME signing",
            Purpose::SmimeEncrypt => "S/MIME encryption",
            Purpose::CrlSign => "CRL signing",
            Purpose::Any => "Any Purpose",
            Purpose::OcspHelper => "OCSP helper",
            Purpose::TimestampSign => "Time Stamp signing",
        }
    }

    /// The purpose with this short name (case-sensitive, as `X509_PURPOSE_get_by_sname`).
    pub fn from_name(name: &str) -> Option<Purpose> {
        Purpose::ALL
            .into_iter()
            .find(|purpose| purpose.name() == name)
    }

    /// The trust setting a purpose implies when none is given.
    pub const fn default_trust(self) -> Trust {
        match self {
            Purpose::SslClient => Trust::SslClient,
            Purpose::SslServer | Purpose::NsSslServer => Trust::SslServer,
            Purpose::SmimeSign | Purpose::SmimeEncrypt => Trust::Email,
            Purpose::CrlSign | Purpose::OcspHelper => Trust::Compat,
            Purpose::Any => Trust::Default,
            Purpose::TimestampSign => Trust::Tsa,
        }
    }

    /// Checks `cert` for this purpose as `X509_check_purpose` does, as a leaf
    /// or (`require_ca`) as an issuer.
    pub fn check(self, cert: &Cert, require_ca: bool) -> PurposeCheck {
        if cert.invalid_extensions().is_some() {
            return PurposeCheck::Invalid;
        }
        let ok = match self {
            Purpose::SslClient => ssl_client(cert, require_ca),
            Purpose::SslServer => ssl_server(cert, require_ca),
            Purpose::NsSslServer => {
                ssl_server(cert, require_ca)
                    && (require_ca || !ku_reject(cert, KeyUsage::KEY_ENCIPHERMENT))
            }
            Purpose::SmimeSign => {
                smime(cert, require_ca)
                    && (require_ca
                        || !ku_reject(
                            cert,
                            KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
                        ))
            }
            Purpose::SmimeEncrypt => {
                smime(cert, require_ca)
                    && (require_ca || !ku_reject(cert, KeyUsage::KEY_ENCIPHERMENT))
            }
            Purpose::CrlSign => {
                if require_ca {
                    check_ca(cert) != 0
                } else {
                    !ku_reject(cert, KeyUsage::CRL_SIGN)
                }
            }
            Purpose::Any => true,
            Purpose::OcspHelper => !require_ca || check_ca(cert) != 0,
            Purpose::TimestampSign => {
                if require_ca {
                    check_ca(cert) != 0
                } else {
                    timestamp_signer_problem(cert).is_none()
                }
            }
        };
        if ok {
            PurposeCheck::Ok
        } else {
            PurposeCheck::Unsuitable
        }
    }
}

/// The result of a purpose check, as `X509_check_purpose` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeCheck {
    /// The certificate suits the purpose (1).
    Ok,
    /// It does not (0).
    Unsuitable,
    /// Its extensions are invalid, so OpenSSL cannot check (-1). Path
    /// validation treats this as suitable unless `x509_strict` is set.
    Invalid,
}

/// A trust setting: which purpose OID a trusted certificate's trust settings
/// must list (`X509_TRUST_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trust {
    /// `X509_TRUST_DEFAULT`: anyExtendedKeyUsage, self-signed certificates trusted.
    Default,
    /// `X509_TRUST_COMPAT`: only self-signed certificates are trusted.
    Compat,
    /// SSL client.
    SslClient,
    /// SSL server.
    SslServer,
    /// S/MIME email.
    Email,
    /// Object signer.
    ObjectSign,
    /// OCSP responder.
    OcspSign,
    /// OCSP request.
    OcspRequest,
    /// TSA server.
    Tsa,
}

/// The outcome of a trust check (`X509_TRUST_TRUSTED`, `_REJECTED`, `_UNTRUSTED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrustCheck {
    Trusted,
    Rejected,
    Untrusted,
}

impl Trust {
    /// Checks `cert` as `X509_check_trust(cert, trust, flags)` does. With
    /// `no_self_signed_compat`, a self-signed certificate without trust
    /// settings is not trusted for being self-signed.
    pub(crate) fn check(self, cert: &Cert, no_self_signed_compat: bool) -> TrustCheck {
        let (oid, any_eku_ok, self_signed_compat) = match self {
            Trust::Default => (oids::ANY_EXTENDED_KEY_USAGE, false, true),
            Trust::Compat => return compat(cert, no_self_signed_compat),
            Trust::SslClient => (oids::KP_CLIENT_AUTH, true, true),
            Trust::SslServer => (oids::KP_SERVER_AUTH, true, true),
            Trust::Email => (oids::KP_EMAIL_PROTECTION, true, true),
            Trust::ObjectSign => (oids::KP_CODE_SIGNING, true, true),
            Trust::OcspSign => (oids::KP_OCSP_SIGNING, false, false),
            Trust::OcspRequest => (oids::AD_OCSP, false, false),
            Trust::Tsa => (oids::KP_TIME_STAMPING, true, true),
        };
        object_trust(
            cert,
            &oid,
            any_eku_ok,
            self_signed_compat,
            no_self_signed_compat,
        )
    }
}

/// OpenSSL's `obj_trust`: explicit rejections first, then explicit trust;
/// without trust settings, self-signed certificates are trusted (unless disabled).
fn object_trust(
    cert: &Cert,
    oid: &ObjectIdentifier,
    any_eku_ok: bool,
    self_signed_compat: bool,
    no_self_signed_compat: bool,
) -> TrustCheck {
    let matches = |listed: &ObjectIdentifier| {
        listed == oid || (any_eku_ok && *listed == oids::ANY_EXTENDED_KEY_USAGE)
    };
    if let Some(settings) = cert.trust_settings() {
        if settings.reject.iter().flatten().any(matches) {
            return TrustCheck::Rejected;
        }
        if let Some(trust) = &settings.trust {
            return if trust.iter().any(matches) {
                TrustCheck::Trusted
            } else {
                TrustCheck::Rejected
            };
        }
    }
    if !self_signed_compat {
        return TrustCheck::Untrusted;
    }
    compat(cert, no_self_signed_compat)
}

fn compat(cert: &Cert, no_self_signed_compat: bool) -> TrustCheck {
    if cert.invalid_extensions().is_none() && !no_self_signed_compat && cert.is_self_signed() {
        TrustCheck::Trusted
    } else {
        TrustCheck::Untrusted
    }
}

/// Checks whether keyUsage is present and lacks all of `bits` (OpenSSL's `ku_reject`).
fn ku_reject(cert: &Cert, bits: u16) -> bool {
    cert.key_usage()
        .is_some_and(|usage| !usage.contains_any(bits))
}

/// Checks whether extendedKeyUsage is present and lacks all of the `xku` bits.
fn xku_reject(cert: &Cert, bits: u16) -> bool {
    cert.extended_key_usage()
        .is_some_and(|eku| eku.known_bits() & bits == 0)
}

fn ns_reject(cert: &Cert, bits: u8) -> bool {
    cert.extensions()
        .netscape_cert_type
        .is_some_and(|ns| ns & bits == 0)
}

/// OpenSSL's `check_ca`: 0 for not a CA, 1 for a CA by basicConstraints, 3 for
/// a self-signed version 1 root, 4 for keyCertSign without basicConstraints,
/// 5 for a Netscape CA type.
pub(crate) fn check_ca(cert: &Cert) -> u8 {
    if ku_reject(cert, KeyUsage::KEY_CERT_SIGN) {
        return 0;
    }
    if let Some(bc) = cert.basic_constraints() {
        return u8::from(bc.ca);
    }
    let version_1 = cert.version() == x509_cert::certificate::Version::V1;
    if version_1 && cert.is_self_signed() {
        3
    } else if cert.key_usage().is_some() {
        4
    } else if cert
        .extensions()
        .netscape_cert_type
        .is_some_and(|ns| ns & ns::ANY_CA != 0)
    {
        5
    } else {
        0
    }
}

/// `X509_check_ca`: [`check_ca`], or 0 for a certificate with invalid extensions.
pub(crate) fn x509_check_ca(cert: &Cert) -> u8 {
    if cert.invalid_extensions().is_some() {
        0
    } else {
        check_ca(cert)
    }
}

fn check_ssl_ca(cert: &Cert) -> bool {
    match check_ca(cert) {
        0 => false,
        5 => cert
            .extensions()
            .netscape_cert_type
            .is_some_and(|ns| ns & ns::SSL_CA != 0),
        _ => true,
    }
}

fn ssl_client(cert: &Cert, require_ca: bool) -> bool {
    if xku_reject(cert, xku::SSL_CLIENT) {
        return false;
    }
    if require_ca {
        return check_ssl_ca(cert);
    }
    !ku_reject(cert, KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_AGREEMENT)
        && !ns_reject(cert, ns::SSL_CLIENT)
}

fn ssl_server(cert: &Cert, require_ca: bool) -> bool {
    if xku_reject(cert, xku::SSL_SERVER | xku::SGC) {
        return false;
    }
    if require_ca {
        return check_ssl_ca(cert);
    }
    let tls_usages =
        KeyUsage::DIGITAL_SIGNATURE | KeyUsage::KEY_ENCIPHERMENT | KeyUsage::KEY_AGREEMENT;
    !ns_reject(cert, ns::SSL_SERVER) && !ku_reject(cert, tls_usages)
}

fn smime(cert: &Cert, require_ca: bool) -> bool {
    if xku_reject(cert, xku::SMIME) {
        return false;
    }
    let ns_type = cert.extensions().netscape_cert_type;
    if require_ca {
        return match check_ca(cert) {
            0 => false,
            5 => ns_type.is_some_and(|ns| ns & ns::SMIME_CA != 0),
            _ => true,
        };
    }
    match ns_type {
        Some(ns) => ns & (ns::SMIME | ns::SSL_CLIENT) != 0,
        None => true,
    }
}

/// Explains why a leaf fails `check_purpose_timestamp_sign`, or returns `None` when it passes.
fn timestamp_signer_problem(cert: &Cert) -> Option<&'static str> {
    const SIGNING: u16 = KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION;
    if let Some(usage) = cert.key_usage()
        && (usage.0 & !SIGNING != 0 || usage.0 & SIGNING == 0)
    {
        return Some(
            "its keyUsage allows more than digitalSignature and nonRepudiation, or neither",
        );
    }
    let Some(eku) = cert.extended_key_usage() else {
        return Some("it has no extendedKeyUsage extension");
    };
    if eku.known_bits() != xku::TIMESTAMP {
        return Some(
            "its extendedKeyUsage has a known purpose other than timeStamping, or lacks timeStamping",
        );
    }
    if !eku.critical {
        return Some("its extendedKeyUsage extension is not critical");
    }
    None
}

/// Checks that `cert` may sign time-stamps, as `TS_RESP_CTX_set_signer_cert`
/// does with `X509_check_purpose(cert, X509_PURPOSE_TIMESTAMP_SIGN, 0)`.
///
/// keyUsage, if present, must have digitalSignature or nonRepudiation and
/// nothing else; extendedKeyUsage must be present and critical, and
/// timeStamping must be the only purpose in it that OpenSSL recognises. A certificate
/// whose extensions OpenSSL considers invalid fails too. The error has
/// [`Reason::SignerPurpose`] and says which rule failed.
pub fn check_timestamp_signer_purpose(cert: &Cert) -> Result<()> {
    let subject = super::name_oneline(cert.subject());
    if let Some(invalid) = cert.invalid_extensions() {
        return Err(Error::new(
            Reason::SignerPurpose,
            format!(
                "invalid signer certificate purpose: certificate {subject} has invalid extensions ({invalid})"
            ),
        ));
    }
    match timestamp_signer_problem(cert) {
        None => Ok(()),
        Some(problem) => Err(Error::new(
            Reason::SignerPurpose,
            format!(
                "invalid signer certificate purpose: certificate {subject} cannot sign time-stamps because {problem}"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purpose_names_round_trip() {
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::from_name(purpose.name()), Some(purpose));
        }
        assert_eq!(Purpose::from_name("TimestampSign"), None);
        assert_eq!(Purpose::TimestampSign.description(), "Time Stamp signing");
    }

    #[test]
    fn default_trusts() {
        assert_eq!(Purpose::TimestampSign.default_trust(), Trust::Tsa);
        assert_eq!(Purpose::Any.default_trust(), Trust::Default);
        assert_eq!(Purpose::CrlSign.default_trust(), Trust::Compat);
    }
}
