//! Hostile tokens: each must end, with bounded work, in a clear verdict.
//! Where `openssl ts -verify` does the same job its verdict is compared, and
//! a comment marks where tsrs differs on purpose.

mod common;
mod craft;

use craft::{CertSpec, Demo, Signing, Token, attribute, name, octets, seq, tlv, verify_both};
use tsrs::asn1::ber;

/// Builds an unsigned attribute whose value is NULL nested in `depth` SEQUENCEs.
fn nested_attribute(depth: usize) -> Vec<u8> {
    let mut value = craft::NULL.to_vec();
    for _ in 0..depth {
        value = seq(&[&value]);
    }
    attribute("1.2.3.4", &value)
}

#[test]
fn unsigned_attribute_nested_60_deep_verifies() {
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    token.unsigned_attrs = Some(nested_attribute(60));
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn nesting_beyond_limit_fails_cleanly() {
    // OpenSSL copies opaque values of any depth, but tsrs stops at its limit.
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    token.unsigned_attrs = Some(nested_attribute(ber::MAX_DEPTH + 10));
    let (tsrs, _) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(!tsrs.ok);
    assert!(
        tsrs.stderr.contains("nesting deeper than"),
        "{}",
        tsrs.stderr
    );
}

#[test]
fn indefinite_nesting_a_million_deep_ends() {
    let mut input = Vec::new();
    for _ in 0..1_000_000 {
        input.extend_from_slice(&[0x30, 0x80]);
    }
    let err = tsrs::asn1::cms::TimeStampToken::from_ber(&input).unwrap_err();
    assert!(err.to_string().contains("nesting deeper than"), "{err}");
}

#[test]
fn length_with_leading_zero_octet_verifies() {
    let demo = Demo::new();
    let token = Token::new(&demo.tsa).sign(&demo.tsa.key);
    let content = &token[4..];
    let mut padded = vec![0x30, 0x85, 0x00];
    padded.extend_from_slice(&u32::try_from(content.len()).unwrap().to_be_bytes());
    padded.extend_from_slice(content);
    assert_eq!(&token[..2], [0x30, 0x82]);
    let (tsrs, openssl) = verify_both(&demo, &padded);
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn huge_declared_length_fails() {
    let demo = Demo::new();
    let token = Token::new(&demo.tsa).sign(&demo.tsa.key);
    let mut huge = vec![0x30, 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
    huge.extend_from_slice(&token[4..]);
    let (tsrs, openssl) = verify_both(&demo, &huge);
    assert!(!tsrs.ok);
    // OpenSSL's file reader stops at the 10-octet header before the length.
    assert!(tsrs.stderr.contains("header too long"), "{}", tsrs.stderr);
    assert!(!openssl.ok);
}

#[test]
fn thousands_of_injected_impostors_still_verify() {
    // Self-signed certificates named like the demo root, with other keys.
    let demo = Demo::new();
    let ca = tsrs::x509::Cert::from_der(&demo.ca.cert).unwrap();
    let root_name = der::Encode::to_der(ca.subject()).unwrap();
    let impostor_key = tsrs::keys::PrivateKey::generate(tsrs::keys::KeyKind::EcP256).unwrap();
    let mut spec = CertSpec {
        subject: "impostor",
        issuer_name: root_name,
        serial: 1,
        ca: true,
        time_stamping: false,
    };
    let mut token = Token::new(&demo.tsa);
    for serial in 0..3000 {
        spec.serial = serial + 100;
        token
            .certificates
            .extend(craft::issue_for(&spec, &impostor_key, &impostor_key));
    }
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

/// Issues a TSA certificate for a new key, named as issued by `issuer_name`
/// and signed by `issuer_key`.
fn tsa_issued_by(issuer_name: Vec<u8>, issuer_key: &tsrs::keys::PrivateKey) -> Signing {
    craft::issue(
        &CertSpec {
            subject: "crafted TSA",
            issuer_name,
            serial: 7,
            ca: false,
            time_stamping: true,
        },
        issuer_key,
    )
}

#[test]
fn certificate_loop_fails() {
    let demo = Demo::new();
    let key_a = tsrs::keys::PrivateKey::generate(tsrs::keys::KeyKind::EcP256).unwrap();
    let key_b = tsrs::keys::PrivateKey::generate(tsrs::keys::KeyKind::EcP256).unwrap();
    let spec = |subject, issuer| CertSpec {
        subject,
        issuer_name: name(issuer),
        serial: 2,
        ca: true,
        time_stamping: false,
    };
    let a = craft::issue_for(&spec("Loop A", "Loop B"), &key_a, &key_b);
    let b = craft::issue_for(&spec("Loop B", "Loop A"), &key_b, &key_a);
    let signer = tsa_issued_by(name("Loop A"), &key_a);
    let mut token = Token::new(&signer);
    token.certificates.extend(a);
    token.certificates.extend(b);
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&signer.key));
    assert!(!tsrs.ok);
    assert!(
        tsrs.stderr
            .contains("unable to get local issuer certificate"),
        "{}",
        tsrs.stderr
    );
    assert!(!openssl.ok);
}

#[test]
fn ca_certificate_as_signer_fails() {
    let demo = Demo::new();
    let token = Token::new(&demo.ca).sign(&demo.ca.key);
    let (tsrs, openssl) = verify_both(&demo, &token);
    assert!(!tsrs.ok);
    assert!(
        tsrs.stderr.contains("unsuitable certificate purpose"),
        "{}",
        tsrs.stderr
    );
    assert!(!openssl.ok);
}

#[test]
fn root_inside_token_is_not_trusted() {
    let demo = Demo::new();
    let root_key = tsrs::keys::PrivateKey::generate(tsrs::keys::KeyKind::EcP256).unwrap();
    let root = craft::issue_for(
        &CertSpec {
            subject: "Token Root",
            issuer_name: name("Token Root"),
            serial: 3,
            ca: true,
            time_stamping: false,
        },
        &root_key,
        &root_key,
    );
    let signer = tsa_issued_by(name("Token Root"), &root_key);
    let mut token = Token::new(&signer);
    token.certificates.extend(root);
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&signer.key));
    assert!(!tsrs.ok);
    assert!(
        tsrs.stderr
            .contains("self-signed certificate in certificate chain"),
        "{}",
        tsrs.stderr
    );
    assert!(!openssl.ok);
}

#[test]
fn injected_signer_lookalike_fails() {
    // A certificate with the signer's issuer and serial but another key,
    // placed first: both tools pick it and reject the token.
    let demo = Demo::new();
    let (issuer, _) = craft::issuer_and_serial(&demo.tsa.cert);
    let serial = tsrs::x509::Cert::from_der(&demo.tsa.cert)
        .unwrap()
        .serial_bytes()
        .to_vec();
    let fake_key = tsrs::keys::PrivateKey::generate(tsrs::keys::KeyKind::EcP256).unwrap();
    let fake = craft::issue_for(
        &CertSpec {
            subject: "fake TSA",
            issuer_name: issuer,
            serial: 1,
            ca: false,
            time_stamping: true,
        },
        &fake_key,
        &fake_key,
    );
    // Give the fake the real serial number.
    let fake_parts = craft::children(&fake);
    let mut tbs_fields = craft::children(&fake_parts[0]);
    tbs_fields[1] = tlv(0x02, &serial);
    let refs: Vec<&[u8]> = tbs_fields.iter().map(Vec::as_slice).collect();
    let fake = seq(&[&seq(&refs), &fake_parts[1], &fake_parts[2]]);
    let mut token = Token::new(&demo.tsa);
    token.certificates = [fake, demo.tsa.cert.clone()].concat();
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(!tsrs.ok);
    assert!(!openssl.ok);
}

#[test]
fn mismatched_signature_algorithms_fail_with_reason() {
    // OpenSSL 3.0 ignores the SignerInfo signatureAlgorithm and accepts these.
    // tsrs rejects them so that a signature cannot pass as another algorithm.
    let demo = Demo::new();
    let pss_params = seq(&[
        &tlv(0xA0, &craft::algorithm(craft::SHA256)),
        &tlv(
            0xA1,
            &seq(&[
                &craft::oid("1.2.840.113549.1.1.8"),
                &craft::algorithm(craft::SHA256),
            ]),
        ),
        &tlv(0xA2, &craft::integer(32)),
    ]);
    let cases = [
        (
            craft::algorithm("1.2.840.113549.1.1.5"),
            "disagrees with signature algorithm",
        ),
        (
            seq(&[&craft::oid(craft::ECDSA_WITH_SHA256)]),
            "needs a key of type EC, but the key is of type RSA",
        ),
        (
            seq(&[&craft::oid("1.2.840.113549.1.1.10"), &pss_params]),
            "the signature is RSASSA-PKCS1-v1_5",
        ),
    ];
    for (algorithm, reason) in cases {
        let mut token = Token::new(&demo.tsa);
        token.signature_algorithm = algorithm;
        let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
        assert!(!tsrs.ok, "{reason}");
        assert!(tsrs.stderr.contains(reason), "{}", tsrs.stderr);
        assert!(openssl.ok, "openssl: {}", openssl.stderr);
    }
}

#[test]
fn constructed_econtent_with_sequence_segment_verifies() {
    // X.690 allows only OCTET STRING segments, but OpenSSL joins the octets of
    // segments of any type, so the token verifies in both.
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let tst = token.tst_info.clone();
    token.econtent = tlv(
        0x24,
        &[octets(&tst[..10]), seq(&[&octets(&tst[10..])])].concat(),
    );
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn trailing_bytes_after_tst_info_fail() {
    // OpenSSL ignores bytes after the TSTInfo. tsrs rejects them because the
    // message digest covers bytes that nothing reads.
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let mut tst = token.tst_info.clone();
    tst.extend_from_slice(&[0, 0]);
    token.econtent = octets(&tst);
    token.signed_attrs[2] = attribute(
        craft::MESSAGE_DIGEST,
        &octets(&tsrs::digest::DigestAlgorithm::Sha256.digest(&tst)),
    );
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(!tsrs.ok);
    assert!(tsrs.stderr.contains("2 bytes after the"), "{}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}
