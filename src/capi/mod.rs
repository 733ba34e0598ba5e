//! The C ABI of libtsrs.so: opaque handles and functions that mirror
//! OpenSSL's `TS_*` API, over the safe core.
//!
//! Every export checks its pointers, runs inside [`util::guard`] so a panic
//! never crosses the boundary, and reports failures through the thread-local
//! queue in [`error`]. Each handle type declares once, through
//! [`util::Castable`], which Rust value it stands for and who owns it. The
//! conventions are stated once, in the header preamble (cbindgen.toml).
//!
//! cbindgen reads this file as its root and writes the items in the order
//! of the module declarations below, so they are grouped in header order.

#![allow(non_camel_case_types)]

pub mod constants;

pub mod error;

pub mod request;

pub mod response;

pub mod responder;

pub mod responder_callbacks;

pub mod verify;

pub mod report;
pub mod verify_reset;

pub mod x509;

pub mod objects;

pub mod tst_info;

pub mod status;

pub mod extensions;

pub mod ess;

pub mod der_files;

mod der_handle;
mod util;
mod values;

pub use util::tsrs_free;

#[cfg(test)]
mod tests {
    use super::util::Castable;
    use super::{ess, extensions, report, request, responder, response, verify, x509};

    fn assert_send_sync<C: Castable>()
    where
        C::RustType: Send + Sync,
    {
    }

    /// The header allows passing every handle between threads and reading
    /// it from several at once.
    #[test]
    fn handles_are_send_and_sync() {
        assert_send_sync::<request::tsrs_req>();
        assert_send_sync::<request::tsrs_msg_imprint>();
        assert_send_sync::<response::tsrs_resp>();
        assert_send_sync::<response::tsrs_status_info>();
        assert_send_sync::<response::tsrs_tst_info>();
        assert_send_sync::<response::tsrs_accuracy>();
        assert_send_sync::<responder::tsrs_resp_ctx>();
        assert_send_sync::<verify::tsrs_verify_ctx>();
        assert_send_sync::<report::tsrs_verify_report>();
        assert_send_sync::<x509::tsrs_x509>();
        assert_send_sync::<x509::tsrs_pkey>();
        assert_send_sync::<x509::tsrs_x509_store>();
        assert_send_sync::<x509::tsrs_x509_list>();
        assert_send_sync::<ess::tsrs_ess_issuer_serial>();
        assert_send_sync::<ess::tsrs_ess_cert_id>();
        assert_send_sync::<ess::tsrs_ess_cert_id_v2>();
        assert_send_sync::<ess::tsrs_ess_signing_cert>();
        assert_send_sync::<ess::tsrs_ess_signing_cert_v2>();
        assert_send_sync::<extensions::tsrs_x509_extension>();
    }
}
