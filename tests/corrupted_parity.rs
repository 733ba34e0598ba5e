//! One-byte corruptions of a time-stamp token that OpenSSL's decoder rejects
//! or accepts for reasons of its own: `tsrs ts -reply -text` and `tsrs ts
//! -verify` must exit and print as `openssl ts` does on each.

mod common;

use std::fs;

use common::{Pki, Tool, ts};
use tsrs::asn1::ber::der_children;

/// Where to flip: a path of child indexes from the token's outer element,
/// then which byte of the element at that path (0 is the tag octet,
/// `Content(n)` the n-th content octet), and the mask to XOR in.
struct Flip {
    what: &'static str,
    path: &'static [usize],
    byte: Byte,
    mask: u8,
    /// Whether OpenSSL prints the corrupted token with `-reply -text`.
    openssl_decodes: bool,
}

#[derive(Clone, Copy)]
enum Byte {
    Tag,
    Content(usize),
    LastContent,
}

/// Each path starts with 1, 0: the ContentInfo's `[0]`, then SignedData.
/// Field 3 of SignedData is the certificate set; 0 is the TSA certificate
/// and 1 the CA certificate. In a TBSCertificate: 0 version, 1 serial,
/// 2 signature, 3 issuer, 4 validity, 5 subject, 6 subjectPublicKeyInfo.
const FLIPS: &[Flip] = &[
    // Field 4 of SignedData is signerInfos; in a SignerInfo, 3 is the signed
    // attributes: 0 contentType, 1 signingTime, 2 messageDigest,
    // 3 signingCertificateV2. OpenSSL reads a SET OF without looking at the
    // constructed bit, and keeps an attribute value unread.
    Flip {
        what: "a primitive SET of signingTime values",
        path: &[1, 0, 4, 0, 3, 1, 1],
        byte: Byte::Tag,
        mask: 0x20,
        openssl_decodes: true,
    },
    Flip {
        what: "a private-class tag on the contentType value, whose content is then not BER",
        path: &[1, 0, 4, 0, 3, 0, 1, 0],
        byte: Byte::Tag,
        mask: 0xff,
        openssl_decodes: true,
    },
    Flip {
        what: "an ObjectDescriptor tag on the contentType value",
        path: &[1, 0, 4, 0, 3, 0, 1, 0],
        byte: Byte::Tag,
        mask: 0x01,
        openssl_decodes: true,
    },
    // OpenSSL joins the leaves of a constructed string whatever their tags.
    Flip {
        what: "the TSA name's directoryName tag turned into a constructed URI",
        path: &[1, 0, 2, 1, 0, 0, 8, 0],
        byte: Byte::Tag,
        mask: 0x02,
        openssl_decodes: true,
    },
    Flip {
        what: "the TSA certificate's extensions tag turned into a subjectUniqueID",
        path: &[1, 0, 3, 0, 0, 7],
        byte: Byte::Tag,
        mask: 0x01,
        openssl_decodes: false,
    },
    // TSTInfo field 2 is the messageImprint; its AlgorithmIdentifier's
    // parameters are a NULL.
    Flip {
        what: "a constructed NULL as the hash algorithm parameters",
        path: &[1, 0, 2, 1, 0, 0, 2, 0, 1],
        byte: Byte::Tag,
        mask: 0x20,
        openssl_decodes: false,
    },
    Flip {
        what: "an ObjectDescriptor as the hash algorithm parameters",
        path: &[1, 0, 2, 1, 0, 0, 2, 0, 1],
        byte: Byte::Tag,
        mask: 0x02,
        openssl_decodes: true,
    },
    Flip {
        what: "a NULL tag on the hashed message after the parameters",
        path: &[1, 0, 2, 1, 0, 0, 2, 0, 1],
        byte: Byte::Content(0),
        mask: 0x01,
        openssl_decodes: false,
    },
    // OpenSSL reads name attribute types of any OID; x509-cert does not.
    Flip {
        what: "a two-octet first subidentifier in the signer's issuer name",
        path: &[1, 0, 4, 0, 1, 0, 0, 0, 0],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: true,
    },
    // SignedData field 2 contains the TSTInfo, whose field 8 is the TSA name.
    Flip {
        what: "a two-octet first subidentifier in the TSA name",
        path: &[1, 0, 2, 1, 0, 0, 8, 0, 0, 0, 0, 0],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: true,
    },
    Flip {
        what: "a length that does not fit inside the signingCertificateV2 value",
        path: &[1, 0, 4, 0, 3, 3, 1, 0, 0],
        byte: Byte::Content(1),
        mask: 0x80,
        openssl_decodes: true,
    },
    Flip {
        what: "invalid UTF-8 in the TSA certificate's subject CN",
        path: &[1, 0, 3, 0, 0, 5, 4, 0, 1],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "a context-specific tag on the subject CN value",
        path: &[1, 0, 3, 0, 0, 5, 4, 0, 1],
        byte: Byte::Tag,
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "a wrong tag on the signature AlgorithmIdentifier OID",
        path: &[1, 0, 3, 0, 0, 2, 0],
        byte: Byte::Tag,
        mask: 0x01,
        openssl_decodes: false,
    },
    Flip {
        what: "unused bits 0x80 in the public key BIT STRING",
        path: &[1, 0, 3, 0, 0, 6, 1],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "an OID whose last octet has its high bit set",
        path: &[1, 0, 3, 0, 0, 5, 4, 0, 0],
        byte: Byte::LastContent,
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "a certificate choice with tag [16]",
        path: &[1, 0, 3, 1],
        byte: Byte::Tag,
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "invalid UTF-8 in the signer's issuer name",
        path: &[1, 0, 4, 0, 1, 0, 1, 0, 1],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: false,
    },
    Flip {
        what: "an invalid OID as the content-type attribute value",
        path: &[1, 0, 4, 0, 3, 0, 1, 0],
        byte: Byte::LastContent,
        mask: 0xff,
        openssl_decodes: false,
    },
    Flip {
        what: "a primitive issuer Name, which OpenSSL reads as a SEQUENCE OF",
        path: &[1, 0, 3, 0, 0, 3],
        byte: Byte::Tag,
        mask: 0x20,
        openssl_decodes: true,
    },
    Flip {
        what: "a malformed UTCTime in the CA certificate, which OpenSSL never reads",
        path: &[1, 0, 3, 1, 0, 4, 0],
        byte: Byte::Content(0),
        mask: 0x80,
        openssl_decodes: true,
    },
];

/// The offset of the byte `flip` changes in `der`.
fn locate(der: &[u8], flip: &Flip) -> usize {
    let mut offset = 0;
    for &index in flip.path {
        let children = der_children(der, offset).expect("constructed element on the path");
        offset = children[index];
    }
    let element = tsrs::asn1::ber::der_element(der, offset).unwrap();
    let header = element.len() - content_len(der, offset);
    match flip.byte {
        Byte::Tag => offset,
        Byte::Content(n) => offset + header + n,
        Byte::LastContent => offset + element.len() - 1,
    }
}

/// The content length of the element at `offset`, read from its header.
fn content_len(der: &[u8], offset: usize) -> usize {
    let first = der[offset + 1];
    if first & 0x80 == 0 {
        return usize::from(first);
    }
    let count = usize::from(first & 0x7f);
    der[offset + 2..offset + 2 + count]
        .iter()
        .fold(0, |len, &byte| (len << 8) | usize::from(byte))
}

#[test]
fn single_byte_flips_match_openssl() {
    let pki = Pki::new();
    let d = pki.path();
    for args in [
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-cert", "-out", "q.tsq",
        ][..],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-token_out",
            "-out",
            "t.tok",
        ][..],
    ] {
        assert!(ts(Tool::Openssl, d, args, false, None).status.success());
    }
    let token = fs::read(d.join("t.tok")).unwrap();

    for flip in FLIPS {
        let offset = locate(&token, flip);
        let mut corrupted = token.clone();
        corrupted[offset] ^= flip.mask;
        fs::write(d.join("x.tok"), &corrupted).unwrap();
        let reply = ["-reply", "-in", "x.tok", "-text", "-token_in"];
        let verify = [
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "x.tok",
            "-CAfile",
            "ca.pem",
            "-token_in",
        ];
        for args in [&reply[..], &verify[..]] {
            let ours = ts(Tool::Tsrs, d, args, false, None);
            let theirs = ts(Tool::Openssl, d, args, false, None);
            assert_eq!(
                ours.status.code(),
                theirs.status.code(),
                "{}: exit status of {} (byte {offset})\ntsrs: {}\nopenssl: {}",
                flip.what,
                args[0],
                String::from_utf8_lossy(&ours.stderr),
                String::from_utf8_lossy(&theirs.stderr),
            );
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "{}: output of {} (byte {offset})",
                flip.what,
                args[0],
            );
        }
        let printed = ts(Tool::Openssl, d, &reply, false, None).status.success();
        assert_eq!(
            printed, flip.openssl_decodes,
            "{}: the flip no longer tests what it names",
            flip.what
        );
    }
}
