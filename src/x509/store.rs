//! The trust store: trust anchors and CRLs from a CA file, hashed CA
//! directories and memory, looked up the way OpenSSL 3.0's `X509_STORE` does.
//!
//! A hashed directory (`-CApath`) is read lazily, as `by_dir` reads it: a
//! lookup for a subject name that no loaded certificate has reads the files
//! `HASH.0`, `HASH.1`, ... (stopping at the first missing or unreadable one),
//! where HASH is [`name_hash`](super::name_hash) of the name in lower-case
//! hexadecimal. CRLs live in `HASH.r0`, `HASH.r1`, ... under the issuer's hash.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::cert::{CERTIFICATE_LABELS, parse_pem_certificate};
use super::crl::Crl;
use super::name::canonical_encoding;
use super::{Cert, name_hash, pem};
use crate::error::{Error, Reason, Result};

/// Most files read for one hash in a hashed directory.
const MAX_FILES_PER_HASH: usize = 1000;

/// Trusted certificates and CRLs.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    certs: Vec<Cert>,
    crls: Vec<Crl>,
    dirs: Vec<PathBuf>,
    dir_cache: Arc<Mutex<HashMap<DirKey, Arc<DirFiles>>>>,
}

/// The key of a directory cache entry: a directory, a hash, and whether the entry is for CRLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DirKey {
    dir: usize,
    hash: u32,
    crl: bool,
}

/// The certificates and CRLs read from the files of one hash, in suffix order.
#[derive(Debug, Default)]
pub(crate) struct DirFiles {
    pub(crate) certs: Vec<Arc<Cert>>,
    pub(crate) crls: Vec<Arc<Crl>>,
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> TrustStore {
        TrustStore::default()
    }

    /// Loads the certificates and CRLs of a CA file (`-CAfile`): every
    /// certificate and `X509 CRL` block of a PEM file, or one DER certificate.
    ///
    /// Like OpenSSL, the file is loaded all or nothing, and a file without any
    /// certificate or CRL is an error.
    pub fn load_file(&mut self, path: &Path) -> Result<()> {
        let input =
            crate::files::read_limited(path, crate::asn1::ber::MAX_INPUT_LEN).map_err(|e| {
                Error::new(
                    Reason::TrustStore,
                    format!("cannot load CA file {}: {e}", path.display()),
                )
            })?;
        self.load_bytes(&input, &path.display().to_string())
    }

    /// Loads CA file content from memory; `source` names it in error messages.
    pub fn load_bytes(&mut self, input: &[u8], source: &str) -> Result<()> {
        let error = |detail: String| {
            Error::new(
                Reason::TrustStore,
                format!("cannot load CA file {source}: {detail}"),
            )
        };
        let mut certs = Vec::new();
        let mut crls = Vec::new();
        if pem::is_pem(input) {
            for (index, block) in pem::blocks(input).into_iter().enumerate() {
                let is_cert = CERTIFICATE_LABELS.contains(&block.label.as_str());
                if !is_cert && block.label != "X509 CRL" {
                    continue;
                }
                let describe = |e: Error| {
                    error(format!(
                        "PEM block {} ({} at line {}): {e}",
                        index + 1,
                        block.label,
                        block.line
                    ))
                };
                let data = block.data.clone().map_err(describe)?;
                if is_cert {
                    certs.push(parse_pem_certificate(&block.label, &data).map_err(describe)?);
                } else {
                    crls.push(Crl::from_der(&data).map_err(describe)?);
                }
            }
        } else {
            let cert =
                parse_pem_certificate("CERTIFICATE", input).map_err(|e| error(e.to_string()))?;
            certs.push(cert);
        }
        if certs.is_empty() && crls.is_empty() {
            return Err(error("no certificate or CRL found".into()));
        }
        for cert in certs {
            self.add_cert(cert);
        }
        for crl in crls {
            self.add_crl(crl);
        }
        Ok(())
    }

    /// Adds a hashed CA directory (`-CApath`). Its files are read when a lookup needs them.
    pub fn add_dir(&mut self, path: &Path) -> Result<()> {
        if !path.is_dir() {
            return Err(Error::new(
                Reason::TrustStore,
                format!(
                    "cannot load CA directory {}: not a directory",
                    path.display()
                ),
            ));
        }
        self.dirs.push(path.to_path_buf());
        Ok(())
    }

    /// Adds a trusted certificate. A certificate already in the store is not added twice.
    pub fn add_cert(&mut self, cert: Cert) {
        if !self.certs.iter().any(|known| known.der() == cert.der()) {
            self.certs.push(cert);
        }
    }

    /// Adds a CRL. A CRL already in the store is not added twice.
    pub fn add_crl(&mut self, crl: Crl) {
        if !self.crls.iter().any(|known| known.der() == crl.der()) {
            self.crls.push(crl);
        }
    }

    /// The certificates loaded from files and memory, in the order they were
    /// added; certificates of hashed directories are not included.
    pub fn certs(&self) -> &[Cert] {
        &self.certs
    }

    /// The CRLs loaded from files and memory.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// The hashed directories.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Whether the store has no certificate, CRL or directory.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty() && self.dirs.is_empty()
    }

    /// Reads the certificates or CRLs stored under `hash` in directory `dir`, once per store.
    fn dir_files(&self, dir: usize, hash: u32, crl: bool) -> Arc<DirFiles> {
        let key = DirKey { dir, hash, crl };
        let mut cache = self
            .dir_cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(files) = cache.get(&key) {
            return Arc::clone(files);
        }
        let files = Arc::new(read_hash_files(&self.dirs[dir], hash, crl));
        cache.insert(key, Arc::clone(&files));
        files
    }
}

/// Reads `HASH.0`, `HASH.1`, ... (or `HASH.r0`, ... for CRLs) until a file is
/// missing or contains nothing loadable. Certificates before a bad block of a
/// file are kept, as `X509_load_cert_file` keeps them.
fn read_hash_files(dir: &Path, hash: u32, crl: bool) -> DirFiles {
    let mut files = DirFiles::default();
    for suffix in 0..MAX_FILES_PER_HASH {
        let name = if crl {
            format!("{hash:08x}.r{suffix}")
        } else {
            format!("{hash:08x}.{suffix}")
        };
        let Ok(input) =
            crate::files::read_limited(&dir.join(name), crate::asn1::ber::MAX_INPUT_LEN)
        else {
            break;
        };
        let mut loaded = 0;
        let mut complete = true;
        for block in pem::blocks(&input) {
            let wanted = if crl {
                block.label == "X509 CRL"
            } else {
                CERTIFICATE_LABELS.contains(&block.label.as_str())
            };
            if !wanted {
                continue;
            }
            let parsed = block.data.and_then(|data| {
                if crl {
                    Crl::from_der(&data).map(|c| files.crls.push(Arc::new(c)))
                } else {
                    parse_pem_certificate(&block.label, &data)
                        .map(|c| files.certs.push(Arc::new(c)))
                }
            });
            if parsed.is_err() {
                complete = false;
                break;
            }
            loaded += 1;
        }
        if loaded == 0 || !complete {
            break;
        }
    }
    files
}

/// A certificate from the store: borrowed from its list, or shared from a
/// hashed directory's cache.
#[derive(Debug, Clone)]
pub(crate) enum CertRef<'a> {
    Borrowed(&'a Cert),
    Shared(Arc<Cert>),
}

impl std::ops::Deref for CertRef<'_> {
    type Target = Cert;

    fn deref(&self) -> &Cert {
        match self {
            CertRef::Borrowed(cert) => cert,
            CertRef::Shared(cert) => cert,
        }
    }
}

/// The store as one verification uses it: the store's own certificates, plus
/// what the lookups of this verification read from hashed directories.
pub(crate) struct StoreView<'a> {
    store: &'a TrustStore,
    extra_certs: Vec<Arc<Cert>>,
    extra_crls: Vec<Arc<Crl>>,
    loaded: Vec<DirKey>,
}

impl<'a> StoreView<'a> {
    pub(crate) fn new(store: &'a TrustStore) -> StoreView<'a> {
        StoreView {
            store,
            extra_certs: Vec::new(),
            extra_crls: Vec::new(),
            loaded: Vec::new(),
        }
    }

    /// Lists every loaded certificate with this canonical subject, in the order added.
    pub(crate) fn cached_certs(&self, subject: &[u8]) -> Vec<CertRef<'a>> {
        let own = self
            .store
            .certs
            .iter()
            .filter(|cert| cert.subject_canonical() == subject)
            .map(CertRef::Borrowed);
        let extra = self
            .extra_certs
            .iter()
            .filter(|cert| cert.subject_canonical() == subject)
            .map(|cert| CertRef::Shared(Arc::clone(cert)));
        own.chain(extra).collect()
    }

    /// Finds the first certificate with this subject, reading hashed directories
    /// when none is loaded yet (`X509_STORE_CTX_get_by_subject`).
    pub(crate) fn by_subject(&mut self, subject: &x509_cert::name::Name) -> Option<CertRef<'a>> {
        let canonical = canonical_encoding(subject);
        if let Some(first) = self.cached_certs(&canonical).into_iter().next() {
            return Some(first);
        }
        let hash = name_hash(subject);
        for dir in 0..self.store.dirs.len() {
            self.load(dir, hash, false);
            if let Some(first) = self.cached_certs(&canonical).into_iter().next() {
                return Some(first);
            }
        }
        None
    }

    /// Finds every certificate with this subject, reading hashed directories
    /// first if none is loaded yet (`X509_STORE_CTX_get1_certs`).
    pub(crate) fn all_by_subject(&mut self, subject: &x509_cert::name::Name) -> Vec<CertRef<'a>> {
        if self.by_subject(subject).is_none() {
            return Vec::new();
        }
        self.cached_certs(&canonical_encoding(subject))
    }

    /// Finds every CRL of this issuer (`X509_STORE_CTX_get1_crls`). Hashed
    /// directories are always read for CRLs, even when some are loaded.
    pub(crate) fn crls_by_issuer(&mut self, issuer: &x509_cert::name::Name) -> Vec<CrlRef<'a>> {
        let hash = name_hash(issuer);
        for dir in 0..self.store.dirs.len() {
            self.load(dir, hash, true);
        }
        let canonical = canonical_encoding(issuer);
        let own = self
            .store
            .crls
            .iter()
            .filter(|crl| crl.issuer_canonical() == canonical)
            .map(CrlRef::Borrowed);
        let extra = self
            .extra_crls
            .iter()
            .filter(|crl| crl.issuer_canonical() == canonical)
            .map(|crl| CrlRef::Shared(Arc::clone(crl)));
        own.chain(extra).collect()
    }

    fn load(&mut self, dir: usize, hash: u32, crl: bool) {
        let key = DirKey { dir, hash, crl };
        if self.loaded.contains(&key) {
            return;
        }
        self.loaded.push(key);
        let files = self.store.dir_files(dir, hash, crl);
        for cert in &files.certs {
            if !self
                .store
                .certs
                .iter()
                .chain(self.extra_certs.iter().map(|c| &**c))
                .any(|known| known.der() == cert.der())
            {
                self.extra_certs.push(Arc::clone(cert));
            }
        }
        for crl in &files.crls {
            if !self
                .store
                .crls
                .iter()
                .chain(self.extra_crls.iter().map(|c| &**c))
                .any(|known| known.der() == crl.der())
            {
                self.extra_crls.push(Arc::clone(crl));
            }
        }
    }
}

/// A CRL from the store, borrowed or shared from a hashed directory's cache.
#[derive(Debug, Clone)]
pub(crate) enum CrlRef<'a> {
    Borrowed(&'a Crl),
    Shared(Arc<Crl>),
}

impl std::ops::Deref for CrlRef<'_> {
    type Target = Crl;

    fn deref(&self) -> &Crl {
        match self {
            CrlRef::Borrowed(crl) => crl,
            CrlRef::Shared(crl) => crl,
        }
    }
}
