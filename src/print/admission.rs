//! The professional-admission extension (ISIS-MTT / Common PKI,
//! 1.3.36.8.3.3) as libcrypto 3.0 prints it (`crypto/x509/v3_admis.c`).

use super::ber::{self, Element, first_element, tag};
use super::general_name::{NameView, directory_string, parse_general_name, print_general_name};
use super::oid::{dotted, truncate};
use super::text::printable_or_dot;
use super::x509v3::pad;
use crate::oid::Objects;

/// NamingAuthority ::= SEQUENCE { namingAuthorityId OBJECT IDENTIFIER OPTIONAL,
/// namingAuthorityUrl IA5String OPTIONAL, namingAuthorityText DirectoryString OPTIONAL }
struct NamingAuthority<'a> {
    id: Option<&'a [u8]>,
    url: Option<Vec<u8>>,
    text: Option<Vec<u8>>,
}

/// ProfessionInfo ::= SEQUENCE { namingAuthority [0] EXPLICIT NamingAuthority OPTIONAL,
/// professionItems SEQUENCE OF DirectoryString, professionOIDs SEQUENCE OF
/// OBJECT IDENTIFIER OPTIONAL, registrationNumber PrintableString OPTIONAL,
/// addProfessionInfo OCTET STRING OPTIONAL }
struct ProfessionInfo<'a> {
    naming_authority: Option<NamingAuthority<'a>>,
    items: Vec<Vec<u8>>,
    oids: Option<Vec<&'a [u8]>>,
    registration_number: Option<Vec<u8>>,
}

/// Admissions ::= SEQUENCE { admissionAuthority [0] EXPLICIT GeneralName OPTIONAL,
/// namingAuthority [1] EXPLICIT NamingAuthority OPTIONAL, professionInfos SEQUENCE OF ProfessionInfo }
struct Admissions<'a> {
    authority: Option<NameView<'a>>,
    naming_authority: Option<NamingAuthority<'a>>,
    profession_infos: Vec<ProfessionInfo<'a>>,
}

fn parse_naming_authority<'a>(element: &Element<'a>) -> Option<NamingAuthority<'a>> {
    let mut fields = ber::sequence(element)?;
    let id = match fields.read_universal(tag::OBJECT) {
        Some(element) => Some(ber::object(&element)?),
        None => None,
    };
    let url = match fields.read_universal(tag::IA5_STRING) {
        Some(element) => Some(ber::string_octets(&element)?),
        None => None,
    };
    let text = match fields.read() {
        Some(element) => Some(directory_string(&element)?),
        None => None,
    };
    fields
        .is_empty()
        .then_some(NamingAuthority { id, url, text })
}

fn parse_profession_info<'a>(element: &Element<'a>) -> Option<ProfessionInfo<'a>> {
    let mut fields = ber::sequence(element)?;
    let naming_authority = match fields.read_context(0) {
        Some(element) => Some(parse_naming_authority(&ber::explicit(&element)?)?),
        None => None,
    };
    let items = ber::sequence_of(&fields.read()?, directory_string)?;
    let oids = match fields.read_universal(tag::SEQUENCE) {
        Some(element) => Some(ber::sequence_of(&element, |item| ber::object(item))?),
        None => None,
    };
    let registration_number = match fields.read_universal(19) {
        Some(element) => Some(ber::string_octets(&element)?),
        None => None,
    };
    if let Some(element) = fields.read_universal(tag::OCTET_STRING) {
        ber::string_octets(&element)?;
    }
    fields.is_empty().then_some(ProfessionInfo {
        naming_authority,
        items,
        oids,
        registration_number,
    })
}

fn parse_admissions<'a>(element: &Element<'a>) -> Option<Admissions<'a>> {
    let mut fields = ber::sequence(element)?;
    let authority = match fields.read_context(0) {
        Some(element) => Some(parse_general_name(&ber::explicit(&element)?)?),
        None => None,
    };
    let naming_authority = match fields.read_context(1) {
        Some(element) => Some(parse_naming_authority(&ber::explicit(&element)?)?),
        None => None,
    };
    let profession_infos = ber::sequence_of(&fields.read()?, parse_profession_info)?;
    fields.is_empty().then_some(Admissions {
        authority,
        naming_authority,
        profession_infos,
    })
}

/// `long name (dotted)`, with `undefined` as the name of an unknown OID.
fn described_oid(objects: &Objects, oid: &[u8]) -> String {
    let text = truncate(dotted(oid), 128);
    let long_name = der::asn1::ObjectIdentifier::from_bytes(oid)
        .ok()
        .and_then(|oid| objects.long_name(&oid).map(str::to_owned));
    format!("{} ({text})", long_name.as_deref().unwrap_or("undefined"))
}

/// `i2r_NAMING_AUTHORITY`: false when every field is absent.
fn print_naming_authority(
    out: &mut Vec<u8>,
    authority: &NamingAuthority<'_>,
    indent: usize,
    objects: &Objects,
) -> bool {
    if authority.id.is_none() && authority.text.is_none() && authority.url.is_none() {
        return false;
    }
    pad(out, indent + 2);
    out.extend_from_slice(b"namingAuthority:\n");
    if let Some(id) = authority.id {
        pad(out, indent + 4);
        out.extend_from_slice(b"namingAuthorityId: ");
        out.extend_from_slice(described_oid(objects, id).as_bytes());
        out.push(b'\n');
    }
    if let Some(text) = &authority.text {
        pad(out, indent + 4);
        out.extend_from_slice(b"namingAuthorityText: ");
        printable_or_dot(out, text);
        out.push(b'\n');
    }
    if let Some(url) = &authority.url {
        pad(out, indent + 4);
        out.extend_from_slice(b"namingAuthorityUrl: ");
        printable_or_dot(out, url);
        out.push(b'\n');
    }
    true
}

fn print_profession_info(
    out: &mut Vec<u8>,
    number: usize,
    info: &ProfessionInfo<'_>,
    indent: usize,
    objects: &Objects,
) -> bool {
    pad(out, indent);
    out.extend_from_slice(format!("  Profession Info Entry {number}:\n").as_bytes());
    if let Some(registration) = &info.registration_number {
        pad(out, indent);
        out.extend_from_slice(b"    registrationNumber: ");
        printable_or_dot(out, registration);
        out.push(b'\n');
    }
    if let Some(authority) = &info.naming_authority
        && !print_naming_authority(out, authority, indent + 2, objects)
    {
        return false;
    }
    pad(out, indent);
    out.extend_from_slice(b"    Info Entries:\n");
    for item in &info.items {
        pad(out, indent);
        out.extend_from_slice(b"      ");
        printable_or_dot(out, item);
        out.push(b'\n');
    }
    if let Some(oids) = &info.oids {
        pad(out, indent);
        out.extend_from_slice(b"    Profession OIDs:\n");
        for oid in oids {
            pad(out, indent);
            out.extend_from_slice(b"      ");
            out.extend_from_slice(described_oid(objects, oid).as_bytes());
            out.push(b'\n');
        }
    }
    true
}

/// AdmissionSyntax ::= SEQUENCE { admissionAuthority GeneralName OPTIONAL,
/// contentsOfAdmissions SEQUENCE OF Admissions }
pub(super) fn admission_syntax(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let authority = match fields.peek() {
            Some(element) if element.class == ber::Class::Context => {
                fields.read();
                Some(parse_general_name(&element)?)
            }
            _ => None,
        };
        let contents = ber::sequence_of(&fields.read()?, parse_admissions)?;
        fields.is_empty().then_some((authority, contents))
    })();
    let Some((authority, contents)) = decoded else {
        return false;
    };
    if let Some(authority) = &authority {
        pad(out, indent);
        out.extend_from_slice(b"admissionAuthority:\n");
        pad(out, indent);
        out.extend_from_slice(b"  ");
        print_general_name(out, authority, objects);
        out.push(b'\n');
    }
    for (i, entry) in contents.iter().enumerate() {
        pad(out, indent);
        out.extend_from_slice(format!("Entry {}:\n", i + 1).as_bytes());
        if let Some(authority) = &entry.authority {
            pad(out, indent);
            out.extend_from_slice(b"  admissionAuthority:\n");
            pad(out, indent);
            out.extend_from_slice(b"    ");
            print_general_name(out, authority, objects);
            out.push(b'\n');
        }
        if let Some(naming) = &entry.naming_authority
            && !print_naming_authority(out, naming, indent, objects)
        {
            return false;
        }
        for (j, info) in entry.profession_infos.iter().enumerate() {
            if !print_profession_info(out, j + 1, info, indent, objects) {
                return false;
            }
        }
    }
    true
}
