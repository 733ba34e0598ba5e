//! The message digest algorithms that requests, responses and signatures use,
//! with the names and OIDs by which OpenSSL 3.0 finds them.
//!
//! OpenSSL looks a digest up in three ways, and `openssl ts` uses each:
//!
//! * [`DigestAlgorithm::fetch`] is `EVP_MD_fetch(NULL, name, NULL)`: the
//!   names the active providers register (`SHA2-256`, `SHA-256`, `SHA256`,
//!   the dotted OID) and the object names of the digests they implement.
//! * [`DigestAlgorithm::from_name`] is `EVP_get_digestbyname`: libcrypto's
//!   built-in digests by object name and alias (`ssl3-md5`, `RSA-SHA256`,
//!   `sha256WithRSAEncryption`), then by any provider name of the same
//!   algorithm. MD4 and whirlpool resolve here although the default provider
//!   cannot compute them; the KECCAK-KMAC and NULL digests do not.
//! * [`DigestAlgorithm::from_option`] is `opt_md`, which reads `-sha256` and
//!   other digest options: `fetch`, then `from_name` unless a provider option
//!   was given.
//!
//! The TSA configuration keys use `from_name`, the verifier and the ESS check
//! use [`DigestAlgorithm::from_oid_name`], and the responder accepts a request
//! whose OID is exactly that of a configured digest. Every lookup ignores
//! ASCII case, as OpenSSL's name tables do.
//!
//! Which digests can be fetched depends on the active providers (see
//! [`providers`]): the default provider implements all but MD4 and
//! whirlpool, which only the legacy provider implements.

mod hashers;
mod properties;
pub mod providers;

use core::fmt;

use der::asn1::ObjectIdentifier;
use digest::DynDigest;

use crate::error::{Error, Reason, Result, lib};

/// A message digest algorithm that OpenSSL 3.0 finds by name.
///
/// Some cannot time-stamp anything, because OpenSSL cannot either:
/// [`DigestAlgorithm::oid`] is `None` for MD5-SHA1, KECCAK-KMAC-128,
/// KECCAK-KMAC-256 and NULL, and [`DigestAlgorithm::is_provided`] is false for
/// MD4 and whirlpool unless the legacy provider is active. tsrs still
/// computes all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// MD5 (RFC 1321). Broken; accepted only because OpenSSL accepts it.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 with OpenSSL's default output length, 16 bytes.
    Shake128,
    /// SHAKE256 with OpenSSL's default output length, 32 bytes.
    Shake256,
    /// RIPEMD-160.
    Ripemd160,
    /// SM3 (GB/T 32905-2016).
    Sm3,
    /// BLAKE2b with a 64-byte output (RFC 7693).
    Blake2b512,
    /// BLAKE2s with a 32-byte output (RFC 7693).
    Blake2s256,
    /// MD5 and SHA-1 concatenated, 36 bytes. It has no OID.
    Md5Sha1,
    /// MD4 (RFC 1320). OpenSSL 3.0 implements it only in its legacy provider.
    Md4,
    /// Whirlpool (ISO/IEC 10118-3). OpenSSL 3.0 implements it only in its
    /// legacy provider.
    Whirlpool,
    /// The Keccak core of KMAC128, 32 bytes. It has no OID and no legacy name.
    KeccakKmac128,
    /// The Keccak core of KMAC256, 64 bytes. It has no OID and no legacy name.
    KeccakKmac256,
    /// The NULL digest: zero bytes. It has no OID and no legacy name.
    Null,
}

/// `EVP_MD_FLAG_XOF`: an extendable-output function.
const FLAG_XOF: u8 = 0x2;
/// `EVP_MD_FLAG_DIGALGID_ABSENT`: `X509_ALGOR_set_md` leaves the parameters out.
const FLAG_PARAMETERS_ABSENT: u8 = 0x8;

/// What OpenSSL 3.0.19 (Debian's default build) defines for one digest.
struct Info {
    oid: Option<&'static str>,
    output_len: usize,
    /// The object's short name, or the provider's first name when libcrypto
    /// has no object for the digest.
    short_name: &'static str,
    /// The object's long name, which `-text` prints; the short name when
    /// libcrypto has no object for the digest.
    long_name: &'static str,
    /// The names the default provider registers; empty when only the legacy
    /// provider implements the digest (see [`DigestAlgorithm::legacy_provider_names`]).
    provider_names: &'static [&'static str],
    /// The names `EVP_get_digestbyname` finds besides the short and long
    /// names; `None` when libcrypto has no built-in `EVP_MD` for the digest.
    legacy_aliases: Option<&'static [&'static str]>,
    /// `EVP_MD_get_flags`, as far as [`FLAG_XOF`] and [`FLAG_PARAMETERS_ABSENT`] go.
    flags: u8,
}

impl DigestAlgorithm {
    /// Every algorithm, in the order of this enum.
    pub const ALL: [DigestAlgorithm; 24] = [
        DigestAlgorithm::Md5,
        DigestAlgorithm::Sha1,
        DigestAlgorithm::Sha224,
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
        DigestAlgorithm::Sha512_224,
        DigestAlgorithm::Sha512_256,
        DigestAlgorithm::Sha3_224,
        DigestAlgorithm::Sha3_256,
        DigestAlgorithm::Sha3_384,
        DigestAlgorithm::Sha3_512,
        DigestAlgorithm::Shake128,
        DigestAlgorithm::Shake256,
        DigestAlgorithm::Ripemd160,
        DigestAlgorithm::Sm3,
        DigestAlgorithm::Blake2b512,
        DigestAlgorithm::Blake2s256,
        DigestAlgorithm::Md5Sha1,
        DigestAlgorithm::Md4,
        DigestAlgorithm::Whirlpool,
        DigestAlgorithm::KeccakKmac128,
        DigestAlgorithm::KeccakKmac256,
        DigestAlgorithm::Null,
    ];

    const fn info(self) -> Info {
        use DigestAlgorithm as D;
        match self {
            D::Md5 => Info {
                oid: Some("1.2.840.113549.2.5"),
                output_len: 16,
                short_name: "MD5",
                long_name: "md5",
                provider_names: &["MD5", "SSL3-MD5", "1.2.840.113549.2.5"],
                legacy_aliases: Some(&["ssl3-md5", "RSA-MD5", "md5WithRSAEncryption"]),
                flags: 0,
            },
            D::Sha1 => Info {
                oid: Some("1.3.14.3.2.26"),
                output_len: 20,
                short_name: "SHA1",
                long_name: "sha1",
                provider_names: &["SHA1", "SHA-1", "SSL3-SHA1", "1.3.14.3.2.26"],
                legacy_aliases: Some(&[
                    "ssl3-sha1",
                    "RSA-SHA1",
                    "sha1WithRSAEncryption",
                    "RSA-SHA1-2",
                ]),
                flags: FLAG_PARAMETERS_ABSENT,
            },
            D::Sha224 => sha_info(
                "2.16.840.1.101.3.4.2.4",
                28,
                ["SHA224", "sha224"],
                &["SHA2-224", "SHA-224", "SHA224", "2.16.840.1.101.3.4.2.4"],
                &["RSA-SHA224", "sha224WithRSAEncryption"],
            ),
            D::Sha256 => sha_info(
                "2.16.840.1.101.3.4.2.1",
                32,
                ["SHA256", "sha256"],
                &["SHA2-256", "SHA-256", "SHA256", "2.16.840.1.101.3.4.2.1"],
                &["RSA-SHA256", "sha256WithRSAEncryption"],
            ),
            D::Sha384 => sha_info(
                "2.16.840.1.101.3.4.2.2",
                48,
                ["SHA384", "sha384"],
                &["SHA2-384", "SHA-384", "SHA384", "2.16.840.1.101.3.4.2.2"],
                &["RSA-SHA384", "sha384WithRSAEncryption"],
            ),
            D::Sha512 => sha_info(
                "2.16.840.1.101.3.4.2.3",
                64,
                ["SHA512", "sha512"],
                &["SHA2-512", "SHA-512", "SHA512", "2.16.840.1.101.3.4.2.3"],
                &["RSA-SHA512", "sha512WithRSAEncryption"],
            ),
            D::Sha512_224 => sha_info(
                "2.16.840.1.101.3.4.2.5",
                28,
                ["SHA512-224", "sha512-224"],
                &[
                    "SHA2-512/224",
                    "SHA-512/224",
                    "SHA512-224",
                    "2.16.840.1.101.3.4.2.5",
                ],
                &["RSA-SHA512/224", "sha512-224WithRSAEncryption"],
            ),
            D::Sha512_256 => sha_info(
                "2.16.840.1.101.3.4.2.6",
                32,
                ["SHA512-256", "sha512-256"],
                &[
                    "SHA2-512/256",
                    "SHA-512/256",
                    "SHA512-256",
                    "2.16.840.1.101.3.4.2.6",
                ],
                &["RSA-SHA512/256", "sha512-256WithRSAEncryption"],
            ),
            D::Sha3_224 => sha_info(
                "2.16.840.1.101.3.4.2.7",
                28,
                ["SHA3-224", "sha3-224"],
                &["SHA3-224", "2.16.840.1.101.3.4.2.7"],
                &["RSA-SHA3-224", "id-rsassa-pkcs1-v1_5-with-sha3-224"],
            ),
            D::Sha3_256 => sha_info(
                "2.16.840.1.101.3.4.2.8",
                32,
                ["SHA3-256", "sha3-256"],
                &["SHA3-256", "2.16.840.1.101.3.4.2.8"],
                &["RSA-SHA3-256", "id-rsassa-pkcs1-v1_5-with-sha3-256"],
            ),
            D::Sha3_384 => sha_info(
                "2.16.840.1.101.3.4.2.9",
                48,
                ["SHA3-384", "sha3-384"],
                &["SHA3-384", "2.16.840.1.101.3.4.2.9"],
                &["RSA-SHA3-384", "id-rsassa-pkcs1-v1_5-with-sha3-384"],
            ),
            D::Sha3_512 => sha_info(
                "2.16.840.1.101.3.4.2.10",
                64,
                ["SHA3-512", "sha3-512"],
                &["SHA3-512", "2.16.840.1.101.3.4.2.10"],
                &["RSA-SHA3-512", "id-rsassa-pkcs1-v1_5-with-sha3-512"],
            ),
            D::Shake128 => Info {
                oid: Some("2.16.840.1.101.3.4.2.11"),
                output_len: 16,
                short_name: "SHAKE128",
                long_name: "shake128",
                provider_names: &["SHAKE-128", "SHAKE128", "2.16.840.1.101.3.4.2.11"],
                legacy_aliases: Some(&[]),
                flags: FLAG_XOF | FLAG_PARAMETERS_ABSENT,
            },
            D::Shake256 => Info {
                oid: Some("2.16.840.1.101.3.4.2.12"),
                output_len: 32,
                short_name: "SHAKE256",
                long_name: "shake256",
                provider_names: &["SHAKE-256", "SHAKE256", "2.16.840.1.101.3.4.2.12"],
                legacy_aliases: Some(&[]),
                flags: FLAG_XOF | FLAG_PARAMETERS_ABSENT,
            },
            D::Ripemd160 => Info {
                oid: Some("1.3.36.3.2.1"),
                output_len: 20,
                short_name: "RIPEMD160",
                long_name: "ripemd160",
                provider_names: &[
                    "RIPEMD-160",
                    "RIPEMD160",
                    "RIPEMD",
                    "RMD160",
                    "1.3.36.3.2.1",
                ],
                legacy_aliases: Some(&["ripemd", "rmd160", "RSA-RIPEMD160", "ripemd160WithRSA"]),
                flags: 0,
            },
            D::Sm3 => Info {
                oid: Some("1.2.156.10197.1.401"),
                output_len: 32,
                short_name: "SM3",
                long_name: "sm3",
                provider_names: &["SM3", "1.2.156.10197.1.401"],
                legacy_aliases: Some(&["RSA-SM3", "sm3WithRSAEncryption"]),
                flags: 0,
            },
            D::Blake2b512 => Info {
                oid: Some("1.3.6.1.4.1.1722.12.2.1.16"),
                output_len: 64,
                short_name: "BLAKE2b512",
                long_name: "blake2b512",
                provider_names: &["BLAKE2B-512", "BLAKE2b512", "1.3.6.1.4.1.1722.12.2.1.16"],
                legacy_aliases: Some(&[]),
                flags: 0,
            },
            D::Blake2s256 => Info {
                oid: Some("1.3.6.1.4.1.1722.12.2.2.8"),
                output_len: 32,
                short_name: "BLAKE2s256",
                long_name: "blake2s256",
                provider_names: &["BLAKE2S-256", "BLAKE2s256", "1.3.6.1.4.1.1722.12.2.2.8"],
                legacy_aliases: Some(&[]),
                flags: 0,
            },
            D::Md5Sha1 => Info {
                oid: None,
                output_len: 36,
                short_name: "MD5-SHA1",
                long_name: "md5-sha1",
                provider_names: &["MD5-SHA1"],
                legacy_aliases: Some(&[]),
                flags: 0,
            },
            D::Md4 => Info {
                oid: Some("1.2.840.113549.2.4"),
                output_len: 16,
                short_name: "MD4",
                long_name: "md4",
                provider_names: &[],
                legacy_aliases: Some(&["RSA-MD4", "md4WithRSAEncryption"]),
                flags: 0,
            },
            D::Whirlpool => Info {
                oid: Some("1.0.10118.3.0.55"),
                output_len: 64,
                short_name: "whirlpool",
                long_name: "whirlpool",
                provider_names: &[],
                legacy_aliases: Some(&[]),
                flags: 0,
            },
            D::KeccakKmac128 => Info {
                oid: None,
                output_len: 32,
                short_name: "KECCAK-KMAC-128",
                long_name: "KECCAK-KMAC-128",
                provider_names: &["KECCAK-KMAC-128", "KECCAK-KMAC128"],
                legacy_aliases: None,
                flags: FLAG_XOF,
            },
            D::KeccakKmac256 => Info {
                oid: None,
                output_len: 64,
                short_name: "KECCAK-KMAC-256",
                long_name: "KECCAK-KMAC-256",
                provider_names: &["KECCAK-KMAC-256", "KECCAK-KMAC256"],
                legacy_aliases: None,
                flags: FLAG_XOF,
            },
            D::Null => Info {
                oid: None,
                output_len: 0,
                short_name: "NULL",
                long_name: "NULL",
                provider_names: &["NULL"],
                legacy_aliases: None,
                flags: 0,
            },
        }
    }

    /// The algorithm's OID, which requests and responses name it by; `None`
    /// for MD5-SHA1, KECCAK-KMAC-128, KECCAK-KMAC-256 and NULL.
    pub fn oid(self) -> Option<ObjectIdentifier> {
        self.info()
            .oid
            .and_then(|dotted| ObjectIdentifier::new(dotted).ok())
    }

    /// The OID, or the error OpenSSL raises when it encodes an
    /// AlgorithmIdentifier for a digest without one (`-query -md5-sha1`).
    pub fn oid_or_err(self) -> Result<ObjectIdentifier> {
        self.oid().ok_or_else(|| {
            Error::new(
                Reason::UnsupportedAlgorithm,
                format!("{self} has no OID, so no AlgorithmIdentifier can name it"),
            )
            .with_record(
                lib::ASN1,
                "asn1_template_ex_i2d",
                "illegal zero content",
                "",
            )
        })
    }

    /// The length of a digest, in bytes.
    pub const fn output_len(self) -> usize {
        self.info().output_len
    }

    /// OpenSSL's long name, which `-text` prints: `sha256`, `sha512-224`, `md5`.
    pub const fn name(self) -> &'static str {
        self.info().long_name
    }

    /// OpenSSL's short name: `SHA256`, `SHA512-224`, `MD5`.
    pub const fn short_name(self) -> &'static str {
        self.info().short_name
    }

    /// Returns whether an active provider computes the digest, matching the
    /// default properties: whether `EVP_MD_fetch(NULL, name, NULL)` finds it now.
    /// With the default provider alone, only MD4 and whirlpool are missing:
    /// OpenSSL finds them by name and OID, writes and accepts their imprints,
    /// but fails to hash with them.
    ///
    /// A digest that a digest option found ([`DigestAlgorithm::from_option`])
    /// stays provided, as the `EVP_MD` that `opt_md` fetched stays usable
    /// when `-config` then changes the providers.
    pub fn is_provided(self) -> bool {
        if providers::with_state(|state| state.is_held(self)) {
            return true;
        }
        self.fetchable(None)
    }

    /// Returns whether a fetch with the property query `query` (merged with
    /// the default properties) finds the digest. Like every fetch, this loads the
    /// default provider as a fallback when no provider was activated.
    fn fetchable(self, query: Option<&str>) -> bool {
        providers::with_state(|state| state.fetch(&self.implementers(), query))
    }

    /// Returns the providers that implement the digest.
    fn implementers(self) -> Vec<providers::Provider> {
        let mut implementers = Vec::new();
        if !self.info().provider_names.is_empty() {
            implementers.push(providers::Provider::Default);
        }
        if !self.legacy_provider_names().is_empty() {
            implementers.push(providers::Provider::Legacy);
        }
        implementers
    }

    /// Returns the names the legacy provider registers for the digest.
    const fn legacy_provider_names(self) -> &'static [&'static str] {
        match self {
            DigestAlgorithm::Md4 => &["MD4", "1.2.840.113549.2.4"],
            DigestAlgorithm::Whirlpool => &["WHIRLPOOL", "1.0.10118.3.0.55"],
            DigestAlgorithm::Ripemd160 => &[
                "RIPEMD-160",
                "RIPEMD160",
                "RIPEMD",
                "RMD160",
                "1.3.36.3.2.1",
            ],
            _ => &[],
        }
    }

    /// Returns the digest's number in OpenSSL 3.0.19's name map, which fetch
    /// errors print. It is 0 for the digests that have no object, which
    /// OpenSSL fetches by the empty name.
    const fn name_number(self) -> u32 {
        use DigestAlgorithm as D;
        match self {
            D::Sha3_512 => 83,
            D::Blake2s256 => 84,
            D::Sm3 => 85,
            D::Sha3_256 => 86,
            D::Sha3_224 => 87,
            D::Md4 => 88,
            D::Sha384 => 89,
            D::Sha512 => 90,
            D::Sha512_224 => 91,
            D::Shake256 => 92,
            D::Sha256 => 93,
            D::Sha1 => 94,
            D::Sha3_384 => 95,
            D::Shake128 => 96,
            D::Whirlpool => 97,
            D::Ripemd160 => 99,
            D::Md5 => 100,
            D::Sha224 => 101,
            D::Blake2b512 => 102,
            D::Sha512_256 => 103,
            D::Md5Sha1 | D::KeccakKmac128 | D::KeccakKmac256 | D::Null => 0,
        }
    }

    /// Whether the digest is an extendable-output function (`EVP_MD_FLAG_XOF`).
    pub const fn is_xof(self) -> bool {
        self.info().flags & FLAG_XOF != 0
    }

    /// Whether `X509_ALGOR_set_md` gives the digest's AlgorithmIdentifier NULL
    /// parameters. It leaves them out for SHA-1, SHA-2, SHA-3 and SHAKE
    /// (`EVP_MD_FLAG_DIGALGID_ABSENT`).
    pub const fn has_null_parameters(self) -> bool {
        self.info().flags & FLAG_PARAMETERS_ABSENT == 0
    }

    /// Fails as OpenSSL's `EVP_DigestInit` does for a digest no active
    /// provider computes (MD4 and whirlpool with the default provider alone).
    pub fn ensure_provided(self) -> Result<()> {
        if self.is_provided() {
            return Ok(());
        }
        Err(self.fetch_error("").with_record(
            lib::EVP,
            "evp_md_init_internal",
            "initialization error",
            "",
        ))
    }

    /// Returns the error of `EVP_MD_fetch` for a digest no active provider computes,
    /// with the property query text OpenSSL prints (`""` or `"<null>"`).
    ///
    /// The error names the digest by its short name and its number in
    /// OpenSSL 3.0.19's name map. OpenSSL fetches a digest without an OID by
    /// the empty name, which is number 0.
    pub(crate) fn fetch_error(self, properties: &str) -> Error {
        let name = match self.name_number() {
            0 => "",
            _ => self.short_name(),
        };
        let number = self.name_number();
        let reason = providers::with_state(|state| state.unavailable_reason(&self.implementers()));
        Error::new(
            Reason::UnsupportedAlgorithm,
            format!("{self} is not available: {reason}"),
        )
        .with_record(
            lib::EVP,
            "inner_evp_generic_fetch",
            "unsupported",
            format!(
                "Global default library context, Algorithm ({name} : {number}), Properties ({properties})"
            ),
        )
    }

    /// Finds a digest as `EVP_MD_fetch(NULL, name, NULL)` does: by the names
    /// of the active providers and the digest's object names.
    pub fn fetch(name: &str) -> Option<DigestAlgorithm> {
        DigestAlgorithm::fetch_with_query(name, None)
    }

    /// `EVP_MD_fetch(NULL, name, query)`. Even a name that matches nothing
    /// counts as a fetch, which loads the default provider as a fallback.
    fn fetch_with_query(name: &str, query: Option<&str>) -> Option<DigestAlgorithm> {
        match DigestAlgorithm::ALL
            .into_iter()
            .find(|alg| alg.matches_fetch_name(name))
        {
            Some(alg) => alg.fetchable(query).then_some(alg),
            None => {
                providers::with_state(|state| state.fetch(&[], query));
                None
            }
        }
    }

    /// Finds a digest as `EVP_get_digestbyname` does, which the TSA
    /// configuration keys use: by short name, long name, alias, RSA signature
    /// name, provider name or dotted OID.
    pub fn from_name(name: &str) -> Option<DigestAlgorithm> {
        DigestAlgorithm::ALL
            .into_iter()
            .find(|alg| alg.matches_legacy_name(name))
    }

    /// Finds the digest of an option such as `-sha256` as `opt_md` does:
    /// a fetch with the `-propquery` query ([`providers::set_application_query`]),
    /// then [`DigestAlgorithm::from_name`] when `legacy_names` is true.
    /// `openssl` turns the legacy names off when `-provider`,
    /// `-provider-path` or `-propquery` is given.
    pub fn from_option(name: &str, legacy_names: bool) -> Option<DigestAlgorithm> {
        // NOTE: every later use of the digest counts as held, while OpenSSL
        // fetches again where its code looks the digest up by name.
        let query = providers::application_query();
        let fetched = DigestAlgorithm::fetch_with_query(name, query.as_deref());
        if let Some(digest) = fetched {
            providers::with_state(|state| state.hold(digest));
        }
        fetched.or_else(|| {
            if legacy_names {
                DigestAlgorithm::from_name(name)
            } else {
                None
            }
        })
    }

    /// Returns the digest with exactly this OID, if an active provider computes it.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<DigestAlgorithm> {
        DigestAlgorithm::ALL
            .into_iter()
            .find(|alg| alg.oid().as_ref() == Some(oid))
            .filter(|alg| alg.is_provided())
    }

    /// Finds the digest for an OID as the verifier (`ts_compute_imprint`) and
    /// the ESS check do: by the text `OBJ_obj2txt` gives (the long name, or the
    /// dotted OID when libcrypto has no name for it) through
    /// [`DigestAlgorithm::fetch`], then [`DigestAlgorithm::from_name`].
    ///
    /// So the OID of an RSA signature algorithm gives its digest
    /// (sha256WithRSAEncryption gives SHA-256), and MD4 and whirlpool are
    /// found although they cannot hash.
    pub fn from_oid_name(oid: &ObjectIdentifier) -> Option<DigestAlgorithm> {
        let text = crate::oid::Objects::new().text(oid);
        DigestAlgorithm::fetch(&text).or_else(|| DigestAlgorithm::from_name(&text))
    }

    /// Like [`DigestAlgorithm::from_name`], with an error that names the input.
    pub fn from_name_or_err(name: &str) -> Result<DigestAlgorithm> {
        DigestAlgorithm::from_name(name).ok_or_else(|| {
            Error::new(
                Reason::UnknownDigest,
                format!(
                    "unknown message digest {name:?}; use one of {}",
                    supported_names()
                ),
            )
        })
    }

    /// Returns whether `name` is in the providers' name map for the digest:
    /// the providers' own names and, for a digest libcrypto has an object
    /// for, the short and long names.
    fn matches_fetch_name(self, name: &str) -> bool {
        let info = self.info();
        name.eq_ignore_ascii_case(info.short_name)
            || name.eq_ignore_ascii_case(info.long_name)
            || info
                .provider_names
                .iter()
                .chain(self.legacy_provider_names())
                .any(|alias| name.eq_ignore_ascii_case(alias))
    }

    /// The names `EVP_get_digestbyname` finds: the built-in `EVP_MD` table,
    /// then the name map, whose entry for a legacy-only digest contains its OID.
    fn matches_legacy_name(self, name: &str) -> bool {
        let info = self.info();
        let Some(aliases) = info.legacy_aliases else {
            return false;
        };
        self.matches_fetch_name(name)
            || aliases.iter().any(|alias| name.eq_ignore_ascii_case(alias))
            || info.oid == Some(name)
    }

    /// A fresh hasher for this algorithm.
    pub fn hasher(self) -> Box<dyn DynDigest + Send> {
        use DigestAlgorithm as D;
        match self {
            D::Md5 => Box::new(md5::Md5::default()),
            D::Sha1 => Box::new(sha1::Sha1::default()),
            D::Sha224 => Box::new(sha2::Sha224::default()),
            D::Sha256 => Box::new(sha2::Sha256::default()),
            D::Sha384 => Box::new(sha2::Sha384::default()),
            D::Sha512 => Box::new(sha2::Sha512::default()),
            D::Sha512_224 => Box::new(sha2::Sha512_224::default()),
            D::Sha512_256 => Box::new(sha2::Sha512_256::default()),
            D::Sha3_224 => Box::new(sha3::Sha3_224::default()),
            D::Sha3_256 => Box::new(sha3::Sha3_256::default()),
            D::Sha3_384 => Box::new(sha3::Sha3_384::default()),
            D::Sha3_512 => Box::new(sha3::Sha3_512::default()),
            D::Shake128 => Box::new(hashers::FixedXof::<shake::Shake128, 16>::default()),
            D::Shake256 => Box::new(hashers::FixedXof::<shake::Shake256, 32>::default()),
            D::Ripemd160 => Box::new(ripemd::Ripemd160::default()),
            D::Sm3 => Box::new(sm3::Sm3::default()),
            D::Blake2b512 => Box::new(blake2::Blake2b512::default()),
            D::Blake2s256 => Box::new(blake2::Blake2s256::default()),
            D::Md5Sha1 => Box::new(hashers::Md5Sha1::default()),
            D::Md4 => Box::new(md4::Md4::default()),
            D::Whirlpool => Box::new(whirlpool::Whirlpool::default()),
            D::KeccakKmac128 => Box::new(hashers::KeccakKmac::<168, 32>::default()),
            D::KeccakKmac256 => Box::new(hashers::KeccakKmac::<136, 64>::default()),
            D::Null => Box::new(hashers::NullDigest),
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut hasher = self.hasher();
        hasher.update(data);
        hasher.finalize().into_vec()
    }

    /// The digest of everything `reader` yields, read in 4 KiB chunks.
    pub fn digest_reader(self, reader: &mut dyn std::io::Read) -> std::io::Result<Vec<u8>> {
        let mut hasher = self.hasher();
        let mut buf = [0u8; 4096];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(buf.get(..n).unwrap_or_default());
        }
        Ok(hasher.finalize().into_vec())
    }
}

/// The entry of a SHA-2 or SHA-3 digest: NIST's OID, the provider's names
/// and the RSA signature names that `EVP_get_digestbyname` accepts.
const fn sha_info(
    oid: &'static str,
    output_len: usize,
    [short_name, long_name]: [&'static str; 2],
    provider_names: &'static [&'static str],
    legacy_aliases: &'static [&'static str],
) -> Info {
    Info {
        oid: Some(oid),
        output_len,
        short_name,
        long_name,
        provider_names,
        legacy_aliases: Some(legacy_aliases),
        flags: FLAG_PARAMETERS_ABSENT,
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The long names of the algorithms that can time-stamp (those with an OID
/// that an active provider computes), comma-separated, for messages.
pub fn supported_names() -> String {
    DigestAlgorithm::ALL
        .iter()
        .filter(|alg| alg.is_provided() && alg.oid().is_some())
        .map(|alg| alg.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `abc`, the empty string and 200 times `a` (more than one block of every
    /// digest here), as `openssl dgst` 3.0.19 hashes them; MD4 and whirlpool
    /// with `-provider legacy`.
    const KNOWN_ANSWERS: &[(DigestAlgorithm, &str, &str, &str)] = &[
        (
            DigestAlgorithm::Ripemd160,
            "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
            "9c1185a5c5e9fc54612808977ee8f548b2258d31",
            "2a5b424394c0fce2665d4e0b077e998d2d62160a",
        ),
        (
            DigestAlgorithm::Sm3,
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
            "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
            "a8da99c801bbd65ec00992ed5cbef851f275e98da9fb2d4f5be184f81473d5dd",
        ),
        (
            DigestAlgorithm::Blake2b512,
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
             7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419\
             d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
            "932355851d75f09c18646a9da87c25e055bc57f113121ad1ec63d45e7a1d62ab\
             9133f8b7d1d7de9e0afa784eb6a8a11d78683013d0a672611f17668d9577d209",
        ),
        (
            DigestAlgorithm::Blake2s256,
            "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
            "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9",
            "2b033f9f5ba9cf20671da79e492f41545e673b562603945ffed09662fd92321a",
        ),
        (
            DigestAlgorithm::Shake128,
            "5881092dd818bf5cf8a3ddb793fbcba7",
            "7f9c2ba4e88f827d616045507605853e",
            "70ac9b97e891be583e08929ce4cce50d",
        ),
        (
            DigestAlgorithm::Shake256,
            "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739",
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f",
            "e49647491c9d12d125a2f75826c96f6307d2fabebcbb9fb1616d76b09499380e",
        ),
        (
            DigestAlgorithm::Md5Sha1,
            "900150983cd24fb0d6963f7d28e17f72a9993e364706816aba3e25717850c26c9cd0d89d",
            "d41d8cd98f00b204e9800998ecf8427eda39a3ee5e6b4b0d3255bfef95601890afd80709",
            "887f30b43b2867f4a9accceee7d16e6ce61cfffe0d9195a525fc6cf06ca2d77119c24a40",
        ),
        (
            DigestAlgorithm::KeccakKmac128,
            "3bcfe6e0471a2168f61c444843e32aea0a09ec15bd9155f169189147f98c11fc",
            "83aa04c211dc19d16912571ed0a75130d36aebd58562dd080c1ea84a8c7d73f7",
            "57c230c1070fc47ae0fc3e60bbc3c8f6f7ca51312739b3cc1f2cba6e4a00c7a7",
        ),
        (
            DigestAlgorithm::KeccakKmac256,
            "f4e4a2d747910716f38c8ec58a5a50f6b0ea4ebd1e4c92a19e9b36ae640580f1\
             fda41b8b534dfc57a1a719528dadc28e3e6181daba9dc9595e459e249b2bcd95",
            "700eb71ffd0c7eceb15c7eb439aa9cc7b1f8c28c358d0335f635b0249510b4bc\
             0325d5d967108947bdf315f9b662db16a160e96877dc5e1479a942a98010802c",
            "1e2ff7a013c9dda641c966ef4d6bc4aadab850104805ea513d45124e2ae56f25\
             fefb51cd986443f94a969e9a1a30da610294c9e4dfdae5e5ef6b8f2dee63f77d",
        ),
        (DigestAlgorithm::Null, "", "", ""),
    ];

    #[test]
    fn known_answers() {
        let cases = [
            (DigestAlgorithm::Md5, "900150983cd24fb0d6963f7d28e17f72"),
            (
                DigestAlgorithm::Sha1,
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                DigestAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                DigestAlgorithm::Sha3_256,
                "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
            ),
            (DigestAlgorithm::Md4, "a448017aaf21d8525fc10ae87aa6729d"),
            (
                DigestAlgorithm::Whirlpool,
                "4e2448a4c6f486bb16b6562c73b4020bf3043e3a731bce721ae1b303d97e6d4c\
                 7181eebdb6c57e277d0e34957114cbd6c797fc9d95d8b582d225292076d4eef5",
            ),
        ];
        for (alg, expected) in cases {
            assert_eq!(hex(&alg.digest(b"abc")), expected, "{alg}");
        }
    }

    #[test]
    fn new_digests_match_openssl() {
        let long = [b'a'; 200];
        for &(alg, abc, empty, long_expected) in KNOWN_ANSWERS {
            assert_eq!(hex(&alg.digest(b"abc")), abc, "{alg} of abc");
            assert_eq!(hex(&alg.digest(b"")), empty, "{alg} of the empty string");
            assert_eq!(hex(&alg.digest(&long)), long_expected, "{alg} of 200 a");
        }
    }

    #[test]
    fn hashing_in_pieces_matches_one_call() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for alg in DigestAlgorithm::ALL {
            let mut hasher = alg.hasher();
            for piece in data.chunks(7) {
                hasher.update(piece);
            }
            let copy = hasher.box_clone();
            assert_eq!(hasher.finalize().into_vec(), alg.digest(&data), "{alg}");
            assert_eq!(copy.finalize().into_vec(), alg.digest(&data), "{alg} clone");
        }
    }

    #[test]
    fn reset_hasher_starts_over() {
        for alg in DigestAlgorithm::ALL {
            let mut hasher = alg.hasher();
            hasher.update(b"something else");
            hasher.reset();
            hasher.update(b"abc");
            assert_eq!(
                hasher.finalize_reset().into_vec(),
                alg.digest(b"abc"),
                "{alg}"
            );
            hasher.update(b"abc");
            assert_eq!(
                hasher.finalize().into_vec(),
                alg.digest(b"abc"),
                "{alg} again"
            );
        }
    }

    #[test]
    fn output_lengths_match_hashers() {
        for alg in DigestAlgorithm::ALL {
            assert_eq!(alg.digest(b"").len(), alg.output_len(), "{alg}");
            assert_eq!(alg.hasher().output_size(), alg.output_len(), "{alg}");
        }
    }

    #[test]
    fn names_resolve() {
        assert_eq!(
            DigestAlgorithm::from_name("sha256"),
            Some(DigestAlgorithm::Sha256)
        );
        assert_eq!(
            DigestAlgorithm::from_name("SHA-256"),
            Some(DigestAlgorithm::Sha256)
        );
        assert_eq!(
            DigestAlgorithm::from_name("sha512-224"),
            Some(DigestAlgorithm::Sha512_224)
        );
        assert_eq!(
            DigestAlgorithm::from_name("2.16.840.1.101.3.4.2.8"),
            Some(DigestAlgorithm::Sha3_256)
        );
        assert_eq!(DigestAlgorithm::from_name("sha999"), None);
        assert!(DigestAlgorithm::from_name_or_err("foo").is_err());
    }

    #[test]
    fn legacy_names_need_legacy_lookup() {
        for name in ["RSA-SHA256", "sha256WithRSAEncryption", "ripemd160WithRSA"] {
            assert!(DigestAlgorithm::fetch(name).is_none(), "{name}");
            assert!(DigestAlgorithm::from_name(name).is_some(), "{name}");
            assert!(DigestAlgorithm::from_option(name, true).is_some(), "{name}");
            assert!(
                DigestAlgorithm::from_option(name, false).is_none(),
                "{name}"
            );
        }
    }

    #[test]
    fn provider_only_digests_have_no_legacy_name() {
        for name in ["KECCAK-KMAC-128", "keccak-kmac256", "NULL"] {
            assert!(DigestAlgorithm::fetch(name).is_some(), "{name}");
            assert_eq!(DigestAlgorithm::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn legacy_only_digests_are_not_fetched() {
        for name in ["md4", "WHIRLPOOL", "1.2.840.113549.2.4", "RSA-MD4"] {
            assert_eq!(DigestAlgorithm::fetch(name), None, "{name}");
            let found = DigestAlgorithm::from_name(name).unwrap();
            assert!(!found.is_provided(), "{name}");
            assert!(found.ensure_provided().is_err(), "{name}");
        }
    }

    #[test]
    fn names_ignore_ascii_case() {
        for alg in DigestAlgorithm::ALL {
            for name in alg.info().provider_names {
                let upper = name.to_ascii_uppercase();
                let lower = name.to_ascii_lowercase();
                assert_eq!(DigestAlgorithm::fetch(&upper), Some(alg), "{upper}");
                assert_eq!(DigestAlgorithm::fetch(&lower), Some(alg), "{lower}");
            }
        }
        assert_eq!(
            DigestAlgorithm::from_name("Sha256WithRsaEncryption"),
            Some(DigestAlgorithm::Sha256)
        );
        assert_eq!(DigestAlgorithm::from_name("ＳＨＡ256"), None);
    }

    #[test]
    fn oids_round_trip() {
        for alg in DigestAlgorithm::ALL {
            let Some(oid) = alg.oid() else {
                continue;
            };
            let expected = alg.is_provided().then_some(alg);
            assert_eq!(DigestAlgorithm::from_oid(&oid), expected, "{alg}");
            assert_eq!(DigestAlgorithm::from_oid_name(&oid), Some(alg), "{alg}");
        }
    }

    #[test]
    fn signature_oids_name_their_digest() {
        let sha256_with_rsa = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
        assert_eq!(DigestAlgorithm::from_oid(&sha256_with_rsa), None);
        assert_eq!(
            DigestAlgorithm::from_oid_name(&sha256_with_rsa),
            Some(DigestAlgorithm::Sha256)
        );
        let unknown = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.55555.1");
        assert_eq!(DigestAlgorithm::from_oid_name(&unknown), None);
    }

    #[test]
    fn digests_without_oid_fail_to_encode() {
        for alg in [
            DigestAlgorithm::Md5Sha1,
            DigestAlgorithm::KeccakKmac128,
            DigestAlgorithm::KeccakKmac256,
            DigestAlgorithm::Null,
        ] {
            assert_eq!(alg.oid(), None, "{alg}");
            let error = alg.oid_or_err().unwrap_err();
            assert_eq!(error.records().len(), 1, "{alg}");
        }
    }

    #[test]
    fn fetch_error_names_the_digest() {
        let error = DigestAlgorithm::Md4.ensure_provided().unwrap_err();
        let data: Vec<&str> = error.records().iter().map(|r| r.data.as_str()).collect();
        assert_eq!(
            data,
            [
                "Global default library context, Algorithm (MD4 : 88), Properties ()",
                ""
            ]
        );
    }

    #[test]
    fn supported_names_can_time_stamp() {
        let names = supported_names();
        assert!(names.contains("ripemd160"), "{names}");
        assert!(!names.contains("md4"), "{names}");
        assert!(!names.contains("md5-sha1"), "{names}");
    }
}
