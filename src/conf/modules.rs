//! The library configuration of an openssl.cnf file: the section that the
//! default-section key `openssl_conf` names, whose keys name configuration
//! modules (`providers`, `alg_section`, `engines`, `random`, `ssl_conf`,
//! `oid_section`, `stbl_section`) and whose values name their sections.
//!
//! [`apply_modules`] runs them as OpenSSL 3.0's `CONF_modules_load` does
//! (`crypto/conf/conf_mod.c`): in file order, stopping at the first module
//! that fails, with the error-queue entries libcrypto raises. `openssl`
//! applies the default configuration file this way when it starts
//! ([`apply_default_config`]) and, for `-config FILE`, that file again after
//! reading it.
//!
//! Modules change process-wide state, as in libcrypto: the active providers
//! and default properties ([`crate::digest::providers`]) and the object
//! table passed in. Where a configuration requests something tsrs cannot do
//! and OpenSSL may do (a FIPS provider, a provider or engine from a shared
//! library), the result is [`ModuleError::Unsupported`] instead of a run
//! without it.

use std::path::Path;

use super::{Config, Entry, default_config_path, parse_list, parse_number};
use crate::asn1::Oid;
use crate::digest::providers::{Provider, State, with_state};
use crate::error::{Error, Reason, Record, lib};
use crate::oid::Objects;

/// The modules libcrypto 3.0 registers, in the order `module_find` searches
/// them (`OPENSSL_load_builtin_modules`).
const BUILTIN_MODULES: [&str; 7] = [
    "oid_section",
    "stbl_section",
    "engines",
    "alg_section",
    "ssl_conf",
    "providers",
    "random",
];

/// Library texts of OpenSSL's error queue that only this module uses.
const DSO_LIB: &str = "DSO support routines";
const ENGINE_LIB: &str = "engine routines";
const X509V3_LIB: &str = "X509 V3 routines";

/// The only engine built into Debian's libcrypto 3.0; the others are shared
/// libraries in the engines folder.
const BUILTIN_ENGINES: [&str; 1] = ["dynamic"];

/// A failure of the library configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleError {
    /// A failure OpenSSL reports too. [`Error::records`] contains the entries
    /// of its error queue, and the message explains them.
    Failed(Error),
    /// A configuration that OpenSSL may accept but tsrs cannot honour. The
    /// message states what and why, and there are no queue entries.
    Unsupported(Error),
}

impl ModuleError {
    /// Returns the error inside.
    pub fn error(&self) -> &Error {
        match self {
            ModuleError::Failed(error) | ModuleError::Unsupported(error) => error,
        }
    }
}

/// Returns whether `config_diagnostics` is a number other than 0, which makes
/// libcrypto treat a failing module of the default file as fatal.
pub fn diagnostics_enabled(config: &Config) -> bool {
    config
        .get(None, "config_diagnostics")
        .is_some_and(|value| parse_number(value) != 0)
}

/// Applies the default configuration file (`OPENSSL_CONF`, else the system
/// file) as libcrypto does when `openssl` starts (`OPENSSL_init_crypto` with
/// `OPENSSL_INIT_LOAD_CONFIG`).
///
/// A file that is missing or does not parse is skipped here, because the
/// command reports it when it reads the file itself. A module failure is
/// ignored, leaving the modules after it unapplied, unless the file sets
/// `config_diagnostics`: then it is returned with the entries the skipped
/// `.include` files left on the queue before it, and `openssl` stops with
/// `FATAL: Startup failure`. [`ModuleError::Unsupported`] is always returned.
pub fn apply_default_config(objects: &mut Objects) -> Result<(), ModuleError> {
    let path = default_config_path();
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    let Ok(config) = Config::load(&path) else {
        return Ok(());
    };
    match apply_modules(&config, objects) {
        Err(ModuleError::Failed(error)) => {
            if !diagnostics_enabled(&config) {
                log::debug!(
                    "ignoring the failed configuration of {}: {error}",
                    path.display()
                );
                return Ok(());
            }
            let queued = config.skipped_include_records().to_vec();
            Err(ModuleError::Failed(error.with_earlier_records(queued)))
        }
        other => other,
    }
}

/// Runs the modules of the section that `openssl_conf` names, as
/// `CONF_modules_load(config, NULL, 0)` does, which is what `openssl`
/// applies to a file given with `-config`. Object names go into `objects`,
/// provider settings into the process-wide provider state.
pub fn apply_modules(config: &Config, objects: &mut Objects) -> Result<(), ModuleError> {
    let environment = Environment::from_process();
    with_state(|state| {
        let mut loader = Loader {
            config,
            objects,
            state,
            environment: &environment,
        };
        loader.run()
    })
}

/// The environment variables that choose where libcrypto looks for shared
/// libraries.
#[derive(Debug, Clone, Default)]
struct Environment {
    /// `OPENSSL_MODULES`: the providers folder.
    modules: Option<String>,
    /// `OPENSSL_ENGINES`: the engines folder.
    engines: Option<String>,
}

impl Environment {
    fn from_process() -> Environment {
        Environment {
            modules: std::env::var("OPENSSL_MODULES").ok(),
            engines: std::env::var("OPENSSL_ENGINES").ok(),
        }
    }
}

/// Returns the folder `/usr/lib/ARCH-linux-gnu/LEAF`, where Debian's OpenSSL
/// 3.0 build loads shared libraries from (`MODULESDIR`, `ENGINESDIR`).
// NOTE: built from the Debian multiarch layout; other builds use other folders.
fn debian_library_folder(leaf: &str) -> String {
    format!("/usr/lib/{}-linux-gnu/{leaf}", std::env::consts::ARCH)
}

/// Returns the folder providers load from: `-provider-path`, else
/// `OPENSSL_MODULES`, else libcrypto's `MODULESDIR`.
pub fn provider_folder() -> String {
    let environment = Environment::from_process();
    with_state(|state| provider_folder_in(state, &environment))
}

fn provider_folder_in(state: &State, environment: &Environment) -> String {
    state
        .search_path()
        .map(str::to_owned)
        .or_else(|| environment.modules.clone())
        .unwrap_or_else(|| debian_library_folder("ossl-modules"))
}

/// Returns the file libcrypto loads for a shared library called `name` in
/// `folder`: `name.so` unless the name has a `/` (`DSO_convert_filename` with
/// `DSO_FLAG_NAME_TRANSLATION_EXT_ONLY`), then placed in `folder`.
pub fn shared_library_path(folder: &str, name: &str) -> String {
    let file = if name.contains('/') {
        name.to_owned()
    } else {
        format!("{name}.so")
    };
    merged_library_path(folder, &file)
}

/// Returns `file` relative to `folder` unless it is absolute (`DSO_merge`).
fn merged_library_path(folder: &str, file: &str) -> String {
    if file.starts_with('/') {
        file.to_owned()
    } else {
        format!("{folder}/{file}")
    }
}

/// Returns the entries `DSO_load` raises when `dlopen(file)` finds no file.
pub fn missing_library_records(file: &str) -> Vec<Record> {
    vec![
        Record::new(
            DSO_LIB,
            "dlfcn_load",
            "could not load the shared library",
            format!(
                "filename({file}): {file}: cannot open shared object file: No such file or directory"
            ),
        ),
        Record::new(DSO_LIB, "DSO_load", "could not load the shared library", ""),
    ]
}

/// The failure of one module's initialisation.
enum InitError {
    /// OpenSSL fails too, with these queue entries. The text explains them.
    Failed(Vec<Record>, String),
    /// OpenSSL may do what tsrs cannot. The text explains why.
    Unsupported(String),
}

impl InitError {
    fn failed(record: Record, explanation: impl Into<String>) -> InitError {
        InitError::Failed(vec![record], explanation.into())
    }
}

struct Loader<'a> {
    config: &'a Config,
    objects: &'a mut Objects,
    state: &'a mut State,
    environment: &'a Environment,
}

impl<'a> Loader<'a> {
    fn run(&mut self) -> Result<(), ModuleError> {
        let Some(section_name) = self.config.get(None, "openssl_conf") else {
            return Ok(());
        };
        let Some(modules) = self.config.section(section_name) else {
            let error = Error::new(
                Reason::ConfigMissing,
                format!(
                    "openssl_conf names the section [{section_name}], which the file does not have"
                ),
            )
            .with_record(
                lib::CONF,
                "CONF_modules_load",
                "openssl conf references missing section",
                format!("openssl_conf={section_name}"),
            );
            return Err(ModuleError::Failed(error));
        };
        for entry in modules {
            self.run_module(entry)?;
        }
        Ok(())
    }

    /// `module_run`: finds the module by name and initialises it.
    fn run_module(&mut self, entry: &Entry) -> Result<(), ModuleError> {
        let name = entry.name();
        let value = entry.value();
        let Some(module) = find_module(name) else {
            return Err(ModuleError::Failed(self.unknown_module(name, value)));
        };
        let outcome = match module {
            "oid_section" => self.init_oid_section(value),
            "stbl_section" => self.init_string_table(value),
            "engines" => self.init_engines(value),
            "alg_section" => self.init_algorithms(value),
            "ssl_conf" => self.init_ssl(value),
            "providers" => self.init_providers(value),
            _ => self.init_random(value),
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(InitError::Unsupported(message)) => Err(ModuleError::Unsupported(Error::new(
                Reason::NotSupported,
                message,
            ))),
            Err(InitError::Failed(records, explanation)) => {
                let error = Error::new(
                    Reason::ConfigBadValue,
                    format!("the {module} module ({name} = {value}) failed: {explanation}"),
                )
                .with_earlier_records(records)
                .with_record(
                    lib::CONF,
                    "module_run",
                    "module initialization error",
                    format!("module={name}, value={value} retcode={:<8}", -1),
                );
                Err(ModuleError::Failed(error))
            }
        }
    }

    /// Returns the failure for a name no built-in module has. libcrypto then
    /// tries a shared library named by the module section's `path` key, or by
    /// the name itself. tsrs loads no shared library and reports the failure
    /// OpenSSL reports when the library does not exist.
    fn unknown_module(&self, name: &str, value: &str) -> Error {
        let path = self.config.get(Some(value), "path").unwrap_or(name);
        let file = if path.contains('/') {
            path.to_owned()
        } else {
            format!("lib{path}.so")
        };
        Error::new(
            Reason::ConfigBadValue,
            format!(
                "{name} is not a configuration module (they are {}); tsrs does not load \
                 modules from shared libraries",
                BUILTIN_MODULES.join(", ")
            ),
        )
        .with_earlier_records(missing_library_records(&file))
        .with_record(
            lib::CONF,
            "module_load_dso",
            "error loading dso",
            format!("module={name}, path={path}"),
        )
        .with_record(
            lib::CONF,
            "module_run",
            "unknown module name",
            format!("module={name}"),
        )
    }

    fn section(&self, name: &str) -> Option<&'a [Entry]> {
        let config: &'a Config = self.config;
        config.section(name)
    }

    /// `oid_module_init`: each `name = OID` or `name = long name, OID` line
    /// creates an object, as `OBJ_create` does.
    fn init_oid_section(&mut self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            return Err(missing_section(
                lib::ASN1,
                "oid_module_init",
                "error loading section",
                section_name,
            ));
        };
        for entry in entries {
            if let Err(mut records) = create_object(self.objects, entry.name(), entry.value()) {
                records.push(Record::new(
                    lib::ASN1,
                    "oid_module_init",
                    "adding object",
                    "",
                ));
                let explanation = format!(
                    "cannot create the object {} = {} (a name or OID that is already known, \
                     or a value that is not a dotted OID)",
                    entry.name(),
                    entry.value()
                );
                return Err(InitError::Failed(records, explanation));
            }
        }
        Ok(())
    }

    /// `stbl_module_init`: string table entries (`commonName = min:1,max:64`).
    /// They only change how text becomes ASN.1 strings, which `ts` never
    /// does, so tsrs checks them and keeps nothing.
    fn init_string_table(&self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            return Err(missing_section(
                lib::ASN1,
                "stbl_module_init",
                "error loading section",
                section_name,
            ));
        };
        for entry in entries {
            if let Err(mut records) =
                check_string_table_entry(self.objects, entry.name(), entry.value())
            {
                records.push(Record::new(
                    lib::ASN1,
                    "stbl_module_init",
                    "invalid value",
                    "",
                ));
                let explanation = format!(
                    "invalid string table entry {} = {}: it needs a known object name and \
                     min:N, max:N, mask:TYPES or flags:nomask|none items",
                    entry.name(),
                    entry.value()
                );
                return Err(InitError::Failed(records, explanation));
            }
        }
        Ok(())
    }

    /// `alg_module_init`: `fips_mode` and `default_properties`.
    fn init_algorithms(&mut self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            return Err(missing_section(
                lib::EVP,
                "alg_module_init",
                "error loading section",
                section_name,
            ));
        };
        for entry in entries {
            let (name, value) = (entry.name(), entry.value());
            let result = match name {
                "fips_mode" => {
                    let enabled = parse_bool(name, value)?;
                    self.state
                        .merge_default_properties(if enabled { "fips=yes" } else { "-fips" })
                }
                "default_properties" => {
                    self.state
                        .set_default_properties(value)
                        .map_err(|mut records| {
                            records.push(Record::new(
                                lib::EVP,
                                "evp_set_default_properties_int",
                                "default query parse error",
                                "",
                            ));
                            records
                        })
                }
                _ => {
                    let record = Record::new(
                        lib::EVP,
                        "alg_module_init",
                        "unknown option",
                        format!("name={name}, value={value}"),
                    );
                    let explanation = format!(
                        "{name} is not an alg_section key; use default_properties or fips_mode"
                    );
                    return Err(InitError::failed(record, explanation));
                }
            };
            if let Err(mut records) = result {
                records.push(Record::new(
                    lib::EVP,
                    "alg_module_init",
                    "set default property failure",
                    "",
                ));
                let explanation = format!("{name} = {value} is not a valid property query");
                return Err(InitError::Failed(records, explanation));
            }
        }
        Ok(())
    }

    /// `ssl_module_init`: the sections of TLS settings, which `ts` never
    /// uses. tsrs checks that each named section exists and is not empty.
    fn init_ssl(&self, section_name: &str) -> Result<(), InitError> {
        let lists = self.section(section_name).unwrap_or_default();
        if lists.is_empty() {
            let reason = match self.section(section_name) {
                None => "ssl section not found",
                Some(_) => "ssl section empty",
            };
            let record = Record::new(
                lib::CONF,
                "ssl_module_init",
                reason,
                format!("section={section_name}"),
            );
            return Err(InitError::failed(
                record,
                format!("the ssl_conf section [{section_name}] is missing or empty"),
            ));
        }
        for list in lists {
            let commands = self.section(list.value()).unwrap_or_default();
            if commands.is_empty() {
                let reason = match self.section(list.value()) {
                    None => "ssl command section not found",
                    Some(_) => "ssl command section empty",
                };
                let record = Record::new(
                    lib::CONF,
                    "ssl_module_init",
                    reason,
                    format!("name={}, value={}", list.name(), list.value()),
                );
                let explanation = format!(
                    "the ssl_conf command section [{}] is missing or empty",
                    list.value()
                );
                return Err(InitError::failed(record, explanation));
            }
        }
        Ok(())
    }

    /// `random_conf_init`: the random generator settings. Unknown keys fail
    /// the module, but only after the keys after them are read.
    fn init_random(&mut self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            return Err(missing_section(
                lib::CRYPTO,
                "random_conf_init",
                "random section error",
                section_name,
            ));
        };
        let mut unknown = Vec::new();
        for entry in entries {
            let (name, value) = (entry.name(), entry.value());
            match name.to_ascii_lowercase().as_str() {
                "random" => self.state.set_random_generator(Some(value), None),
                "properties" => self.state.set_random_generator(None, Some(value)),
                "cipher" => self.state.set_random_cipher(value),
                // NOTE: tsrs draws random bytes from the operating system, so
                // the DRBG digest and seed source change nothing.
                "digest" | "seed" | "seed_properties" => {
                    log::debug!("random section: {name} = {value} has no effect in tsrs");
                }
                _ => unknown.push(Record::new(
                    lib::CRYPTO,
                    "random_conf_init",
                    "unknown name in random section",
                    format!("name={name}, value={value}"),
                )),
            }
        }
        if unknown.is_empty() {
            return Ok(());
        }
        let explanation = "the random section takes random, cipher, digest, properties, seed \
                           and seed_properties";
        Err(InitError::Failed(unknown, explanation.to_owned()))
    }

    /// `provider_conf_init`: each `NAME = SECTION` line configures a provider.
    fn init_providers(&mut self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            let record = Record::new(
                lib::CRYPTO,
                "provider_conf_init",
                "provider section error",
                "",
            );
            let explanation = format!("the providers section [{section_name}] does not exist");
            return Err(InitError::failed(record, explanation));
        };
        for entry in entries {
            self.configure_provider(section_name, entry)?;
        }
        Ok(())
    }

    /// `provider_conf_load`. Activating a provider that cannot be loaded is
    /// not an error in OpenSSL 3.0: the fallback to the default provider is
    /// turned off all the same.
    fn configure_provider(&mut self, list_section: &str, entry: &Entry) -> Result<(), InitError> {
        let section_name = entry.value();
        let Some(commands) = self.section(section_name) else {
            let record = Record::new(
                lib::CRYPTO,
                "provider_conf_load",
                "provider section error",
                format!("section={section_name} not found"),
            );
            let explanation = format!(
                "the provider section [{section_name}] that {} names in [{list_section}] does not exist",
                entry.name()
            );
            return Err(InitError::failed(record, explanation));
        };
        let mut name = skip_dot(entry.name()).to_owned();
        let mut soft = false;
        let mut module_path = None;
        let mut activate = false;
        for command in commands {
            match skip_dot(command.name()) {
                "identity" => name = command.value().to_owned(),
                "soft_load" => soft = true,
                "module" => module_path = Some(command.value().to_owned()),
                // OpenSSL 3.0 activates whatever the value, `activate = 0` included.
                "activate" => activate = true,
                _ => {}
            }
        }
        if activate {
            // The fallback is off even when the parameters below fail.
            self.state.disable_fallback();
        }
        let mut visited = Vec::new();
        check_provider_parameters(self.config, None, section_name, &mut visited)?;
        if activate {
            self.activate_provider(&name, section_name, module_path.as_deref(), soft)?;
        }
        Ok(())
    }

    fn activate_provider(
        &mut self,
        name: &str,
        section_name: &str,
        module_path: Option<&str>,
        soft: bool,
    ) -> Result<(), InitError> {
        let folder = provider_folder_in(self.state, self.environment);
        // A `module` path is used as written, a provider name is converted.
        let file = match module_path {
            Some(path) => merged_library_path(&folder, path),
            None => shared_library_path(&folder, name),
        };
        let file_exists = Path::new(&file).exists();
        match Provider::from_name(name) {
            // The legacy provider is a shared library in OpenSSL, so its
            // activation fails where that file does not exist.
            Some(Provider::Legacy) if !file_exists => {
                log::debug!("provider legacy: {file} does not exist; not activated");
            }
            Some(provider) => self.state.activate(provider),
            None if name == "fips" && !soft => {
                return Err(InitError::Unsupported(format!(
                    "the configuration activates the fips provider (section [{section_name}]), \
                     and tsrs has no FIPS provider: it cannot run in FIPS mode. Remove the \
                     fips activation, or use OpenSSL with its FIPS module"
                )));
            }
            None if file_exists && !soft => {
                return Err(InitError::Unsupported(format!(
                    "the configuration activates the provider {name} (section [{section_name}]) \
                     from {file}, and tsrs cannot load providers from shared libraries; it \
                     implements only the default, base and legacy providers"
                )));
            }
            None => {
                log::debug!("provider {name}: not available in tsrs; not activated");
            }
        }
        Ok(())
    }

    /// `int_engine_module_init`: each `NAME = SECTION` line configures an engine.
    fn init_engines(&mut self, section_name: &str) -> Result<(), InitError> {
        let Some(entries) = self.section(section_name) else {
            let record = Record::new(
                ENGINE_LIB,
                "int_engine_module_init",
                "engines section error",
                "",
            );
            let explanation = format!("the engines section [{section_name}] does not exist");
            return Err(InitError::failed(record, explanation));
        };
        for entry in entries {
            self.configure_engine(entry)?;
        }
        Ok(())
    }

    /// `int_engine_configure`. tsrs has no engines, so an engine that OpenSSL
    /// would find is unsupported, and one it would not find fails as in
    /// OpenSSL. A section without commands loads nothing, in both.
    fn configure_engine(&self, entry: &Entry) -> Result<(), InitError> {
        let section_name = entry.value();
        let Some(commands) = self.section(section_name) else {
            let record = Record::new(
                ENGINE_LIB,
                "int_engine_configure",
                "engine section error",
                "",
            );
            let explanation = format!("the engine section [{section_name}] does not exist");
            return Err(InitError::failed(record, explanation));
        };
        let mut id = skip_dot(entry.name()).to_owned();
        let mut soft = false;
        for command in commands {
            let configuration_error = Record::new(
                ENGINE_LIB,
                "int_engine_configure",
                "engine configuration error",
                format!(
                    "section={section_name}, name={}, value={}",
                    command.name(),
                    command.value()
                ),
            );
            match skip_dot(command.name()) {
                "engine_id" => id = command.value().to_owned(),
                "soft_load" => soft = true,
                "dynamic_path" => {
                    let file = command.value();
                    if Path::new(file).exists() {
                        return Err(unsupported_engine(&id, section_name));
                    }
                    let mut records = missing_library_records(file);
                    records.push(Record::new(ENGINE_LIB, "dynamic_load", "dso not found", ""));
                    records.push(configuration_error);
                    let explanation = format!(
                        "the engine library {file} does not exist, and tsrs does not support engines"
                    );
                    return Err(InitError::Failed(records, explanation));
                }
                _ => {
                    if self.engine_exists(&id) {
                        return Err(unsupported_engine(&id, section_name));
                    }
                    if soft {
                        return Ok(());
                    }
                    let mut records = missing_library_records(&self.engine_file(&id));
                    records.push(Record::new(ENGINE_LIB, "dynamic_load", "dso not found", ""));
                    records.push(Record::new(
                        ENGINE_LIB,
                        "ENGINE_by_id",
                        "no such engine",
                        format!("id={id}"),
                    ));
                    records.push(configuration_error);
                    let explanation =
                        format!("there is no engine {id}, and tsrs does not support engines");
                    return Err(InitError::Failed(records, explanation));
                }
            }
        }
        Ok(())
    }

    /// Returns the file `ENGINE_by_id` loads an engine from when it is not built in.
    fn engine_file(&self, id: &str) -> String {
        let folder = self
            .environment
            .engines
            .clone()
            .unwrap_or_else(|| debian_library_folder("engines-3"));
        shared_library_path(&folder, id)
    }

    fn engine_exists(&self, id: &str) -> bool {
        BUILTIN_ENGINES.contains(&id) || Path::new(&self.engine_file(id)).exists()
    }
}

fn unsupported_engine(id: &str, section_name: &str) -> InitError {
    InitError::Unsupported(format!(
        "the configuration loads the engine {id} (section [{section_name}]), and tsrs does not \
         support engines. Remove the engines line from the openssl_conf section"
    ))
}

/// `module_find`: the first built-in module whose name starts with `name`
/// up to its last dot, so `providers.2` and even `prov` find `providers`.
fn find_module(name: &str) -> Option<&'static str> {
    let prefix = match name.rfind('.') {
        Some(dot) => &name[..dot],
        None => name,
    };
    BUILTIN_MODULES
        .into_iter()
        .find(|module| module.starts_with(prefix))
}

/// Drops everything up to the first dot, as the provider and engine modules
/// read their keys (`legacy.1` is `1`, not `legacy`).
fn skip_dot(name: &str) -> &str {
    match name.find('.') {
        Some(dot) => &name[dot + 1..],
        None => name,
    }
}

fn missing_section(
    library: &'static str,
    function: &'static str,
    reason: &'static str,
    section_name: &str,
) -> InitError {
    let record = Record::new(library, function, reason, "");
    InitError::failed(
        record,
        format!("the section [{section_name}] does not exist"),
    )
}

/// `X509V3_get_value_bool`.
fn parse_bool(name: &str, value: &str) -> Result<bool, InitError> {
    match value {
        "TRUE" | "true" | "Y" | "y" | "YES" | "yes" => Ok(true),
        "FALSE" | "false" | "N" | "n" | "NO" | "no" => Ok(false),
        _ => {
            let record = Record::new(
                X509V3_LIB,
                "X509V3_get_value_bool",
                "invalid boolean string",
                format!("name={name}, value={value}"),
            );
            Err(InitError::failed(
                record,
                format!("{name} takes yes or no, not {value:?}"),
            ))
        }
    }
}

/// The deepest nesting of provider parameter sections followed; libcrypto
/// stops at names of 512 bytes, which bounds the nesting the same way.
const MAX_PARAMETER_NAME: usize = 511;

/// `provider_conf_params`: a parameter whose value names a section stands
/// for that section's parameters, nested. Following an entry that is
/// already being followed is a recursive reference and fails the module,
/// and so, without an error-queue entry, does a name longer than 511 bytes.
fn check_provider_parameters(
    config: &Config,
    name: Option<&str>,
    value: &str,
    visited: &mut Vec<(String, usize)>,
) -> Result<(), InitError> {
    let Some(entries) = config.section(value) else {
        return Ok(());
    };
    for (index, entry) in entries.iter().enumerate() {
        let key = (value.to_owned(), index);
        let nested_name = match name {
            Some(name) => format!("{name}.{}", entry.name()),
            None => entry.name().to_owned(),
        };
        if nested_name.len() > MAX_PARAMETER_NAME {
            return Err(InitError::Failed(
                Vec::new(),
                format!(
                    "the provider parameter name {nested_name} is longer than {MAX_PARAMETER_NAME} bytes"
                ),
            ));
        }
        if config.section(entry.value()).is_none() {
            continue;
        }
        if visited.contains(&key) {
            let record = Record::new(
                lib::CONF,
                "provider_conf_params_internal",
                "recursive section reference",
                "",
            );
            let explanation = format!(
                "the provider parameters refer back to section [{}]",
                entry.value()
            );
            return Err(InitError::failed(record, explanation));
        }
        visited.push(key);
        let result = check_provider_parameters(config, Some(&nested_name), entry.value(), visited);
        visited.pop();
        result?;
    }
    Ok(())
}

/// `do_create` then `OBJ_create`: `value` is a dotted OID, or a long name,
/// a comma and a dotted OID. On failure, returns the queue entries.
fn create_object(objects: &mut Objects, name: &str, value: &str) -> Result<(), Vec<Record>> {
    let (long_name, dotted) = match value.rfind(',') {
        None => (name.to_owned(), value),
        Some(0) => (name.to_owned(), &value[1..]),
        Some(comma) => {
            let dotted = value[comma + 1..].trim_start_matches(is_c_space);
            let long_name = value[..comma].trim_matches(is_c_space);
            if value[comma + 1..].is_empty() || long_name.is_empty() {
                return Err(Vec::new());
            }
            (long_name.to_owned(), dotted)
        }
    };
    obj_create(objects, dotted, name, &long_name)
}

/// `OBJ_create(dotted, short_name, long_name)`: fails when either name is
/// taken, when the OID text does not parse or when the OID already has a
/// name, returning the error-queue entries.
pub(super) fn obj_create(
    objects: &mut Objects,
    dotted: &str,
    short_name: &str,
    long_name: &str,
) -> Result<(), Vec<Record>> {
    let name_taken =
        |text: &str| Oid::parse_dotted(text).is_none() && objects.resolve_oid(text).is_some();
    if name_taken(short_name) || name_taken(long_name) {
        return Err(vec![oid_exists()]);
    }
    match encoded_oid_length(dotted) {
        Err(reason) => {
            return Err(vec![Record::new(lib::ASN1, "a2d_ASN1_OBJECT", reason, "")]);
        }
        Ok(0) => return Err(Vec::new()),
        Ok(_) => {}
    }
    if Oid::parse_dotted(dotted).is_none() {
        // The check above accepts what parse_dotted reads, so this is a guard.
        return Err(Vec::new());
    }
    objects
        .create(dotted, short_name, long_name)
        .map_err(|_| vec![oid_exists()])
}

fn oid_exists() -> Record {
    Record::new(lib::OBJ, "OBJ_create", "oid exists", "")
}

/// `isspace` in the C locale.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Checks dotted OID text as `a2d_ASN1_OBJECT` reads it: a first arc of 0,
/// 1 or 2, then arcs separated by `.` or a space. Returns the number of
/// arcs after the first, which is 0 (an error without a queue entry) for
/// text like `1.`, or the reason libcrypto raises.
fn encoded_oid_length(text: &str) -> Result<usize, &'static str> {
    let bytes = text.as_bytes();
    let first = match bytes.first() {
        Some(&digit @ b'0'..=b'2') => digit - b'0',
        _ => return Err("first num too large"),
    };
    let rest = bytes.get(1..).unwrap_or_default();
    let Some((&separator, mut arcs_text)) = rest.split_first() else {
        return Err("missing second number");
    };
    let mut separator = separator;
    let mut count = 0;
    while !arcs_text.is_empty() {
        if separator != b'.' && separator != b' ' {
            return Err("invalid separator");
        }
        let end = arcs_text
            .iter()
            .position(|&b| b == b'.' || b == b' ')
            .unwrap_or(arcs_text.len());
        let (arc, after) = arcs_text.split_at(end);
        if arc.iter().any(|b| !b.is_ascii_digit()) {
            return Err("invalid digit");
        }
        if count == 0 && first < 2 && arc_at_least_40(arc) {
            return Err("second number too large");
        }
        count += 1;
        match after.split_first() {
            Some((&next, remaining)) => {
                separator = next;
                arcs_text = remaining;
            }
            None => break,
        }
    }
    Ok(count)
}

fn arc_at_least_40(digits: &[u8]) -> bool {
    let significant: &[u8] = match digits.iter().position(|&b| b != b'0') {
        Some(start) => &digits[start..],
        None => &[],
    };
    significant.len() > 2 || (significant.len() == 2 && significant >= b"40".as_slice())
}

/// `do_tcreate`: `name` must be a known object, and `value` a list of
/// `min:N`, `max:N`, `mask:TYPES` and `flags:nomask|none` items.
fn check_string_table_entry(objects: &Objects, name: &str, value: &str) -> Result<(), Vec<Record>> {
    let invalid =
        |data: String| Record::new(lib::ASN1, "do_tcreate", "invalid string table value", data);
    let whole = || invalid(format!("name={name}, value={value}"));
    let known = Oid::parse_dotted(name).is_none() && objects.resolve_oid(name).is_some();
    if !known {
        return Err(vec![whole()]);
    }
    let Some(items) = parse_list(value) else {
        let reason = if value.contains(':') && value.trim_end().ends_with(':') {
            "invalid null value"
        } else {
            "invalid empty name"
        };
        return Err(vec![
            Record::new(X509V3_LIB, "X509V3_parse_list", reason, ""),
            whole(),
        ]);
    };
    for (field, item_value) in items {
        let Some(item_value) = item_value else {
            return Err(vec![invalid(format!("field={field}, value={value}"))]);
        };
        let valid = match field.as_str() {
            "min" | "max" => parse_c_unsigned(&item_value).is_some(),
            "mask" => is_string_mask(&item_value),
            "flags" => item_value == "nomask" || item_value == "none",
            _ => false,
        };
        if !valid {
            return Err(vec![invalid(format!("field={field}, value={item_value}"))]);
        }
    }
    Ok(())
}

/// `strtoul(text, &end, 0)` that must consume the whole text: decimal, octal
/// with a leading 0, or hexadecimal with 0x, after optional spaces and sign.
fn parse_c_unsigned(text: &str) -> Option<u64> {
    let text = text.trim_start_matches(is_c_space);
    let text = text
        .strip_prefix('+')
        .or_else(|| text.strip_prefix('-'))
        .unwrap_or(text);
    let (digits, radix) =
        if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (hex, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            (&text[1..], 8)
        } else {
            (text, 10)
        };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `ASN1_str2mask`: string type names separated by `|`, each one whose
/// universal tag has a bit in `ASN1_tag2bit`, or `DIR`.
fn is_string_mask(text: &str) -> bool {
    const TYPE_NAMES: [&str; 25] = [
        "DIR",
        "OCT",
        "OCTETSTRING",
        "BITSTR",
        "BITSTRING",
        "UNIVERSALSTRING",
        "UNIV",
        "IA5",
        "IA5STRING",
        "UTF8",
        "UTF8String",
        "BMP",
        "BMPSTRING",
        "VISIBLESTRING",
        "VISIBLE",
        "PRINTABLESTRING",
        "PRINTABLE",
        "T61",
        "T61STRING",
        "TELETEXSTRING",
        "GeneralString",
        "GENSTR",
        "NUMERIC",
        "NUMERICSTRING",
        "SEQUENCE",
    ];
    const TIME_NAMES: [&str; 5] = ["UTCTIME", "UTC", "GENERALIZEDTIME", "GENTIME", "SEQ"];
    text.split('|').all(|token| {
        let token = token.trim_matches(is_c_space);
        TYPE_NAMES.contains(&token) || TIME_NAMES.contains(&token)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Outcome {
        result: Result<(), ModuleError>,
        state: State,
        objects: Objects,
    }

    fn apply_text(text: &str, environment: &Environment) -> Outcome {
        let config = Config::parse(text, Path::new("modules.cnf")).unwrap();
        let mut state = State::new();
        let mut objects = Objects::new();
        let result = Loader {
            config: &config,
            objects: &mut objects,
            state: &mut state,
            environment,
        }
        .run();
        Outcome {
            result,
            state,
            objects,
        }
    }

    fn apply(text: &str) -> Outcome {
        let environment = Environment {
            modules: Some("/nonexistent-tsrs/modules".into()),
            engines: Some("/nonexistent-tsrs/engines".into()),
        };
        apply_text(text, &environment)
    }

    /// Applies `text` with a provider folder that contains an empty
    /// `legacy.so`, which lets the legacy provider activate.
    fn apply_with_legacy_library(text: &str, test_name: &str) -> Outcome {
        let folder =
            std::env::temp_dir().join(format!("tsrs-modules-{test_name}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("legacy.so"), b"").unwrap();
        let environment = Environment {
            modules: Some(folder.display().to_string()),
            engines: None,
        };
        let outcome = apply_text(text, &environment);
        std::fs::remove_dir_all(&folder).unwrap();
        outcome
    }

    fn failure_lines(text: &str) -> Vec<String> {
        match apply(text).result {
            Err(ModuleError::Failed(error)) => error
                .records()
                .iter()
                .map(|r| format!("{}:{}:{}", r.function, r.reason, r.data))
                .collect(),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    fn unsupported(text: &str) -> String {
        match apply(text).result {
            Err(ModuleError::Unsupported(error)) => error.message().to_owned(),
            other => panic!("expected an unsupported configuration, got {other:?}"),
        }
    }

    const INIT: &str = "openssl_conf = init\n[init]\n";

    #[test]
    fn no_openssl_conf_does_nothing() {
        assert!(apply("a = 1\n").result.is_ok());
    }

    #[test]
    fn missing_init_section_fails() {
        assert_eq!(
            failure_lines("openssl_conf = nosuch\n"),
            ["CONF_modules_load:openssl conf references missing section:openssl_conf=nosuch"]
        );
    }

    #[test]
    fn unknown_module_tries_shared_library() {
        assert_eq!(
            failure_lines(&format!("{INIT}foo = bar\n")),
            [
                "dlfcn_load:could not load the shared library:filename(libfoo.so): libfoo.so: \
                 cannot open shared object file: No such file or directory",
                "DSO_load:could not load the shared library:",
                "module_load_dso:error loading dso:module=foo, path=foo",
                "module_run:unknown module name:module=foo",
            ]
        );
    }

    #[test]
    fn module_names_match_by_prefix() {
        assert_eq!(find_module("providers"), Some("providers"));
        assert_eq!(find_module("prov"), Some("providers"));
        assert_eq!(find_module("providers.2"), Some("providers"));
        assert_eq!(find_module("s"), Some("stbl_section"));
        assert_eq!(find_module("ssl"), Some("ssl_conf"));
        assert_eq!(find_module("providersx"), None);
        assert_eq!(find_module(".x"), Some("oid_section"));
    }

    #[test]
    fn missing_provider_section_fails() {
        assert_eq!(
            failure_lines(&format!("{INIT}providers = nosuch\n")),
            [
                "provider_conf_init:provider section error:",
                "module_run:module initialization error:module=providers, value=nosuch retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!("{INIT}providers = p\n[p]\nfips = fips_sect\n")),
            [
                "provider_conf_load:provider section error:section=fips_sect not found",
                "module_run:module initialization error:module=providers, value=p retcode=-1      ",
            ]
        );
    }

    #[test]
    fn providers_activate() {
        let outcome = apply_with_legacy_library(
            &format!(
                "{INIT}providers = p\n[p]\nlegacy = l\ndefault = d\n[l]\nactivate = 1\n[d]\nactivate = 0\n"
            ),
            "activate",
        );
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(state.fetch(&[Provider::Legacy], None));
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn legacy_without_library_not_activated() {
        let outcome = apply(&format!(
            "{INIT}providers = p\n[p]\nlegacy = l\ndefault = d\n[l]\nactivate = 1\n[d]\nactivate = 1\n"
        ));
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(!state.fetch(&[Provider::Legacy], None));
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn unloadable_provider_disables_fallback() {
        let outcome = apply(&format!(
            "{INIT}providers = p\n[p]\nfoo = f\n[f]\nactivate = 1\n"
        ));
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(!state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn inactive_provider_changes_nothing() {
        let outcome = apply(&format!("{INIT}providers = p\n[p]\nfoo = f\n[f]\nx = 1\n"));
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn fips_activation_unsupported() {
        let message = unsupported(&format!(
            "{INIT}providers = p\n[p]\ndefault = d\nfips = f\n[d]\nactivate = 1\n[f]\nactivate = 1\n"
        ));
        assert!(message.contains("no FIPS provider"), "{message}");
        let soft = apply(&format!(
            "{INIT}providers = p\n[p]\nfips = f\n[f]\nactivate = 1\nsoft_load = 1\n"
        ));
        assert!(soft.result.is_ok());
    }

    #[test]
    fn identity_renames_provider() {
        let outcome = apply_with_legacy_library(
            &format!("{INIT}providers = p\n[p]\nold = s\n[s]\nidentity = legacy\nactivate = 1\n"),
            "identity",
        );
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(state.fetch(&[Provider::Legacy], None));
    }

    #[test]
    fn recursive_provider_parameters_fail() {
        assert_eq!(
            failure_lines(&format!(
                "{INIT}providers = p\n[p]\ndefault = d\n[d]\nactivate = 1\nnested = n\n[n]\nback = n\n"
            )),
            [
                "provider_conf_params_internal:recursive section reference:",
                "module_run:module initialization error:module=providers, value=p retcode=-1      ",
            ]
        );
    }

    #[test]
    fn shared_library_provider_unsupported() {
        let folder = std::env::temp_dir().join(format!("tsrs-modules-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("foo.so"), b"").unwrap();
        let environment = Environment {
            modules: Some(folder.display().to_string()),
            engines: None,
        };
        let outcome = apply_text(
            &format!("{INIT}providers = p\n[p]\nfoo = f\n[f]\nactivate = 1\n"),
            &environment,
        );
        std::fs::remove_dir_all(&folder).unwrap();
        assert!(matches!(outcome.result, Err(ModuleError::Unsupported(_))));
    }

    #[test]
    fn alg_section_sets_default_properties() {
        let outcome = apply(&format!(
            "{INIT}alg_section = a\n[a]\ndefault_properties = fips=yes\n"
        ));
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(!state.fetch(&[Provider::Default], None));
        let outcome = apply(&format!("{INIT}alg_section = a\n[a]\nfips_mode = no\n"));
        let mut state = outcome.state;
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn alg_section_errors_match_openssl() {
        assert_eq!(
            failure_lines(&format!(
                "{INIT}alg_section = a\n[a]\ndefault_properties = fips==\n"
            )),
            [
                "ossl_parse_query:trailing characters:HERE-->=",
                "evp_set_default_properties_int:default query parse error:",
                "alg_module_init:set default property failure:",
                "module_run:module initialization error:module=alg_section, value=a retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!("{INIT}alg_section = a\n[a]\nfips_mode = maybe\n")),
            [
                "X509V3_get_value_bool:invalid boolean string:name=fips_mode, value=maybe",
                "module_run:module initialization error:module=alg_section, value=a retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!("{INIT}alg_section = a\n[a]\nfoo = bar\n")),
            [
                "alg_module_init:unknown option:name=foo, value=bar",
                "module_run:module initialization error:module=alg_section, value=a retcode=-1      ",
            ]
        );
    }

    #[test]
    fn engines_fail_or_unsupported() {
        assert_eq!(
            failure_lines(&format!(
                "{INIT}engines = e\n[e]\nfoo = f\n[f]\ndefault_algorithms = ALL\n"
            )),
            [
                "dlfcn_load:could not load the shared library:filename(/nonexistent-tsrs/engines/foo.so): \
                 /nonexistent-tsrs/engines/foo.so: cannot open shared object file: No such file or directory",
                "DSO_load:could not load the shared library:",
                "dynamic_load:dso not found:",
                "ENGINE_by_id:no such engine:id=foo",
                "int_engine_configure:engine configuration error:section=f, name=default_algorithms, value=ALL",
                "module_run:module initialization error:module=engines, value=e retcode=-1      ",
            ]
        );
        let message = unsupported(&format!(
            "{INIT}engines = e\n[e]\ndynamic = f\n[f]\ninit = 1\n"
        ));
        assert!(message.contains("does not support engines"), "{message}");
        let empty = apply(&format!("{INIT}engines = e\n[e]\nfoo = f\n[f]\n"));
        assert!(empty.result.is_ok());
        let soft = apply(&format!(
            "{INIT}engines = e\n[e]\nfoo = f\n[f]\nsoft_load = 1\ninit = 1\n"
        ));
        assert!(soft.result.is_ok());
    }

    #[test]
    fn oid_section_creates_objects() {
        let outcome = apply(&format!(
            "{INIT}oid_section = o\n[o]\nmyPolicy = 1.2.3.4.1\nother = Some Long Name, 1.2.3.4.5.6\n"
        ));
        assert!(outcome.result.is_ok());
        let oid = Oid::parse_dotted("1.2.3.4.5.6").unwrap();
        assert_eq!(outcome.objects.text_oid(&oid), "Some Long Name");
        assert_eq!(
            failure_lines(&format!("{INIT}oid_section = o\n[o]\nfoo = notanoid\n")),
            [
                "a2d_ASN1_OBJECT:first num too large:",
                "oid_module_init:adding object:",
                "module_run:module initialization error:module=oid_section, value=o retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!("{INIT}oid_section = o\n[o]\nsha256 = 1.2.3.4\n")),
            [
                "OBJ_create:oid exists:",
                "oid_module_init:adding object:",
                "module_run:module initialization error:module=oid_section, value=o retcode=-1      ",
            ]
        );
    }

    #[test]
    fn oid_text_checked_as_libcrypto() {
        assert_eq!(encoded_oid_length("1.2.3"), Ok(2));
        assert_eq!(encoded_oid_length("1."), Ok(0));
        assert_eq!(encoded_oid_length("3.1"), Err("first num too large"));
        assert_eq!(encoded_oid_length("1"), Err("missing second number"));
        assert_eq!(encoded_oid_length("12.3"), Err("invalid separator"));
        assert_eq!(encoded_oid_length("1.2x"), Err("invalid digit"));
        assert_eq!(encoded_oid_length("1.40"), Err("second number too large"));
        assert_eq!(encoded_oid_length("2.40"), Ok(1));
        assert_eq!(encoded_oid_length(""), Err("first num too large"));
    }

    #[test]
    fn ssl_and_random_sections_checked() {
        assert!(
            apply(&format!(
                "{INIT}ssl_conf = s\n[s]\nsystem_default = d\n[d]\nMinProtocol = TLSv1.2\n"
            ))
            .result
            .is_ok()
        );
        assert_eq!(
            failure_lines(&format!("{INIT}ssl_conf = s\n[s]\n")),
            [
                "ssl_module_init:ssl section empty:section=s",
                "module_run:module initialization error:module=ssl_conf, value=s retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!(
                "{INIT}random = r\n[r]\nfoo = bar\nrandom = CTR-DRBG\n"
            )),
            [
                "random_conf_init:unknown name in random section:name=foo, value=bar",
                "module_run:module initialization error:module=random, value=r retcode=-1      ",
            ]
        );
        let outcome = apply(&format!("{INIT}random = r\n[r]\nrandom = FOO\n"));
        assert!(outcome.result.is_ok());
        let mut state = outcome.state;
        assert!(state.fetch_random().is_err());
    }

    #[test]
    fn string_table_checked() {
        assert!(apply(&format!("{INIT}stbl_section = t\n[t]\ncommonName = min:1,max:0x40,mask:UTF8|BMP,flags:nomask\n")).result.is_ok());
        assert_eq!(
            failure_lines(&format!(
                "{INIT}stbl_section = t\n[t]\ncommonName = min:x\n"
            )),
            [
                "do_tcreate:invalid string table value:field=min, value=x",
                "stbl_module_init:invalid value:",
                "module_run:module initialization error:module=stbl_section, value=t retcode=-1      ",
            ]
        );
        assert_eq!(
            failure_lines(&format!("{INIT}stbl_section = t\n[t]\nfooName = min:1\n")),
            [
                "do_tcreate:invalid string table value:name=fooName, value=min:1",
                "stbl_module_init:invalid value:",
                "module_run:module initialization error:module=stbl_section, value=t retcode=-1      ",
            ]
        );
    }

    #[test]
    fn first_failure_stops_later_modules() {
        let outcome = apply(&format!(
            "{INIT}foo = bar\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n"
        ));
        assert!(outcome.result.is_err());
        let mut state = outcome.state;
        assert!(!state.fetch(&[Provider::Legacy], None));
    }

    #[test]
    fn diagnostics_read_as_number() {
        let enabled =
            |text: &str| diagnostics_enabled(&Config::parse(text, Path::new("d.cnf")).unwrap());
        assert!(enabled("config_diagnostics = 1\n"));
        assert!(enabled("config_diagnostics = 2x\n"));
        assert!(!enabled("config_diagnostics = 0\n"));
        assert!(!enabled("config_diagnostics = yes\n"));
        assert!(!enabled("a = 1\n"));
    }
}
