//! Inputs that fuzzing (`make fuzz`) found to break a parser, kept as tests.

use der::asn1::{Int, OctetString};
use tsrs::asn1::tsp::{MessageImprint, TstInfo};
use tsrs::asn1::{self, AlgorithmIdentifier, GenTime, GeneralName, Oid};

/// A TSTInfo whose tsa field is `[0] { DnsName "a.b" }`, as DER.
fn tst_info_with_dns_tsa() -> Vec<u8> {
    let tst_info = TstInfo {
        version: asn1::int_from_u64(1),
        policy: Oid::parse_dotted("1.2.3").expect("valid OID"),
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifier {
                oid: Oid::parse_dotted("2.16.840.1.101.3.4.2.1").expect("valid OID"),
                parameters: None,
            },
            hashed_message: OctetString::new(vec![0u8; 32]).expect("short OCTET STRING"),
        },
        serial_number: Int::new(&[1]).expect("valid INTEGER"),
        gen_time: GenTime::from_bytes(b"20240102030405Z".to_vec()),
        accuracy: None,
        ordering: false,
        nonce: None,
        tsa: Some(GeneralName::DnsName(b"a.b".to_vec())),
        extensions: None,
    };
    asn1::encode("TSTInfo", &tst_info).expect("encode")
}

/// Replaces the tsa field's `[2] "a.b"` with `replacement`, fixing the
/// lengths of the `[0]` wrapper and of the TSTInfo.
fn with_tsa_name(replacement: &[u8]) -> Vec<u8> {
    let der = tst_info_with_dns_tsa();
    let tsa = [0xA0, 0x05, 0x82, 0x03, b'a', b'.', b'b'];
    let at = der
        .windows(tsa.len())
        .position(|w| w == tsa)
        .expect("the tsa field");
    let mut body = der[2..at].to_vec();
    body.push(0xA0);
    body.push(u8::try_from(replacement.len()).expect("short name"));
    body.extend_from_slice(replacement);
    body.extend_from_slice(&der[at + tsa.len()..]);
    let mut out = vec![0x30, u8::try_from(body.len()).expect("short TSTInfo")];
    out.extend(body);
    out
}

#[test]
fn primitive_x400_address_rejected() {
    // A primitive [3] used to decode as an x400Address with arbitrary
    // content, which then re-encoded as a constructed [3] that could not be
    // decoded again.
    let der = with_tsa_name(&[0x83, 0x03, b'a', b'.', b'b']);
    let result: tsrs::Result<TstInfo> = asn1::decode("TSTInfo", &der);
    assert!(result.is_err(), "decoded as {:?}", result.map(|t| t.tsa));
}

#[test]
fn primitive_directory_name_rejected() {
    let der = with_tsa_name(&[0x84, 0x02, 0x30, 0x00]);
    let result: tsrs::Result<TstInfo> = asn1::decode("TSTInfo", &der);
    assert!(result.is_err());
}

#[test]
fn constructed_dns_name_joined() {
    // [2] constructed, with two IA5String segments, as BER allows for strings.
    let der = with_tsa_name(&[0xA2, 0x07, 0x16, 0x02, b'a', b'.', 0x16, 0x01, b'b']);
    let tst_info: TstInfo = asn1::decode("TSTInfo", &der).expect("decode");
    assert_eq!(tst_info.tsa, Some(GeneralName::DnsName(b"a.b".to_vec())));

    let again = asn1::encode("TSTInfo", &tst_info).expect("encode");
    assert_eq!(again, tst_info_with_dns_tsa());
}

#[test]
fn constructed_registered_id_rejected() {
    let der = with_tsa_name(&[0xA8, 0x04, 0x06, 0x02, 0x2A, 0x03]);
    let result: tsrs::Result<TstInfo> = asn1::decode("TSTInfo", &der);
    assert!(result.is_err());
}

#[test]
fn token_primitive_certificates_rejected() {
    // ContentInfo { signedData, [0] SignedData { 3, SET {}, { id-smime-ct-TSTInfo,
    // [0] { OCTET STRING {} } }, [0] primitive { 02 01 01 }, SET {} } }. The
    // primitive [0] used to be read as a certificate set whose content the
    // BER normalizer had not checked, and the token then re-encoded as
    // invalid BER.
    let tst_info_oid = [
        0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04,
    ];
    let mut encap = tst_info_oid.to_vec();
    encap.extend([0xA0, 0x02, 0x04, 0x00]);
    let mut signed_data = vec![0x02, 0x01, 0x03, 0x31, 0x00, 0x30, encap.len() as u8];
    signed_data.extend(encap);
    signed_data.extend([0x80, 0x03, 0x02, 0x01, 0x01, 0x31, 0x00]);
    let mut content = vec![0x30, signed_data.len() as u8];
    content.extend(signed_data);
    let mut body = vec![
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02, 0xA0,
    ];
    body.push(content.len() as u8);
    body.extend(content);
    let mut token = vec![0x30, body.len() as u8];
    token.extend(body);

    let err = tsrs::asn1::cms::TimeStampToken::from_ber(&token).expect_err("primitive [0]");
    assert!(err.message().contains("primitive"), "{}", err.message());
}
