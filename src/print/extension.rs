//! `TS_ext_print_bio` and `X509V3_EXT_print` of OpenSSL 3.0: the name line of
//! each extension, then its value as the matching libcrypto method prints it,
//! or the raw octets when there is no method or the value does not decode.

use der::asn1::ObjectIdentifier;
use x509_cert::ext::Extensions;

use super::oid::oid_text;
use super::text::printable_or_dot;
use super::x509v3;
use crate::oid::Objects;

/// Writes `Extensions:` and, for each extension, its name (with ` critical`
/// when marked so) and its value at indent 4.
pub fn print_extensions(out: &mut Vec<u8>, extensions: Option<&Extensions>, objects: &Objects) {
    out.extend_from_slice(b"Extensions:\n");
    for extension in extensions.map(Vec::as_slice).unwrap_or_default() {
        let name = oid_text(objects, extension.extn_id.as_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        if extension.critical {
            out.extend_from_slice(b" critical");
        }
        out.push(b'\n');
        let value = extension.extn_value.as_bytes();
        if !print_extension_value(out, &extension.extn_id, value, 4, objects) {
            out.extend_from_slice(b"    ");
            printable_or_dot(out, value);
        }
        out.push(b'\n');
    }
}

/// `X509V3_EXT_print(.., flag 0, indent)`: writes the value and returns true,
/// or returns false when OpenSSL has no method for the OID or the value does
/// not decode. A method that fails after decoding may have written part of
/// its text first, as its libcrypto counterpart does.
fn print_extension_value(
    out: &mut Vec<u8>,
    oid: &ObjectIdentifier,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    match x509v3::method(oid) {
        Some(method) => method(out, value, indent, objects),
        None => false,
    }
}
