//! A small DER writer for crafting time-stamp requests, responses and tokens
//! with unusual contents. Nothing is validated: tests build malformed values
//! on purpose.

#![allow(dead_code)]

/// Tag, definite length and content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(length(content.len()));
    out.extend_from_slice(content);
    out
}

/// Encodes a DER length: short form below 128, long form otherwise.
pub fn length(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let mut out = vec![0x80 | (bytes.len() - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

pub fn seq(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &items.concat())
}

pub fn set(items: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &items.concat())
}

/// Encodes an INTEGER in minimal two's complement.
pub fn int(value: i128) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let mut start = 0;
    while start + 1 < bytes.len() {
        let redundant = (bytes[start] == 0 && bytes[start + 1] & 0x80 == 0)
            || (bytes[start] == 0xFF && bytes[start + 1] & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    tlv(0x02, &bytes[start..])
}

/// Encodes an INTEGER with the given content octets, minimal or not.
pub fn int_content(content: &[u8]) -> Vec<u8> {
    tlv(0x02, content)
}

/// The content octets of a dotted OID.
pub fn oid_content(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u128> = dotted.split('.').map(|arc| arc.parse().unwrap()).collect();
    let mut out = Vec::new();
    let mut push = |mut value: u128| {
        let mut groups = vec![(value & 0x7F) as u8];
        value >>= 7;
        while value > 0 {
            groups.push(0x80 | (value & 0x7F) as u8);
            value >>= 7;
        }
        groups.reverse();
        out.extend(groups);
    };
    push(arcs[0] * 40 + arcs[1]);
    for arc in &arcs[2..] {
        push(*arc);
    }
    out
}

pub fn oid(dotted: &str) -> Vec<u8> {
    tlv(0x06, &oid_content(dotted))
}

pub fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

pub fn utf8(bytes: &[u8]) -> Vec<u8> {
    tlv(0x0C, bytes)
}

pub fn printable(text: &str) -> Vec<u8> {
    tlv(0x13, text.as_bytes())
}

pub fn ia5(bytes: &[u8]) -> Vec<u8> {
    tlv(0x16, bytes)
}

pub fn bmp(text: &str) -> Vec<u8> {
    let units: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    tlv(0x1E, &units)
}

pub fn gentime(text: &[u8]) -> Vec<u8> {
    tlv(0x18, text)
}

pub fn boolean(value: bool) -> Vec<u8> {
    tlv(0x01, &[if value { 0xFF } else { 0x00 }])
}

pub fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

/// A named-bit BIT STRING with trailing zero bits trimmed.
pub fn bits(set_bits: &[usize]) -> Vec<u8> {
    let Some(highest) = set_bits.iter().max() else {
        return tlv(0x03, &[0]);
    };
    let mut content = vec![0u8; highest / 8 + 2];
    content[0] = (7 - highest % 8) as u8;
    for bit in set_bits {
        content[1 + bit / 8] |= 0x80 >> (bit % 8);
    }
    tlv(0x03, &content)
}

/// `[n]` IMPLICIT over primitive content.
pub fn ctx(number: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | number, content)
}

/// `[n]` with the constructed bit: EXPLICIT tagging or an IMPLICIT SEQUENCE.
pub fn ctx_cons(number: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xA0 | number, content)
}

pub fn algid(dotted: &str, null_params: bool) -> Vec<u8> {
    if null_params {
        seq(&[oid(dotted), null()])
    } else {
        seq(&[oid(dotted)])
    }
}

pub const SHA1: &str = "1.3.14.3.2.26";
pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
pub const SHA512: &str = "2.16.840.1.101.3.4.2.3";
pub const MD5: &str = "1.2.840.113549.2.5";

/// A Name from RDNs, each a list of (OID, encoded value) attributes.
pub fn name(rdns: &[&[(&str, Vec<u8>)]]) -> Vec<u8> {
    let encoded: Vec<Vec<u8>> = rdns
        .iter()
        .map(|rdn| {
            let attributes: Vec<Vec<u8>> = rdn
                .iter()
                .map(|(attribute, value)| seq(&[oid(attribute), value.clone()]))
                .collect();
            set(&attributes)
        })
        .collect();
    seq(&encoded)
}

/// An Extension: OID, critical flag when set, value in an OCTET STRING.
pub fn ext(dotted: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut items = vec![oid(dotted)];
    if critical {
        items.push(boolean(true));
    }
    items.push(octets(value));
    seq(&items)
}

/// PKIStatusInfo with optional texts (raw UTF8String contents) and failure bits.
pub fn status_info(
    status: Vec<u8>,
    texts: Option<&[&[u8]]>,
    fail_bits: Option<Vec<u8>>,
) -> Vec<u8> {
    let mut items = vec![status];
    if let Some(texts) = texts {
        let strings: Vec<Vec<u8>> = texts.iter().map(|text| utf8(text)).collect();
        items.push(seq(&strings));
    }
    if let Some(fail_bits) = fail_bits {
        items.push(fail_bits);
    }
    seq(&items)
}

/// A ContentInfo with SignedData around an encoded TSTInfo, with no signer:
/// enough for printing, which checks no signature.
pub fn token(tst_info: &[u8]) -> Vec<u8> {
    let encapsulated = seq(&[
        oid("1.2.840.113549.1.9.16.1.4"),
        ctx_cons(0, &octets(tst_info)),
    ]);
    let signed_data = seq(&[int(3), set(&[algid(SHA256, true)]), encapsulated, set(&[])]);
    seq(&[oid("1.2.840.113549.1.7.2"), ctx_cons(0, &signed_data)])
}

/// A TimeStampResp: status and an optional token.
pub fn response(status: Vec<u8>, token: Option<Vec<u8>>) -> Vec<u8> {
    match token {
        Some(token) => seq(&[status, token]),
        None => seq(&[status]),
    }
}

/// The fields of a TSTInfo, each already encoded; `None` leaves an optional field out.
#[derive(Clone)]
pub struct Tst {
    pub version: Vec<u8>,
    pub policy: Vec<u8>,
    pub hash: Vec<u8>,
    pub digest: Vec<u8>,
    pub serial: Vec<u8>,
    pub time: Vec<u8>,
    pub accuracy: Option<Vec<u8>>,
    pub ordering: Option<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
    /// The GeneralName, wrapped in `[0]` on encoding.
    pub tsa: Option<Vec<u8>>,
    pub extensions: Option<Vec<Vec<u8>>>,
}

impl Default for Tst {
    fn default() -> Self {
        Tst {
            version: int(1),
            policy: oid("1.2.3.4.1"),
            hash: algid(SHA256, true),
            digest: (0u8..32).collect(),
            serial: int(1),
            time: gentime(b"20240102030405Z"),
            accuracy: None,
            ordering: None,
            nonce: None,
            tsa: None,
            extensions: None,
        }
    }
}

impl Tst {
    pub fn encode(&self) -> Vec<u8> {
        let mut items = vec![
            self.version.clone(),
            self.policy.clone(),
            seq(&[self.hash.clone(), octets(&self.digest)]),
            self.serial.clone(),
            self.time.clone(),
        ];
        items.extend(self.accuracy.clone());
        items.extend(self.ordering.clone());
        items.extend(self.nonce.clone());
        if let Some(tsa) = &self.tsa {
            items.push(ctx_cons(0, tsa));
        }
        if let Some(extensions) = &self.extensions {
            items.push(ctx_cons(1, &extensions.concat()));
        }
        seq(&items)
    }
}

/// Accuracy from optional seconds, millis and micros.
pub fn accuracy(seconds: Option<i128>, millis: Option<i128>, micros: Option<i128>) -> Vec<u8> {
    let mut items = Vec::new();
    if let Some(seconds) = seconds {
        items.push(int(seconds));
    }
    if let Some(millis) = millis {
        items.push(ctx(0, &int(millis)[2..]));
    }
    if let Some(micros) = micros {
        items.push(ctx(1, &int(micros)[2..]));
    }
    seq(&items)
}

/// The fields of a TimeStampReq, each already encoded.
#[derive(Clone)]
pub struct Req {
    pub version: Vec<u8>,
    pub hash: Vec<u8>,
    pub digest: Vec<u8>,
    pub policy: Option<Vec<u8>>,
    pub nonce: Option<Vec<u8>>,
    pub cert_req: Option<Vec<u8>>,
    pub extensions: Option<Vec<Vec<u8>>>,
}

impl Default for Req {
    fn default() -> Self {
        Req {
            version: int(1),
            hash: algid(SHA256, true),
            digest: vec![0u8; 32],
            policy: None,
            nonce: None,
            cert_req: None,
            extensions: None,
        }
    }
}

impl Req {
    pub fn encode(&self) -> Vec<u8> {
        let mut items = vec![
            self.version.clone(),
            seq(&[self.hash.clone(), octets(&self.digest)]),
        ];
        items.extend(self.policy.clone());
        items.extend(self.nonce.clone());
        items.extend(self.cert_req.clone());
        if let Some(extensions) = &self.extensions {
            items.push(ctx_cons(0, &extensions.concat()));
        }
        seq(&items)
    }
}
