//! Object identifiers of the X.509 extensions, key types and signature
//! algorithms this module reads.

use der::asn1::ObjectIdentifier as Oid;

/// id-ce-subjectKeyIdentifier.
pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");
/// id-ce-keyUsage.
pub const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
/// id-ce-subjectAltName.
pub const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
/// id-ce-issuerAltName.
pub const ISSUER_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.18");
/// id-ce-basicConstraints.
pub const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
/// id-at-commonName.
pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
/// pkcs-9 emailAddress.
pub const EMAIL_ADDRESS: Oid = Oid::new_unwrap("1.2.840.113549.1.9.1");
/// id-on-SmtpUTF8Mailbox (RFC 8398), an internationalised email address.
pub const SMTP_UTF8_MAILBOX: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.8.9");
/// anyPolicy (RFC 5280 section 4.2.1.4).
pub const ANY_POLICY: Oid = Oid::new_unwrap("2.5.29.32.0");
/// id-ce-cRLNumber.
pub const CRL_NUMBER: Oid = Oid::new_unwrap("2.5.29.20");
/// id-ce-cRLReasons.
pub const CRL_REASON: Oid = Oid::new_unwrap("2.5.29.21");
/// id-ce-deltaCRLIndicator.
pub const DELTA_CRL_INDICATOR: Oid = Oid::new_unwrap("2.5.29.27");
/// id-ce-issuingDistributionPoint.
pub const ISSUING_DISTRIBUTION_POINT: Oid = Oid::new_unwrap("2.5.29.28");
/// id-ce-certificateIssuer.
pub const CERTIFICATE_ISSUER: Oid = Oid::new_unwrap("2.5.29.29");
/// id-ce-nameConstraints.
pub const NAME_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.30");
/// id-ce-cRLDistributionPoints.
pub const CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
/// id-ce-certificatePolicies.
pub const CERTIFICATE_POLICIES: Oid = Oid::new_unwrap("2.5.29.32");
/// id-ce-policyMappings.
pub const POLICY_MAPPINGS: Oid = Oid::new_unwrap("2.5.29.33");
/// id-ce-authorityKeyIdentifier.
pub const AUTHORITY_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.35");
/// id-ce-policyConstraints.
pub const POLICY_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.36");
/// id-ce-extKeyUsage.
pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
/// id-ce-freshestCRL.
pub const FRESHEST_CRL: Oid = Oid::new_unwrap("2.5.29.46");
/// id-ce-inhibitAnyPolicy.
pub const INHIBIT_ANY_POLICY: Oid = Oid::new_unwrap("2.5.29.54");
/// Netscape certificate type.
pub const NETSCAPE_CERT_TYPE: Oid = Oid::new_unwrap("2.16.840.1.113730.1.1");
/// id-pe-ipAddrBlocks (RFC 3779).
pub const IP_ADDR_BLOCKS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.7");
/// id-pe-autonomousSysIds (RFC 3779).
pub const AUTONOMOUS_SYS_IDS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.8");
/// id-pe-proxyCertInfo (RFC 3820).
pub const PROXY_CERT_INFO: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.14");
/// id-pkix-ocsp-nocheck.
pub const OCSP_NO_CHECK: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.5");

/// id-kp-serverAuth.
pub const KP_SERVER_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.1");
/// id-kp-clientAuth.
pub const KP_CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");
/// id-kp-codeSigning.
pub const KP_CODE_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.3");
/// id-kp-emailProtection.
pub const KP_EMAIL_PROTECTION: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.4");
/// id-kp-timeStamping.
pub const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
/// id-kp-OCSPSigning.
pub const KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-kp-dvcs.
pub const KP_DVCS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.10");
/// Microsoft Server Gated Crypto.
pub const MS_SGC: Oid = Oid::new_unwrap("1.3.6.1.4.1.311.10.3.3");
/// Netscape Server Gated Crypto.
pub const NS_SGC: Oid = Oid::new_unwrap("2.16.840.1.113730.4.1");
/// anyExtendedKeyUsage.
pub const ANY_EXTENDED_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37.0");
/// id-pkix-OCSP (id-ad-ocsp), the OID of the "OCSP request" trust.
pub const AD_OCSP: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1");

/// rsaEncryption.
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS.
pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
/// id-mgf1.
pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
/// id-ecPublicKey.
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// id-Ed25519.
pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
/// id-Ed448.
pub const ED448: Oid = Oid::new_unwrap("1.3.101.113");
/// id-X25519.
pub const X25519: Oid = Oid::new_unwrap("1.3.101.110");
/// id-X448.
pub const X448: Oid = Oid::new_unwrap("1.3.101.111");
/// id-dsa.
pub const DSA: Oid = Oid::new_unwrap("1.2.840.10040.4.1");
/// dhpublicnumber (X9.42 DH).
pub const DH_X942: Oid = Oid::new_unwrap("1.2.840.10046.2.1");
/// dhKeyAgreement (PKCS #3 DH).
pub const DH_PKCS3: Oid = Oid::new_unwrap("1.2.840.113549.1.3.1");
/// secp256r1.
pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1.
pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
/// secp521r1.
pub const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
