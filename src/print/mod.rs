//! The text forms that `openssl ts -text` writes, byte for byte as OpenSSL 3.0's
//! `TS_REQ_print_bio`, `TS_RESP_print_bio`, `TS_STATUS_INFO_print_bio` and
//! `TS_TST_INFO_print_bio` write them (`crypto/ts/ts_req_print.c`,
//! `ts_rsp_print.c`, `ts_lib.c`).
//!
//! Output is bytes, not text: status strings print code points up to U+00FF
//! as single Latin-1 octets, and names and extensions can carry any octet.
//! Extension values are decoded here with OpenSSL's leniency, because whether
//! libcrypto can decode one decides between its structured text and the raw
//! octets.

mod admission;
mod ber;
mod crl_ocsp;
mod extension;
mod general_name;
mod name;
mod oid;
mod rfc3779;
mod sct;
mod strex;
mod text;
mod time;
mod values;
mod x509v3;

use der::asn1::Int;

use self::ber::BigInt;
use self::oid::{oid_text, truncate};
use self::strex::{StringFlags, StringValue, print_ex};
use crate::asn1::GeneralName;
use crate::asn1::tsp::{
    Accuracy, FailureInfo, MessageImprint, PkiStatusInfo, TimeStampReq, TimeStampResp, TstInfo,
    bit_is_set,
};
use crate::asn1::{AlgorithmIdentifier, GenTime};
use crate::oid::Objects;

pub use self::extension::print_extensions;
pub use self::text::hex_dump;

/// Writes a request as `TS_REQ_print_bio` does.
pub fn print_request(out: &mut Vec<u8>, req: &TimeStampReq, objects: &Objects) {
    print_version(out, &req.version);
    print_message_imprint(out, &req.message_imprint, objects);

    out.extend_from_slice(b"Policy OID: ");
    match &req.req_policy {
        Some(policy) => print_object(out, policy, objects),
        None => out.extend_from_slice(b"unspecified\n"),
    }

    out.extend_from_slice(b"Nonce: ");
    print_optional_integer(out, req.nonce.as_ref());
    out.push(b'\n');

    let required: &[u8] = if req.cert_req { b"yes" } else { b"no" };
    out.extend_from_slice(b"Certificate required: ");
    out.extend_from_slice(required);
    out.push(b'\n');

    print_extensions(out, req.extensions.as_ref(), objects);
}

/// Writes a response as `TS_RESP_print_bio` does. `tst_info` is the TSTInfo
/// of the response's token, parsed by the caller; `None` prints `Not included.`
pub fn print_response(
    out: &mut Vec<u8>,
    resp: &TimeStampResp,
    tst_info: Option<&TstInfo>,
    objects: &Objects,
) {
    out.extend_from_slice(b"Status info:\n");
    print_status_info(out, &resp.status);

    out.extend_from_slice(b"\nTST info:\n");
    match tst_info {
        Some(tst_info) => print_tst_info(out, tst_info, objects),
        None => out.extend_from_slice(b"Not included.\n"),
    }
}

/// The status texts of `TS_STATUS_INFO_print_bio`, for PKIStatus 0 to 5.
const STATUS_TEXTS: [&str; 6] = [
    "Granted.",
    "Granted with modifications.",
    "Rejected.",
    "Waiting.",
    "Revocation warning.",
    "Revoked.",
];

/// Writes a PKIStatusInfo as `TS_STATUS_INFO_print_bio` does.
pub fn print_status_info(out: &mut Vec<u8>, status: &PkiStatusInfo) {
    out.extend_from_slice(b"Status: ");
    let code = integer_get(&status.status);
    let text = usize::try_from(code)
        .ok()
        .and_then(|index| STATUS_TEXTS.get(index));
    out.extend_from_slice(text.map_or("out of bounds", |text| text).as_bytes());
    out.push(b'\n');

    out.extend_from_slice(b"Status description: ");
    let texts = status.status_string.as_deref().unwrap_or_default();
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        let value = StringValue {
            tag: ber::tag::UTF8_STRING,
            data: &text.0,
            der: &[],
        };
        if let Some(printed) = print_ex(&value, StringFlags::NONE) {
            out.extend_from_slice(&printed);
        }
        out.push(b'\n');
    }
    if texts.is_empty() {
        out.extend_from_slice(b"unspecified\n");
    }

    out.extend_from_slice(b"Failure info: ");
    let failures: Vec<&str> = match &status.fail_info {
        Some(bits) => FailureInfo::ALL
            .iter()
            .filter(|failure| bit_is_set(bits, failure.bit()))
            .map(|failure| failure_text(*failure))
            .collect(),
        None => Vec::new(),
    };
    if failures.is_empty() {
        out.extend_from_slice(b"unspecified");
    } else {
        out.extend_from_slice(failures.join(", ").as_bytes());
    }
    out.push(b'\n');
}

/// Returns the text `TS_STATUS_INFO_print_bio` writes for a failure bit.
fn failure_text(failure: FailureInfo) -> &'static str {
    match failure {
        FailureInfo::BadAlg => "unrecognized or unsupported algorithm identifier",
        FailureInfo::BadRequest => "transaction not permitted or supported",
        FailureInfo::BadDataFormat => "the data submitted has the wrong format",
        FailureInfo::TimeNotAvailable => "the TSA's time source is not available",
        FailureInfo::UnacceptedPolicy => "the requested TSA policy is not supported by the TSA",
        FailureInfo::UnacceptedExtension => "the requested extension is not supported by the TSA",
        FailureInfo::AddInfoNotAvailable => {
            "the additional information requested could not be understood or is not available"
        }
        FailureInfo::SystemFailure => "the request cannot be handled due to system failure",
    }
}

/// Writes a TSTInfo as `TS_TST_INFO_print_bio` does.
pub fn print_tst_info(out: &mut Vec<u8>, tst: &TstInfo, objects: &Objects) {
    print_version(out, &tst.version);

    out.extend_from_slice(b"Policy OID: ");
    print_object(out, &tst.policy, objects);

    print_message_imprint(out, &tst.message_imprint, objects);

    out.extend_from_slice(b"Serial number: ");
    print_integer(out, &tst.serial_number);
    out.push(b'\n');

    out.extend_from_slice(b"Time stamp: ");
    let _valid = print_generalized_time(out, &tst.gen_time);
    out.push(b'\n');

    out.extend_from_slice(b"Accuracy: ");
    match &tst.accuracy {
        Some(accuracy) => print_accuracy(out, accuracy),
        None => out.extend_from_slice(b"unspecified"),
    }
    out.push(b'\n');

    let ordering: &[u8] = if tst.ordering { b"yes" } else { b"no" };
    out.extend_from_slice(b"Ordering: ");
    out.extend_from_slice(ordering);
    out.push(b'\n');

    out.extend_from_slice(b"Nonce: ");
    print_optional_integer(out, tst.nonce.as_ref());
    out.push(b'\n');

    out.extend_from_slice(b"TSA: ");
    match &tst.tsa {
        Some(tsa) => print_general_name(out, tsa, objects),
        None => out.extend_from_slice(b"unspecified"),
    }
    out.push(b'\n');

    print_extensions(out, tst.extensions.as_ref(), objects);
}

/// Writes `<s> seconds, <ms> millis, <us> micros`, each part `unspecified` when absent.
fn print_accuracy(out: &mut Vec<u8>, accuracy: &Accuracy) {
    print_optional_integer(out, accuracy.seconds.as_ref());
    out.extend_from_slice(b" seconds, ");
    print_optional_integer(out, accuracy.millis.as_ref());
    out.extend_from_slice(b" millis, ");
    print_optional_integer(out, accuracy.micros.as_ref());
    out.extend_from_slice(b" micros");
}

/// `Version: %d` of `ASN1_INTEGER_get`, which is -1 for values outside a C
/// `long`, then cut to a C `int`.
fn print_version(out: &mut Vec<u8>, version: &Int) {
    let version = integer_get(version) as i32;
    out.extend_from_slice(format!("Version: {version}\n").as_bytes());
}

/// `ASN1_INTEGER_get` on a 64-bit system.
fn integer_get(value: &Int) -> i64 {
    BigInt::from_twos_complement(value.as_bytes())
        .to_i64()
        .unwrap_or(-1)
}

fn print_optional_integer(out: &mut Vec<u8>, value: Option<&Int>) {
    match value {
        Some(value) => print_integer(out, value),
        None => out.extend_from_slice(b"unspecified"),
    }
}

/// Writes an INTEGER as `TS_ASN1_INTEGER_print_bio` does: `0x` and uppercase
/// hex in whole octets, `0x0` for zero, `0x-05` for -5.
pub fn print_integer(out: &mut Vec<u8>, value: &Int) {
    let value = BigInt::from_twos_complement(value.as_bytes());
    out.extend_from_slice(b"0x");
    out.extend_from_slice(text::bn_hex(&value).as_bytes());
}

/// Writes an OID and a newline as `TS_OBJ_print_bio` does: the long name when
/// known, else the dotted form, cut to 127 bytes.
pub fn print_object(out: &mut Vec<u8>, oid: &crate::asn1::Oid, objects: &Objects) {
    let text = truncate(oid_text(objects, oid.as_bytes()), 128);
    out.extend_from_slice(text.as_bytes());
    out.push(b'\n');
}

/// Writes `Hash Algorithm: <long name>` as `TS_X509_ALGOR_print_bio` does,
/// with `UNKNOWN` for an OID the object table does not know.
pub fn print_algorithm(out: &mut Vec<u8>, algorithm: &AlgorithmIdentifier, objects: &Objects) {
    let name = match algorithm.known_oid() {
        Some(oid) => objects.long_name(&oid),
        None => objects
            .added()
            .iter()
            .find(|object| object.oid == algorithm.oid)
            .map(|object| object.long_name.as_str()),
    };
    let name = name.unwrap_or("UNKNOWN");
    out.extend_from_slice(b"Hash Algorithm: ");
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
}

/// Writes the hash algorithm line, `Message data:` and the hex dump of the
/// digest, as `TS_MSG_IMPRINT_print_bio` does.
pub fn print_message_imprint(out: &mut Vec<u8>, imprint: &MessageImprint, objects: &Objects) {
    print_algorithm(out, &imprint.hash_algorithm, objects);
    out.extend_from_slice(b"Message data:\n");
    hex_dump(out, imprint.hashed_message.as_bytes(), 4);
}

/// Writes a GeneralizedTime as `ASN1_GENERALIZEDTIME_print` does:
/// `Jan  2 03:04:05.185 2024 GMT`, or `Bad time value` and returns false.
pub fn print_generalized_time(out: &mut Vec<u8>, time: &GenTime) -> bool {
    time::generalized_time(out, time.as_bytes())
}

/// Writes a GeneralName as the TSA line shows it (`i2v_GENERAL_NAME`):
/// `DirName:/C=HU/CN=tsa1`, `DNS:host`, `othername: UPN::user` and so on.
/// Writes nothing where OpenSSL's conversion fails, such as for a NUL inside
/// a DNS name.
pub fn print_general_name(out: &mut Vec<u8>, name: &GeneralName, objects: &Objects) {
    let value = general_name::with_general_name(name, |view| {
        general_name::general_name_value(view, objects)
    });
    if let Some(Some(value)) = value {
        out.extend_from_slice(&value.to_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1::Utf8Bytes;
    use crate::asn1::tsp::failure_bits;

    fn int(content: &[u8]) -> Int {
        Int::new(content).unwrap()
    }

    fn printed(print: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        print(&mut out);
        out
    }

    #[test]
    fn integer_forms() {
        assert_eq!(printed(|out| print_integer(out, &int(&[0]))), b"0x0");
        assert_eq!(printed(|out| print_integer(out, &int(&[0xFB]))), b"0x-05");
        assert_eq!(
            printed(|out| print_integer(out, &int(&[0x00, 0x80]))),
            b"0x80"
        );
        assert_eq!(
            printed(|out| print_integer(out, &int(&[0x01, 0xF4]))),
            b"0x01F4"
        );
    }

    #[test]
    fn version_outside_long_prints_minus_one() {
        let mut huge = vec![0x01];
        huge.extend([0u8; 9]);
        assert_eq!(
            printed(|out| print_version(out, &int(&huge))),
            b"Version: -1\n"
        );
        let two_pow_32_plus_1 = [0x01, 0x00, 0x00, 0x00, 0x01];
        assert_eq!(
            printed(|out| print_version(out, &int(&two_pow_32_plus_1))),
            b"Version: 1\n"
        );
    }

    #[test]
    fn status_out_of_bounds_and_texts() {
        let status = PkiStatusInfo {
            status: int(&[9]),
            status_string: Some(vec![Utf8Bytes(b"one".to_vec()), Utf8Bytes("\u{e9}".into())]),
            fail_info: Some(failure_bits(&[
                FailureInfo::BadAlg,
                FailureInfo::SystemFailure,
            ])),
        };
        let expected = b"Status: out of bounds\n\
            Status description: one\n\
            \t\xE9\n\
            Failure info: unrecognized or unsupported algorithm identifier, \
            the request cannot be handled due to system failure\n";
        assert_eq!(printed(|out| print_status_info(out, &status)), expected);
    }

    #[test]
    fn object_text_is_cut_to_127_bytes() {
        let mut objects = Objects::new();
        let long_name = "n".repeat(200);
        objects.create("1.2.3.99", &long_name, &long_name).unwrap();
        let oid = der::asn1::ObjectIdentifier::new_unwrap("1.2.3.99");
        let text = printed(|out| print_object(out, &crate::asn1::Oid::from(&oid), &objects));
        assert_eq!(text.len(), 128);
        assert_eq!(text.last(), Some(&b'\n'));
    }
}
