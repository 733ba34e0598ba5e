//! The ESS signing certificate attributes of RFC 2634 and RFC 5035 that
//! identify a token's signer: `ESS_ISSUER_SERIAL`, `ESS_CERT_ID`,
//! `ESS_CERT_ID_V2`, `ESS_SIGNING_CERT` and `ESS_SIGNING_CERT_V2`.

use std::ffi::{c_char, c_int};

use der::asn1::OctetString;
use spki::AlgorithmIdentifierOwned;

use super::der_handle::{bounded_bytes, copy_value, decode_value, encode_value};
use super::response::tsrs_resp;
use super::util::{
    Castable, OwnershipBox, borrow, borrow_mut, free_box, guard_int, guard_new, text, to_box,
    to_ref, write_borrowed, write_buffer, write_value,
};
use super::values::{int_from_magnitude, magnitude};
use crate::asn1::ess::{
    EssCertId, EssCertIdV2, IssuerSerial, SigningCertificate, SigningCertificateV2,
};
use crate::asn1::{self, GeneralNames, int_from_u64};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// The issuer and serial number of a certificate (`ESS_ISSUER_SERIAL`).
/// Created by `tsrs_ess_issuer_serial_new`, `_dup` or `_from_der`, which the
/// caller frees with `tsrs_ess_issuer_serial_free`, or borrowed from a
/// certificate id (`tsrs_ess_cert_id_get0_issuer_serial`).
pub struct tsrs_ess_issuer_serial {
    _private: [u8; 0],
}

impl Castable for tsrs_ess_issuer_serial {
    type Ownership = OwnershipBox;
    type RustType = IssuerSerial;
}

/// A certificate id with a SHA-1 hash (`ESS_CERT_ID`). Created by
/// `tsrs_ess_cert_id_new`, `_dup` or `_from_der`, which the caller frees
/// with `tsrs_ess_cert_id_free`, or borrowed from a signing certificate
/// attribute (`tsrs_ess_signing_cert_get0_cert_id`).
pub struct tsrs_ess_cert_id {
    _private: [u8; 0],
}

impl Castable for tsrs_ess_cert_id {
    type Ownership = OwnershipBox;
    type RustType = EssCertId;
}

/// A certificate id with any hash algorithm (`ESS_CERT_ID_V2`). Created by
/// `tsrs_ess_cert_id_v2_new`, `_dup` or `_from_der`, which the caller frees
/// with `tsrs_ess_cert_id_v2_free`, or borrowed from a signing certificate
/// attribute (`tsrs_ess_signing_cert_v2_get0_cert_id`).
pub struct tsrs_ess_cert_id_v2 {
    _private: [u8; 0],
}

impl Castable for tsrs_ess_cert_id_v2 {
    type Ownership = OwnershipBox;
    type RustType = EssCertIdV2;
}

/// The signingCertificate attribute (`ESS_SIGNING_CERT`): the certificate
/// ids of the signer and optionally of its chain. Created by
/// `tsrs_ess_signing_cert_new`, `_dup`, `_from_der` or
/// `tsrs_resp_get_signing_cert`; the caller frees it with
/// `tsrs_ess_signing_cert_free`.
pub struct tsrs_ess_signing_cert {
    _private: [u8; 0],
}

impl Castable for tsrs_ess_signing_cert {
    type Ownership = OwnershipBox;
    type RustType = SigningCertificate;
}

/// The signingCertificateV2 attribute (`ESS_SIGNING_CERT_V2`). Created by
/// `tsrs_ess_signing_cert_v2_new`, `_dup`, `_from_der` or
/// `tsrs_resp_get_signing_cert_v2`; the caller frees it with
/// `tsrs_ess_signing_cert_v2_free`.
pub struct tsrs_ess_signing_cert_v2 {
    _private: [u8; 0],
}

impl Castable for tsrs_ess_signing_cert_v2 {
    type Ownership = OwnershipBox;
    type RustType = SigningCertificateV2;
}

fn empty_hash() -> Result<OctetString> {
    OctetString::new(Vec::new()).map_err(|e| Error::encode("certificate hash", e))
}

fn hash_octets(hash: &[u8]) -> Result<OctetString> {
    OctetString::new(hash.to_vec()).map_err(|e| Error::encode("certificate hash", e))
}

fn index_error(index: usize, count: usize, what: &str) -> Error {
    Error::new(
        Reason::InvalidArgument,
        format!("{what} index {index} is out of range: there are {count}"),
    )
}

// ------------------------------------------------------------ ESS_ISSUER_SERIAL

/// Creates an issuer and serial with no issuer names and serial number 0
/// (`ESS_ISSUER_SERIAL_new`). Returns NULL only when memory runs out. Free
/// it with `tsrs_ess_issuer_serial_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_ess_issuer_serial_new() -> *mut tsrs_ess_issuer_serial {
    guard_new(|| {
        Ok(IssuerSerial {
            issuer: Vec::new(),
            serial_number: int_from_u64(0),
        })
    })
}

/// Frees an issuer and serial (`ESS_ISSUER_SERIAL_free`). NULL is ignored;
/// never pass a borrowed one.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_free(issuer_serial: *mut tsrs_ess_issuer_serial) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(issuer_serial) }
}

/// Copies an issuer and serial, owned or borrowed (`ESS_ISSUER_SERIAL_dup`).
/// Returns a new one that the caller frees with
/// `tsrs_ess_issuer_serial_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_dup(
    issuer_serial: *const tsrs_ess_issuer_serial,
) -> *mut tsrs_ess_issuer_serial {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(issuer_serial) })
}

/// Decodes an IssuerSerial from `len` bytes of DER or BER
/// (`d2i_ESS_ISSUER_SERIAL`). Returns a new one that the caller frees with
/// `tsrs_ess_issuer_serial_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_ess_issuer_serial {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_ess_issuer_serial>(der, len, "ESS issuer serial") })
}

/// Encodes an issuer and serial as DER into a new buffer
/// (`i2d_ESS_ISSUER_SERIAL`): `*der` receives the buffer and `*der_len` its
/// length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_to_der(
    issuer_serial: *const tsrs_ess_issuer_serial,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(issuer_serial, der, der_len, "ESS issuer serial") })
}

/// Encodes the issuer (GeneralNames, normally one directoryName) as DER
/// into a new buffer: `*der` receives the buffer and `*der_len` its length.
/// The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_get_issuer(
    issuer_serial: *const tsrs_ess_issuer_serial,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let issuer_serial = unsafe { borrow(issuer_serial, "issuer_serial") }?;
        let encoded = asn1::encode("ESS issuer", &issuer_serial.issuer)?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(der, der_len, &encoded) }
    })
}

/// Sets the issuer from `len` bytes of DER GeneralNames (a SEQUENCE OF
/// GeneralName). Fails with `TSRS_R_DECODE` for anything else, leaving the
/// issuer as it was.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_set_issuer(
    issuer_serial: *mut tsrs_ess_issuer_serial,
    der: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { bounded_bytes(der, len, "der") }?;
        let issuer: GeneralNames = asn1::decode("ESS issuer", input)?;
        // SAFETY: the caller promises a live, unshared handle or NULL.
        unsafe { borrow_mut(issuer_serial, "issuer_serial") }?.issuer = issuer;
        Ok(())
    })
}

/// Lends the serial number as big-endian unsigned bytes without leading
/// zeros: `*serial` receives a pointer into the handle and `*serial_len`
/// the length. Fails for a negative serial number.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_get_serial(
    issuer_serial: *const tsrs_ess_issuer_serial,
    serial: *mut *const u8,
    serial_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let issuer_serial = unsafe { borrow(issuer_serial, "issuer_serial") }?;
        let value = magnitude(&issuer_serial.serial_number, "ESS serial number")?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(serial, serial_len, Some(value)) }
    })
}

/// Sets the serial number from `len` (at least 1) big-endian unsigned bytes.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_issuer_serial_set_serial(
    issuer_serial: *mut tsrs_ess_issuer_serial,
    serial: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let value = unsafe { bounded_bytes(serial, len, "serial") }?;
        if value.is_empty() {
            return Err(Error::new(
                Reason::InvalidArgument,
                "argument serial is empty",
            ));
        }
        let number = int_from_magnitude(value)?;
        // SAFETY: the caller promises a live, unshared handle or NULL.
        unsafe { borrow_mut(issuer_serial, "issuer_serial") }?.serial_number = number;
        Ok(())
    })
}

// ------------------------------------------------------------ ESS_CERT_ID

/// Creates a certificate id with an empty hash and no issuer and serial
/// (`ESS_CERT_ID_new`). Returns NULL only when memory runs out. Free it
/// with `tsrs_ess_cert_id_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_ess_cert_id_new() -> *mut tsrs_ess_cert_id {
    guard_new(|| {
        Ok(EssCertId {
            cert_hash: empty_hash()?,
            issuer_serial: None,
        })
    })
}

/// Frees a certificate id (`ESS_CERT_ID_free`). NULL is ignored; never
/// pass a borrowed one.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_free(cert_id: *mut tsrs_ess_cert_id) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(cert_id) }
}

/// Copies a certificate id, owned or borrowed (`ESS_CERT_ID_dup`). Returns
/// a new one that the caller frees with `tsrs_ess_cert_id_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_dup(
    cert_id: *const tsrs_ess_cert_id,
) -> *mut tsrs_ess_cert_id {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(cert_id) })
}

/// Decodes an ESSCertID from `len` bytes of DER or BER (`d2i_ESS_CERT_ID`).
/// Returns a new one that the caller frees with `tsrs_ess_cert_id_free`, or
/// NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_ess_cert_id {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_ess_cert_id>(der, len, "ESSCertID") })
}

/// Encodes a certificate id as DER into a new buffer (`i2d_ESS_CERT_ID`):
/// `*der` receives the buffer and `*der_len` its length. The caller frees
/// the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_to_der(
    cert_id: *const tsrs_ess_cert_id,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(cert_id, der, der_len, "ESSCertID") })
}

/// Lends the certificate hash (SHA-1 of the whole DER certificate):
/// `*hash` receives a pointer into the handle and `*hash_len` the length.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_get_hash(
    cert_id: *const tsrs_ess_cert_id,
    hash: *mut *const u8,
    hash_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let cert_id = unsafe { borrow(cert_id, "cert_id") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(hash, hash_len, Some(cert_id.cert_hash.as_bytes())) }
    })
}

/// Sets the certificate hash to a copy of `len` bytes.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_set_hash(
    cert_id: *mut tsrs_ess_cert_id,
    hash: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let value = hash_octets(unsafe { bounded_bytes(hash, len, "hash") }?)?;
        // SAFETY: the caller promises a live, unshared handle or NULL.
        unsafe { borrow_mut(cert_id, "cert_id") }?.cert_hash = value;
        Ok(())
    })
}

/// Lends the issuer and serial: `*issuer_serial` receives a pointer into
/// the certificate id, or NULL when it has none.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_get0_issuer_serial(
    cert_id: *const tsrs_ess_cert_id,
    issuer_serial: *mut *const tsrs_ess_issuer_serial,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let cert_id = unsafe { borrow(cert_id, "cert_id") }?;
        let value = cert_id
            .issuer_serial
            .as_ref()
            .map_or(std::ptr::null(), to_ref);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(issuer_serial, "issuer_serial", value) }
    })
}

/// Sets the issuer and serial to a copy of `issuer_serial`, or removes it
/// when `issuer_serial` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_set1_issuer_serial(
    cert_id: *mut tsrs_ess_cert_id,
    issuer_serial: *const tsrs_ess_issuer_serial,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared handle or NULL.
        let cert_id = unsafe { borrow_mut(cert_id, "cert_id") }?;
        // SAFETY: the caller promises a live handle or NULL.
        cert_id.issuer_serial = unsafe { optional_copy(issuer_serial) };
        Ok(())
    })
}

/// Copies the value behind an optional handle: NULL gives `None`.
///
/// # Safety
///
/// `handle` must be NULL or a live `C`.
unsafe fn optional_copy<C>(handle: *const C) -> Option<C::RustType>
where
    C: Castable,
    C::RustType: Clone,
{
    // SAFETY: forwarded from the caller.
    unsafe { borrow(handle, "handle") }.ok().cloned()
}

// ------------------------------------------------------------ ESS_CERT_ID_V2

/// Creates a certificate id with the hash algorithm SHA-256 (the default,
/// left out of the encoding), an empty hash and no issuer and serial
/// (`ESS_CERT_ID_V2_new`). Returns NULL only when memory runs out. Free it
/// with `tsrs_ess_cert_id_v2_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_ess_cert_id_v2_new() -> *mut tsrs_ess_cert_id_v2 {
    guard_new(|| {
        Ok(EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: empty_hash()?,
            issuer_serial: None,
        })
    })
}

/// Frees a certificate id (`ESS_CERT_ID_V2_free`). NULL is ignored; never
/// pass a borrowed one.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_free(cert_id: *mut tsrs_ess_cert_id_v2) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(cert_id) }
}

/// Copies a certificate id, owned or borrowed (`ESS_CERT_ID_V2_dup`).
/// Returns a new one that the caller frees with `tsrs_ess_cert_id_v2_free`,
/// or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_dup(
    cert_id: *const tsrs_ess_cert_id_v2,
) -> *mut tsrs_ess_cert_id_v2 {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(cert_id) })
}

/// Decodes an ESSCertIDv2 from `len` bytes of DER or BER
/// (`d2i_ESS_CERT_ID_V2`). Returns a new one that the caller frees with
/// `tsrs_ess_cert_id_v2_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_ess_cert_id_v2 {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_ess_cert_id_v2>(der, len, "ESSCertIDv2") })
}

/// Encodes a certificate id as DER into a new buffer
/// (`i2d_ESS_CERT_ID_V2`): `*der` receives the buffer and `*der_len` its
/// length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_to_der(
    cert_id: *const tsrs_ess_cert_id_v2,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(cert_id, der, der_len, "ESSCertIDv2") })
}

/// Writes the hash algorithm as a dotted OID into a new NUL-terminated
/// buffer, `2.16.840.1.101.3.4.2.1` (SHA-256) when the encoding leaves it
/// out: `*algo` receives the buffer and `*algo_len` its length. The caller
/// frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_get_hash_algo(
    cert_id: *const tsrs_ess_cert_id_v2,
    algo: *mut *mut c_char,
    algo_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let cert_id = unsafe { borrow(cert_id, "cert_id") }?;
        let dotted = cert_id.hash_algorithm_oid().to_string();
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(algo, algo_len, dotted.as_bytes()) }
    })
}

/// Sets the hash algorithm by name (`"sha256"`, `"SHA384"`, a dotted OID),
/// as the responder writes it. SHA-256 is left out of the encoding because
/// it is the default. The others are written with absent parameters, or
/// NULL parameters for digests outside the SHA families. The hash is not
/// changed.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_set_hash_algo(
    cert_id: *mut tsrs_ess_cert_id_v2,
    digest_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let name = unsafe { text(digest_name, "digest_name") }?;
        let digest = DigestAlgorithm::from_name_or_err(name)?;
        let algorithm = if digest == DigestAlgorithm::Sha256 {
            None
        } else {
            Some(AlgorithmIdentifierOwned {
                oid: digest.oid_or_err()?,
                parameters: digest.has_null_parameters().then(|| der::asn1::Null.into()),
            })
        };
        // SAFETY: the caller promises a live, unshared handle or NULL.
        unsafe { borrow_mut(cert_id, "cert_id") }?.hash_algorithm = algorithm;
        Ok(())
    })
}

/// Lends the certificate hash: `*hash` receives a pointer into the handle
/// and `*hash_len` the length.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_get_hash(
    cert_id: *const tsrs_ess_cert_id_v2,
    hash: *mut *const u8,
    hash_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let cert_id = unsafe { borrow(cert_id, "cert_id") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(hash, hash_len, Some(cert_id.cert_hash.as_bytes())) }
    })
}

/// Sets the certificate hash to a copy of `len` bytes.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_set_hash(
    cert_id: *mut tsrs_ess_cert_id_v2,
    hash: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let value = hash_octets(unsafe { bounded_bytes(hash, len, "hash") }?)?;
        // SAFETY: the caller promises a live, unshared handle or NULL.
        unsafe { borrow_mut(cert_id, "cert_id") }?.cert_hash = value;
        Ok(())
    })
}

/// Lends the issuer and serial: `*issuer_serial` receives a pointer into
/// the certificate id, or NULL when it has none.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_get0_issuer_serial(
    cert_id: *const tsrs_ess_cert_id_v2,
    issuer_serial: *mut *const tsrs_ess_issuer_serial,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let cert_id = unsafe { borrow(cert_id, "cert_id") }?;
        let value = cert_id
            .issuer_serial
            .as_ref()
            .map_or(std::ptr::null(), to_ref);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(issuer_serial, "issuer_serial", value) }
    })
}

/// Sets the issuer and serial to a copy of `issuer_serial`, or removes it
/// when `issuer_serial` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_cert_id_v2_set1_issuer_serial(
    cert_id: *mut tsrs_ess_cert_id_v2,
    issuer_serial: *const tsrs_ess_issuer_serial,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared handle or NULL.
        let cert_id = unsafe { borrow_mut(cert_id, "cert_id") }?;
        // SAFETY: the caller promises a live handle or NULL.
        cert_id.issuer_serial = unsafe { optional_copy(issuer_serial) };
        Ok(())
    })
}

// ------------------------------------------------------------ ESS_SIGNING_CERT

/// Creates a signingCertificate attribute with no certificate ids and no
/// policies (`ESS_SIGNING_CERT_new`). Returns NULL only when memory runs
/// out. Free it with `tsrs_ess_signing_cert_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_ess_signing_cert_new() -> *mut tsrs_ess_signing_cert {
    guard_new(|| {
        Ok(SigningCertificate {
            certs: Vec::new(),
            policies: None,
        })
    })
}

/// Frees a signingCertificate attribute (`ESS_SIGNING_CERT_free`). NULL is
/// ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_free(signing_cert: *mut tsrs_ess_signing_cert) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(signing_cert) }
}

/// Copies a signingCertificate attribute (`ESS_SIGNING_CERT_dup`). Returns
/// a new one that the caller frees with `tsrs_ess_signing_cert_free`, or
/// NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_dup(
    signing_cert: *const tsrs_ess_signing_cert,
) -> *mut tsrs_ess_signing_cert {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(signing_cert) })
}

/// Decodes a SigningCertificate from `len` bytes of DER or BER
/// (`d2i_ESS_SIGNING_CERT`). Returns a new one that the caller frees with
/// `tsrs_ess_signing_cert_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_ess_signing_cert {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe {
        decode_value::<tsrs_ess_signing_cert>(der, len, "ESS signing certificate")
    })
}

/// Encodes a signingCertificate attribute value as DER into a new buffer
/// (`i2d_ESS_SIGNING_CERT`): `*der` receives the buffer and `*der_len` its
/// length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_to_der(
    signing_cert: *const tsrs_ess_signing_cert,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(signing_cert, der, der_len, "ESS signing certificate") })
}

/// Writes the number of certificate ids to `*count`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_get_cert_id_count(
    signing_cert: *const tsrs_ess_signing_cert,
    count: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let signing_cert = unsafe { borrow(signing_cert, "signing_cert") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", signing_cert.certs.len()) }
    })
}

/// Returns certificate id number `index` (from 0; the signer's is first),
/// borrowed: valid until the attribute is freed or changed. Returns NULL
/// with `TSRS_R_INVALID_ARGUMENT` when `index` is not below the count.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_get0_cert_id(
    signing_cert: *const tsrs_ess_signing_cert,
    index: usize,
) -> *const tsrs_ess_cert_id {
    super::util::guard_ref(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let certs = &unsafe { borrow(signing_cert, "signing_cert") }?.certs;
        certs
            .get(index)
            .ok_or_else(|| index_error(index, certs.len(), "certificate id"))
    })
}

/// Appends a copy of `cert_id` to the certificate ids.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_push_cert_id(
    signing_cert: *mut tsrs_ess_signing_cert,
    cert_id: *const tsrs_ess_cert_id,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (signing_cert, cert_id) = unsafe {
            (
                borrow_mut(signing_cert, "signing_cert")?,
                borrow(cert_id, "cert_id")?,
            )
        };
        signing_cert.certs.push(cert_id.clone());
        Ok(())
    })
}

// ------------------------------------------------------------ ESS_SIGNING_CERT_V2

/// Creates a signingCertificateV2 attribute with no certificate ids and no
/// policies (`ESS_SIGNING_CERT_V2_new`). Returns NULL only when memory runs
/// out. Free it with `tsrs_ess_signing_cert_v2_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_ess_signing_cert_v2_new() -> *mut tsrs_ess_signing_cert_v2 {
    guard_new(|| {
        Ok(SigningCertificateV2 {
            certs: Vec::new(),
            policies: None,
        })
    })
}

/// Frees a signingCertificateV2 attribute (`ESS_SIGNING_CERT_V2_free`).
/// NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_free(
    signing_cert: *mut tsrs_ess_signing_cert_v2,
) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(signing_cert) }
}

/// Copies a signingCertificateV2 attribute (`ESS_SIGNING_CERT_V2_dup`).
/// Returns a new one that the caller frees with
/// `tsrs_ess_signing_cert_v2_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_dup(
    signing_cert: *const tsrs_ess_signing_cert_v2,
) -> *mut tsrs_ess_signing_cert_v2 {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(signing_cert) })
}

/// Decodes a SigningCertificateV2 from `len` bytes of DER or BER
/// (`d2i_ESS_SIGNING_CERT_V2`). Returns a new one that the caller frees
/// with `tsrs_ess_signing_cert_v2_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_ess_signing_cert_v2 {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe {
        decode_value::<tsrs_ess_signing_cert_v2>(der, len, "ESS signing certificate v2")
    })
}

/// Encodes a signingCertificateV2 attribute value as DER into a new buffer
/// (`i2d_ESS_SIGNING_CERT_V2`): `*der` receives the buffer and `*der_len`
/// its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_to_der(
    signing_cert: *const tsrs_ess_signing_cert_v2,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(signing_cert, der, der_len, "ESS signing certificate v2") })
}

/// Writes the number of certificate ids to `*count`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_get_cert_id_count(
    signing_cert: *const tsrs_ess_signing_cert_v2,
    count: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let signing_cert = unsafe { borrow(signing_cert, "signing_cert") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", signing_cert.certs.len()) }
    })
}

/// Returns certificate id number `index` (from 0; the signer's is first),
/// borrowed: valid until the attribute is freed or changed. Returns NULL
/// with `TSRS_R_INVALID_ARGUMENT` when `index` is not below the count.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_get0_cert_id(
    signing_cert: *const tsrs_ess_signing_cert_v2,
    index: usize,
) -> *const tsrs_ess_cert_id_v2 {
    super::util::guard_ref(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let certs = &unsafe { borrow(signing_cert, "signing_cert") }?.certs;
        certs
            .get(index)
            .ok_or_else(|| index_error(index, certs.len(), "certificate id"))
    })
}

/// Appends a copy of `cert_id` to the certificate ids.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_ess_signing_cert_v2_push_cert_id(
    signing_cert: *mut tsrs_ess_signing_cert_v2,
    cert_id: *const tsrs_ess_cert_id_v2,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (signing_cert, cert_id) = unsafe {
            (
                borrow_mut(signing_cert, "signing_cert")?,
                borrow(cert_id, "cert_id")?,
            )
        };
        signing_cert.certs.push(cert_id.clone());
        Ok(())
    })
}

// ------------------------------------------------------------ from a token

/// Decodes the signed attribute `oid` of the token's single signer as `T`:
/// `None` when the response has a token without that attribute.
fn signer_attribute<T>(
    resp: &crate::response::Response,
    oid: &der::asn1::ObjectIdentifier,
    what: &str,
) -> Result<Option<T>>
where
    T: der::DecodeOwned<Error = der::Error>,
{
    let token = resp.token.as_ref().ok_or_else(|| {
        Error::new(
            Reason::NoTimeStampToken,
            "the response has no time-stamp token: its status is not granted",
        )
    })?;
    let Some(value) = token.signer_info()?.signed_attr(oid) else {
        return Ok(None);
    };
    let der = asn1::encode(what, value)?;
    asn1::decode_der(what, &der).map(Some)
}

/// Reads the signingCertificate (v1) attribute of the token's signer:
/// `*signing_cert` receives a new attribute that the caller frees with
/// `tsrs_ess_signing_cert_free`, or NULL when the signer has none (a token
/// with a signingCertificateV2 has none). Fails with
/// `TSRS_R_NO_TIME_STAMP_TOKEN` for a response without a token,
/// `TSRS_R_SIGNER_COUNT` unless the token has exactly one signer, and
/// `TSRS_R_DECODE` for an attribute that does not decode. OpenSSL reads this
/// attribute inside `TS_RESP_verify_signature` and has no function for it.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_get_signing_cert(
    resp: *const tsrs_resp,
    signing_cert: *mut *mut tsrs_ess_signing_cert,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        super::util::check_out(signing_cert, "signing_cert")?;
        let value: Option<SigningCertificate> =
            signer_attribute(resp, &known::SIGNING_CERTIFICATE, "ESS signing certificate")?;
        let handle = value.map_or(std::ptr::null_mut(), to_box);
        // SAFETY: checked for NULL; the caller promises it is writable.
        unsafe { write_value(signing_cert, "signing_cert", handle) }
    })
}

/// Reads the signingCertificateV2 attribute of the token's signer:
/// `*signing_cert` receives a new attribute that the caller frees with
/// `tsrs_ess_signing_cert_v2_free`, or NULL when the signer has none.
/// Fails as `tsrs_resp_get_signing_cert` does.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_get_signing_cert_v2(
    resp: *const tsrs_resp,
    signing_cert: *mut *mut tsrs_ess_signing_cert_v2,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        super::util::check_out(signing_cert, "signing_cert")?;
        let value: Option<SigningCertificateV2> = signer_attribute(
            resp,
            &known::SIGNING_CERTIFICATE_V2,
            "ESS signing certificate v2",
        )?;
        let handle = value.map_or(std::ptr::null_mut(), to_box);
        // SAFETY: checked for NULL; the caller promises it is writable.
        unsafe { write_value(signing_cert, "signing_cert", handle) }
    })
}
