//! Property tests: DER encode and decode round trips of the RFC 3161, ESS and
//! serial-file forms, parsers that return a value or an error on arbitrary
//! bytes, and requests that match `openssl ts -query` byte for byte.

use std::process::Command;
use std::str::FromStr;

use der::asn1::{Any, BitString, Int, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Tag};
use proptest::prelude::*;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use tsrs::asn1::cms::TimeStampToken;
use tsrs::asn1::ess::{
    EssCertId, EssCertIdV2, IssuerSerial, SigningCertificate, SigningCertificateV2,
};
use tsrs::asn1::tsp::{
    Accuracy, FailureInfo, MessageImprint, PkiStatusInfo, TimeStampReq, TimeStampResp, TstInfo,
    failure_bits,
};
use tsrs::asn1::{self, GenTime, GeneralName, Oid, Utf8Bytes, ber, int_from_bytes};
use tsrs::conf::Config;
use tsrs::digest::DigestAlgorithm;
use tsrs::keys::PrivateKey;
use tsrs::request::{RequestOptions, decode_hex, nonce_from_bytes};
use tsrs::response::Response;
use tsrs::serial::{format_serial, parse_serial};
use tsrs::x509::{Cert, parse_certs};

/// Cases per round-trip property: enough to reach every optional field and
/// every GeneralName form, few enough that the file runs in about a second.
const ROUND_TRIP_CASES: u32 = 128;

/// Cases per "never panics" property.
const HOSTILE_CASES: u32 = 256;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Encodes `value`, decodes it through the BER entry point and checks that
/// the value and its encoding survive.
fn assert_round_trip<T>(value: &T)
where
    T: Encode + der::DecodeOwned<Error = der::Error> + PartialEq + core::fmt::Debug,
{
    let der = asn1::encode("value", value).expect("encode");
    let decoded: T = asn1::decode("value", &der).expect("decode the encoding");
    assert_eq!(&decoded, value);
    assert_eq!(asn1::encode("value", &decoded).expect("encode again"), der);
}

// Strategies.

/// Object identifiers of two to seven arcs, the second arc valid for the first.
fn object_identifier() -> impl Strategy<Value = ObjectIdentifier> {
    (
        0u32..=2,
        0u32..40,
        prop::collection::vec(0u32..=u32::MAX, 0..6),
    )
        .prop_map(|(first, second, rest)| {
            let mut text = format!("{first}.{second}");
            for arc in rest {
                text.push_str(&format!(".{arc}"));
            }
            ObjectIdentifier::new(&text).expect("two valid leading arcs")
        })
}

/// Dotted OID text with arcs of any size, beyond what `ObjectIdentifier` holds.
fn dotted_oid() -> impl Strategy<Value = String> {
    let big_arc = "[1-9][0-9]{0,40}|0";
    (
        0u32..=2,
        prop_oneof![
            (0u32..40).prop_map(|a| a.to_string()),
            big_arc.prop_map(String::from)
        ],
        prop::collection::vec(big_arc, 0..8),
    )
        .prop_filter(
            "the second arc is below 40 unless the first is 2",
            |(first, second, _)| *first == 2 || second.parse::<u32>().is_ok_and(|s| s < 40),
        )
        .prop_map(|(first, second, rest)| {
            let mut text = format!("{first}.{second}");
            for arc in rest {
                text.push('.');
                text.push_str(&arc);
            }
            text
        })
}

/// INTEGER values of any sign and size up to 20 octets, in minimal form.
fn integer() -> impl Strategy<Value = Int> {
    prop::collection::vec(any::<u8>(), 1..20).prop_map(|bytes| {
        let mut content = bytes.as_slice();
        while content.len() > 1
            && ((content[0] == 0 && content[1] & 0x80 == 0)
                || (content[0] == 0xFF && content[1] & 0x80 != 0))
        {
            content = &content[1..];
        }
        int_from_bytes(content).expect("minimal INTEGER content")
    })
}

fn non_negative_integer() -> impl Strategy<Value = Int> {
    prop::collection::vec(any::<u8>(), 0..20).prop_map(|bytes| nonce_from_bytes(&bytes))
}

fn octets(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..max)
}

fn algorithm() -> impl Strategy<Value = AlgorithmIdentifierOwned> {
    (object_identifier(), any::<bool>()).prop_map(|(oid, null)| AlgorithmIdentifierOwned {
        oid,
        parameters: null.then(Any::null),
    })
}

fn message_imprint() -> impl Strategy<Value = MessageImprint> {
    (algorithm(), octets(64)).prop_map(|(hash_algorithm, digest)| MessageImprint {
        hash_algorithm: hash_algorithm.into(),
        hashed_message: OctetString::new(digest).expect("short OCTET STRING"),
    })
}

fn extensions() -> impl Strategy<Value = Vec<Extension>> {
    prop::collection::vec(
        (object_identifier(), any::<bool>(), octets(24)).prop_map(|(extn_id, critical, value)| {
            Extension {
                extn_id,
                critical,
                extn_value: OctetString::new(value).expect("short OCTET STRING"),
            }
        }),
        0..3,
    )
}

fn name() -> impl Strategy<Value = Name> {
    prop::collection::vec(("(CN|O|OU|L)", "[A-Za-z0-9]{1,16}"), 0..4).prop_map(|rdns| {
        if rdns.is_empty() {
            return Name::from_der(&[0x30, 0x00]).expect("the empty name");
        }
        let text: Vec<String> = rdns
            .into_iter()
            .map(|(attribute, value)| format!("{attribute}={value}"))
            .collect();
        Name::from_str(&text.join(",")).expect("attribute names x509-cert knows")
    })
}

/// The DER of a short sequence of elements: content for the constructed
/// GeneralName forms that tsrs keeps as octets.
fn element_sequence() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec("[a-z]{0,8}", 1..3).prop_map(|strings| {
        let mut out = Vec::new();
        for text in strings {
            let element = der::asn1::PrintableStringRef::new(&text)
                .expect("letters are printable")
                .to_der()
                .expect("encode PrintableString");
            out.extend_from_slice(&element);
        }
        out
    })
}

/// Every GeneralName form.
fn general_name() -> impl Strategy<Value = GeneralName> {
    prop_oneof![
        (object_identifier(), "[ -~]{0,16}").prop_map(|(type_id, text)| GeneralName::OtherName {
            type_id,
            value: Any::new(Tag::Utf8String, text.into_bytes()).expect("short UTF8String"),
        }),
        "[ -~]{0,24}".prop_map(|text| GeneralName::Rfc822Name(text.into_bytes())),
        "[a-z0-9.-]{0,24}".prop_map(|text| GeneralName::DnsName(text.into_bytes())),
        element_sequence().prop_map(GeneralName::X400Address),
        name().prop_map(GeneralName::DirectoryName),
        element_sequence().prop_map(GeneralName::EdiPartyName),
        "[ -~]{0,32}".prop_map(|text| GeneralName::Uri(text.into_bytes())),
        prop_oneof![octets(5), prop::collection::vec(any::<u8>(), 16..=16)]
            .prop_map(GeneralName::IpAddress),
        object_identifier().prop_map(GeneralName::RegisteredId),
    ]
}

fn accuracy() -> impl Strategy<Value = Accuracy> {
    (
        prop::option::of(non_negative_integer()),
        prop::option::of(integer()),
        prop::option::of(integer()),
    )
        .prop_map(|(seconds, millis, micros)| Accuracy {
            seconds,
            millis,
            micros,
        })
}

/// Times from year 0000 to 9999, with up to six fraction digits.
fn unix_time() -> impl Strategy<Value = (i64, u32, u8)> {
    (
        -62_167_219_200i64..253_402_300_800,
        0u32..1_000_000,
        0u8..=6,
    )
}

fn gen_time() -> impl Strategy<Value = GenTime> {
    prop_oneof![
        unix_time().prop_map(|(seconds, micros, precision)| {
            GenTime::from_unix(seconds, micros, precision).expect("a time in range")
        }),
        // Fractions of any length, as RFC 3161 allows, and malformed text,
        // which tsrs keeps as written.
        "20[0-9]{12}(\\.[0-9]{0,20}[1-9])?Z".prop_map(GenTime::from_bytes),
        "[0-9.Z+-]{0,24}".prop_map(GenTime::from_bytes),
    ]
}

fn request() -> impl Strategy<Value = TimeStampReq> {
    (
        integer(),
        message_imprint(),
        prop::option::of(object_identifier()),
        prop::option::of(non_negative_integer()),
        any::<bool>(),
        prop::option::of(extensions()),
    )
        .prop_map(
            |(version, message_imprint, policy, nonce, cert_req, extensions)| TimeStampReq {
                version,
                message_imprint,
                req_policy: policy.map(Oid::from),
                nonce,
                cert_req,
                extensions,
            },
        )
}

fn tst_info() -> impl Strategy<Value = TstInfo> {
    (
        (
            integer(),
            object_identifier(),
            message_imprint(),
            non_negative_integer(),
            gen_time(),
        ),
        (
            prop::option::of(accuracy()),
            any::<bool>(),
            prop::option::of(integer()),
            prop::option::of(general_name()),
            prop::option::of(extensions()),
        ),
    )
        .prop_map(
            |(
                (version, policy, message_imprint, serial_number, gen_time),
                (accuracy, ordering, nonce, tsa, extensions),
            )| TstInfo {
                version,
                policy: Oid::from(policy),
                message_imprint,
                serial_number,
                gen_time,
                accuracy,
                ordering,
                nonce,
                tsa,
                extensions,
            },
        )
}

fn failure_infos() -> impl Strategy<Value = Vec<FailureInfo>> {
    prop::sample::subsequence(FailureInfo::ALL.to_vec(), 0..=FailureInfo::ALL.len())
}

fn status_info() -> impl Strategy<Value = PkiStatusInfo> {
    (
        prop_oneof![(0u64..6).prop_map(asn1::int_from_u64), integer()],
        prop::option::of(prop::collection::vec("\\PC{0,12}", 1..3)),
        prop::option::of(failure_infos()),
    )
        .prop_map(|(status, texts, failures)| PkiStatusInfo {
            status,
            status_string: texts.map(|texts| {
                texts
                    .into_iter()
                    .map(|text| Utf8Bytes(text.into_bytes()))
                    .collect()
            }),
            fail_info: failures.map(|bits| failure_bits(&bits)),
        })
}

fn issuer_serial() -> impl Strategy<Value = IssuerSerial> {
    (
        prop::collection::vec(general_name(), 1..3),
        non_negative_integer(),
    )
        .prop_map(|(issuer, serial_number)| IssuerSerial {
            issuer,
            serial_number,
        })
}

fn policies() -> impl Strategy<Value = Option<Vec<Any>>> {
    prop::option::of(prop::collection::vec(
        object_identifier().prop_map(|oid| {
            // PolicyInformation ::= SEQUENCE { policyIdentifier, ... }
            let content = oid.to_der().expect("encode OID");
            Any::new(Tag::Sequence, content).expect("short SEQUENCE")
        }),
        0..3,
    ))
}

// Round trips.

proptest! {
    #![proptest_config(config(ROUND_TRIP_CASES))]

    #[test]
    fn request_round_trips(request in request()) {
        assert_round_trip(&request);
        let der = request.to_der().expect("encode");
        prop_assert_eq!(TimeStampReq::from_ber(&der).expect("decode"), request);
    }

    #[test]
    fn status_info_round_trips(status in status_info()) {
        assert_round_trip(&status);
    }

    #[test]
    fn response_without_token_round_trips(status in status_info()) {
        let resp = TimeStampResp { status, time_stamp_token: None };
        assert_round_trip(&resp);

        // A response with no token parses when its status is not granted.
        let der = asn1::encode("response", &resp).expect("encode");
        if let Ok(response) = Response::from_ber(&der) {
            prop_assert_eq!(&response.resp, &resp);
            prop_assert!(response.token.is_none());
            prop_assert_eq!(response.to_der().expect("encode again"), der);
        }
    }

    #[test]
    fn failure_bits_round_trip(failures in failure_infos()) {
        let bits = failure_bits(&failures);
        for info in FailureInfo::ALL {
            prop_assert_eq!(
                asn1::tsp::bit_is_set(&bits, info.bit()),
                failures.contains(&info),
                "bit {:?}", info
            );
        }
        let der = bits.to_der().expect("encode");
        prop_assert_eq!(BitString::from_der(&der).expect("decode"), bits);
    }

    #[test]
    fn tst_info_round_trips(tst_info in tst_info()) {
        assert_round_trip(&tst_info);
    }

    #[test]
    fn general_name_round_trips(name in general_name()) {
        assert_round_trip(&name);
    }

    #[test]
    fn signing_certificate_round_trips(
        certs in prop::collection::vec(
            (octets(32), prop::option::of(issuer_serial())),
            0..3,
        ),
        policies in policies(),
    ) {
        let value = SigningCertificate {
            certs: certs
                .into_iter()
                .map(|(hash, issuer_serial)| EssCertId {
                    cert_hash: OctetString::new(hash).expect("short OCTET STRING"),
                    issuer_serial,
                })
                .collect(),
            policies,
        };
        assert_round_trip(&value);
    }

    #[test]
    fn signing_certificate_v2_round_trips(
        certs in prop::collection::vec(
            (prop::option::of(algorithm()), octets(64), prop::option::of(issuer_serial())),
            0..3,
        ),
        policies in policies(),
    ) {
        let value = SigningCertificateV2 {
            certs: certs
                .into_iter()
                .map(|(hash_algorithm, hash, issuer_serial)| EssCertIdV2 {
                    hash_algorithm,
                    cert_hash: OctetString::new(hash).expect("short OCTET STRING"),
                    issuer_serial,
                })
                .collect(),
            policies,
        };
        assert_round_trip(&value);
        for cert in &value.certs {
            let expected = cert.hash_algorithm.as_ref().map_or(
                ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
                |alg| alg.oid,
            );
            prop_assert_eq!(cert.hash_algorithm_oid(), expected);
        }
    }

    #[test]
    fn gen_time_from_unix_reads_back((seconds, micros, precision) in unix_time()) {
        let time = GenTime::from_unix(seconds, micros, precision).expect("a time in range");
        prop_assert_eq!(time.unix_seconds(), Some(seconds));

        let parts = time.parts().expect("from_unix writes the RFC 3161 form");
        prop_assert!(!parts.fraction.ends_with('0'), "trailing zero in {:?}", parts.fraction);
        prop_assert!(parts.fraction.len() <= usize::from(precision));
        let digits = format!("{micros:06}");
        prop_assert!(digits.starts_with(&parts.fraction));

        assert_round_trip(&time);
    }

    #[test]
    fn gen_time_keeps_its_text(time in gen_time()) {
        assert_round_trip(&time);
        if let Some(parts) = time.parts() {
            prop_assert!((1..=12).contains(&parts.month));
            prop_assert!(time.unix_seconds().is_some());
        }
    }

    #[test]
    fn oid_dotted_text_round_trips(text in dotted_oid()) {
        let oid = Oid::parse_dotted(&text).expect("valid dotted OID");
        prop_assert_eq!(oid.to_string(), text);
        prop_assert_eq!(Oid::from_content(oid.as_bytes()), Some(oid.clone()));
        assert_round_trip(&oid);
    }

    #[test]
    fn oid_matches_object_identifier(oid in object_identifier()) {
        let ours = Oid::from(oid);
        prop_assert_eq!(ours.as_bytes(), oid.as_bytes());
        prop_assert_eq!(ours.to_object_identifier(), Some(oid));
        prop_assert_eq!(ours.to_string(), oid.to_string());
        prop_assert_eq!(ours.to_der().expect("encode"), oid.to_der().expect("encode"));
    }

    #[test]
    fn oid_content_round_trips(content in octets(24)) {
        if let Some(oid) = Oid::from_content(&content) {
            prop_assert_eq!(Oid::parse_dotted(&oid.to_string()), Some(oid.clone()));
        }
    }

    #[test]
    fn serial_file_round_trips(magnitude in octets(40)) {
        let text = format_serial(&magnitude);
        let skip = magnitude.iter().take_while(|b| **b == 0).count();
        let expected = magnitude[skip..].to_vec();
        if expected.len() <= 35 {
            prop_assert_eq!(parse_serial(text.as_bytes()), Some(expected.clone()));
            prop_assert_eq!(format_serial(&expected), text);
        } else {
            // i2a_ASN1_INTEGER breaks the line after 35 bytes, and
            // a2i_ASN1_INTEGER then counts the `\` as a digit and finds an odd
            // number of them: OpenSSL 3.0 cannot read back such a serial either.
            prop_assert_eq!(parse_serial(text.as_bytes()), None);
        }
    }
}

// Arbitrary bytes: every parser returns a value or an error.

/// BER-shaped bytes: mostly valid headers around random content, so that the
/// parsers get past the first tag.
fn ber_like() -> impl Strategy<Value = Vec<u8>> {
    let leaf = octets(12).prop_map(|content| {
        let mut out = vec![0x04, content.len() as u8];
        out.extend(content);
        out
    });
    leaf.prop_recursive(6, 48, 4, |inner| {
        (
            prop::sample::select(vec![0x30u8, 0x31, 0xA0, 0xA1, 0x24, 0x02, 0x06, 0x18]),
            prop::collection::vec(inner, 0..4),
            any::<bool>(),
        )
            .prop_map(|(tag, children, indefinite)| {
                let content: Vec<u8> = children.concat();
                let mut out = vec![tag];
                if indefinite && tag & 0x20 != 0 {
                    out.push(0x80);
                    out.extend(content);
                    out.extend([0, 0]);
                } else {
                    ber::write_length(content.len(), &mut out);
                    out.extend(content);
                }
                out
            })
    })
}

fn hostile_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![octets(256), ber_like()]
}

proptest! {
    #![proptest_config(config(HOSTILE_CASES))]

    #[test]
    fn ber_normalize_never_panics(input in hostile_input()) {
        if let Ok(der) = ber::normalize(&input) {
            prop_assert_eq!(ber::normalize(&der).expect("DER normalizes"), der);
        }
        let _ = ber::element_len(&input);
    }

    #[test]
    fn request_decode_never_panics(input in hostile_input()) {
        let _ = TimeStampReq::from_ber(&input);
    }

    #[test]
    fn response_decode_never_panics(input in hostile_input()) {
        let _ = Response::from_ber(&input);
    }

    #[test]
    fn token_decode_never_panics(input in hostile_input()) {
        let _ = TimeStampToken::from_ber(&input);
    }

    #[test]
    fn tst_info_decode_never_panics(input in hostile_input()) {
        let _ = asn1::decode::<TstInfo>("TSTInfo", &input);
        let _ = asn1::decode::<SigningCertificate>("SigningCertificate", &input);
        let _ = asn1::decode::<SigningCertificateV2>("SigningCertificateV2", &input);
        let _ = asn1::decode::<GeneralName>("GeneralName", &input);
    }

    #[test]
    fn certificate_decode_never_panics(input in hostile_input()) {
        let _ = Cert::from_der(&input);
        let _ = Cert::from_trusted_der(&input);
        let _ = parse_certs(&input, "input");
    }

    #[test]
    fn certificate_pem_never_panics(body in "[A-Za-z0-9+/=\n]{0,200}", label in "(|TRUSTED |X509 )CERTIFICATE") {
        let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
        let _ = parse_certs(pem.as_bytes(), "input");
    }

    #[test]
    fn private_key_decode_never_panics(input in hostile_input()) {
        let _ = PrivateKey::from_bytes(&input, None);
        let _ = PrivateKey::from_bytes(&input, Some(b"passphrase"));
    }

    #[test]
    fn private_key_pem_never_panics(
        label in "(|RSA |EC |ENCRYPTED )PRIVATE KEY",
        headers in "(Proc-Type: 4,ENCRYPTED\nDEK-Info: (DES-EDE3-CBC|AES-128-CBC|AES-256-CBC),[0-9A-F]{0,34}\n\n)?",
        body in "[A-Za-z0-9+/=\n]{0,200}",
    ) {
        let pem = format!("-----BEGIN {label}-----\n{headers}{body}\n-----END {label}-----\n");
        let _ = PrivateKey::from_bytes(pem.as_bytes(), None);
        let _ = PrivateKey::from_bytes(pem.as_bytes(), Some(b"passphrase"));
    }

    #[test]
    fn config_parse_never_panics(text in "([a-z_]{0,8}( ?= ?)?[ -~]{0,24}\n|\\[ ?[a-z:]{0,8} ?\\]\n|\\$\\{?[a-z:]{0,10}\\}?\n)*") {
        prop_assume!(!text.contains("include"));
        if let Ok(config) = Config::parse(text.as_bytes(), std::path::Path::new("input.cnf")) {
            prop_assert_eq!(config.section_names().next(), Some("default"));
        }
    }

    #[test]
    fn config_parse_bytes_never_panics(input in octets(256)) {
        prop_assume!(!input.windows(7).any(|w| w.eq_ignore_ascii_case(b"include")));
        let _ = Config::parse(&input, std::path::Path::new("input.cnf"));
    }

    #[test]
    fn text_parsers_never_panic(text in "\\PC{0,40}", bytes in octets(64)) {
        let _ = Oid::parse_dotted(&text);
        let _ = Oid::from_content(&bytes);
        let _ = decode_hex(&text);
        let _ = parse_serial(&bytes);
        let _ = GenTime::from_bytes(bytes.clone()).parts();
        let _ = tsrs::conf::parse_list(&text);
        let _ = tsrs::tsa_conf::atoi(&text);
    }
}

// Parity with `openssl ts -query`.

proptest! {
    #![proptest_config(config(6))]

    #[test]
    fn request_der_matches_openssl(
        digest in prop::collection::vec(any::<u8>(), 32..=32),
        policy in prop::option::of(object_identifier()),
        cert_req in any::<bool>(),
    ) {
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let mut command = Command::new("openssl");
        command.args(["ts", "-query", "-sha256", "-digest", &hex, "-no_nonce"]);
        if cert_req {
            command.arg("-cert");
        }
        if let Some(policy) = &policy {
            command.args(["-tspolicy", &policy.to_string()]);
        }
        let output = command
            .output()
            .expect("cannot run the system `openssl`, which this test compares against");
        prop_assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

        let imprint = MessageImprint::from_digest(DigestAlgorithm::Sha256, &digest)
            .expect("a SHA-256 digest");
        let options = RequestOptions {
            policy: policy.map(Oid::from),
            nonce: false,
            cert_req,
        };
        let request = TimeStampReq::new(imprint, &options).expect("build the request");
        prop_assert_eq!(request.to_der().expect("encode"), output.stdout);
    }
}
