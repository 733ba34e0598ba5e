//! The message digest algorithms that requests, responses and signatures use.

use core::fmt;

use der::asn1::ObjectIdentifier;
use digest::DynDigest;

use crate::error::{Error, Reason, Result};

/// A message digest algorithm that `openssl ts` accepts.
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
}

/// Per algorithm: the OID, the output length, OpenSSL's short and long names,
/// and the other names OpenSSL 3.0's default provider accepts.
struct Info {
    oid: &'static str,
    output_len: usize,
    short_name: &'static str,
    long_name: &'static str,
    aliases: &'static [&'static str],
}

impl DigestAlgorithm {
    /// Every supported algorithm.
    pub const ALL: [DigestAlgorithm; 12] = [
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
    ];

    const fn info(self) -> Info {
        let (oid, output_len, short_name, long_name, aliases): (_, _, _, _, &[&str]) = match self {
            DigestAlgorithm::Md5 => ("1.2.840.113549.2.5", 16, "MD5", "md5", &["SSL3-MD5"]),
            DigestAlgorithm::Sha1 => ("1.3.14.3.2.26", 20, "SHA1", "sha1", &["SHA-1", "SSL3-SHA1"]),
            DigestAlgorithm::Sha224 => (
                "2.16.840.1.101.3.4.2.4",
                28,
                "SHA224",
                "sha224",
                &["SHA2-224", "SHA-224"],
            ),
            DigestAlgorithm::Sha256 => (
                "2.16.840.1.101.3.4.2.1",
                32,
                "SHA256",
                "sha256",
                &["SHA2-256", "SHA-256"],
            ),
            DigestAlgorithm::Sha384 => (
                "2.16.840.1.101.3.4.2.2",
                48,
                "SHA384",
                "sha384",
                &["SHA2-384", "SHA-384"],
            ),
            DigestAlgorithm::Sha512 => (
                "2.16.840.1.101.3.4.2.3",
                64,
                "SHA512",
                "sha512",
                &["SHA2-512", "SHA-512"],
            ),
            DigestAlgorithm::Sha512_224 => (
                "2.16.840.1.101.3.4.2.5",
                28,
                "SHA512-224",
                "sha512-224",
                &["SHA2-512/224", "SHA-512/224"],
            ),
            DigestAlgorithm::Sha512_256 => (
                "2.16.840.1.101.3.4.2.6",
                32,
                "SHA512-256",
                "sha512-256",
                &["SHA2-512/256", "SHA-512/256"],
            ),
            DigestAlgorithm::Sha3_224 => {
                ("2.16.840.1.101.3.4.2.7", 28, "SHA3-224", "sha3-224", &[])
            }
            DigestAlgorithm::Sha3_256 => {
                ("2.16.840.1.101.3.4.2.8", 32, "SHA3-256", "sha3-256", &[])
            }
            DigestAlgorithm::Sha3_384 => {
                ("2.16.840.1.101.3.4.2.9", 48, "SHA3-384", "sha3-384", &[])
            }
            DigestAlgorithm::Sha3_512 => {
                ("2.16.840.1.101.3.4.2.10", 64, "SHA3-512", "sha3-512", &[])
            }
        };
        Info {
            oid,
            output_len,
            short_name,
            long_name,
            aliases,
        }
    }

    /// The algorithm's OID.
    pub fn oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(self.info().oid)
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

    /// The algorithm with this OID, if supported.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<DigestAlgorithm> {
        DigestAlgorithm::ALL
            .into_iter()
            .find(|alg| alg.oid() == *oid)
    }

    /// Looks up a name as `EVP_get_digestbyname` does: short name, long name,
    /// provider alias or dotted OID, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<DigestAlgorithm> {
        DigestAlgorithm::ALL.into_iter().find(|alg| {
            let info = alg.info();
            name.eq_ignore_ascii_case(info.short_name)
                || name.eq_ignore_ascii_case(info.long_name)
                || name == info.oid
                || info.aliases.iter().any(|a| name.eq_ignore_ascii_case(a))
        })
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

    /// A fresh hasher for this algorithm.
    pub fn hasher(self) -> Box<dyn DynDigest + Send> {
        match self {
            DigestAlgorithm::Md5 => Box::new(md5::Md5::default()),
            DigestAlgorithm::Sha1 => Box::new(sha1::Sha1::default()),
            DigestAlgorithm::Sha224 => Box::new(sha2::Sha224::default()),
            DigestAlgorithm::Sha256 => Box::new(sha2::Sha256::default()),
            DigestAlgorithm::Sha384 => Box::new(sha2::Sha384::default()),
            DigestAlgorithm::Sha512 => Box::new(sha2::Sha512::default()),
            DigestAlgorithm::Sha512_224 => Box::new(sha2::Sha512_224::default()),
            DigestAlgorithm::Sha512_256 => Box::new(sha2::Sha512_256::default()),
            DigestAlgorithm::Sha3_224 => Box::new(sha3::Sha3_224::default()),
            DigestAlgorithm::Sha3_256 => Box::new(sha3::Sha3_256::default()),
            DigestAlgorithm::Sha3_384 => Box::new(sha3::Sha3_384::default()),
            DigestAlgorithm::Sha3_512 => Box::new(sha3::Sha3_512::default()),
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
            hasher.update(&buf[..n]);
        }
        Ok(hasher.finalize().into_vec())
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The long names of every supported algorithm, comma-separated, for messages.
pub fn supported_names() -> String {
    DigestAlgorithm::ALL
        .iter()
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
        ];
        for (alg, expected) in cases {
            assert_eq!(hex(&alg.digest(b"abc")), expected, "{alg}");
        }
    }

    #[test]
    fn output_lengths_match_hashers() {
        for alg in DigestAlgorithm::ALL {
            assert_eq!(alg.digest(b"").len(), alg.output_len(), "{alg}");
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
    fn oids_round_trip() {
        for alg in DigestAlgorithm::ALL {
            assert_eq!(DigestAlgorithm::from_oid(&alg.oid()), Some(alg));
        }
    }
}
