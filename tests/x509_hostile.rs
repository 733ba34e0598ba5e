//! Hostile input: random and mutated certificates, CRLs and PEM text must
//! give a value or an error, never a panic, and verification of whatever
//! parses must end with a verdict.

mod x509_pki;

use std::sync::OnceLock;

use proptest::prelude::*;
use tsrs::x509::{self, Cert, Crl, TrustStore, VerifyOptions};
use x509_pki::{DAY, Pki, Spec, now};

/// DER of a root, an intermediate, a leaf and a CRL, made once per test binary.
struct Material {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
    crl: Vec<u8>,
    _pki: Pki,
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        let pki = Pki::new("hostile");
        let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
        let spec = Spec::ca("/CN=Int")
            .key("p256")
            .extension("nameConstraints = permitted;DNS:example.com")
            .extension("crlDistributionPoints = URI:http://example.com/crl");
        let intermediate = pki.issue("int", &spec, Some(&root));
        let leaf = pki.issue(
            "leaf",
            &Spec::tsa("/CN=tsa.example.com").extension("subjectAltName = DNS:tsa.example.com"),
            Some(&intermediate),
        );
        pki.revoke(&intermediate, &leaf);
        let crl = pki.crl("int.crl", &intermediate, now() - DAY, now() + DAY);
        let der = |path: &std::path::Path, kind: &str| {
            let out = pki.path("tmp.der");
            pki.run(&[
                kind,
                "-in",
                path.to_str().unwrap(),
                "-outform",
                "DER",
                "-out",
                out.to_str().unwrap(),
            ]);
            std::fs::read(out).unwrap()
        };
        Material {
            root: der(&root.cert, "x509"),
            intermediate: der(&intermediate.cert, "x509"),
            leaf: der(&leaf.cert, "x509"),
            crl: der(&crl, "crl"),
            _pki: pki,
        }
    })
}

fn mutate(input: &[u8], position: usize, value: u8, cut: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    if !out.is_empty() {
        let index = position % out.len();
        out[index] ^= value | 1;
    }
    out.truncate(out.len().saturating_sub(cut % 4));
    out
}

/// Verifies `leaf` against the material's chain with every check enabled.
fn verify_everything(leaf: &Cert, intermediate: Option<Cert>, crl: Option<Crl>) {
    let material = material();
    let mut store = TrustStore::new();
    store.add_cert(Cert::from_der(&material.root).unwrap());
    if let Some(crl) = crl {
        store.add_crl(crl);
    }
    let untrusted: Vec<Cert> = intermediate.into_iter().collect();
    for strict in [false, true] {
        let options = VerifyOptions {
            x509_strict: strict,
            crl_check: true,
            crl_check_all: strict,
            check_self_signed_signature: true,
            ..VerifyOptions::default()
        };
        let _ = x509::verify_chain(leaf, &untrusted, &store, &options);
    }
}

#[test]
fn material_verifies_as_built() {
    let material = material();
    let leaf = Cert::from_der(&material.leaf).unwrap();
    let intermediate = Cert::from_der(&material.intermediate).unwrap();
    let crl = Crl::from_der(&material.crl).unwrap();
    let mut store = TrustStore::new();
    store.add_cert(Cert::from_der(&material.root).unwrap());
    store.add_crl(crl);
    let options = VerifyOptions {
        crl_check: true,
        ..VerifyOptions::default()
    };
    let err = x509::verify_chain(&leaf, &[intermediate], &store, &options).unwrap_err();
    assert_eq!(err.code(), x509::VerifyCode::CertRevoked);
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Cert::from_der(&bytes);
        let _ = Cert::from_trusted_der(&bytes);
        let _ = Crl::from_der(&bytes);
        let _ = x509::parse_certs(&bytes, "random");
        let _ = x509::parse_crls(&bytes, "random");
        let _ = TrustStore::new().load_bytes(&bytes, "random");
    }

    #[test]
    fn random_pem_never_panics(body in "[A-Za-z0-9+/= \r\n:-]{0,400}", label in "(CERTIFICATE|X509 CRL|TRUSTED CERTIFICATE|X)") {
        let text = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
        let _ = x509::parse_certs(text.as_bytes(), "random");
        let _ = TrustStore::new().load_bytes(text.as_bytes(), "random");
    }

    #[test]
    fn mutated_leaf_never_panics(position in any::<usize>(), value in any::<u8>(), cut in any::<usize>()) {
        let material = material();
        let bytes = mutate(&material.leaf, position, value, cut);
        if let Ok(leaf) = Cert::from_der(&bytes) {
            let _ = leaf.check_timestamp_signer();
            let _ = x509::name_oneline(leaf.subject());
            let _ = x509::name_hash(leaf.issuer());
            verify_everything(&leaf, Cert::from_der(&material.intermediate).ok(), Crl::from_der(&material.crl).ok());
        }
    }

    #[test]
    fn mutated_intermediate_never_panics(position in any::<usize>(), value in any::<u8>(), cut in any::<usize>()) {
        let material = material();
        let bytes = mutate(&material.intermediate, position, value, cut);
        if let Ok(intermediate) = Cert::from_der(&bytes) {
            let leaf = Cert::from_der(&material.leaf).unwrap();
            verify_everything(&leaf, Some(intermediate), Crl::from_der(&material.crl).ok());
        }
    }

    #[test]
    fn mutated_crl_never_panics(position in any::<usize>(), value in any::<u8>(), cut in any::<usize>()) {
        let material = material();
        let bytes = mutate(&material.crl, position, value, cut);
        if let Ok(crl) = Crl::from_der(&bytes) {
            let leaf = Cert::from_der(&material.leaf).unwrap();
            verify_everything(&leaf, Cert::from_der(&material.intermediate).ok(), Some(crl));
        }
    }
}
