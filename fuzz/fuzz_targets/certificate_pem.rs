//! Certificate bundles as `openssl` reads them: PEM with any mix of blocks,
//! or one DER certificate. Every certificate found re-encodes as PEM that
//! parses to the same certificates.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::x509::{self, Cert};

fuzz_target!(|data: &[u8]| {
    let _ = x509::parse_crls(data, "fuzz input");
    let Ok(certs) = x509::parse_certs(data, "fuzz input") else {
        return;
    };
    assert!(!certs.is_empty());

    let pem = x509::to_pem(&certs);
    let again = x509::parse_certs(pem.as_bytes(), "re-encoded PEM").expect("to_pem output parses");
    let ders = |certs: &[Cert]| certs.iter().map(|c| c.der().to_vec()).collect::<Vec<_>>();
    assert_eq!(ders(&again), ders(&certs));

    for cert in &certs {
        let _ = x509::name_oneline(cert.subject());
        let _ = cert.subject_alt_names();
        let _ = cert.trust_settings();
    }
});
