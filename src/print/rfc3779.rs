//! The RFC 3779 IP address and AS identifier extensions as libcrypto 3.0
//! prints them (`crypto/x509/v3_addr.c`, `v3_asid.c`).

use super::ber::{self, BigInt, Element, first_element, tag};
use super::text::integer_to_string;
use super::x509v3::pad;
use crate::oid::Objects;

/// A BIT STRING with its unused-bit count, as an address or prefix.
struct Bits {
    octets: Vec<u8>,
    unused: u8,
}

fn bits(element: &Element<'_>) -> Option<Bits> {
    if !element.is_universal(tag::BIT_STRING) {
        return None;
    }
    let octets = ber::string_octets(element)?;
    let unused = *octets.first()?;
    Some(Bits {
        octets: ber::bit_string_content(element)?,
        unused,
    })
}

enum AddressOrRange {
    Prefix(Bits),
    Range(Bits, Bits),
}

struct AddressFamily {
    family: Vec<u8>,
    /// `None` for `inherit`.
    addresses: Option<Vec<AddressOrRange>>,
}

fn parse_address_or_range(element: &Element<'_>) -> Option<AddressOrRange> {
    if element.is_universal(tag::BIT_STRING) {
        return Some(AddressOrRange::Prefix(bits(element)?));
    }
    let mut fields = ber::sequence(element)?;
    let min = bits(&fields.read()?)?;
    let max = bits(&fields.read()?)?;
    fields.is_empty().then_some(AddressOrRange::Range(min, max))
}

fn parse_family(element: &Element<'_>) -> Option<AddressFamily> {
    let mut fields = ber::sequence(element)?;
    let family = ber::universal_string(&fields.read()?, tag::OCTET_STRING)?;
    let choice = fields.read()?;
    let addresses = if choice.is_universal(tag::NULL) {
        ber::null(&choice)?;
        None
    } else {
        Some(ber::sequence_of(&choice, parse_address_or_range)?)
    };
    fields
        .is_empty()
        .then_some(AddressFamily { family, addresses })
}

const AFI_IPV4: u32 = 1;
const AFI_IPV6: u32 = 2;

/// `addr_expand`: the address octets filled up to `length` with `fill`,
/// the unused bits set to `fill` as well; `None` when the address is too long.
fn expand(address: &Bits, length: usize, fill: u8) -> Option<Vec<u8>> {
    if address.octets.len() > length {
        return None;
    }
    let mut out = address.octets.clone();
    if let Some(last) = out.last_mut()
        && address.unused != 0
    {
        let mask = 0xFFu8 >> (8 - address.unused);
        if fill == 0 {
            *last &= !mask;
        } else {
            *last |= mask;
        }
    }
    out.resize(length, fill);
    Some(out)
}

/// `i2r_address`: false where OpenSSL fails, after what it wrote.
fn print_address(out: &mut Vec<u8>, afi: u32, fill: u8, address: &Bits) -> bool {
    match afi {
        AFI_IPV4 => {
            let Some(a) = expand(address, 4, fill) else {
                return false;
            };
            out.extend_from_slice(format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]).as_bytes());
        }
        AFI_IPV6 => {
            let Some(a) = expand(address, 16, fill) else {
                return false;
            };
            let mut end = 16;
            while end > 1 && a[end - 1] == 0 && a[end - 2] == 0 {
                end -= 2;
            }
            let mut i = 0;
            while i < end {
                let separator = if i < 14 { ":" } else { "" };
                let group = u16::from_be_bytes([a[i], a[i + 1]]);
                out.extend_from_slice(format!("{group:x}{separator}").as_bytes());
                i += 2;
            }
            if i < 16 {
                out.push(b':');
            }
            if i == 0 {
                out.push(b':');
            }
        }
        _ => {
            let hex: Vec<String> = address.octets.iter().map(|b| format!("{b:02x}")).collect();
            out.extend_from_slice(hex.join(":").as_bytes());
            out.extend_from_slice(format!("[{}]", address.unused).as_bytes());
        }
    }
    true
}

fn safi_text(safi: u8) -> String {
    match safi {
        1 => " (Unicast)".to_owned(),
        2 => " (Multicast)".to_owned(),
        3 => " (Unicast/Multicast)".to_owned(),
        4 => " (MPLS)".to_owned(),
        64 => " (Tunnel)".to_owned(),
        65 => " (VPLS)".to_owned(),
        66 => " (BGP MDT)".to_owned(),
        128 => " (MPLS-labeled VPN)".to_owned(),
        other => format!(" (Unknown SAFI {other})"),
    }
}

/// sbgp-ipAddrBlock: a SEQUENCE OF IPAddressFamily.
pub(super) fn ip_address_blocks(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    _: &Objects,
) -> bool {
    let Some(families) = first_element(value).and_then(|e| ber::sequence_of(&e, parse_family))
    else {
        return false;
    };
    for family in &families {
        let afi = match family.family.as_slice() {
            [high, low, ..] => (u32::from(*high) << 8) | u32::from(*low),
            _ => 0,
        };
        pad(out, indent);
        match afi {
            AFI_IPV4 => out.extend_from_slice(b"IPv4"),
            AFI_IPV6 => out.extend_from_slice(b"IPv6"),
            other => out.extend_from_slice(format!("Unknown AFI {other}").as_bytes()),
        }
        if let Some(safi) = family.family.get(2) {
            out.extend_from_slice(safi_text(*safi).as_bytes());
        }
        let Some(addresses) = &family.addresses else {
            out.extend_from_slice(b": inherit\n");
            continue;
        };
        out.extend_from_slice(b":\n");
        for address in addresses {
            pad(out, indent + 2);
            match address {
                AddressOrRange::Prefix(prefix) => {
                    if !print_address(out, afi, 0x00, prefix) {
                        return false;
                    }
                    let length = prefix.octets.len() as i64 * 8 - i64::from(prefix.unused);
                    out.extend_from_slice(format!("/{length}\n").as_bytes());
                }
                AddressOrRange::Range(min, max) => {
                    if !print_address(out, afi, 0x00, min) {
                        return false;
                    }
                    out.push(b'-');
                    if !print_address(out, afi, 0xFF, max) {
                        return false;
                    }
                    out.push(b'\n');
                }
            }
        }
    }
    true
}

enum AsIdOrRange {
    Id(BigInt),
    Range(BigInt, BigInt),
}

/// ASIdentifierChoice: `None` for `inherit`.
fn parse_as_choice(element: &Element<'_>) -> Option<Option<Vec<AsIdOrRange>>> {
    let choice = ber::explicit(element)?;
    if choice.is_universal(tag::NULL) {
        ber::null(&choice)?;
        return Some(None);
    }
    let items = ber::sequence_of(&choice, |item| {
        if item.is_universal(tag::INTEGER) {
            return Some(AsIdOrRange::Id(ber::integer(item)?));
        }
        let mut fields = ber::sequence(item)?;
        let min = ber::integer(&fields.read()?)?;
        let max = ber::integer(&fields.read()?)?;
        fields.is_empty().then_some(AsIdOrRange::Range(min, max))
    })?;
    Some(Some(items))
}

fn print_as_choice(
    out: &mut Vec<u8>,
    choice: &Option<Vec<AsIdOrRange>>,
    indent: usize,
    label: &str,
) {
    pad(out, indent);
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b":\n");
    let Some(items) = choice else {
        pad(out, indent + 2);
        out.extend_from_slice(b"inherit\n");
        return;
    };
    for item in items {
        pad(out, indent + 2);
        let text = match item {
            AsIdOrRange::Id(id) => integer_to_string(id),
            AsIdOrRange::Range(min, max) => {
                format!("{}-{}", integer_to_string(min), integer_to_string(max))
            }
        };
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
    }
}

/// sbgp-autonomousSysNum: ASIdentifiers ::= SEQUENCE { asnum [0] OPTIONAL, rdi [1] OPTIONAL }.
pub(super) fn as_identifiers(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let numbers = match fields.read_context(0) {
            Some(element) => Some(parse_as_choice(&element)?),
            None => None,
        };
        let routing = match fields.read_context(1) {
            Some(element) => Some(parse_as_choice(&element)?),
            None => None,
        };
        fields.is_empty().then_some((numbers, routing))
    })();
    let Some((numbers, routing)) = decoded else {
        return false;
    };
    if let Some(numbers) = &numbers {
        print_as_choice(out, numbers, indent, "Autonomous System Numbers");
    }
    if let Some(routing) = &routing {
        print_as_choice(out, routing, indent, "Routing Domain Identifiers");
    }
    true
}
