//! Loading certificates, CA files and CRLs: PEM bundles, the three
//! certificate labels, DER files, and error messages that name the file and
//! the PEM block.

mod x509_pki;

use tsrs::Reason;
use tsrs::x509::{self, TrustStore};
use x509_pki::{DAY, Pki, Spec, now};

#[test]
fn pem_bundle_in_order_with_other_blocks() {
    let pki = Pki::new("load-bundle");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let key = std::fs::read_to_string(&leaf.key).unwrap();
    let text = format!(
        "leading text\n{}{key}{}trailing text\n",
        std::fs::read_to_string(&leaf.cert).unwrap(),
        std::fs::read_to_string(&root.cert).unwrap()
    );
    let bundle = pki.path("bundle.pem");
    std::fs::write(&bundle, text).unwrap();
    let certs = x509::load_certs(&bundle).unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(x509::name_oneline(certs[0].subject()), "/CN=tsa");
    assert_eq!(x509::name_oneline(certs[1].subject()), "/CN=Root");
}

#[test]
fn der_file_and_other_labels() {
    let pki = Pki::new("load-der");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let der = pki.path("root.der");
    pki.run(&[
        "x509",
        "-in",
        root.cert.to_str().unwrap(),
        "-outform",
        "DER",
        "-out",
        der.to_str().unwrap(),
    ]);
    let from_der = x509::load_certs(&der).unwrap();
    let from_pem = x509::load_certs(&root.cert).unwrap();
    assert_eq!(from_der, from_pem);

    let pem = std::fs::read_to_string(&root.cert).unwrap();
    let old_label = pki.path("old.pem");
    std::fs::write(
        &old_label,
        pem.replace("CERTIFICATE-----", "X509 CERTIFICATE-----"),
    )
    .unwrap();
    assert_eq!(
        x509::load_certs(&old_label).unwrap()[0].der(),
        from_pem[0].der()
    );

    let trusted = pki.path("trusted.pem");
    pki.run(&[
        "x509",
        "-in",
        root.cert.to_str().unwrap(),
        "-addtrust",
        "timeStamping",
        "-addreject",
        "serverAuth",
        "-setalias",
        "my root",
        "-out",
        trusted.to_str().unwrap(),
    ]);
    let cert = x509::load_certs(&trusted).unwrap().remove(0);
    assert_eq!(cert.der(), from_pem[0].der());
    let settings = cert.trust_settings().unwrap();
    assert_eq!(
        settings.trust.as_ref().unwrap()[0].to_string(),
        "1.3.6.1.5.5.7.3.8"
    );
    assert_eq!(
        settings.reject.as_ref().unwrap()[0].to_string(),
        "1.3.6.1.5.5.7.3.1"
    );
    assert_eq!(settings.alias.as_deref(), Some(&b"my root"[..]));
}

#[test]
fn errors_name_file_and_block() {
    let pki = Pki::new("load-errors");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let good = std::fs::read_to_string(&root.cert).unwrap();
    let broken =
        format!("{good}-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n");
    let path = pki.path("broken.pem");
    std::fs::write(&path, broken).unwrap();
    let err = x509::load_certs(&path).unwrap_err();
    assert_eq!(err.reason(), Reason::CertLoad);
    let message = err.to_string();
    assert!(message.contains("broken.pem"), "{message}");
    assert!(message.contains("PEM block 2"), "{message}");

    let empty = pki.path("empty.pem");
    std::fs::write(
        &empty,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let err = x509::load_certs(&empty).unwrap_err();
    assert!(err.to_string().contains("no certificate found in"), "{err}");

    let missing = pki.path("missing.pem");
    let err = x509::load_certs(&missing).unwrap_err();
    assert_eq!(err.reason(), Reason::Io);
    assert!(err.to_string().contains("missing.pem"), "{err}");

    let garbage = pki.path("garbage.der");
    std::fs::write(&garbage, [0x30, 0x03, 0x02, 0x01]).unwrap();
    let err = x509::load_certs(&garbage).unwrap_err();
    assert!(err.to_string().contains("garbage.der"), "{err}");
}

#[test]
fn ca_file_with_crls() {
    let pki = Pki::new("load-cafile");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    pki.revoke(&root, &leaf);
    let crl = pki.crl("root.crl", &root, now() - DAY, now() + DAY);
    let ca_file = pki.concat("ca.pem", &[&root.cert, &crl, &root.cert]);
    let mut store = TrustStore::new();
    store.load_file(&ca_file).unwrap();
    assert_eq!(
        store.certs().len(),
        1,
        "the duplicate certificate is stored once"
    );
    assert_eq!(store.crls().len(), 1);
    let crl = &store.crls()[0];
    assert_eq!(x509::name_oneline(crl.issuer()), "/CN=Root");
    let leaf_cert = x509::load_certs(&leaf.cert).unwrap().remove(0);
    assert_eq!(crl.entries().len(), 1);
    assert_eq!(crl.entries()[0].serial, leaf_cert.serial_bytes());
    assert!(crl.next_update().is_some());

    let crl_only = pki.concat("crl-only.pem", &[&pki.path("root.crl")]);
    TrustStore::new().load_file(&crl_only).unwrap();
    assert_eq!(x509::load_crls(&crl_only).unwrap().len(), 1);
}

#[test]
fn ca_file_errors() {
    let pki = Pki::new("load-cafile-errors");
    let nothing = pki.path("nothing.pem");
    std::fs::write(&nothing, "no PEM here\n").unwrap();
    let err = TrustStore::new().load_file(&nothing).unwrap_err();
    assert_eq!(err.reason(), Reason::TrustStore);
    assert!(err.to_string().contains("nothing.pem"), "{err}");

    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let good = std::fs::read_to_string(&root.cert).unwrap();
    let bad = pki.path("bad.pem");
    std::fs::write(
        &bad,
        format!("{good}-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"),
    )
    .unwrap();
    let mut store = TrustStore::new();
    let err = store.load_file(&bad).unwrap_err();
    assert!(err.to_string().contains("PEM block 2"), "{err}");
    assert!(store.certs().is_empty(), "a CA file loads all or nothing");

    let err = TrustStore::new()
        .add_dir(&pki.path("no-such-dir"))
        .unwrap_err();
    assert_eq!(err.reason(), Reason::TrustStore);
    let err = TrustStore::new()
        .load_file(&pki.path("absent.pem"))
        .unwrap_err();
    assert!(err.to_string().contains("absent.pem"), "{err}");
}

#[test]
fn certificate_accessors() {
    let pki = Pki::new("accessors");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::tsa("/C=HU/CN=tsa")
        .extension("subjectAltName = DNS:tsa.example.com, email:tsa@example.com")
        .validity(1_700_000_000, 1_900_000_000);
    let leaf = pki.issue("leaf", &spec, Some(&root));
    let cert = x509::load_certs(&leaf.cert).unwrap().remove(0);
    let root_cert = x509::load_certs(&root.cert).unwrap().remove(0);
    assert_eq!(cert.not_before(), 1_700_000_000);
    assert_eq!(cert.not_after(), 1_900_000_000);
    assert!(x509::names_equal(cert.issuer(), root_cert.subject()));
    assert_eq!(
        cert.authority_key_id().unwrap().key_id.as_deref(),
        root_cert.subject_key_id()
    );
    let eku = cert.extended_key_usage().unwrap();
    assert!(eku.critical);
    assert_eq!(eku.purposes[0].to_string(), "1.3.6.1.5.5.7.3.8");
    assert_eq!(
        cert.key_usage().unwrap().0,
        x509::KeyUsage::DIGITAL_SIGNATURE | x509::KeyUsage::NON_REPUDIATION
    );
    assert!(!cert.basic_constraints().unwrap().ca);
    assert_eq!(cert.subject_alt_names().len(), 2);
    assert!(cert.unhandled_critical_extensions().is_empty());
    assert!(cert.invalid_extensions().is_none());
    assert!(root_cert.is_self_signed());
    assert!(!cert.is_self_signed());
    let serial = pki.run(&[
        "x509",
        "-in",
        leaf.cert.to_str().unwrap(),
        "-noout",
        "-serial",
    ]);
    let hex: String = cert
        .serial_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(serial.trim(), format!("serial={hex}"));
}

#[test]
fn bytes_after_certificate_are_ignored() {
    let pki = Pki::new("load-trailing");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let der_path = pki.path("root.der");
    pki.run(&[
        "x509",
        "-in",
        root.cert.to_str().unwrap(),
        "-outform",
        "DER",
        "-out",
        der_path.to_str().unwrap(),
    ]);
    let mut der = std::fs::read(&der_path).unwrap();
    der.extend_from_slice(b"trailing junk");
    let padded = pki.path("padded.der");
    std::fs::write(&padded, &der).unwrap();
    let subject = pki.run(&[
        "x509",
        "-inform",
        "DER",
        "-in",
        padded.to_str().unwrap(),
        "-noout",
        "-subject",
    ]);
    assert_eq!(subject.trim(), "subject=CN = Root");
    let certs = x509::load_certs(&padded).unwrap();
    assert_eq!(x509::name_oneline(certs[0].subject()), "/CN=Root");
    assert!(
        x509::Cert::from_der(&der).is_err(),
        "Cert::from_der takes exactly one certificate"
    );
}
