//! OBJECT IDENTIFIER text as libcrypto's `OBJ_obj2txt` and `OBJ_nid2sn` write it.

use der::asn1::ObjectIdentifier;

use crate::oid::Objects;

/// `OBJ_obj2txt(.., 0)` of an OID given by its content octets: the long
/// name when the object table has one, else the dotted form.
pub(super) fn oid_text(objects: &Objects, content: &[u8]) -> String {
    if let Ok(oid) = ObjectIdentifier::from_bytes(content)
        && let Some(name) = objects.long_name(&oid)
    {
        return name.to_owned();
    }
    dotted(content)
}

/// Returns an attribute's name in a distinguished name: the short name, else
/// the dotted form cut to the 80-byte buffer that `X509_NAME_oneline` and
/// `X509_NAME_print_ex` use.
pub(super) fn attribute_name(objects: &Objects, content: &[u8]) -> String {
    if let Ok(oid) = ObjectIdentifier::from_bytes(content)
        && let Some(name) = objects.short_name(&oid)
    {
        return name.to_owned();
    }
    truncate(dotted(content), 80)
}

/// `text` cut to fit a C buffer of `size` bytes with its NUL, as
/// `OBJ_obj2txt` and `BIO_snprintf` cut it.
pub(super) fn truncate(mut text: String, size: usize) -> String {
    let max = size.saturating_sub(1);
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// Formats the dotted decimal form, with subidentifiers of any size.
pub(super) fn dotted(content: &[u8]) -> String {
    let mut text = String::new();
    let mut value = BigDecimal::default();
    let mut first = true;
    for byte in content {
        value.push_seven_bits(byte & 0x7F);
        if byte & 0x80 != 0 {
            continue;
        }
        if first {
            let arc = if value.at_least(80) {
                value.subtract_small(80);
                2
            } else {
                let small = value.small();
                let arc = small / 40;
                value.subtract_small(arc * 40);
                arc
            };
            text.push_str(&arc.to_string());
            first = false;
        }
        text.push('.');
        text.push_str(&value.to_decimal());
        value = BigDecimal::default();
    }
    text
}

/// A non-negative integer in base 10^9 limbs, least significant first.
#[derive(Debug, Default)]
struct BigDecimal {
    limbs: Vec<u32>,
}

const LIMB: u64 = 1_000_000_000;

impl BigDecimal {
    fn push_seven_bits(&mut self, bits: u8) {
        let mut carry = u64::from(bits);
        for limb in &mut self.limbs {
            let value = u64::from(*limb) * 128 + carry;
            *limb = (value % LIMB) as u32;
            carry = value / LIMB;
        }
        while carry > 0 {
            self.limbs.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    fn at_least(&self, small: u32) -> bool {
        self.limbs.len() > 1 || self.small() >= small
    }

    /// Returns the lowest limb, which is the value when it fits in one limb.
    fn small(&self) -> u32 {
        self.limbs.first().copied().unwrap_or(0)
    }

    fn subtract_small(&mut self, small: u32) {
        let mut borrow = u64::from(small);
        for limb in &mut self.limbs {
            let current = u64::from(*limb);
            if current >= borrow {
                *limb = (current - borrow) as u32;
                break;
            }
            *limb = (current + LIMB - borrow) as u32;
            borrow = 1;
        }
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn to_decimal(&self) -> String {
        let mut limbs = self.limbs.iter().rev();
        let Some(top) = limbs.next() else {
            return "0".to_owned();
        };
        let mut text = top.to_string();
        for limb in limbs {
            text.push_str(&format!("{limb:09}"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_forms() {
        assert_eq!(dotted(&[0x2A, 0x03, 0x04]), "1.2.3.4");
        assert_eq!(dotted(&[0x00]), "0.0");
        assert_eq!(dotted(&[0x88, 0x37, 0x01]), "2.999.1");
        let big = [
            0x2A, 0x9F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F,
        ];
        assert_eq!(dotted(&big), "1.2.37778931862957161709567");
    }

    #[test]
    fn names_from_the_table() {
        let objects = Objects::new();
        let sha256 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
        assert_eq!(oid_text(&objects, &sha256), "sha256");
        assert_eq!(attribute_name(&objects, &sha256), "SHA256");
        assert_eq!(attribute_name(&objects, &[0x2A, 0x03]), "1.2.3");
    }

    #[test]
    fn truncation_keeps_buffer_size_minus_one() {
        assert_eq!(truncate("abcdef".to_owned(), 4), "abc");
        assert_eq!(truncate("abc".to_owned(), 4), "abc");
    }
}
