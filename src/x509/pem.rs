//! PEM blocks read as leniently as OpenSSL's `PEM_read_bio` reads them.
//!
//! OpenSSL skips text between blocks, accepts CRLF line ends, trailing spaces,
//! base64 lines of any width and RFC 1421 header lines (`Proc-Type: ...`).
//! The scanner here finds each block and its label; the base64 body, with
//! white space removed and rewrapped at 64 columns, is then decoded by
//! `pem-rfc7468`.

use crate::error::{Error, Reason, Result};

/// Largest PEM body accepted, in bytes of base64 text.
const MAX_BODY_LEN: usize = 64 * 1024 * 1024;

/// One `-----BEGIN label-----` ... `-----END label-----` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label, such as `CERTIFICATE` or `X509 CRL`.
    pub label: String,
    /// The decoded body, or why it could not be decoded.
    pub data: Result<Vec<u8>>,
    /// The 1-based number of the line with the BEGIN marker, for messages.
    pub line: usize,
}

/// Whether `input` looks like PEM: it contains a BEGIN marker.
pub fn is_pem(input: &[u8]) -> bool {
    input.windows(11).any(|window| window == b"-----BEGIN ")
}

/// Every PEM block of `input`, in order. A BEGIN marker without its END marker
/// yields a block whose data is an error.
pub fn blocks(input: &[u8]) -> Vec<PemBlock> {
    let mut out = Vec::new();
    let mut lines = input.split(|b| *b == b'\n').map(trim_line).enumerate();
    while let Some((index, line)) = lines.next() {
        let Some(label) = marker_label(line, b"-----BEGIN ") else {
            continue;
        };
        let mut body = Vec::new();
        let mut in_headers = true;
        let mut finished = false;
        for (_, line) in lines.by_ref() {
            if let Some(end_label) = marker_label(line, b"-----END ") {
                finished = end_label == label;
                break;
            }
            if in_headers && line.contains(&b':') {
                continue;
            }
            in_headers = false;
            if body.len() + line.len() > MAX_BODY_LEN {
                break;
            }
            body.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
        }
        let data = if finished {
            decode_body(&label, &body)
        } else {
            Err(Error::new(
                Reason::Pem,
                format!("no END line for the {label} block"),
            ))
        };
        out.push(PemBlock {
            label,
            data,
            line: index + 1,
        });
    }
    out
}

fn trim_line(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'))
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// The label of a `-----BEGIN label-----` or `-----END label-----` line.
fn marker_label(line: &[u8], prefix: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(prefix)?;
    let label = rest.strip_suffix(b"-----")?;
    String::from_utf8(label.to_vec()).ok()
}

fn decode_body(label: &str, body: &[u8]) -> Result<Vec<u8>> {
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.chunks(64) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    let (_, data) = pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|e| {
        Error::new(
            Reason::Pem,
            format!("invalid base64 in the {label} block: {e}"),
        )
    })?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_between_text() {
        let input = b"junk\r\n-----BEGIN CERTIFICATE-----  \r\nAAEC\r\nAw==\r\n-----END CERTIFICATE-----\r\ntext\n-----BEGIN X509 CRL-----\nBAU=\n-----END X509 CRL-----\n";
        let blocks = blocks(input);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].data.as_ref().unwrap(), &[0, 1, 2, 3]);
        assert_eq!(blocks[0].line, 2);
        assert_eq!(blocks[1].label, "X509 CRL");
        assert_eq!(blocks[1].data.as_ref().unwrap(), &[4, 5]);
    }

    #[test]
    fn skips_header_lines() {
        let input = b"-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\nAAEC\n-----END CERTIFICATE-----\n";
        assert_eq!(blocks(input)[0].data.as_ref().unwrap(), &[0, 1, 2]);
    }

    #[test]
    fn missing_end_is_an_error() {
        let blocks = blocks(b"-----BEGIN CERTIFICATE-----\nAAEC\n");
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].data.is_err());
    }

    #[test]
    fn bad_base64_is_an_error() {
        let blocks = blocks(b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assert!(blocks[0].data.is_err());
    }
}
