//! The BER to DER normalizer that every ASN.1 decoder runs first.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::asn1::ber;

fuzz_target!(|data: &[u8]| {
    let length = ber::element_len(data);
    let Ok(der) = ber::normalize(data) else {
        return;
    };

    // `normalize` accepts exactly one element, so it spans the input.
    assert_eq!(length.ok(), Some(data.len()));

    // DER is a fixed point.
    let again = ber::normalize(&der).expect("normalized output normalizes");
    assert_eq!(again, der, "normalizing DER changed it");
    assert_eq!(ber::element_len(&der).ok(), Some(der.len()));
});
