//! Names compared with OpenSSL: the subject hash against `openssl x509
//! -subject_hash`, the one-line form against `-subject -nameopt compat`, and
//! `names_equal` against the equality of OpenSSL's hashes; plus hand-built
//! canonical encodings that need no OpenSSL at all.

mod x509_pki;

use tsrs::x509::{self, canonical_encoding, name_hash, name_oneline, names_equal};
use x509_cert::name::Name;
use x509_pki::Pki;

/// Self-signs a certificate for `subject` with `openssl req -x509`, using
/// the given `string_mask` and extra arguments, and returns the subject with
/// the hash and the compat one-line form that OpenSSL reports for it.
struct Named {
    subject: Name,
    openssl_hash: String,
    openssl_oneline: String,
}

fn named(pki: &Pki, tag: &str, subject: &str, mask: &str, extra: &[&str]) -> Named {
    let config = pki.path(&format!("{tag}.cnf"));
    std::fs::write(
        &config,
        format!("[ req ]\ndistinguished_name = dn\nstring_mask = {mask}\n[ dn ]\n"),
    )
    .unwrap();
    let key = pki.path("name.key");
    if !key.exists() {
        pki.run(&[
            "genpkey",
            "-algorithm",
            "ED25519",
            "-out",
            key.to_str().unwrap(),
        ]);
    }
    let cert = pki.path(&format!("{tag}.pem"));
    let mut args = vec![
        "req",
        "-x509",
        "-new",
        "-config",
        config.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-subj",
        subject,
        "-days",
        "1",
        "-out",
        cert.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    pki.run(&args);
    let hash = pki.run(&[
        "x509",
        "-in",
        cert.to_str().unwrap(),
        "-noout",
        "-subject_hash",
    ]);
    let oneline = pki.run(&[
        "x509",
        "-in",
        cert.to_str().unwrap(),
        "-noout",
        "-subject",
        "-nameopt",
        "compat",
    ]);
    Named {
        subject: x509::load_certs(&cert).unwrap().remove(0).subject().clone(),
        openssl_hash: hash.trim().to_owned(),
        openssl_oneline: oneline
            .trim_end()
            .strip_prefix("subject=")
            .unwrap()
            .to_owned(),
    }
}

const SUBJECTS: &[(&str, &str, &[&str])] = &[
    (
        "/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1",
        "utf8only",
        &[],
    ),
    (
        "/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1",
        "pkix",
        &[],
    ),
    ("/CN=  Mixed   Case  Name  /O=ACME", "utf8only", &[]),
    ("/CN=  Mixed   Case  Name  /O=ACME", "nombstr", &[]),
    ("/CN=mixed case name/O=acme", "utf8only", &[]),
    ("/CN=a\\/b/O=x\\+y", "utf8only", &[]),
    ("/CN=Árvíztűrő tükörfúrógép", "utf8only", &["-utf8"]),
    ("/CN=Árvíztűrő tükörfúrógép", "default", &["-utf8"]),
    ("/CN=ÁRVÍZTŰRŐ TÜKÖRFÚRÓGÉP", "utf8only", &["-utf8"]),
    ("/CN=Ärger Öl", "nombstr", &["-utf8"]),
    ("/CN=ärger öl", "utf8only", &["-utf8"]),
    ("/emailAddress=Joe@Example.COM/CN=Joe", "utf8only", &[]),
    ("/emailAddress=joe@example.com/CN=joe", "pkix", &[]),
    ("/serialNumber=1234/CN=x", "utf8only", &[]),
    ("/CN=a+O=b/C=HU", "utf8only", &["-multivalue-rdn"]),
    ("/O=b+CN=a/C=HU", "utf8only", &["-multivalue-rdn"]),
    ("/DC=com/DC=example/CN=dc", "utf8only", &[]),
    ("/1.2.3.4.5=custom value/CN=x", "utf8only", &[]),
    ("/CN=tab\tand\nnewline", "utf8only", &[]),
];

fn all_names(pki: &Pki) -> Vec<Named> {
    SUBJECTS
        .iter()
        .enumerate()
        .map(|(index, (subject, mask, extra))| {
            named(pki, &format!("n{index}"), subject, mask, extra)
        })
        .collect()
}

#[test]
fn subject_hash_matches_openssl() {
    let pki = Pki::new("names-hash");
    for (named, (subject, mask, _)) in all_names(&pki).iter().zip(SUBJECTS) {
        assert_eq!(
            format!("{:08x}", name_hash(&named.subject)),
            named.openssl_hash,
            "hash of {subject} with string_mask {mask}"
        );
    }
}

#[test]
fn oneline_matches_openssl_compat() {
    let pki = Pki::new("names-oneline");
    for (named, (subject, mask, _)) in all_names(&pki).iter().zip(SUBJECTS) {
        assert_eq!(
            name_oneline(&named.subject),
            named.openssl_oneline,
            "one-line form of {subject} ({mask})"
        );
    }
}

#[test]
fn names_equal_agrees_with_openssl_hashes() {
    let pki = Pki::new("names-equal");
    let names = all_names(&pki);
    let mut equal_pairs = 0;
    for (i, a) in names.iter().enumerate() {
        for b in &names[i..] {
            let openssl_equal = a.openssl_hash == b.openssl_hash;
            assert_eq!(
                names_equal(&a.subject, &b.subject),
                openssl_equal,
                "{} vs {}",
                a.openssl_oneline,
                b.openssl_oneline
            );
            if openssl_equal && !std::ptr::eq(a, b) {
                equal_pairs += 1;
            }
        }
    }
    assert!(
        equal_pairs >= 5,
        "only {equal_pairs} pairs differ in encoding but are equal"
    );
}

/// An RDN sequence with one attribute per RDN, each given as (OID content
/// octets, string tag, value octets).
fn name_der(attributes: &[(&[u8], u8, &[u8])]) -> Vec<u8> {
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        let mut out = vec![tag, content.len() as u8];
        out.extend_from_slice(content);
        out
    }
    let mut rdns = Vec::new();
    for (oid, tag, value) in attributes {
        let mut attribute = tlv(0x06, oid);
        attribute.extend(tlv(*tag, value));
        rdns.extend(tlv(0x31, &tlv(0x30, &attribute)));
    }
    tlv(0x30, &rdns)
}

const CN: &[u8] = &[0x55, 0x04, 0x03];
const COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
const NUMERIC_STRING: u8 = 0x12;
const PRINTABLE_STRING: u8 = 0x13;
const T61_STRING: u8 = 0x14;
const UTF8_STRING: u8 = 0x0C;
const BMP_STRING: u8 = 0x1E;

fn parse(der: &[u8]) -> Name {
    tsrs::asn1::decode("name", der).unwrap()
}

#[test]
fn canonical_encoding_by_hand() {
    let name = parse(&name_der(&[
        (COUNTRY, PRINTABLE_STRING, b"HU"),
        (CN, PRINTABLE_STRING, b"  Hello   World "),
    ]));
    let expected = [
        0x31, 0x0B, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x0C, 0x02, b'h', b'u', 0x31, 0x14,
        0x30, 0x12, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x0B, b'h', b'e', b'l', b'l', b'o', b' ',
        b'w', b'o', b'r', b'l', b'd',
    ];
    assert_eq!(canonical_encoding(&name), expected);
}

#[test]
fn string_types_fold_to_the_same_name() {
    let printable = parse(&name_der(&[(CN, PRINTABLE_STRING, b"ABC")]));
    let utf8 = parse(&name_der(&[(CN, UTF8_STRING, b"abc")]));
    let bmp = parse(&name_der(&[(CN, BMP_STRING, &[0, b'A', 0, b'b', 0, b'C'])]));
    let t61 = parse(&name_der(&[(CN, T61_STRING, b" abc ")]));
    assert!(names_equal(&printable, &utf8));
    assert!(names_equal(&printable, &bmp));
    assert!(names_equal(&printable, &t61));
    assert_eq!(name_hash(&printable), name_hash(&bmp));
}

#[test]
fn latin1_and_utf8_fold_together() {
    let t61 = parse(&name_der(&[(CN, T61_STRING, &[0xC9, b'T', b'E'])]));
    let utf8 = parse(&name_der(&[(CN, UTF8_STRING, "Éte".as_bytes())]));
    // Only ASCII letters are lower-cased, so É stays upper case in both.
    assert!(names_equal(&t61, &utf8));
    let lower = parse(&name_der(&[(CN, UTF8_STRING, "éte".as_bytes())]));
    assert!(!names_equal(&t61, &lower));
}

#[test]
fn numeric_strings_are_compared_as_encoded() {
    let numeric = parse(&name_der(&[(CN, NUMERIC_STRING, b"12 3")]));
    let printable = parse(&name_der(&[(CN, PRINTABLE_STRING, b"12 3")]));
    assert!(!names_equal(&numeric, &printable));
    let numeric_spaced = parse(&name_der(&[(CN, NUMERIC_STRING, b"12  3")]));
    assert!(!names_equal(&numeric, &numeric_spaced));
}

#[test]
fn rdn_structure_matters() {
    let two_rdns = parse(&name_der(&[
        (CN, UTF8_STRING, b"a"),
        (COUNTRY, PRINTABLE_STRING, b"HU"),
    ]));
    let reversed = parse(&name_der(&[
        (COUNTRY, PRINTABLE_STRING, b"HU"),
        (CN, UTF8_STRING, b"a"),
    ]));
    assert!(!names_equal(&two_rdns, &reversed));
    assert!(names_equal(&Name::default(), &parse(&[0x30, 0x00])));
}

#[test]
fn oneline_escapes_bmp_bytes() {
    let bmp = parse(&name_der(&[(CN, BMP_STRING, &[0, b'A', 0x01, 0x71])]));
    assert_eq!(name_oneline(&bmp), "/CN=\\x00A\\x01q");
}
