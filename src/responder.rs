//! The time-stamping authority: turning requests into signed responses.
//!
//! [`ResponseContext`] holds what OpenSSL's `TS_RESP_CTX` holds (signer,
//! policies, accepted digests, accuracy, flags, serial and time sources) and
//! [`ResponseContext::create_response`] follows `TS_RESP_create_response`
//! step by step, so the same request, configuration, key, clock and serial give
//! the same DER as OpenSSL for RSA keys. Unlike OpenSSL's, the context can be
//! shared between threads: it is read-only once built.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use der::asn1::{Any, Int, Null, ObjectIdentifier, OctetString, UtcTime};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;

use crate::asn1::EncodedName;
use crate::asn1::cms::{
    Attribute, ContentInfo, EncapsulatedContentInfo, IssuerAndSerialNumber, SignedData,
    SignerIdentifier, SignerInfo, TimeStampToken,
};
use crate::asn1::ess::{
    EssCertId, EssCertIdV2, IssuerSerial, SigningCertificate, SigningCertificateV2,
};
use crate::asn1::tsp::{Accuracy, FailureInfo, PkiStatus, TimeStampReq, TimeStampResp, TstInfo};
use crate::asn1::{
    self, AlgorithmIdentifier, GenTime, GeneralName, Oid, SetOf, int_from_bytes, int_from_u64,
};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result, lib};
use crate::keys::{Signer, check_key_matches};
use crate::oid::known;
use crate::response::{Response, granted_status};
use crate::x509::Cert;

/// Status texts OpenSSL writes into rejections; clients match on them.
pub mod status_text {
    /// The request did not decode.
    pub const BAD_REQUEST_FORMAT: &str = "Bad request format or system error.";
    /// The request version is not 1.
    pub const BAD_VERSION: &str = "Bad request version.";
    /// The imprint algorithm is not accepted.
    pub const BAD_ALGORITHM: &str = "Message digest algorithm is not supported.";
    /// The imprint algorithm has parameters other than NULL.
    pub const SUPERFLUOUS_PARAMETER: &str = "Superfluous message digest parameter.";
    /// The imprint length does not match the algorithm.
    pub const BAD_DIGEST: &str = "Bad message digest.";
    /// The requested policy is not accepted.
    pub const BAD_POLICY: &str = "Requested policy is not supported.";
    /// The serial source failed.
    pub const SERIAL_ERROR: &str = "Error during serial number generation.";
    /// The clock could not be read.
    pub const TIME_UNAVAILABLE: &str = "Time is not available.";
    /// The TSTInfo could not be built.
    pub const TST_INFO_ERROR: &str = "Error during TSTInfo generation.";
    /// The request carries an extension the TSA does not accept.
    pub const BAD_EXTENSION: &str = "Unsupported extension.";
    /// Signing failed.
    pub const SIGNING_ERROR: &str = "Error during signature generation.";
    /// Any other failure.
    pub const GENERATION_ERROR: &str = "Error during response generation.";
}

/// Where serial numbers come from. Implementations must never return the same
/// serial twice.
pub trait SerialSource: Send + Sync {
    /// The serial number for the next token.
    fn next_serial(&self) -> Result<Int>;
}

/// Where the time comes from.
pub trait TimeSource: Send + Sync {
    /// Seconds and microseconds since the Unix epoch.
    fn now(&self) -> Result<(i64, u32)>;
}

/// Decides on request extensions; the default accepts none.
pub trait ExtensionHandler: Send + Sync {
    /// Whether the TSA accepts this extension. `tst_info` is the TSTInfo
    /// about to be signed, which the handler may change, for example to add
    /// a token extension, as OpenSSL's extension callback may.
    fn accept(&self, extension: &Extension, tst_info: &mut TstInfo) -> bool;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> Result<(i64, u32)> {
        let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| {
            Error::new(
                Reason::Time,
                format!("the system clock is before 1970: {e}"),
            )
        })?;
        let seconds = i64::try_from(elapsed.as_secs())
            .map_err(|_| Error::new(Reason::Time, "the system clock is out of range"))?;
        Ok((seconds, elapsed.subsec_micros()))
    }
}

/// A serial source that always returns 1, OpenSSL's default for `TS_RESP_CTX`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConstantSerial;

impl SerialSource for ConstantSerial {
    fn next_serial(&self) -> Result<Int> {
        Ok(int_from_u64(1))
    }
}

impl SerialSource for crate::serial::SerialFile {
    fn next_serial(&self) -> Result<Int> {
        Ok(self.next()?.serial)
    }
}

/// Accuracy as the configuration gives it; a zero part is left out of tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccuracySetting {
    /// Seconds.
    pub seconds: i64,
    /// Milliseconds.
    pub millis: i64,
    /// Microseconds.
    pub micros: i64,
}

/// The outcome of [`ResponseContext::create_response`]: the response, which may
/// be a rejection, and for a rejection the error behind it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The response to send.
    pub response: Response,
    /// Why the response is not granted, ending with OpenSSL's `response setup
    /// error` entry. A granted response has none, except the failed fetch of
    /// a signer digest that OpenSSL's default provider lacks (MD4, whirlpool),
    /// which OpenSSL reports and then signs with SHA-256.
    pub errors: Vec<Error>,
}

/// A TSA's settings: what `TS_RESP_CTX` holds.
#[derive(Clone)]
pub struct ResponseContext {
    signer_cert: Option<Cert>,
    signer: Option<Arc<dyn Signer>>,
    certs: Vec<Cert>,
    signer_digest: DigestAlgorithm,
    ess_cert_id_digest: Option<DigestAlgorithm>,
    default_policy: Option<Oid>,
    policies: Vec<Oid>,
    digests: Vec<DigestAlgorithm>,
    accuracy: AccuracySetting,
    clock_precision_digits: u8,
    ordering: bool,
    tsa_name: bool,
    ess_cert_id_chain: bool,
    serial_source: Arc<dyn SerialSource>,
    time_source: Arc<dyn TimeSource>,
    extension_handler: Option<Arc<dyn ExtensionHandler>>,
}

impl Default for ResponseContext {
    fn default() -> Self {
        ResponseContext::new()
    }
}

impl std::fmt::Debug for ResponseContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseContext")
            .field("signer_digest", &self.signer_digest)
            .field("default_policy", &self.default_policy)
            .field("digests", &self.digests)
            .finish_non_exhaustive()
    }
}

/// Step failures inside `create_response`: the status to set and the error behind it.
struct Rejection {
    text: &'static str,
    failure: Option<FailureInfo>,
    error: Error,
}

impl Rejection {
    fn new(text: &'static str, failure: Option<FailureInfo>, error: Error) -> Self {
        Rejection {
            text,
            failure,
            error,
        }
    }
}

impl ResponseContext {
    /// A context with OpenSSL's defaults: SHA-256 signatures, ESS v1 with SHA-1,
    /// no accepted digests or policies, serial 1, the system clock.
    pub fn new() -> Self {
        ResponseContext {
            signer_cert: None,
            signer: None,
            certs: Vec::new(),
            signer_digest: DigestAlgorithm::Sha256,
            ess_cert_id_digest: None,
            default_policy: None,
            policies: Vec::new(),
            digests: Vec::new(),
            accuracy: AccuracySetting::default(),
            clock_precision_digits: 0,
            ordering: false,
            tsa_name: false,
            ess_cert_id_chain: false,
            serial_source: Arc::new(ConstantSerial),
            time_source: Arc::new(SystemClock),
            extension_handler: None,
        }
    }

    /// Sets the signer certificate after checking that it may sign time-stamps
    /// (`TS_RESP_CTX_set_signer_cert`).
    pub fn set_signer_cert(&mut self, cert: Cert) -> Result<()> {
        cert.check_timestamp_signer().map_err(|e| {
            e.with_record(
                lib::TS,
                "TS_RESP_CTX_set_signer_cert",
                "invalid signer certificate purpose",
                "",
            )
        })?;
        self.signer_cert = Some(cert);
        Ok(())
    }

    /// Sets the key or external signer.
    pub fn set_signer(&mut self, signer: Arc<dyn Signer>) {
        self.signer = Some(signer);
    }

    /// Sets the other certificates to include when the request asks for them,
    /// and to list in the ESS attribute with [`ResponseContext::set_ess_cert_id_chain`].
    pub fn set_certs(&mut self, certs: Vec<Cert>) {
        self.certs = certs;
    }

    /// Sets the digest for the signature.
    pub fn set_signer_digest(&mut self, digest: DigestAlgorithm) {
        self.signer_digest = digest;
    }

    /// Sets the ESS certificate id digest: SHA-1 (or `None`) writes a v1
    /// signingCertificate, anything else a signingCertificateV2.
    pub fn set_ess_cert_id_digest(&mut self, digest: Option<DigestAlgorithm>) {
        self.ess_cert_id_digest = digest;
    }

    /// Sets the policy used when the request names none.
    pub fn set_default_policy(&mut self, policy: impl Into<Oid>) {
        self.default_policy = Some(policy.into());
    }

    /// Adds a policy that requests may ask for.
    pub fn add_policy(&mut self, policy: impl Into<Oid>) {
        self.policies.push(policy.into());
    }

    /// Adds an imprint digest that requests may use.
    pub fn add_digest(&mut self, digest: DigestAlgorithm) {
        self.digests.push(digest);
    }

    /// Sets the accuracy; zero parts are left out.
    pub fn set_accuracy(&mut self, accuracy: AccuracySetting) {
        self.accuracy = accuracy;
    }

    /// Sets the number of fraction digits in genTime, 0 to 6.
    pub fn set_clock_precision_digits(&mut self, digits: u8) -> Result<()> {
        if digits > crate::asn1::gentime::MAX_PRECISION {
            return Err(Error::new(
                Reason::InvalidArgument,
                format!("clock precision of {digits} digits is above the maximum of 6"),
            ));
        }
        self.clock_precision_digits = digits;
        Ok(())
    }

    /// Sets whether tokens claim ordering.
    pub fn set_ordering(&mut self, ordering: bool) {
        self.ordering = ordering;
    }

    /// Sets whether tokens name the TSA (the signer's subject).
    pub fn set_tsa_name(&mut self, tsa_name: bool) {
        self.tsa_name = tsa_name;
    }

    /// Sets whether the ESS attribute lists the other certificates too.
    pub fn set_ess_cert_id_chain(&mut self, chain: bool) {
        self.ess_cert_id_chain = chain;
    }

    /// Sets the serial number source.
    pub fn set_serial_source(&mut self, source: Arc<dyn SerialSource>) {
        self.serial_source = source;
    }

    /// Sets the time source.
    pub fn set_time_source(&mut self, source: Arc<dyn TimeSource>) {
        self.time_source = source;
    }

    /// Sets the extension handler.
    pub fn set_extension_handler(&mut self, handler: Arc<dyn ExtensionHandler>) {
        self.extension_handler = Some(handler);
    }

    /// The signer certificate.
    pub fn signer_cert(&self) -> Option<&Cert> {
        self.signer_cert.as_ref()
    }

    /// Answers a DER or BER request. A request that cannot be granted gives a
    /// rejection with OpenSSL's status text and failure bit. Bytes after the
    /// request's outermost element are ignored, as `d2i_TS_REQ_bio` in
    /// `TS_RESP_create_response` ignores them.
    pub fn create_response(&self, request: &[u8]) -> Generated {
        let result = asn1::ber::file_element(request)
            .and_then(TimeStampReq::from_ber)
            .map_err(|e| {
                Rejection::new(
                    status_text::BAD_REQUEST_FORMAT,
                    Some(FailureInfo::BadDataFormat),
                    e.with_d2i_records(),
                )
            })
            .and_then(|req| self.grant(&req));
        self.report_signer_fallback(finish(result))
    }

    /// Answers a parsed request.
    pub fn create_response_for(&self, req: &TimeStampReq) -> Generated {
        self.report_signer_fallback(finish(self.grant(req)))
    }

    /// Adds the failed fetch of an unavailable signer digest to a granted
    /// response, which `ts_RESP_sign` signed with SHA-256 instead.
    fn report_signer_fallback(&self, mut generated: Generated) -> Generated {
        let granted = generated.response.token.is_some();
        if granted && !self.signer_digest.is_provided() {
            generated
                .errors
                .push(self.signer_digest.fetch_error("<null>"));
        }
        generated
    }

    fn grant(&self, req: &TimeStampReq) -> core::result::Result<Response, Rejection> {
        self.check_request(req)?;
        let policy = self.choose_policy(req)?;
        let mut tst_info = self.build_tst_info(req, policy)?;
        self.check_extensions(req, &mut tst_info)?;
        let token = self
            .sign(req, tst_info)
            .map_err(|e| Rejection::new(status_text::SIGNING_ERROR, None, e))?;
        let token_der = token
            .to_der()
            .map_err(|e| Rejection::new(status_text::SIGNING_ERROR, None, e))?;
        let any: Any = asn1::decode_der("time-stamp token", &token_der)
            .map_err(|e| Rejection::new(status_text::SIGNING_ERROR, None, e))?;
        Ok(Response {
            resp: TimeStampResp {
                status: granted_status(),
                time_stamp_token: Some(any),
            },
            token: Some(token),
        })
    }

    /// `ts_RESP_check_request`: version, digest algorithm, parameters, length.
    fn check_request(&self, req: &TimeStampReq) -> core::result::Result<(), Rejection> {
        if req.version.as_bytes() != [1] {
            return Err(Rejection::new(
                status_text::BAD_VERSION,
                Some(FailureInfo::BadRequest),
                Error::new(Reason::BadRequest, "the request version is not 1"),
            ));
        }
        let imprint = &req.message_imprint;
        let oid = &imprint.hash_algorithm.oid;
        let known_oid = imprint.hash_algorithm.known_oid();
        let digest = self
            .digests
            .iter()
            .copied()
            .find(|d| known_oid.is_some() && d.oid() == known_oid)
            .ok_or_else(|| {
                Rejection::new(
                    status_text::BAD_ALGORITHM,
                    Some(FailureInfo::BadAlg),
                    Error::new(
                        Reason::UnknownDigest,
                        format!(
                            "the request's digest algorithm {} is not accepted; add it to the TSA's digests",
                            digest_name(oid)
                        ),
                    ),
                )
            })?;
        if !imprint.has_null_parameters() {
            return Err(Rejection::new(
                status_text::SUPERFLUOUS_PARAMETER,
                Some(FailureInfo::BadAlg),
                Error::new(
                    Reason::BadRequest,
                    "the digest algorithm has parameters other than NULL",
                ),
            ));
        }
        let len = imprint.hashed_message.as_bytes().len();
        if len != digest.output_len() {
            return Err(Rejection::new(
                status_text::BAD_DIGEST,
                Some(FailureInfo::BadDataFormat),
                Error::new(
                    Reason::BadDigestLength,
                    format!(
                        "the {digest} imprint is {len} bytes, not {}",
                        digest.output_len()
                    ),
                ),
            ));
        }
        Ok(())
    }

    /// `ts_RESP_get_policy`: the default for no policy or the default one, else
    /// an accepted one.
    fn choose_policy(&self, req: &TimeStampReq) -> core::result::Result<Oid, Rejection> {
        let default = self.default_policy.clone().ok_or_else(|| {
            Rejection::new(
                status_text::GENERATION_ERROR,
                None,
                Error::new(Reason::Missing, "no default policy is set").with_record(
                    lib::TS,
                    "ts_RESP_get_policy",
                    "invalid null pointer",
                    "",
                ),
            )
        })?;
        match req.req_policy.clone() {
            None => Ok(default),
            Some(requested) if requested == default => Ok(default),
            Some(requested) if self.policies.contains(&requested) => Ok(requested),
            Some(requested) => Err(Rejection::new(
                status_text::BAD_POLICY,
                Some(FailureInfo::UnacceptedPolicy),
                Error::new(
                    Reason::UnacceptablePolicy,
                    format!("the requested policy {requested} is not accepted"),
                )
                .with_record(
                    lib::TS,
                    "ts_RESP_get_policy",
                    "unacceptable policy",
                    "",
                ),
            )),
        }
    }

    /// `ts_RESP_create_tst_info`: the serial source runs before the clock.
    fn build_tst_info(
        &self,
        req: &TimeStampReq,
        policy: Oid,
    ) -> core::result::Result<TstInfo, Rejection> {
        let serial_number = self.serial_source.next_serial().map_err(|e| {
            Rejection::new(
                status_text::SERIAL_ERROR,
                Some(FailureInfo::AddInfoNotAvailable),
                e.with_record(
                    lib::TS,
                    "ts_RESP_create_tst_info",
                    "tst info setup error",
                    "",
                ),
            )
        })?;
        let (seconds, micros) = self.time_source.now().map_err(|e| {
            Rejection::new(
                status_text::TIME_UNAVAILABLE,
                Some(FailureInfo::TimeNotAvailable),
                e,
            )
        })?;
        let tst_error = |e: Error| Rejection::new(status_text::TST_INFO_ERROR, None, e);
        let gen_time =
            GenTime::from_unix(seconds, micros, self.clock_precision_digits).map_err(tst_error)?;
        let accuracy = self.accuracy_field().map_err(tst_error)?;
        let tsa = match (&self.signer_cert, self.tsa_name) {
            (Some(cert), true) => Some(GeneralName::DirectoryName(cert.subject().clone())),
            (None, true) => {
                return Err(tst_error(Error::new(
                    Reason::Missing,
                    "no signer certificate is set",
                )));
            }
            (_, false) => None,
        };
        Ok(TstInfo {
            version: int_from_u64(1),
            policy,
            message_imprint: req.message_imprint.clone(),
            serial_number,
            gen_time,
            accuracy,
            ordering: self.ordering,
            nonce: req.nonce.clone(),
            tsa,
            extensions: None,
        })
    }

    fn accuracy_field(&self) -> Result<Option<Accuracy>> {
        let AccuracySetting {
            seconds,
            millis,
            micros,
        } = self.accuracy;
        if seconds == 0 && millis == 0 && micros == 0 {
            return Ok(None);
        }
        let part = |v: i64| (v != 0).then(|| int_from_i64(v)).transpose();
        Ok(Some(Accuracy {
            seconds: part(seconds)?,
            millis: part(millis)?,
            micros: part(micros)?,
        }))
    }

    /// `ts_RESP_process_extensions`: every extension must be accepted.
    fn check_extensions(
        &self,
        req: &TimeStampReq,
        tst_info: &mut TstInfo,
    ) -> core::result::Result<(), Rejection> {
        for extension in req.extensions.iter().flatten() {
            let accepted = self
                .extension_handler
                .as_ref()
                .is_some_and(|handler| handler.accept(extension, tst_info));
            if !accepted {
                return Err(Rejection::new(
                    status_text::BAD_EXTENSION,
                    Some(FailureInfo::UnacceptedExtension),
                    Error::new(
                        Reason::BadRequest,
                        format!(
                            "the request extension {} is not accepted",
                            extension.extn_id
                        ),
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `ts_RESP_sign`: the SignedData around the TSTInfo.
    fn sign(&self, req: &TimeStampReq, tst_info: TstInfo) -> Result<TimeStampToken> {
        let cert = self
            .signer_cert
            .as_ref()
            .ok_or_else(|| Error::new(Reason::Missing, "no signer certificate is set"))?;
        let signer = self
            .signer
            .as_ref()
            .ok_or_else(|| Error::new(Reason::Missing, "no signer key is set"))?;
        check_key_matches(signer.as_ref(), cert.public_key_info()).map_err(|e| {
            e.with_record(
                lib::TS,
                "ts_RESP_sign",
                "private key does not match certificate",
                "",
            )
        })?;

        let tst_info_der = asn1::encode("TSTInfo", &tst_info)?;
        // OpenSSL cannot fetch a digest its default provider lacks (MD4,
        // whirlpool), so PKCS7_add_signature falls back to the key's default
        // digest, SHA-256 for RSA and EC keys, and the response is granted.
        let mut digest = if self.signer_digest.is_provided() {
            self.signer_digest
        } else {
            DigestAlgorithm::Sha256
        };
        // The steps of ts_RESP_sign that can fail on the digest, in OpenSSL's
        // order: PKCS7_add_signature, the ESS attribute, PKCS7_dataInit (which
        // needs the digest's OID) and PKCS7_dataFinal (which signs).
        let add_signature_error =
            |e: Error| e.with_record(lib::TS, "ts_RESP_sign", "pkcs7 add signature error", "");
        let signature_algorithm = signer
            .signature_algorithm(digest)
            .map_err(add_signature_error)?;
        if is_ecdsa_with_sha3(&signature_algorithm.oid) {
            return Err(add_signature_error(Error::new(
                Reason::UnsupportedAlgorithm,
                format!(
                    "cannot sign a time-stamp token with ECDSA and {digest}: OpenSSL 3.0's \
                     PKCS#7 code has no signature algorithm for ECDSA with SHA-3"
                ),
            )));
        }
        // RFC 8419 section 3.1: an Ed25519 signer's digestAlgorithm is
        // id-sha512 with absent parameters, whatever signer_digest says.
        let ed25519 = signature_algorithm.oid == known::ED25519;
        if ed25519 {
            digest = DigestAlgorithm::Sha512;
        }
        let ess_attribute = self.ess_attribute(cert)?;
        let digest_oid = digest.oid().ok_or_else(|| {
            digest
                .fetch_error("<null>")
                .with_record(
                    lib::PKCS7,
                    "pkcs7_bio_add_digest",
                    "unknown digest type",
                    "",
                )
                .with_record(lib::TS, "ts_RESP_sign", "malloc failure", "")
        })?;
        let digest_algorithm = AlgorithmIdentifier {
            oid: digest_oid.into(),
            parameters: (!ed25519).then(|| Null.into()),
        };
        let signing_time = self.time_source.now()?.0;
        let signed_attrs = vec![
            Attribute::single(
                known::CONTENT_TYPE,
                Any::encode_from(&known::TST_INFO).map_err(enc)?,
            ),
            Attribute::single(known::SIGNING_TIME, signing_time_value(signing_time)?),
            Attribute::single(
                known::MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest.digest(&tst_info_der)).map_err(enc)?)
                    .map_err(enc)?,
            ),
            ess_attribute,
        ];
        // Signatures cover the DER SET OF, which sorts its members.
        let signed_attrs = SetOf::sorted(signed_attrs).map_err(enc)?;
        let to_sign = asn1::encode("signed attributes", &signed_attrs)?;
        let signature = signer
            .sign(digest, &to_sign)
            .map_err(|e| e.with_record(lib::TS, "ts_RESP_sign", "ts datasign", ""))?;

        let signer_info = SignerInfo {
            version: int_from_u64(1),
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: EncodedName::from_name(cert.issuer()).map_err(enc)?,
                serial_number: int_from_bytes(cert.serial_bytes())?,
            }),
            digest_algorithm: digest_algorithm.clone(),
            signed_attrs: Some(signed_attrs),
            signature_algorithm: signature_algorithm.into(),
            signature: OctetString::new(signature).map_err(enc)?,
            unsigned_attrs: None,
        };
        let certificates = if req.cert_req {
            let mut list = Vec::with_capacity(1 + self.certs.len());
            for c in std::iter::once(cert).chain(&self.certs) {
                list.push(asn1::decode_der::<Any>("certificate", c.der())?);
            }
            Some(list)
        } else {
            None
        };
        let econtent =
            Any::encode_from(&OctetString::new(tst_info_der.clone()).map_err(enc)?).map_err(enc)?;
        let signed_data = SignedData {
            version: int_from_u64(3),
            digest_algorithms: SetOf(vec![digest_algorithm]),
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: known::TST_INFO.into(),
                econtent: Some(econtent),
            },
            certificates,
            crls: None,
            signer_infos: SetOf(vec![signer_info]),
        };
        let content_info = ContentInfo {
            content_type: known::SIGNED_DATA.into(),
            content: Some(Any::encode_from(&signed_data).map_err(enc)?),
        };
        Ok(TimeStampToken {
            content_info,
            signed_data,
            tst_info,
            tst_info_der,
            original: Default::default(),
        })
    }

    /// The signingCertificate (v1) or signingCertificateV2 attribute: the
    /// signer without issuerSerial, then the other certificates with it when
    /// the chain option is on.
    fn ess_attribute(&self, signer_cert: &Cert) -> Result<Attribute> {
        let chain: &[Cert] = if self.ess_cert_id_chain {
            &self.certs
        } else {
            &[]
        };
        match self.ess_cert_id_digest {
            None | Some(DigestAlgorithm::Sha1) => {
                let mut certs = vec![EssCertId {
                    cert_hash: octets(DigestAlgorithm::Sha1.digest(signer_cert.der()))?,
                    issuer_serial: None,
                }];
                for c in chain {
                    certs.push(EssCertId {
                        cert_hash: octets(DigestAlgorithm::Sha1.digest(c.der()))?,
                        issuer_serial: Some(issuer_serial(c)?),
                    });
                }
                let value = SigningCertificate {
                    certs,
                    policies: None,
                };
                Ok(Attribute::single(
                    known::SIGNING_CERTIFICATE,
                    Any::encode_from(&value).map_err(enc)?,
                ))
            }
            Some(digest) => {
                digest.ensure_provided().map_err(|_| {
                    digest
                        .fetch_error("<null>")
                        .with_record(lib::ESS, "ESS_CERT_ID_V2_new_init", "malloc failure", "")
                        .with_record(
                            lib::ESS,
                            "OSSL_ESS_signing_cert_v2_new_init",
                            "malloc failure",
                            "",
                        )
                })?;
                let hash_algorithm = (digest != DigestAlgorithm::Sha256)
                    .then(|| ess_hash_algorithm(digest))
                    .transpose()?;
                let mut certs = vec![EssCertIdV2 {
                    hash_algorithm: hash_algorithm.clone(),
                    cert_hash: octets(digest.digest(signer_cert.der()))?,
                    issuer_serial: None,
                }];
                for c in chain {
                    certs.push(EssCertIdV2 {
                        hash_algorithm: hash_algorithm.clone(),
                        cert_hash: octets(digest.digest(c.der()))?,
                        issuer_serial: Some(issuer_serial(c)?),
                    });
                }
                let value = SigningCertificateV2 {
                    certs,
                    policies: None,
                };
                Ok(Attribute::single(
                    known::SIGNING_CERTIFICATE_V2,
                    Any::encode_from(&value).map_err(enc)?,
                ))
            }
        }
    }
}

/// Turns the outcome of the steps into a response, rejecting with the status
/// text of the step that failed.
fn finish(result: core::result::Result<Response, Rejection>) -> Generated {
    match result {
        Ok(response) => Generated {
            response,
            errors: Vec::new(),
        },
        Err(rejection) => {
            let failures: Vec<FailureInfo> = rejection.failure.into_iter().collect();
            Generated {
                response: Response::rejection(
                    PkiStatus::Rejection,
                    Some(rejection.text),
                    &failures,
                ),
                errors: vec![rejection.error.with_record(
                    lib::TS,
                    "TS_RESP_create_response",
                    "response setup error",
                    "",
                )],
            }
        }
    }
}

/// A digest algorithm's name, or its dotted OID when tsrs does not know it.
fn digest_name(oid: &Oid) -> String {
    let known = oid.to_object_identifier();
    match known.and_then(|known| DigestAlgorithm::from_oid(&known)) {
        Some(digest) => digest.name().to_owned(),
        None => oid.to_string(),
    }
}

/// Whether `oid` is ecdsa-with-SHA3-224, -256, -384 or -512 (NIST's
/// 2.16.840.1.101.3.4.3.9 to .12). OpenSSL 3.0's `OBJ_find_sigid_by_algs`
/// lacks these pairs, so PKCS7_add_signature fails for them.
fn is_ecdsa_with_sha3(oid: &ObjectIdentifier) -> bool {
    [
        "2.16.840.1.101.3.4.3.9",
        "2.16.840.1.101.3.4.3.10",
        "2.16.840.1.101.3.4.3.11",
        "2.16.840.1.101.3.4.3.12",
    ]
    .iter()
    .any(|dotted| ObjectIdentifier::new(dotted).is_ok_and(|known| known == *oid))
}

/// The ESSCertIDv2 hashAlgorithm as OpenSSL's `X509_ALGOR_set_md` writes it:
/// absent parameters for the SHA-1, SHA-2, SHA-3 and SHAKE families, NULL for
/// the others. A digest without an OID fails when the attribute is encoded.
fn ess_hash_algorithm(digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned> {
    let oid = digest
        .oid_or_err()
        .map_err(|e| e.with_record(lib::TS, "ts_RESP_sign", "ess add signing cert v2 error", ""))?;
    Ok(AlgorithmIdentifierOwned {
        oid,
        parameters: digest.has_null_parameters().then(|| Null.into()),
    })
}

fn enc(err: der::Error) -> Error {
    Error::encode("time-stamp token", err)
}

fn octets(bytes: Vec<u8>) -> Result<OctetString> {
    OctetString::new(bytes).map_err(enc)
}

fn issuer_serial(cert: &Cert) -> Result<IssuerSerial> {
    Ok(IssuerSerial {
        issuer: vec![GeneralName::DirectoryName(cert.issuer().clone())],
        serial_number: int_from_bytes(cert.serial_bytes())?,
    })
}

/// The signingTime value: UTCTime through 2049, GeneralizedTime from 2050 on
/// (RFC 5652 section 11.3). OpenSSL writes a malformed UTCTime from 2050 on.
fn signing_time_value(seconds: i64) -> Result<Any> {
    let bad_time = || {
        Error::new(
            Reason::Time,
            format!("signing time {seconds} is out of range"),
        )
    };
    let (year, month, day, hour, minute, second) =
        crate::asn1::gentime::civil_from_unix(seconds).ok_or_else(bad_time)?;
    let year = u16::try_from(year).map_err(|_| bad_time())?;
    let date_time = der::DateTime::new(
        year,
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    )
    .map_err(|_| bad_time())?;
    if (1950..2050).contains(&year) {
        let utc = UtcTime::from_date_time(date_time).map_err(|_| bad_time())?;
        Any::encode_from(&utc).map_err(enc)
    } else {
        let generalized = der::asn1::GeneralizedTime::from_date_time(date_time);
        Any::encode_from(&generalized).map_err(enc)
    }
}

/// A signed INTEGER from an `i64`.
pub fn int_from_i64(value: i64) -> Result<Int> {
    let bytes = value.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (first, next) = (bytes[start], bytes[start + 1]);
        let redundant = (first == 0 && next & 0x80 == 0) || (first == 0xFF && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    int_from_bytes(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Tagged;

    #[test]
    fn signed_integers_are_minimal() {
        assert_eq!(int_from_i64(0).unwrap().as_bytes(), [0]);
        assert_eq!(int_from_i64(1).unwrap().as_bytes(), [1]);
        assert_eq!(int_from_i64(500).unwrap().as_bytes(), [1, 0xF4]);
        assert_eq!(int_from_i64(128).unwrap().as_bytes(), [0, 0x80]);
        assert_eq!(int_from_i64(-3).unwrap().as_bytes(), [0xFD]);
        assert_eq!(int_from_i64(-129).unwrap().as_bytes(), [0xFF, 0x7F]);
        assert_eq!(
            int_from_i64(i64::MIN).unwrap().as_bytes(),
            i64::MIN.to_be_bytes()
        );
    }

    #[test]
    fn signing_time_switches_to_generalized_time_in_2050() {
        let utc = signing_time_value(1_704_164_645).unwrap();
        assert_eq!(utc.tag(), der::Tag::UtcTime);
        assert_eq!(utc.value(), b"240102030405Z");
        let generalized = signing_time_value(2_556_057_600).unwrap();
        assert_eq!(generalized.tag(), der::Tag::GeneralizedTime);
    }

    #[test]
    fn missing_default_policy_rejects() {
        let mut ctx = ResponseContext::new();
        ctx.add_digest(DigestAlgorithm::Sha256);
        let imprint =
            crate::asn1::tsp::MessageImprint::from_digest(DigestAlgorithm::Sha256, &[0; 32])
                .unwrap();
        let req = TimeStampReq::new(imprint, &crate::request::RequestOptions::default()).unwrap();
        let generated = ctx.create_response(&req.to_der().unwrap());
        assert_eq!(generated.response.status(), Some(PkiStatus::Rejection));
        let text = &generated
            .response
            .resp
            .status
            .status_string
            .as_ref()
            .unwrap()[0]
            .0;
        assert_eq!(text, status_text::GENERATION_ERROR.as_bytes());
    }

    #[test]
    fn bytes_after_request_are_ignored() {
        let mut ctx = ResponseContext::new();
        ctx.add_digest(DigestAlgorithm::Sha256);
        let imprint =
            crate::asn1::tsp::MessageImprint::from_digest(DigestAlgorithm::Sha256, &[0; 32])
                .unwrap();
        let req = TimeStampReq::new(imprint, &crate::request::RequestOptions::default()).unwrap();
        let der = req.to_der().unwrap();
        let mut with_trailing = der.clone();
        with_trailing.extend_from_slice(b"more");

        let plain = ctx.create_response(&der).response.to_der().unwrap();
        let trailing = ctx
            .create_response(&with_trailing)
            .response
            .to_der()
            .unwrap();
        assert_eq!(trailing, plain);
        let truncated = ctx.create_response(&der[..der.len() - 1]);
        let bits = truncated.response.resp.status.fail_info.as_ref().unwrap();
        assert!(crate::asn1::tsp::bit_is_set(
            bits,
            FailureInfo::BadDataFormat.bit()
        ));
    }

    #[test]
    fn garbage_request_is_bad_data_format() {
        let ctx = ResponseContext::new();
        let generated = ctx.create_response(b"garbage");
        let status = &generated.response.resp.status;
        assert_eq!(status.status.as_bytes(), [2]);
        assert_eq!(
            status.status_string.as_ref().unwrap()[0].0,
            status_text::BAD_REQUEST_FORMAT.as_bytes()
        );
        let bits = status.fail_info.as_ref().unwrap();
        assert!(crate::asn1::tsp::bit_is_set(
            bits,
            FailureInfo::BadDataFormat.bit()
        ));
    }
}
