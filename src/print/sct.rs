//! Certificate Transparency SCT lists (RFC 6962 section 3.3) as libcrypto 3.0
//! prints them (`crypto/ct/ct_prn.c`, `ct_oct.c`): the extension value is an
//! OCTET STRING holding the TLS-encoded list.

use super::ber::{self, first_element, tag};
use super::time::generalized_time;
use super::x509v3::pad;
use crate::asn1::gentime::civil_from_unix;
use crate::oid::Objects;

/// Largest list and entry `o2i_SCT_LIST` and `o2i_SCT` accept.
const MAX_SCT_LIST_SIZE: usize = 65535;
const MAX_SCT_SIZE: usize = 65535;

/// A version 1 SCT (RFC 6962 section 3.2).
struct SctV1 {
    log_id: Vec<u8>,
    /// Milliseconds since the Unix epoch.
    timestamp: u64,
    extensions: Vec<u8>,
    hash_algorithm: u8,
    signature_algorithm: u8,
    signature: Vec<u8>,
}

/// One SCT: a version 1 entry decoded, any other version kept as its octets.
enum Sct {
    V1(SctV1),
    Other(Vec<u8>),
}

/// Splits a two-octet length prefix off `input`.
fn take_u16_prefixed(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (length, rest) = input.split_first_chunk::<2>()?;
    let length = usize::from(u16::from_be_bytes(*length));
    (length <= rest.len()).then(|| rest.split_at(length))
}

/// Returns the signature algorithm name for the hash and signature algorithm
/// codes that `SCT_get_signature_nid` maps: SHA-256 with RSA or ECDSA.
fn signature_name(hash: u8, signature: u8) -> Option<&'static str> {
    match (hash, signature) {
        (4, 1) => Some("sha256WithRSAEncryption"),
        (4, 3) => Some("ecdsa-with-SHA256"),
        _ => None,
    }
}

/// `o2i_SCT`.
fn parse_sct(input: &[u8]) -> Option<Sct> {
    if input.is_empty() || input.len() > MAX_SCT_SIZE {
        return None;
    }
    if input[0] != 0 {
        return Some(Sct::Other(input.to_vec()));
    }
    if input.len() < 43 {
        return None;
    }

    let log_id = input[1..33].to_vec();
    let timestamp = u64::from_be_bytes(input[33..41].try_into().ok()?);
    let (extensions, rest) = take_u16_prefixed(&input[41..])?;

    let (&hash_algorithm, rest) = rest.split_first()?;
    let (&signature_algorithm, rest) = rest.split_first()?;
    if rest.len() < 2 || signature_name(hash_algorithm, signature_algorithm).is_none() {
        return None;
    }
    let (signature, _) = take_u16_prefixed(rest)?;
    // OpenSSL copies the signature with a zero-size allocation, which fails.
    if signature.is_empty() {
        return None;
    }

    Some(Sct::V1(SctV1 {
        log_id,
        timestamp,
        extensions: extensions.to_vec(),
        hash_algorithm,
        signature_algorithm,
        signature: signature.to_vec(),
    }))
}

/// `o2i_SCT_LIST`: the whole input must be one length-prefixed list of
/// length-prefixed, non-empty entries.
fn parse_list(input: &[u8]) -> Option<Vec<Sct>> {
    if input.len() < 2 || input.len() > MAX_SCT_LIST_SIZE {
        return None;
    }
    let (mut list, rest) = take_u16_prefixed(input)?;
    if !rest.is_empty() {
        return None;
    }
    let mut scts = Vec::new();
    while !list.is_empty() {
        let (entry, rest) = take_u16_prefixed(list)?;
        if entry.is_empty() {
            return None;
        }
        scts.push(parse_sct(entry)?);
        list = rest;
    }
    Some(scts)
}

/// `BIO_hex_string`: `AB:CD:...`, `width` octets per line, continuation
/// lines indented by `indent`.
fn hex_string(out: &mut Vec<u8>, indent: usize, width: usize, data: &[u8]) {
    let Some((last, body)) = data.split_last() else {
        return;
    };
    let mut column = 0;
    for (i, byte) in body.iter().enumerate() {
        if i > 0 && column == 0 {
            pad(out, indent);
        }
        out.extend_from_slice(format!("{byte:02X}:").as_bytes());
        column = (column + 1) % width;
        if column == 0 {
            out.push(b'\n');
        }
    }
    if !body.is_empty() && column == 0 {
        pad(out, indent);
    }
    out.extend_from_slice(format!("{last:02X}").as_bytes());
}

/// Prints a timestamp in milliseconds since the epoch as a GeneralizedTime
/// with milliseconds, or nothing when OpenSSL cannot represent the date.
fn print_timestamp(out: &mut Vec<u8>, timestamp: u64) {
    // OpenSSL passes the day count through a C int, wrapping large values.
    let days = i64::from((timestamp / 86_400_000) as u32 as i32);
    let seconds = ((timestamp % 86_400_000) / 1000) as i64;
    let Some((year, month, day, hour, minute, second)) = civil_from_unix(days * 86_400 + seconds)
    else {
        return;
    };
    if !(1900..=9999).contains(&year) {
        return;
    }
    let text = format!(
        "{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}.{:03}Z",
        timestamp % 1000
    );
    let _valid = generalized_time(out, text.as_bytes());
}

/// Writes `label` on its own line at `indent + 4`, as `SCT_print` starts each field.
fn field(out: &mut Vec<u8>, indent: usize, label: &[u8]) {
    out.push(b'\n');
    pad(out, indent + 4);
    out.extend_from_slice(label);
}

/// `SCT_print`.
fn print_sct(out: &mut Vec<u8>, sct: &Sct, indent: usize) {
    pad(out, indent);
    out.extend_from_slice(b"Signed Certificate Timestamp:");
    field(out, indent, b"Version   : ");
    let sct = match sct {
        Sct::V1(sct) => sct,
        Sct::Other(octets) => {
            out.extend_from_slice(b"unknown\n");
            pad(out, indent + 16);
            hex_string(out, indent + 16, 16, octets);
            return;
        }
    };
    out.extend_from_slice(b"v1 (0x0)");

    field(out, indent, b"Log ID    : ");
    hex_string(out, indent + 16, 16, &sct.log_id);

    field(out, indent, b"Timestamp : ");
    print_timestamp(out, sct.timestamp);

    field(out, indent, b"Extensions: ");
    if sct.extensions.is_empty() {
        out.extend_from_slice(b"none");
    } else {
        hex_string(out, indent + 16, 16, &sct.extensions);
    }

    field(out, indent, b"Signature : ");
    let name = signature_name(sct.hash_algorithm, sct.signature_algorithm).unwrap_or_default();
    out.extend_from_slice(name.as_bytes());
    field(out, indent, b"            ");
    hex_string(out, indent + 16, 16, &sct.signature);
}

/// Prints the precertificate or certificate SCT list extension.
pub(super) fn sct_list(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let decoded = first_element(value)
        .and_then(|element| ber::universal_string(&element, tag::OCTET_STRING))
        .and_then(|octets| parse_list(&octets));
    let Some(scts) = decoded else {
        return false;
    };
    for (i, sct) in scts.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        print_sct(out, sct, indent);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_string_wraps_after_width_octets() {
        let mut out = Vec::new();
        hex_string(&mut out, 2, 2, &[1, 2, 3, 4, 5]);
        assert_eq!(out, b"01:02:\n  03:04:\n  05");
    }

    #[test]
    fn empty_list_decodes() {
        assert_eq!(parse_list(&[0, 0]).map(|list| list.len()), Some(0));
        assert!(parse_list(&[0, 1, 0]).is_none());
        assert!(parse_list(&[0]).is_none());
    }
}
