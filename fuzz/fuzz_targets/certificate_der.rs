//! One X.509 certificate from DER or BER, and the `TRUSTED CERTIFICATE` form
//! with trust settings after it: parse, re-parse the DER it stores, and walk
//! what path validation reads.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::asn1::ber;
use tsrs::x509::{self, Cert};

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Cert::from_der(data) {
        check_cert(&cert);
    }
    if let Ok(cert) = Cert::from_trusted_der(data) {
        check_cert(&cert);
    }
});

fn check_cert(cert: &Cert) {
    // The stored DER is a fixed point: parsing it stores the same bytes.
    let again = Cert::from_der(cert.der()).expect("the stored DER parses");
    assert_eq!(again.der(), cert.der());
    // tbs_der keeps the input's bytes, BER included, since the signature covers them.
    let tbs_der = ber::normalize(cert.tbs_der()).expect("the TBSCertificate normalizes");
    assert_eq!(again.tbs_der(), tbs_der);
    assert_eq!(again.serial_bytes(), cert.serial_bytes());
    assert_eq!(again.is_self_signed(), cert.is_self_signed());

    let _ = x509::name_oneline(cert.subject());
    let _ = x509::name_hash(cert.issuer());
    let _ = x509::names_equal(cert.subject(), cert.issuer());
    let _ = cert.subject_alt_names();
    let _ = cert.invalid_extensions();
    let _ = cert.unhandled_critical_extensions();
    let _ = cert.check_timestamp_signer();
    let _ = x509::check_host(cert, "tsa.example.com");
    let _ = x509::check_email(cert, "tsa@example.com");
    let _ = x509::check_ip(cert, &[127, 0, 0, 1]);
    let _ = x509::key_security_bits(cert.public_key_info());
    let algorithm = cert.signature_algorithm();
    let _ = x509::signature_security_bits(&algorithm.oid, algorithm.parameters.as_ref());
    let _ = cert.verify_signature_with(cert.public_key_info());
}
