//! Time-stamp responses: parsing with OpenSSL's consistency rules, encoding,
//! and conversion between responses and bare tokens.

use der::Encode;
use der::asn1::{Any, BitString};

use crate::asn1::cms::TimeStampToken;
use crate::asn1::tsp::{
    FailureInfo, PkiStatus, PkiStatusInfo, TimeStampResp, TstInfo, failure_bits,
};
use crate::asn1::{self, Utf8Bytes, decode_der, int_from_u64};
use crate::error::{Error, Reason, Result};

/// A response with its token parsed, when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The response as decoded.
    pub resp: TimeStampResp,
    /// The token, parsed; present exactly when `resp` has one.
    pub token: Option<TimeStampToken>,
}

impl Response {
    /// Parses a response from BER or DER.
    ///
    /// As OpenSSL's decoder does, this rejects a granted status without a token,
    /// a rejection with a token, and a token whose TSTInfo cannot be read.
    ///
    /// The token is parsed from its bytes as sent, so that its signatures are
    /// checked over them.
    pub fn from_ber(input: &[u8]) -> Result<Response> {
        let normalized = asn1::ber::normalize_with_spans(input).map_err(|e| {
            Error::new(
                e.reason(),
                format!("cannot decode time-stamp response: {}", e.message()),
            )
        })?;
        let what = "time-stamp response";
        let der = normalized.der();
        let resp: TimeStampResp = decode_der(what, der).map_err(|e| normalized.explain(what, e))?;
        let token_as_sent = asn1::ber::der_children(der, 0)
            .and_then(|fields| fields.get(1).copied())
            .and_then(|token| normalized.original(token));
        Response::check(resp, token_as_sent)
    }

    /// Checks a decoded response and parses its token.
    pub fn from_resp(resp: TimeStampResp) -> Result<Response> {
        Response::check(resp, None)
    }

    /// Checks a decoded response and parses its token, from `token_as_sent`
    /// when given, else from the token's DER.
    fn check(resp: TimeStampResp, token_as_sent: Option<&[u8]>) -> Result<Response> {
        let status = PkiStatus::from_int(&resp.status.status);
        let wants_token = status.is_some_and(PkiStatus::has_token);
        let token = match (&resp.time_stamp_token, wants_token) {
            (None, true) => {
                return Err(Error::new(
                    Reason::ResponseStructure,
                    "invalid time-stamp response: the status is granted but the token is missing (token not present)",
                ));
            }
            (Some(_), false) => {
                return Err(Error::new(
                    Reason::ResponseStructure,
                    "invalid time-stamp response: the status is not granted but a token is present (token present)",
                ));
            }
            (Some(any), true) => Some(token_from_any(any, token_as_sent)?),
            (None, false) => None,
        };
        Ok(Response { resp, token })
    }

    /// Wraps a bare token in a response with status granted and no text, as
    /// `openssl ts -reply -token_in` does.
    pub fn from_token(token: TimeStampToken) -> Result<Response> {
        let der = token.to_der()?;
        let any: Any = decode_der("time-stamp token", &der)?;
        Ok(Response {
            resp: TimeStampResp {
                status: granted_status(),
                time_stamp_token: Some(any),
            },
            token: Some(token),
        })
    }

    /// A rejection (or other non-granted status) with a text and failure bits.
    pub fn rejection(status: PkiStatus, text: Option<&str>, failures: &[FailureInfo]) -> Response {
        Response {
            resp: TimeStampResp {
                status: status_info(status, text, failures),
                time_stamp_token: None,
            },
            token: None,
        }
    }

    /// Encodes the response as OpenSSL 3.0 writes it after reading it: DER,
    /// with the token as [`TimeStampToken::to_openssl_encoding`] writes it.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        let der = asn1::encode("time-stamp response", &self.resp)?;
        let Some(token) = &self.token else {
            return Ok(der);
        };
        let token_encoding = token.to_openssl_encoding()?;
        if token_encoding == token.to_der()? {
            return Ok(der);
        }
        let mut content = asn1::encode("PKIStatusInfo", &self.resp.status)?;
        content.extend_from_slice(&token_encoding);
        let mut out = vec![0x30];
        asn1::ber::write_length(content.len(), &mut out);
        out.extend_from_slice(&content);
        Ok(out)
    }

    /// The status, if it is one of the six defined values.
    pub fn status(&self) -> Option<PkiStatus> {
        PkiStatus::from_int(&self.resp.status.status)
    }

    /// The TSTInfo, when there is a token.
    pub fn tst_info(&self) -> Option<&TstInfo> {
        self.token.as_ref().map(|t| &t.tst_info)
    }
}

/// `PKIStatusInfo { granted }` with no text and no failure bits.
pub fn granted_status() -> PkiStatusInfo {
    PkiStatusInfo {
        status: int_from_u64(0),
        status_string: None,
        fail_info: None,
    }
}

/// A PKIStatusInfo with an optional text and failure bits.
pub fn status_info(
    status: PkiStatus,
    text: Option<&str>,
    failures: &[FailureInfo],
) -> PkiStatusInfo {
    let fail_info: Option<BitString> = (!failures.is_empty()).then(|| failure_bits(failures));
    PkiStatusInfo {
        status: int_from_u64(status as u64),
        status_string: text.map(|t| vec![Utf8Bytes(t.as_bytes().to_vec())]),
        fail_info,
    }
}

fn token_from_any(any: &Any, as_sent: Option<&[u8]>) -> Result<TimeStampToken> {
    let der = any
        .to_der()
        .map_err(|e| Error::encode("time-stamp token", e))?;
    TimeStampToken::from_ber(as_sent.unwrap_or(&der)).map_err(|e| {
        Error::new(
            e.reason(),
            format!(
                "invalid time-stamp response: {} (pkcs7 to ts tst info failed)",
                e.message()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn bad_alg_rejection_matches_openssl() {
        let resp = Response::rejection(
            PkiStatus::Rejection,
            Some("Message digest algorithm is not supported."),
            &[FailureInfo::BadAlg],
        );
        let der = resp.to_der().unwrap();
        assert!(
            hex(&der).starts_with("30373035020102302c0c2a"),
            "{}",
            hex(&der)
        );
        assert!(hex(&der).ends_with("03020780"), "{}", hex(&der));
        let parsed = Response::from_ber(&der).unwrap();
        assert_eq!(parsed, resp);
    }

    #[test]
    fn granted_without_token_is_rejected() {
        let der = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00];
        let err = Response::from_ber(&der).unwrap_err();
        assert_eq!(err.reason(), Reason::ResponseStructure);
        assert!(err.to_string().contains("token not present"), "{err}");
    }

    #[test]
    fn unknown_status_without_token_parses() {
        let der = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x09];
        let resp = Response::from_ber(&der).unwrap();
        assert_eq!(resp.status(), None);
    }

    #[test]
    fn rejection_with_token_is_rejected() {
        // status 2 followed by an (empty) SEQUENCE standing in for a token
        let der = [0x30, 0x07, 0x30, 0x03, 0x02, 0x01, 0x02, 0x30, 0x00];
        let err = Response::from_ber(&der).unwrap_err();
        assert!(err.to_string().contains("token present"), "{err}");
    }
}
