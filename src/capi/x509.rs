//! Certificates, private keys, trust stores and certificate lists: what the
//! response and verify contexts need from OpenSSL's `X509`, `EVP_PKEY`,
//! `X509_STORE` and `STACK_OF(X509)`.

use std::ffi::{c_char, c_int};
use std::path::Path;
use std::sync::Arc;

use super::util::{
    Castable, OwnershipArc, OwnershipBox, borrow, borrow_mut, free_arc, free_box, guard, guard_int,
    guard_new, non_empty_bytes, optional_text, text, to_arc, write_value,
};
use crate::error::{Error, Reason, Result};
use crate::keys::PrivateKey;
use crate::x509::{self, Cert, TrustStore};

/// A certificate (`X509`). Created by `tsrs_x509_from_pem`,
/// `tsrs_x509_from_der` or `tsrs_x509_load_file`; the caller owns it and
/// frees it with `tsrs_x509_free`. Functions that keep a certificate copy it.
pub struct tsrs_x509 {
    _private: [u8; 0],
}

impl Castable for tsrs_x509 {
    type Ownership = OwnershipBox;
    type RustType = Cert;
}

/// A private key (`EVP_PKEY`): RSA, RSA-PSS, EC P-256, P-384, P-521 or
/// Ed25519. Created by `tsrs_pkey_from_pem` or `tsrs_pkey_load_file`; the
/// caller owns it and frees it with `tsrs_pkey_free`. A response context
/// that keeps the key shares it, so the caller may free its handle at any
/// time. The key material is zeroed when the last user lets it go.
pub struct tsrs_pkey {
    _private: [u8; 0],
}

impl Castable for tsrs_pkey {
    type Ownership = OwnershipArc;
    type RustType = PrivateKey;
}

/// Trust anchors and CRLs (`X509_STORE`). Created by `tsrs_x509_store_new`;
/// the caller owns it and frees it with `tsrs_x509_store_free`.
pub struct tsrs_x509_store {
    _private: [u8; 0],
}

impl Castable for tsrs_x509_store {
    type Ownership = OwnershipBox;
    type RustType = TrustStore;
}

/// An ordered list of certificates (`STACK_OF(X509)`). Created by
/// `tsrs_x509_list_new`; the caller owns it and frees it with
/// `tsrs_x509_list_free`. Functions that keep a list copy it.
pub struct tsrs_x509_list {
    _private: [u8; 0],
}

impl Castable for tsrs_x509_list {
    type Ownership = OwnershipBox;
    type RustType = Vec<Cert>;
}

/// Returns the first of the certificates read from `source`.
fn first_cert(certs: Vec<Cert>, source: &str) -> Result<Cert> {
    certs.into_iter().next().ok_or_else(|| {
        Error::new(
            Reason::CertLoad,
            format!("no certificate found in {source}"),
        )
    })
}

/// Decodes the first certificate of `len` bytes of PEM (`CERTIFICATE`,
/// `X509 CERTIFICATE` or `TRUSTED CERTIFICATE` blocks; DER is accepted too).
/// Returns a new certificate that the caller frees with `tsrs_x509_free`, or
/// NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_from_pem(pem: *const u8, len: usize) -> *mut tsrs_x509 {
    guard_new(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(pem, len, "pem") }?;
        first_cert(x509::parse_certs(input, "the PEM input")?, "the PEM input")
    })
}

/// Decodes one certificate from `len` bytes of DER (or BER). Returns a new
/// certificate that the caller frees with `tsrs_x509_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_from_der(der: *const u8, len: usize) -> *mut tsrs_x509 {
    guard_new(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(der, len, "der") }?;
        Cert::from_der(input).map_err(|e| {
            Error::new(
                Reason::CertLoad,
                format!("cannot load certificate from the DER input: {e}"),
            )
        })
    })
}

/// Loads the first certificate of a PEM or DER file, as `TS_CONF_load_cert`
/// does. Returns a new certificate that the caller frees with
/// `tsrs_x509_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_load_file(path: *const c_char) -> *mut tsrs_x509 {
    guard_new(|| {
        // SAFETY: the caller promises a string or NULL.
        let path = unsafe { text(path, "path") }?;
        crate::tsa_conf::load_signer_cert(Path::new(path))
    })
}

/// Frees a certificate. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_free(cert: *mut tsrs_x509) {
    // SAFETY: the caller promises an owned certificate or NULL.
    unsafe { free_box(cert) }
}

/// Loads a private key from `len` bytes of PEM (PKCS#8, encrypted PKCS#8,
/// PKCS#1 RSA, SEC1 EC, legacy encrypted PEM) or DER. `passphrase` decrypts
/// an encrypted key; NULL means none. Returns a new key that the caller
/// frees with `tsrs_pkey_free`, or NULL: `TSRS_R_PASSWORD` when the key is
/// encrypted and `passphrase` is NULL, `TSRS_R_KEY_LOAD` otherwise.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_pkey_from_pem(
    pem: *const u8,
    len: usize,
    passphrase: *const c_char,
) -> *mut tsrs_pkey {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller promises `len` readable bytes and an optional string.
        let (input, passphrase) = unsafe {
            (
                non_empty_bytes(pem, len, "pem")?,
                optional_text(passphrase, "passphrase")?,
            )
        };
        let key = PrivateKey::from_bytes(input, passphrase.map(str::as_bytes))?;
        Ok(to_arc(Arc::new(key)))
    })
}

/// Loads a private key from a file, as `tsrs_pkey_from_pem` reads bytes
/// (`TS_CONF_load_key`).
/// Returns a new key that the caller frees with `tsrs_pkey_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_pkey_load_file(
    path: *const c_char,
    passphrase: *const c_char,
) -> *mut tsrs_pkey {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller promises a string and an optional string.
        let (path, passphrase) = unsafe {
            (
                text(path, "path")?,
                optional_text(passphrase, "passphrase")?,
            )
        };
        let key = PrivateKey::load(Path::new(path), passphrase.map(str::as_bytes))?;
        Ok(to_arc(Arc::new(key)))
    })
}

/// Releases the caller's key. NULL is ignored. Response contexts that were
/// given the key keep using it.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_pkey_free(key: *mut tsrs_pkey) {
    // SAFETY: the caller promises an owned key or NULL.
    unsafe { free_arc(key.cast_const()) }
}

/// Creates an empty trust store. Returns NULL only when memory runs out.
/// Free it with `tsrs_x509_store_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_x509_store_new() -> *mut tsrs_x509_store {
    guard_new(|| Ok(TrustStore::new()))
}

/// Frees a trust store. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_store_free(store: *mut tsrs_x509_store) {
    // SAFETY: the caller promises an owned store or NULL.
    unsafe { free_box(store) }
}

/// Adds every certificate and CRL of a PEM file (or the one certificate of
/// a DER file) to the store, as `-CAfile` does. The file is loaded all or
/// nothing; a file without a certificate or CRL fails with
/// `TSRS_R_TRUST_STORE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_store_load_file(
    store: *mut tsrs_x509_store,
    path: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let path = unsafe { text(path, "path") }?;
        // SAFETY: the caller promises a live, unshared store or NULL.
        let store = unsafe { borrow_mut(store, "store") }?;
        store.load_file(Path::new(path))
    })
}

/// Adds a hashed certificate directory to the store, as `-CApath` does; its
/// files are read when a verification needs them.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_store_add_dir(
    store: *mut tsrs_x509_store,
    path: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let path = unsafe { text(path, "path") }?;
        // SAFETY: the caller promises a live, unshared store or NULL.
        let store = unsafe { borrow_mut(store, "store") }?;
        store.add_dir(Path::new(path))
    })
}

/// Copies a certificate into the store as a trust anchor. The caller keeps
/// ownership of `cert`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_store_add_cert(
    store: *mut tsrs_x509_store,
    cert: *const tsrs_x509,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live certificate or NULL.
        let cert = unsafe { borrow(cert, "cert") }?.clone();
        // SAFETY: the caller promises a live, unshared store or NULL.
        let store = unsafe { borrow_mut(store, "store") }?;
        store.add_cert(cert);
        Ok(())
    })
}

/// Creates an empty certificate list. Returns NULL only when memory runs
/// out. Free it with `tsrs_x509_list_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_x509_list_new() -> *mut tsrs_x509_list {
    guard_new(|| Ok(Vec::new()))
}

/// Frees a certificate list and its certificates. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_list_free(list: *mut tsrs_x509_list) {
    // SAFETY: the caller promises an owned list or NULL.
    unsafe { free_box(list) }
}

/// Appends a copy of `cert` to the list. The caller keeps ownership of `cert`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_list_push(
    list: *mut tsrs_x509_list,
    cert: *const tsrs_x509,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live certificate or NULL.
        let cert = unsafe { borrow(cert, "cert") }?.clone();
        // SAFETY: the caller promises a live, unshared list or NULL.
        let list = unsafe { borrow_mut(list, "list") }?;
        list.push(cert);
        Ok(())
    })
}

/// Appends every certificate of a PEM file (or the one of a DER file), in
/// file order, as `TS_CONF_load_certs` reads `certs`. Nothing is appended
/// when a certificate fails to load.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_list_load_file(
    list: *mut tsrs_x509_list,
    path: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let path = unsafe { text(path, "path") }?;
        // SAFETY: the caller promises a live, unshared list or NULL.
        let list = unsafe { borrow_mut(list, "list") }?;
        list.extend(x509::load_certs(Path::new(path))?);
        Ok(())
    })
}

/// Writes the number of certificates in the list to `*count`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_list_count(
    list: *const tsrs_x509_list,
    count: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live list or NULL.
        let list = unsafe { borrow(list, "list") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", list.len()) }
    })
}
