//! Helpers shared by the handles that are plain ASN.1 values: decoding a new
//! handle from DER or BER, encoding one as DER, and copying one. Each export
//! that uses them still checks its own arguments and runs inside a guard.

use der::{DecodeOwned, Encode};

use super::util::{Castable, OwnershipBox, borrow, bytes, non_empty_bytes, write_buffer};
use crate::asn1;
use crate::error::{Error, Reason, Result};

/// Largest DER or BER input the `*_from_der` functions of these handles
/// accept: far above any real TSTInfo, status or ESS value.
pub(crate) const MAX_DER_LEN: usize = 1 << 20;

/// Decodes `len` bytes at `der` as a `C` value, naming it `what` in errors.
///
/// # Safety
///
/// `der` must point to `len` readable bytes, or be NULL.
pub(crate) unsafe fn decode_value<C>(der: *const u8, len: usize, what: &str) -> Result<C::RustType>
where
    C: Castable<Ownership = OwnershipBox>,
    C::RustType: DecodeOwned<Error = der::Error>,
{
    if len > MAX_DER_LEN {
        return Err(Error::new(
            Reason::TooLarge,
            format!("the {what} is {len} bytes; the maximum is {MAX_DER_LEN}"),
        ));
    }
    // SAFETY: forwarded from the caller.
    let input = unsafe { non_empty_bytes(der, len, "der") }?;
    asn1::decode(what, input)
}

/// Encodes the value of a live `C` handle as DER into a new buffer.
///
/// # Safety
///
/// `handle` must be NULL or a live `C`; `der` and `der_len` NULL or writable.
pub(crate) unsafe fn encode_value<C>(
    handle: *const C,
    der: *mut *mut u8,
    der_len: *mut usize,
    what: &str,
) -> Result<()>
where
    C: Castable,
    C::RustType: Encode,
{
    // SAFETY: forwarded from the caller.
    let value = unsafe { borrow(handle, "handle") }?;
    let encoded = asn1::encode(what, value)?;
    // SAFETY: forwarded from the caller.
    unsafe { write_buffer(der, der_len, &encoded) }
}

/// Copies the value of a live `C` handle, owned or borrowed.
///
/// # Safety
///
/// `handle` must be NULL or a live `C`.
pub(crate) unsafe fn copy_value<C>(handle: *const C) -> Result<C::RustType>
where
    C: Castable,
    C::RustType: Clone,
{
    // SAFETY: forwarded from the caller.
    unsafe { borrow(handle, "handle") }.cloned()
}

/// Borrows `len` bytes that may be empty, refusing more than [`MAX_DER_LEN`].
///
/// # Safety
///
/// As for [`bytes`].
pub(crate) unsafe fn bounded_bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8]> {
    if len > MAX_DER_LEN {
        return Err(Error::new(
            Reason::TooLarge,
            format!("argument {name} is {len} bytes; the maximum is {MAX_DER_LEN}"),
        ));
    }
    // SAFETY: forwarded from the caller.
    unsafe { bytes(ptr, len, name) }
}
