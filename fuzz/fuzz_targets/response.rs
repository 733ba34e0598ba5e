//! TimeStampResp from BER, with OpenSSL's consistency rules and the token
//! inside: decode, re-encode, decode again, print.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::oid::Objects;
use tsrs::print::print_response;
use tsrs::response::Response;

fuzz_target!(|data: &[u8]| {
    let Ok(response) = Response::from_ber(data) else {
        return;
    };

    let der = response.to_der().expect("a decoded response encodes");
    let again = Response::from_ber(&der).expect("the re-encoded response decodes");
    assert_eq!(again, response);
    assert_eq!(again.to_der().expect("encodes twice"), der);

    let mut text = Vec::new();
    print_response(
        &mut text,
        &response.resp,
        response.tst_info(),
        &Objects::new(),
    );
    let _ = response.status();
});
