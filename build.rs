//! Link settings for cargo's libtsrs.so: the soname, and capi/tsrs.map, which
//! exports only the `tsrs_*` functions. rustc's own version script for a
//! cdylib takes precedence over the map's version node, so these symbols have
//! no version; `make build` links the versioned libtsrs.so.VERSION from
//! libtsrs.a with the same map.

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=capi/tsrs.map");
    if target_os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libtsrs.so.0");
        println!("cargo:rustc-cdylib-link-arg=-Wl,--version-script={manifest_dir}/capi/tsrs.map");
    }
}
