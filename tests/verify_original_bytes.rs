//! Signatures are checked over the bytes OpenSSL checks them over: a signer
//! certificate's TBSCertificate as sent, a token inside a response as sent,
//! and signed attributes with their headers re-encoded as DER but constructed
//! values as sent. Each case is also verified with `openssl ts -verify`,
//! which must reach the same verdict.

mod common;
mod craft;

use common::{Tool, ts};
use craft::{Demo, Token, long_form, seq, verify, verify_both};
use tsrs::digest::DigestAlgorithm;
use tsrs::keys::Signer;

/// The signingCertificateV2 attribute with its value in BER (a long-form length).
fn ber_ess_attribute(demo: &Demo) -> (Vec<u8>, Vec<u8>) {
    let der_value = craft::ess_v2(&demo.tsa.cert);
    let ber_value = long_form(&der_value);
    (
        craft::attribute(craft::SIGNING_CERTIFICATE_V2, &ber_value),
        craft::attribute(craft::SIGNING_CERTIFICATE_V2, &der_value),
    )
}

#[test]
fn ber_signed_attribute_signed_as_sent_verifies() {
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let (ber, _) = ber_ess_attribute(&demo);
    token.signed_attrs[3] = ber;
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn ber_signed_attribute_signed_as_der_fails() {
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let (ber, der) = ber_ess_attribute(&demo);
    token.signed_attrs[3] = der;
    let signature = demo
        .tsa
        .key
        .sign(DigestAlgorithm::Sha256, &token.signed_attrs_set())
        .unwrap();
    token.signed_attrs[3] = ber;
    let (tsrs, openssl) = verify_both(&demo, &token.encode(&signature));
    assert!(!tsrs.ok, "tsrs accepted a signature over the DER form");
    assert!(tsrs.stderr.contains("signature failure"), "{}", tsrs.stderr);
    assert!(!openssl.ok, "openssl: {}", openssl.stderr);
}

/// The demo TSA certificate with a long-form length on its subject Name,
/// signed again by the demo CA over that BER TBSCertificate.
fn ber_tsa_certificate(demo: &Demo) -> Vec<u8> {
    let parts = craft::children(&demo.tsa.cert);
    let mut tbs_fields = craft::children(&parts[0]);
    tbs_fields[5] = long_form(&tbs_fields[5]);
    let refs: Vec<&[u8]> = tbs_fields.iter().map(Vec::as_slice).collect();
    let tbs = seq(&refs);
    let signature = demo.ca.key.sign(DigestAlgorithm::Sha256, &tbs).unwrap();
    let mut bits = vec![0];
    bits.extend(signature);
    seq(&[&tbs, &parts[1], &craft::tlv(0x03, &bits)])
}

#[test]
fn ber_signer_certificate_signed_as_sent_verifies() {
    let demo = Demo::new();
    let signer = craft::Signing {
        key: tsrs::keys::PrivateKey::load(&demo.dir.join("tsa.key"), None).unwrap(),
        cert: ber_tsa_certificate(&demo),
    };
    let token = Token::new(&signer).sign(&signer.key);
    let (tsrs, openssl) = verify_both(&demo, &token);
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn ber_token_inside_response_verifies() {
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let (ber, _) = ber_ess_attribute(&demo);
    token.signed_attrs[3] = ber;
    let token = token.sign(&demo.tsa.key);
    let response = seq(&[&seq(&[&craft::integer(0)]), &token]);
    let tsrs = verify(common::Tool::Tsrs, &demo, &response, false);
    let openssl = verify(common::Tool::Openssl, &demo, &response, false);
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn ber_token_round_trips_through_library() {
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let (ber, _) = ber_ess_attribute(&demo);
    token.signed_attrs[3] = ber;
    let set = token.signed_attrs_set();
    let parsed = tsrs::asn1::cms::TimeStampToken::from_ber(&token.sign(&demo.tsa.key)).unwrap();
    let signer_info = parsed.signer_info().unwrap();
    let attrs = signer_info.signed_attrs.as_ref().unwrap();
    assert_eq!(parsed.signed_attrs_as_sent(attrs).unwrap(), set);
    let der = attrs.to_der_unsorted().unwrap();
    assert_ne!(der, set, "the DER form drops the long-form length");
}

/// Sends signed attributes whose headers are BER: the signingTime Attribute
/// SEQUENCE with a long-form length, and its UTCTime value with one too.
/// OpenSSL digests these headers re-encoded as DER, so the signature must
/// cover the DER form, and one over the bytes as sent fails.
fn ber_headers_token(demo: &Demo, signed_as_sent: bool) -> Vec<u8> {
    let mut token = Token::new(&demo.tsa);
    let time = b"261204120000Z";
    let mut ber_time = vec![0x17, 0x81, time.len() as u8];
    ber_time.extend_from_slice(time);
    let ber = long_form(&craft::attribute(craft::SIGNING_TIME, &ber_time));
    if signed_as_sent {
        token.signed_attrs[1] = ber;
        return token.sign(&demo.tsa.key);
    }
    let signature = demo
        .tsa
        .key
        .sign(DigestAlgorithm::Sha256, &token.signed_attrs_set())
        .unwrap();
    token.signed_attrs[1] = ber;
    token.encode(&signature)
}

#[test]
fn ber_attribute_headers_signed_as_der_verify() {
    let demo = Demo::new();
    let (tsrs, openssl) = verify_both(&demo, &ber_headers_token(&demo, false));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn ber_attribute_headers_signed_as_sent_fail() {
    let demo = Demo::new();
    let (tsrs, openssl) = verify_both(&demo, &ber_headers_token(&demo, true));
    assert!(!tsrs.ok, "tsrs accepted a signature over BER headers");
    assert!(tsrs.stderr.contains("signature failure"), "{}", tsrs.stderr);
    assert!(!openssl.ok, "openssl: {}", openssl.stderr);
}

#[test]
fn indefinite_outer_certificate_header_matches_der_ess_hash() {
    // OpenSSL hashes a certificate for ESS as it re-encodes it: the outer
    // SEQUENCE as DER around the TBSCertificate as sent.
    let demo = Demo::new();
    let mut token = Token::new(&demo.tsa);
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend(craft::children(&demo.tsa.cert).concat());
    indefinite.extend([0, 0]);
    token.certificates = indefinite;
    let (tsrs, openssl) = verify_both(&demo, &token.sign(&demo.tsa.key));
    assert!(tsrs.ok, "tsrs: {}", tsrs.stderr);
    assert!(openssl.ok, "openssl: {}", openssl.stderr);
}

/// Writes `token` back with both tools, as a token and inside a response,
/// and returns (tsrs, openssl) outputs for each.
fn rewrite_both(demo: &Demo, token: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    std::fs::write(demo.dir.join("token.der"), token).unwrap();
    let mut outputs = Vec::new();
    for args in [
        &[
            "-reply",
            "-in",
            "token.der",
            "-token_in",
            "-token_out",
            "-out",
            "out.der",
        ][..],
        &["-reply", "-in", "token.der", "-token_in", "-out", "out.der"][..],
    ] {
        let mut pair = Vec::new();
        for tool in [Tool::Tsrs, Tool::Openssl] {
            let out = ts(tool, demo.path(), args, false, None);
            assert!(out.status.success(), "{args:?}: {out:?}");
            pair.push(std::fs::read(demo.dir.join("out.der")).unwrap());
        }
        outputs.push((pair.remove(0), pair.remove(0)));
    }
    outputs
}

#[test]
fn ber_token_write_back_matches_openssl() {
    // BER in a certificate's TBSCertificate, in a constructed signed
    // attribute value and in the outer token: OpenSSL keeps the first two
    // as received and writes the rest as DER.
    let demo = Demo::new();
    let signer = craft::Signing {
        key: tsrs::keys::PrivateKey::load(&demo.dir.join("tsa.key"), None).unwrap(),
        cert: ber_tsa_certificate(&demo),
    };
    let mut token = Token::new(&signer);
    let (ber, _) = ber_ess_attribute(&demo);
    token.signed_attrs[3] = ber;
    let signed = token.sign(&signer.key);
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend(craft::children(&signed).concat());
    indefinite.extend([0, 0]);
    for (tsrs, openssl) in rewrite_both(&demo, &indefinite) {
        assert_eq!(tsrs, openssl);
    }
}
