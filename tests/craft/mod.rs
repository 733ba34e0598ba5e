//! Builds time-stamp tokens and certificates byte by byte at test time, signed
//! with the keys of a demo TSA, and verifies them with `tsrs ts -verify` and
//! `openssl ts -verify`.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

use der::Encode;
use tsrs::demo::{self, DemoOptions};
use tsrs::digest::DigestAlgorithm;
use tsrs::keys::{KeyKind, PrivateKey, Signer};
use tsrs::x509::{self, Cert};

use super::common::{TempDir, Tool, ts};

pub const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
pub const TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
pub const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
pub const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
pub const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
pub const SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";
pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
pub const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
pub const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";
pub const NULL: &[u8] = &[0x05, 0x00];

/// The data every token stamps.
pub const DATA: &[u8] = b"hello\n";

/// A tag, a DER length and the content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    tsrs::asn1::ber::write_length(content.len(), &mut out);
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

pub fn set(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

pub fn octets(content: &[u8]) -> Vec<u8> {
    tlv(0x04, content)
}

pub fn integer(value: u64) -> Vec<u8> {
    tlv(
        0x02,
        &tsrs::asn1::unsigned_integer_bytes(&value.to_be_bytes()),
    )
}

pub fn oid(dotted: &str) -> Vec<u8> {
    let oid = der::asn1::ObjectIdentifier::new(dotted).unwrap();
    oid.to_der().unwrap()
}

/// An AlgorithmIdentifier with NULL parameters.
pub fn algorithm(dotted: &str) -> Vec<u8> {
    seq(&[&oid(dotted), NULL])
}

/// A Name with one commonName.
pub fn name(common_name: &str) -> Vec<u8> {
    let attribute = seq(&[&oid("2.5.4.3"), &tlv(0x0C, common_name.as_bytes())]);
    seq(&[&set(&[&attribute])])
}

/// The elements inside a DER element.
pub fn children(element: &[u8]) -> Vec<Vec<u8>> {
    tsrs::asn1::ber::der_children(element, 0)
        .unwrap()
        .into_iter()
        .map(|offset| {
            tsrs::asn1::ber::der_element(element, offset)
                .unwrap()
                .to_vec()
        })
        .collect()
}

/// The same element with a two-octet long-form length, which BER allows and
/// DER does not.
pub fn long_form(element: &[u8]) -> Vec<u8> {
    let content = &children_content(element);
    let mut out = vec![element[0], 0x82];
    out.extend_from_slice(&u16::try_from(content.len()).unwrap().to_be_bytes());
    out.extend_from_slice(content);
    out
}

fn children_content(element: &[u8]) -> Vec<u8> {
    children(element).concat()
}

/// A signer: a key and its certificate.
pub struct Signing {
    pub key: PrivateKey,
    pub cert: Vec<u8>,
}

/// A demo TSA in a temporary folder, with `data.txt` beside it.
pub struct Demo {
    pub dir: TempDir,
    pub ca: Signing,
    pub tsa: Signing,
}

impl Demo {
    pub fn new() -> Demo {
        let dir = TempDir::new("craft");
        demo::create(&DemoOptions::new(dir.path())).unwrap();
        fs::write(dir.join("data.txt"), DATA).unwrap();
        let load = |key: &str, cert: &str| Signing {
            key: PrivateKey::load(&dir.join(key), None).unwrap(),
            cert: x509::load_certs(&dir.join(cert)).unwrap()[0].der().to_vec(),
        };
        let ca = load("ca.key", "ca.pem");
        let tsa = load("tsa.key", "tsa.pem");
        Demo { dir, ca, tsa }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A TSTInfo for [`DATA`] with a SHA-256 imprint.
pub fn tst_info() -> Vec<u8> {
    let imprint = seq(&[
        &algorithm(SHA256),
        &octets(&DigestAlgorithm::Sha256.digest(DATA)),
    ]);
    seq(&[
        &integer(1),
        &oid("1.2.3.4.1"),
        &imprint,
        &integer(42),
        &tlv(0x18, b"20261204120000Z"),
    ])
}

/// The issuer Name and serial INTEGER of a certificate.
pub fn issuer_and_serial(cert: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let parsed = Cert::from_der(cert).unwrap();
    let issuer = parsed.issuer().to_der().unwrap();
    (issuer, tlv(0x02, parsed.serial_bytes()))
}

/// A signingCertificateV2 attribute naming `cert` (hashed as given) with SHA-256.
pub fn ess_v2(cert: &[u8]) -> Vec<u8> {
    let (issuer, serial) = issuer_and_serial(cert);
    let issuer_serial = seq(&[&seq(&[&tlv(0xA4, &issuer)]), &serial]);
    let id = seq(&[
        &octets(&DigestAlgorithm::Sha256.digest(cert)),
        &issuer_serial,
    ]);
    seq(&[&seq(&[&id])])
}

pub fn attribute(dotted: &str, value: &[u8]) -> Vec<u8> {
    seq(&[&oid(dotted), &set(&[value])])
}

/// What a token is made of; [`Token::new`] fills in a valid token.
pub struct Token {
    pub tst_info: Vec<u8>,
    /// The encapsulated content, `[0]` excluded: an OCTET STRING normally.
    pub econtent: Vec<u8>,
    /// Each signed attribute, in order.
    pub signed_attrs: Vec<Vec<u8>>,
    pub signature_algorithm: Vec<u8>,
    /// The content of the `[0]` certificate set.
    pub certificates: Vec<u8>,
    /// The signer certificate that the SignerIdentifier names.
    pub signer_cert: Vec<u8>,
    /// The content of `[1]` unsigned attributes, if any.
    pub unsigned_attrs: Option<Vec<u8>>,
}

impl Token {
    /// A token signed by `signer` with its certificate in the set.
    pub fn new(signer: &Signing) -> Token {
        let tst_info = tst_info();
        let digest = DigestAlgorithm::Sha256.digest(&tst_info);
        Token {
            econtent: octets(&tst_info),
            signed_attrs: vec![
                attribute(CONTENT_TYPE, &oid(TST_INFO)),
                attribute(SIGNING_TIME, &tlv(0x17, b"261204120000Z")),
                attribute(MESSAGE_DIGEST, &octets(&digest)),
                attribute(SIGNING_CERTIFICATE_V2, &ess_v2(&signer.cert)),
            ],
            tst_info,
            signature_algorithm: match signer.key.kind() {
                KeyKind::Rsa => algorithm(RSA_ENCRYPTION),
                _ => seq(&[&oid(ECDSA_WITH_SHA256)]),
            },
            certificates: signer.cert.clone(),
            signer_cert: signer.cert.clone(),
            unsigned_attrs: None,
        }
    }

    /// The signed attributes as the signature covers them, under the SET OF tag.
    pub fn signed_attrs_set(&self) -> Vec<u8> {
        tlv(0x31, &self.signed_attrs.concat())
    }

    /// Signs the signed attributes as they will be sent and encodes the token.
    pub fn sign(&self, key: &PrivateKey) -> Vec<u8> {
        let signature = key
            .sign(DigestAlgorithm::Sha256, &self.signed_attrs_set())
            .unwrap();
        self.encode(&signature)
    }

    /// Encodes the token with a given signature value.
    pub fn encode(&self, signature: &[u8]) -> Vec<u8> {
        let (issuer, serial) = issuer_and_serial(&self.signer_cert);
        let mut signer_info = [
            integer(1),
            seq(&[&issuer, &serial]),
            algorithm(SHA256),
            tlv(0xA0, &self.signed_attrs.concat()),
            self.signature_algorithm.clone(),
            octets(signature),
        ]
        .concat();
        if let Some(unsigned) = &self.unsigned_attrs {
            signer_info.extend(tlv(0xA1, unsigned));
        }
        let encap = seq(&[&oid(TST_INFO), &tlv(0xA0, &self.econtent)]);
        let signed_data = seq(&[
            &integer(3),
            &set(&[&algorithm(SHA256)]),
            &encap,
            &tlv(0xA0, &self.certificates),
            &set(&[&tlv(0x30, &signer_info)]),
        ]);
        seq(&[&oid(SIGNED_DATA), &tlv(0xA0, &signed_data)])
    }
}

/// A certificate to issue: EC P-256 key, 2025 to 2045.
pub struct CertSpec<'a> {
    pub subject: &'a str,
    pub issuer_name: Vec<u8>,
    pub serial: u64,
    /// basicConstraints cA.
    pub ca: bool,
    /// A critical extendedKeyUsage of timeStamping.
    pub time_stamping: bool,
}

/// Issues a certificate for a new EC key, signed by `issuer_key`.
pub fn issue(spec: &CertSpec<'_>, issuer_key: &PrivateKey) -> Signing {
    let key = PrivateKey::generate(KeyKind::EcP256).unwrap();
    let cert = issue_for(spec, &key, issuer_key);
    Signing { key, cert }
}

/// Issues a certificate for `key`, signed by `issuer_key`.
pub fn issue_for(spec: &CertSpec<'_>, key: &PrivateKey, issuer_key: &PrivateKey) -> Vec<u8> {
    let signature_algorithm = match issuer_key.kind() {
        KeyKind::Rsa => algorithm(SHA256_WITH_RSA),
        _ => seq(&[&oid(ECDSA_WITH_SHA256)]),
    };
    let validity = seq(&[&tlv(0x17, b"250101000000Z"), &tlv(0x17, b"450101000000Z")]);
    let boolean_true: &[u8] = &[0x01, 0x01, 0xFF];
    let basic_constraints = if spec.ca {
        seq(&[boolean_true])
    } else {
        seq(&[])
    };
    let mut extensions = vec![seq(&[
        &oid("2.5.29.19"),
        boolean_true,
        &octets(&basic_constraints),
    ])];
    if spec.time_stamping {
        let eku = seq(&[&oid("1.3.6.1.5.5.7.3.8")]);
        extensions.push(seq(&[&oid("2.5.29.37"), boolean_true, &octets(&eku)]));
    }
    let spki = key.public_key_info().unwrap().to_der().unwrap();
    let tbs = seq(&[
        &tlv(0xA0, &integer(2)),
        &integer(spec.serial),
        &signature_algorithm,
        &spec.issuer_name,
        &validity,
        &name(spec.subject),
        &spki,
        &tlv(0xA3, &seq(&[&extensions.concat()])),
    ]);
    let signature = issuer_key.sign(DigestAlgorithm::Sha256, &tbs).unwrap();
    let mut bits = vec![0];
    bits.extend(signature);
    seq(&[&tbs, &signature_algorithm, &tlv(0x03, &bits)])
}

/// A verdict of `ts -verify`: whether it printed OK, and its stderr.
#[derive(Debug)]
pub struct Verdict {
    pub ok: bool,
    pub stderr: String,
}

/// Verifies `token` (a response unless `token_in`) against [`DATA`] and the
/// demo root with one tool.
pub fn verify(tool: Tool, demo: &Demo, token: &[u8], token_in: bool) -> Verdict {
    let path = demo.dir.join("token.der");
    fs::write(&path, token).unwrap();
    let mut args = vec!["-verify", "-in", "token.der"];
    if token_in {
        args.push("-token_in");
    }
    args.extend(["-data", "data.txt", "-CAfile", "ca.pem"]);
    let out = ts(tool, demo.path(), &args, false, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    Verdict {
        ok: stdout.contains("Verification: OK") && out.status.success(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Verifies a bare token with both tools: (tsrs, openssl).
pub fn verify_both(demo: &Demo, token: &[u8]) -> (Verdict, Verdict) {
    (
        verify(Tool::Tsrs, demo, token, true),
        verify(Tool::Openssl, demo, token, true),
    )
}
