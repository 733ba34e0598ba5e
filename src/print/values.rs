//! The `CONF_VALUE` lists that libcrypto's `i2v` printers build, and
//! `X509V3_EXT_val_prn`, which writes them.

/// One `name:value` item; either part may be missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ConfValue {
    pub name: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
}

impl ConfValue {
    pub fn pair(name: &str, value: Vec<u8>) -> ConfValue {
        ConfValue {
            name: Some(name.as_bytes().to_vec()),
            value: Some(value),
        }
    }

    pub fn name_only(name: &str) -> ConfValue {
        ConfValue {
            name: Some(name.as_bytes().to_vec()),
            value: None,
        }
    }

    pub fn value_only(value: Vec<u8>) -> ConfValue {
        ConfValue {
            name: None,
            value: Some(value),
        }
    }

    /// Formats the item as `X509V3_EXT_val_prn` writes it: `name:value`, or the
    /// part present.
    pub fn to_bytes(&self) -> Vec<u8> {
        match (&self.name, &self.value) {
            (Some(name), Some(value)) => {
                let mut out = name.clone();
                out.push(b':');
                out.extend_from_slice(value);
                out
            }
            (Some(only), None) | (None, Some(only)) => only.clone(),
            (None, None) => Vec::new(),
        }
    }
}

/// `X509V3_EXT_val_prn`: one item per line at `indent` when `multiline`, else
/// all on one line joined by `, `; `<EMPTY>` and a newline for an empty list.
pub(super) fn print_values(
    out: &mut Vec<u8>,
    values: &[ConfValue],
    indent: usize,
    multiline: bool,
) {
    if !multiline || values.is_empty() {
        out.extend(std::iter::repeat_n(b' ', indent));
        if values.is_empty() {
            out.extend_from_slice(b"<EMPTY>\n");
        }
    }
    for (i, item) in values.iter().enumerate() {
        if multiline {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend(std::iter::repeat_n(b' ', indent));
        } else if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(&item.to_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_and_multiline() {
        let values = [
            ConfValue::pair("CA", b"TRUE".to_vec()),
            ConfValue::name_only("x"),
        ];
        let mut out = Vec::new();
        print_values(&mut out, &values, 4, false);
        assert_eq!(out, b"    CA:TRUE, x");
        out.clear();
        print_values(&mut out, &values, 4, true);
        assert_eq!(out, b"    CA:TRUE\n    x");
        out.clear();
        print_values(&mut out, &[], 4, true);
        assert_eq!(out, b"    <EMPTY>\n");
    }
}
