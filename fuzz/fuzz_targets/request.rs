//! TimeStampReq from BER: decode, re-encode, decode again, print.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::asn1::tsp::TimeStampReq;
use tsrs::oid::Objects;
use tsrs::print::print_request;

fuzz_target!(|data: &[u8]| {
    let Ok(request) = TimeStampReq::from_ber(data) else {
        return;
    };

    // A decoded request re-encodes as DER that decodes to the same value and
    // encodes to the same bytes again.
    let der = request.to_der().expect("a decoded request encodes");
    let again = TimeStampReq::from_ber(&der).expect("the re-encoded request decodes");
    assert_eq!(again, request);
    assert_eq!(again.to_der().expect("encodes twice"), der);

    let mut text = Vec::new();
    print_request(&mut text, &request, &Objects::new());
});
