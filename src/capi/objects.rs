//! The object table that the C ABI resolves and prints names with. Like
//! libcrypto's `OBJ_*` table it is process-wide, so names added with
//! `tsrs_obj_create` or by a configuration's `oid_section` apply to every
//! later call on every thread.

use std::ffi::{c_char, c_int};
use std::sync::{LazyLock, PoisonError, RwLock};

use super::util::{guard_int, text};
use crate::conf::{self, Config};
use crate::error::Result;
use crate::oid::Objects;

static OBJECTS: LazyLock<RwLock<Objects>> = LazyLock::new(|| RwLock::new(Objects::new()));

/// Runs `f` with the object table.
pub(crate) fn with_objects<T>(f: impl FnOnce(&Objects) -> T) -> T {
    let objects = OBJECTS.read().unwrap_or_else(PoisonError::into_inner);
    f(&objects)
}

/// Resolves a short name, long name or dotted OID.
pub(crate) fn resolve(text: &str) -> Result<crate::asn1::Oid> {
    with_objects(|objects| {
        objects.resolve_oid(text).ok_or_else(|| {
            crate::error::Error::new(
                crate::error::Reason::UnknownObject,
                format!("cannot convert {text} to OID: not a known object name or dotted OID"),
            )
        })
    })
}

/// Adds the names of a configuration's `oid_file` and `oid_section`, as
/// `openssl` does when it loads a configuration. Names that cannot be added
/// (most often because an earlier call added them) are skipped.
pub(crate) fn add_config_names(config: &Config) {
    let mut objects = OBJECTS.write().unwrap_or_else(PoisonError::into_inner);
    let _skipped = conf::apply_oid_config(config, &mut objects);
}

/// Adds an object name, as `OBJ_create` does: `oid` in dotted form, and a
/// short and a long name that no object has yet. Returns 1, or 0 when the
/// OID is not dotted text or a name is taken.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_obj_create(
    oid: *const c_char,
    short_name: *const c_char,
    long_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises NUL-terminated strings.
        let (oid, short_name, long_name) = unsafe {
            (
                text(oid, "oid")?,
                text(short_name, "short_name")?,
                text(long_name, "long_name")?,
            )
        };
        let mut objects = OBJECTS.write().unwrap_or_else(PoisonError::into_inner);
        objects.create(oid, short_name, long_name)
    })
}
