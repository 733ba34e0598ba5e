//! A bare time-stamp token (CMS ContentInfo with a TSTInfo) from BER:
//! decode, re-encode, decode again, wrap in a response, print.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::asn1::cms::TimeStampToken;
use tsrs::oid::Objects;
use tsrs::print::{print_response, print_tst_info};
use tsrs::response::Response;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = TimeStampToken::from_ber(data) else {
        return;
    };

    // The DER encoding sorts SET OF members (digest algorithms, CRLs, signer
    // infos) that BER input may list in any order, so the re-decoded
    // SignedData can differ from the original in order. The TSTInfo cannot,
    // and the DER is a fixed point.
    let der = token.to_der().expect("a decoded token encodes");
    let again = TimeStampToken::from_ber(&der).expect("the re-encoded token decodes");
    assert_eq!(again.tst_info, token.tst_info);
    assert_eq!(again.tst_info_der, token.tst_info_der);
    assert_eq!(again.to_der().expect("encodes twice"), der);

    let _ = token.signer_info();
    let _ = token.signed_data.x509_certificates();
    let _ = token.signed_data.other_certificates();
    let objects = Objects::new();
    let mut text = Vec::new();
    print_tst_info(&mut text, &token.tst_info, &objects);

    // `openssl ts -reply -token_in` wraps a token in a granted response.
    let response = Response::from_token(token).expect("a decoded token wraps");
    let wrapped = response.to_der().expect("the wrapping response encodes");
    let reread = Response::from_ber(&wrapped).expect("the wrapping response decodes");
    assert_eq!(reread.tst_info(), response.tst_info());
    text.clear();
    print_response(&mut text, &reread.resp, reread.tst_info(), &objects);
});
