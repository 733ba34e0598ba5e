//! Building, parsing and encoding time-stamp requests (RFC 3161 section 2.4.1).

use std::io::Read;

use der::asn1::{Int, Null, OctetString};

use crate::asn1::tsp::{MessageImprint, TimeStampReq};
use crate::asn1::{
    self, AlgorithmIdentifier, int_from_bytes, int_from_u64, unsigned_integer_bytes,
};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result, lib};

/// Length of the random nonce `openssl ts -query` draws, in bytes (64 bits).
pub const NONCE_LEN: usize = 8;

impl MessageImprint {
    /// The hashAlgorithm `openssl ts -query` writes: the OID with an explicit
    /// NULL. A digest without an OID (MD5-SHA1, KECCAK-KMAC, NULL) fails with
    /// the errors of `TS_MSG_IMPRINT_set_algo`, which OpenSSL raises before it
    /// hashes anything.
    pub fn hash_algorithm_for(algorithm: DigestAlgorithm) -> Result<AlgorithmIdentifier> {
        let oid = algorithm.oid_or_err().map_err(|e| {
            e.with_record(lib::ASN1, "ASN1_item_dup", "malloc failure", "")
                .with_record(lib::TS, "TS_MSG_IMPRINT_set_algo", "malloc failure", "")
        })?;
        Ok(AlgorithmIdentifier {
            oid: oid.into(),
            parameters: Some(Null.into()),
        })
    }

    /// An imprint of `digest`, which must be exactly as long as the algorithm's output.
    ///
    /// The algorithm identifier carries an explicit NULL, as OpenSSL writes it.
    pub fn from_digest(algorithm: DigestAlgorithm, digest: &[u8]) -> Result<MessageImprint> {
        let hash_algorithm = MessageImprint::hash_algorithm_for(algorithm)?;
        if digest.len() != algorithm.output_len() {
            return Err(Error::new(
                Reason::BadDigestLength,
                format!(
                    "bad digest, {} bytes must be specified for {algorithm}, got {}",
                    algorithm.output_len(),
                    digest.len()
                ),
            ));
        }
        let hashed_message =
            OctetString::new(digest.to_vec()).map_err(|e| Error::encode("message imprint", e))?;
        Ok(MessageImprint {
            hash_algorithm,
            hashed_message,
        })
    }

    /// An imprint of everything `data` yields, hashed with `algorithm`.
    ///
    /// As in OpenSSL, a digest without an OID fails before the data is read,
    /// and so does one the default provider cannot compute (MD4, whirlpool).
    pub fn from_reader(algorithm: DigestAlgorithm, data: &mut dyn Read) -> Result<MessageImprint> {
        MessageImprint::hash_algorithm_for(algorithm)?;
        algorithm.ensure_provided()?;
        let digest = algorithm.digest_reader(data).map_err(|e| {
            Error::new(
                Reason::Io,
                format!("cannot read the data to time-stamp: {e}"),
            )
        })?;
        MessageImprint::from_digest(algorithm, &digest)
    }

    /// The digest algorithm, if it is one tsrs supports.
    pub fn digest_algorithm(&self) -> Option<DigestAlgorithm> {
        DigestAlgorithm::from_oid(&self.hash_algorithm.known_oid()?)
    }

    /// Whether the algorithm parameters are absent or NULL, the two forms RFC 3161
    /// verifiers accept.
    pub fn has_null_parameters(&self) -> bool {
        self.hash_algorithm.has_null_parameters()
    }
}

/// Options for a new request, as `openssl ts -query` takes them.
#[derive(Debug, Clone)]
pub struct RequestOptions {
    /// The policy the TSA should use (`-tspolicy`).
    pub policy: Option<crate::asn1::Oid>,
    /// Whether to include a random 64-bit nonce (the default; `-no_nonce` clears it).
    pub nonce: bool,
    /// Whether the TSA should include its certificate (`-cert`).
    pub cert_req: bool,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions {
            policy: None,
            nonce: true,
            cert_req: false,
        }
    }
}

/// Draws a nonce as `openssl ts -query` does: 8 random bytes with leading zero
/// bytes removed, read as a non-negative integer.
///
/// The bytes come from the operating system. Where OpenSSL would find no
/// random generator to fetch (no default provider active, or a `random`
/// configuration section naming none), this fails as OpenSSL does.
pub fn random_nonce() -> Result<Int> {
    crate::digest::providers::check_random_generator()?;
    let mut bytes = [0u8; NONCE_LEN];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::new(Reason::Io, format!("could not create nonce: {e}")))?;
    Ok(nonce_from_bytes(&bytes))
}

/// The nonce a random draw of `bytes` gives: leading zero bytes removed, then
/// encoded as a non-negative INTEGER (a zero byte is added when the top bit is set).
pub fn nonce_from_bytes(bytes: &[u8]) -> Int {
    let content = unsigned_integer_bytes(bytes);
    int_from_bytes(&content).expect("unsigned_integer_bytes gives valid INTEGER content")
}

impl TimeStampReq {
    /// A version 1 request for `imprint`.
    pub fn new(imprint: MessageImprint, options: &RequestOptions) -> Result<TimeStampReq> {
        let nonce = if options.nonce {
            Some(random_nonce()?)
        } else {
            None
        };
        Ok(TimeStampReq {
            version: int_from_u64(1),
            message_imprint: imprint,
            req_policy: options.policy.clone(),
            nonce,
            cert_req: options.cert_req,
            extensions: None,
        })
    }

    /// Parses a request from BER or DER.
    pub fn from_ber(input: &[u8]) -> Result<TimeStampReq> {
        asn1::decode("time-stamp request", input)
    }

    /// The request as DER.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        asn1::encode("time-stamp request", self)
    }
}

/// Decodes hexadecimal text as `OPENSSL_hexstr2buf` does: pairs of hex digits,
/// optionally separated by `:`.
pub fn decode_hex(text: &str) -> Result<Vec<u8>> {
    let bad = |what: &str| {
        Error::new(
            Reason::BadHex,
            format!("invalid hex string {text:?}: {what}"),
        )
    };
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut digits = text.bytes().peekable();
    while let Some(c) = digits.next() {
        if c == b':' {
            continue;
        }
        let low = digits
            .next()
            .ok_or_else(|| bad("odd number of hex digits"))?;
        let high = hex_value(c).ok_or_else(|| bad("illegal hex digit"))?;
        let low = hex_value(low).ok_or_else(|| bad("illegal hex digit"))?;
        out.push((high << 4) | low);
    }
    Ok(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_strips_leading_zeros() {
        let cases: [(&[u8], &[u8]); 4] = [
            (
                &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
                &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
            ),
            (&[0, 0, 0x80, 1, 2, 3, 4, 5], &[0, 0x80, 1, 2, 3, 4, 5]),
            (&[0; 8], &[0]),
            (&[0, 0, 0, 0, 0, 0, 0, 0x7f], &[0x7f]),
        ];
        for (random, content) in cases {
            assert_eq!(
                nonce_from_bytes(random).as_bytes(),
                content,
                "{random:02x?}"
            );
        }
    }

    #[test]
    fn digest_length_is_checked() {
        let err = MessageImprint::from_digest(DigestAlgorithm::Sha256, &[0; 20]).unwrap_err();
        assert_eq!(err.reason(), Reason::BadDigestLength);
        assert!(err.to_string().contains("32 bytes"), "{err}");
    }

    #[test]
    fn hex_accepts_colons() {
        assert_eq!(decode_hex("0a:0B:ff").unwrap(), [0x0a, 0x0b, 0xff]);
        assert_eq!(decode_hex("").unwrap(), Vec::<u8>::new());
        assert!(decode_hex("0g").is_err());
        assert!(decode_hex("abc").is_err());
    }

    #[test]
    fn request_without_nonce_matches_openssl() {
        // `openssl ts -query -no_nonce -sha1` over "Hello, time-stamping world!\n".
        let digest = DigestAlgorithm::Sha1.digest(b"Hello, time-stamping world!\n");
        let imprint = MessageImprint::from_digest(DigestAlgorithm::Sha1, &digest).unwrap();
        let options = RequestOptions {
            nonce: false,
            ..RequestOptions::default()
        };
        let der = TimeStampReq::new(imprint, &options)
            .unwrap()
            .to_der()
            .unwrap();
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        assert!(
            hex.starts_with("30260201013021300906052b0e03021a05000414fb13"),
            "{hex}"
        );
        assert!(hex.ends_with("4cf6"), "{hex}");
    }

    #[test]
    fn request_round_trips() {
        let imprint = MessageImprint::from_digest(DigestAlgorithm::Sha512, &[7; 64]).unwrap();
        let options = RequestOptions {
            policy: crate::asn1::Oid::parse_dotted("1.2.3.4.5.6"),
            nonce: true,
            cert_req: true,
        };
        let req = TimeStampReq::new(imprint, &options).unwrap();
        let der = req.to_der().unwrap();
        assert_eq!(TimeStampReq::from_ber(&der).unwrap(), req);
    }
}
