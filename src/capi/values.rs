//! Conversions between ASN.1 values and the C types the getters and setters use.

use std::ffi::c_long;

use der::asn1::Int;

use crate::asn1::{int_from_bytes, unsigned_integer_bytes};
use crate::error::{Error, Reason, Result};

/// Returns the value of an INTEGER as a C `long`, failing when it does not fit.
pub(crate) fn int_to_long(value: &Int, field: &str) -> Result<c_long> {
    let bytes = value.as_bytes();
    let out_of_range = || {
        Error::new(
            Reason::InvalidArgument,
            format!("the {field} (0x{}) does not fit in a C long", hex(bytes)),
        )
    };
    if bytes.len() > std::mem::size_of::<c_long>() {
        return Err(out_of_range());
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut value: i64 = if negative { -1 } else { 0 };
    for byte in bytes {
        value = (value << 8) | i64::from(*byte);
    }
    c_long::try_from(value).map_err(|_| out_of_range())
}

/// Returns an INTEGER with the value of a C `long`.
// The conversion is a no-op where `long` has 64 bits, but not on every platform.
#[allow(clippy::useless_conversion)]
pub(crate) fn int_from_long(value: c_long) -> Result<Int> {
    crate::responder::int_from_i64(i64::from(value))
}

/// Returns the big-endian magnitude of a non-negative INTEGER, without
/// leading zero bytes (one zero byte for the value 0). Negative values fail,
/// because they are invalid for the nonces and serial numbers the getters
/// return.
pub(crate) fn magnitude<'a>(value: &'a Int, field: &str) -> Result<&'a [u8]> {
    let bytes = value.as_bytes();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!(
                "the {field} is negative (content octets 0x{}); read it from the DER encoding",
                hex(bytes)
            ),
        ));
    }
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    Ok(if skip == bytes.len() {
        &bytes[bytes.len().saturating_sub(1)..]
    } else {
        &bytes[skip..]
    })
}

/// Returns a non-negative INTEGER from big-endian magnitude bytes.
pub(crate) fn int_from_magnitude(bytes: &[u8]) -> Result<Int> {
    int_from_bytes(&unsigned_integer_bytes(bytes))
}

/// Returns the dotted text of an OID.
pub(crate) fn oid_text(oid: impl Into<crate::asn1::Oid>) -> Vec<u8> {
    oid.into().to_string().into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(content: &[u8]) -> Int {
        Int::new(content).unwrap()
    }

    #[test]
    fn long_conversion_handles_signs() {
        assert_eq!(int_to_long(&int(&[1]), "version").unwrap(), 1);
        assert_eq!(int_to_long(&int(&[0xFF]), "version").unwrap(), -1);
        assert_eq!(int_to_long(&int(&[0, 0x80]), "version").unwrap(), 128);
        let nine_bytes = [1, 0, 0, 0, 0, 0, 0, 0, 0];
        let err = int_to_long(&int(&nine_bytes), "version").unwrap_err();
        assert_eq!(err.reason(), Reason::InvalidArgument);
    }

    #[test]
    fn magnitude_strips_sign_byte() {
        assert_eq!(magnitude(&int(&[0, 0x80, 1]), "nonce").unwrap(), [0x80, 1]);
        assert_eq!(magnitude(&int(&[0]), "nonce").unwrap(), [0]);
        assert_eq!(magnitude(&int(&[0x12]), "nonce").unwrap(), [0x12]);
        assert!(magnitude(&int(&[0x80]), "nonce").is_err());
    }

    #[test]
    fn magnitude_round_trips() {
        let value = int_from_magnitude(&[0, 0, 0xAB, 0xCD]).unwrap();
        assert_eq!(value.as_bytes(), [0, 0xAB, 0xCD]);
        assert_eq!(magnitude(&value, "serial").unwrap(), [0xAB, 0xCD]);
    }
}
