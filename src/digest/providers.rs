//! The providers active in this process, and the properties every fetch
//! must satisfy: the state OpenSSL 3.0 keeps in its default library context.
//!
//! tsrs implements the algorithms of OpenSSL's `default`, `base` and `legacy`
//! providers itself. As in OpenSSL, nothing is active at first, and the
//! first fetch loads the `default` provider as a fallback unless a provider
//! was activated before it ([`activate`], from `-provider` or a `providers`
//! configuration section). [`set_default_properties`] is `alg_section`'s
//! `default_properties`, which every later fetch must match.
//!
//! The state is process-wide, like OpenSSL's default library context, and
//! only `tsrs ts` changes it. A program that never calls the setters gets
//! the default provider, as a program linked with libcrypto does.

use std::sync::{Mutex, PoisonError};

use super::DigestAlgorithm;
use super::properties::{self, Query};
use crate::error::{Error, Reason, Record, lib};

/// A provider whose algorithms tsrs implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// OpenSSL's `default` provider: every digest except MD4 and whirlpool,
    /// the signature algorithms and the random generators.
    Default,
    /// OpenSSL's `base` provider: encoders and decoders only.
    Base,
    /// OpenSSL's `legacy` provider: MD4, whirlpool and RIPEMD-160 among the
    /// digests.
    Legacy,
}

impl Provider {
    /// Returns the provider OpenSSL loads under `name` (compared with case, as
    /// OpenSSL compares it), or `None` for a provider tsrs does not implement.
    pub fn from_name(name: &str) -> Option<Provider> {
        match name {
            "default" => Some(Provider::Default),
            "base" => Some(Provider::Base),
            "legacy" => Some(Provider::Legacy),
            _ => None,
        }
    }

    /// Returns the name OpenSSL loads the provider under.
    pub const fn name(self) -> &'static str {
        match self {
            Provider::Default => "default",
            Provider::Base => "base",
            Provider::Legacy => "legacy",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Provider::Default => 1,
            Provider::Base => 2,
            Provider::Legacy => 4,
        }
    }

    /// Returns the properties of the provider's algorithms, such as `provider=default`.
    fn definition(self) -> [(&'static str, &'static str); 1] {
        [("provider", self.name())]
    }
}

/// The random generators the default provider implements, by the names
/// `EVP_RAND_fetch` finds them under.
const DRBG_NAMES: [&str; 3] = ["CTR-DRBG", "HASH-DRBG", "HMAC-DRBG"];

/// The DRBG OpenSSL uses when the configuration names none.
const DEFAULT_DRBG: &str = "CTR-DRBG";

/// The cipher a CTR-DRBG uses when the configuration names none.
const DEFAULT_DRBG_CIPHER: &str = "AES-256-CTR";

/// `ERR_LIB_RAND`.
const RAND_LIB: &str = "random number generator";

/// `ERR_LIB_PROV`.
const PROVIDER_LIB: &str = "Provider routines";

/// The provider state; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// Bits of the providers activated explicitly.
    activated: u8,
    /// Whether the first fetch may still load the default provider.
    fallback_enabled: bool,
    /// Whether a fetch loaded the default provider as a fallback.
    fallback_loaded: bool,
    /// The parsed default properties and the text they came from.
    default_properties: Option<(Query, String)>,
    /// Values that parsing the default properties created, which later
    /// queries can then match.
    created_values: Vec<String>,
    /// `-propquery`, which `opt_md` passes to its fetch.
    application_query: Option<String>,
    /// The `random`, `properties` and `cipher` keys of a `random`
    /// configuration section.
    drbg_name: Option<String>,
    drbg_properties: Option<String>,
    drbg_cipher: Option<String>,
    /// `-provider-path`: the folder loadable providers are searched in.
    search_path: Option<String>,
    /// Digests a digest option fetched. They stay usable whatever the
    /// configuration changes later, as the `EVP_MD` that `opt_md` keeps does.
    held: Vec<DigestAlgorithm>,
}

impl State {
    pub(crate) const fn new() -> State {
        State {
            activated: 0,
            fallback_enabled: true,
            fallback_loaded: false,
            default_properties: None,
            created_values: Vec::new(),
            application_query: None,
            drbg_name: None,
            drbg_properties: None,
            drbg_cipher: None,
            search_path: None,
            held: Vec::new(),
        }
    }

    /// Keeps a fetched digest usable, as a fetched `EVP_MD` is.
    pub(crate) fn hold(&mut self, digest: DigestAlgorithm) {
        if !self.held.contains(&digest) {
            self.held.push(digest);
        }
    }

    /// Returns whether a digest option fetched `digest` earlier.
    pub(crate) fn is_held(&self, digest: DigestAlgorithm) -> bool {
        self.held.contains(&digest)
    }

    /// Returns the folder set by `-provider-path`, if any.
    pub(crate) fn search_path(&self) -> Option<&str> {
        self.search_path.as_deref()
    }

    /// Sets the random generator and its properties; `None` keeps a setting.
    pub(crate) fn set_random_generator(&mut self, name: Option<&str>, properties: Option<&str>) {
        if let Some(name) = name {
            self.drbg_name = Some(name.to_owned());
        }
        if let Some(properties) = properties {
            self.drbg_properties = Some(properties.to_owned());
        }
    }

    /// Sets the cipher of a CTR-DRBG, as the `cipher` key of a `random`
    /// section does.
    pub(crate) fn set_random_cipher(&mut self, cipher: &str) {
        self.drbg_cipher = Some(cipher.to_owned());
    }

    pub(crate) fn activate(&mut self, provider: Provider) {
        self.activated |= provider.bit();
        self.fallback_enabled = false;
    }

    pub(crate) fn disable_fallback(&mut self) {
        self.fallback_enabled = false;
    }

    /// Starts a fetch, which loads the default provider if nothing was
    /// activated before.
    fn begin_fetch(&mut self) {
        if self.fallback_enabled {
            self.fallback_enabled = false;
            self.fallback_loaded = true;
        }
    }

    fn is_active(&self, provider: Provider) -> bool {
        self.activated & provider.bit() != 0
            || (provider == Provider::Default && self.fallback_loaded)
    }

    /// Returns the names of the providers active now, for messages.
    fn active_names(&self) -> Vec<&'static str> {
        [Provider::Default, Provider::Base, Provider::Legacy]
            .into_iter()
            .filter(|provider| self.is_active(*provider))
            .map(Provider::name)
            .collect()
    }

    /// Returns whether libcrypto has interned `value`, which a query parsed
    /// without creating values needs: the Booleans, the names of the loaded
    /// providers and the values the default properties created.
    fn knows_value(&self, value: &str) -> bool {
        value == properties::TRUE
            || value == properties::FALSE
            || self.active_names().contains(&value)
            || self.created_values.iter().any(|known| known == value)
    }

    pub(crate) fn set_default_properties(&mut self, text: &str) -> Result<(), Vec<Record>> {
        let query = Query::parse(text, true, &|_| true).map_err(|e| e.records)?;
        self.remember_values(&query);
        self.default_properties = Some((query, text.to_owned()));
        Ok(())
    }

    /// Merges `text` over the default properties, as `fips_mode` does.
    pub(crate) fn merge_default_properties(&mut self, text: &str) -> Result<(), Vec<Record>> {
        let query = Query::parse(text, true, &|_| true).map_err(|e| e.records)?;
        self.remember_values(&query);
        let merged = match self.default_properties.take() {
            None => (query, text.to_owned()),
            Some((old, old_text)) => (query.merged_with(&old), format!("{text},{old_text}")),
        };
        self.default_properties = Some(merged);
        Ok(())
    }

    fn remember_values(&mut self, query: &Query) {
        for value in query.text_values() {
            if !self.created_values.iter().any(|known| known == value) {
                self.created_values.push(value.to_owned());
            }
        }
    }

    /// Returns the query a fetch uses: its own query, when that parses, merged
    /// with the default properties, as `ossl_method_store_fetch` builds it.
    fn effective_query(&self, own: Option<&str>) -> Query {
        let own = own.and_then(|text| Query::parse(text, false, &|v| self.knows_value(v)).ok());
        let defaults = self.default_properties.as_ref().map(|(query, _)| query);
        match (own, defaults) {
            (Some(own), Some(defaults)) => own.merged_with(defaults),
            (Some(own), None) => own,
            (None, Some(defaults)) => defaults.clone(),
            (None, None) => Query::default(),
        }
    }

    /// Fetches an algorithm that `implementers` provide, with the query
    /// `own` merged with the default properties; true when one is found.
    pub(crate) fn fetch(&mut self, implementers: &[Provider], own: Option<&str>) -> bool {
        self.begin_fetch();
        let query = self.effective_query(own);
        implementers
            .iter()
            .any(|provider| self.is_active(*provider) && query.matches(&provider.definition()))
    }

    /// Explains why a fetch of an algorithm that `implementers` provide fails now.
    pub(crate) fn unavailable_reason(&self, implementers: &[Provider]) -> String {
        let active: Vec<Provider> = implementers
            .iter()
            .copied()
            .filter(|provider| self.is_active(*provider))
            .collect();
        if let (false, Some((_, text))) = (active.is_empty(), &self.default_properties) {
            let fips = if text.to_ascii_lowercase().contains("fips") {
                " tsrs has no FIPS provider, so it cannot honour a FIPS property."
            } else {
                ""
            };
            return format!(
                "the default properties \"{text}\" from the configuration's alg_section \
                 match no provider tsrs implements.{fips}"
            );
        }
        let needed: Vec<&str> = implementers.iter().map(|p| p.name()).collect();
        let active_names = self.active_names();
        let active_text = match active_names.is_empty() {
            true => "none".to_owned(),
            false => active_names.join(", "),
        };
        format!(
            "no active provider implements it: it needs the {} provider, and the active \
             providers are: {active_text}. Activate it with -provider or in the \
             configuration's providers section.",
            needed.join(" or ")
        )
    }

    /// Instantiates the random generator as `rand_new_drbg` does: fetches the
    /// configured DRBG (CTR-DRBG unless a `random` section names another).
    pub(crate) fn fetch_random(&mut self) -> Result<(), Error> {
        let name = self.drbg_name.clone().unwrap_or(DEFAULT_DRBG.to_owned());
        let properties = self.drbg_properties.clone();
        let known = DRBG_NAMES
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&name));
        let found = self.fetch(&[Provider::Default], properties.as_deref());
        if known && found {
            return self.check_random_cipher(&name);
        }
        let message = if known {
            format!(
                "the random generator {name} is not available: {}",
                self.unavailable_reason(&[Provider::Default])
            )
        } else {
            format!(
                "the configuration's random section names {name:?}, which is not a random \
                 generator; use one of {}",
                DRBG_NAMES.join(", ")
            )
        };
        let shown_properties = properties.unwrap_or("<null>".to_owned());
        Err(Error::new(Reason::UnsupportedAlgorithm, message)
            .with_record(
                lib::EVP,
                "inner_evp_generic_fetch",
                "unsupported",
                format!(
                    "Global default library context, Algorithm ({name} : 0), \
                     Properties ({shown_properties})"
                ),
            )
            .with_record(RAND_LIB, "rand_new_drbg", "unable to fetch drbg", ""))
    }
}

impl State {
    /// Fails as `drbg_ctr_set_ctx_params` does for a CTR-DRBG cipher whose
    /// name does not end in `CTR`. OpenSSL passes the cipher to every DRBG,
    /// and only CTR-DRBG reads it.
    // NOTE: OpenSSL also fails for a CTR cipher it cannot fetch and for an
    // unusable HASH-DRBG or HMAC-DRBG digest; tsrs does not check those.
    fn check_random_cipher(&self, drbg: &str) -> Result<(), Error> {
        let cipher = self.drbg_cipher.as_deref().unwrap_or(DEFAULT_DRBG_CIPHER);
        let is_ctr = cipher.len() >= 3
            && cipher
                .get(cipher.len() - 3..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case("CTR"));
        if !drbg.eq_ignore_ascii_case(DEFAULT_DRBG) || is_ctr {
            return Ok(());
        }
        let mut error = Error::new(
            Reason::UnsupportedAlgorithm,
            format!(
                "the configuration's random section names the cipher {cipher:?} for {drbg}, \
                which needs a CTR mode cipher such as AES-256-CTR"
            ),
        );
        if cipher.len() >= 3 {
            error = error.with_record(
                PROVIDER_LIB,
                "drbg_ctr_set_ctx_params",
                "require ctr mode cipher",
                "",
            );
        }
        Err(error.with_record(RAND_LIB, "rand_new_drbg", "error instantiating drbg", ""))
    }
}

static STATE: Mutex<State> = Mutex::new(State::new());

pub(crate) fn with_state<T>(action: impl FnOnce(&mut State) -> T) -> T {
    let mut state = STATE.lock().unwrap_or_else(PoisonError::into_inner);
    action(&mut state)
}

/// Activates a provider, as `OSSL_PROVIDER_load` or an `activate` key in a
/// provider's configuration section does. The default provider no longer
/// loads as a fallback unless a fetch already loaded it.
pub fn activate(provider: Provider) {
    with_state(|state| state.activate(provider));
}

/// Stops the default provider from loading as a fallback, as OpenSSL does
/// when the configuration tries to activate a provider, even one that then
/// fails to load.
pub fn disable_fallback() {
    with_state(State::disable_fallback);
}

/// Returns whether `provider` is active now.
pub fn is_active(provider: Provider) -> bool {
    with_state(|state| state.is_active(provider))
}

/// Sets the properties every fetch must match, as `default_properties` in
/// an `alg_section` does. On a parse error, returns the entries OpenSSL's
/// error queue contains and leaves the properties unchanged.
pub fn set_default_properties(text: &str) -> Result<(), Vec<Record>> {
    with_state(|state| state.set_default_properties(text))
}

/// Adds `fips=yes` to the default properties, or with `false` removes any
/// `fips` property, as `fips_mode` in an `alg_section` does.
pub fn set_fips_mode(enabled: bool) -> Result<(), Vec<Record>> {
    let text = if enabled { "fips=yes" } else { "-fips" };
    with_state(|state| state.merge_default_properties(text))
}

/// Returns the default properties, as the configuration wrote them.
pub fn default_properties() -> Option<String> {
    with_state(|state| {
        state
            .default_properties
            .as_ref()
            .map(|(_, text)| text.clone())
    })
}

/// Sets the query `-propquery` gives, which digest options are fetched with.
pub fn set_application_query(query: Option<&str>) {
    with_state(|state| state.application_query = query.map(str::to_owned));
}

pub(crate) fn application_query() -> Option<String> {
    with_state(|state| state.application_query.clone())
}

/// Sets the random generator and its properties, as the `random` and
/// `properties` keys of a `random` configuration section do. tsrs draws its
/// random bytes from the operating system whatever the generator, but fails
/// where OpenSSL would fail to fetch it.
pub fn set_random_generator(name: Option<&str>, properties: Option<&str>) {
    with_state(|state| state.set_random_generator(name, properties));
}

/// Sets the folder loadable providers are searched in, as `-provider-path`
/// does; an empty path restores the default search.
pub fn set_provider_search_path(path: Option<&str>) {
    let path = path.filter(|path| !path.is_empty());
    with_state(|state| state.search_path = path.map(str::to_owned));
}

/// Returns whether the default provider's algorithms can be fetched now: it is
/// active and matches the default properties. Like any fetch, this loads
/// the default provider as a fallback when nothing was activated.
pub fn default_algorithms_available() -> bool {
    with_state(|state| state.fetch(&[Provider::Default], None))
}

/// Returns why the default provider's algorithms cannot be fetched, for messages.
pub fn default_algorithms_unavailable_reason() -> String {
    with_state(|state| state.unavailable_reason(&[Provider::Default]))
}

/// Fails as OpenSSL fails to instantiate its random generator when the
/// providers or the configuration's `random` section leave none to fetch.
pub fn check_random_generator() -> Result<(), Error> {
    with_state(State::fetch_random)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fetch_loads_default_as_fallback() {
        let mut state = State::new();
        assert!(state.fetch(&[Provider::Default], None));
        state.activate(Provider::Legacy);
        assert!(state.fetch(&[Provider::Default], None));
        assert!(state.fetch(&[Provider::Legacy], None));
    }

    #[test]
    fn activation_before_fetch_disables_fallback() {
        let mut state = State::new();
        state.activate(Provider::Legacy);
        assert!(!state.fetch(&[Provider::Default], None));
        assert!(state.fetch(&[Provider::Legacy], None));
        let reason = state.unavailable_reason(&[Provider::Default]);
        assert!(reason.contains("active providers are: legacy"), "{reason}");
    }

    #[test]
    fn failed_activation_leaves_nothing() {
        let mut state = State::new();
        state.disable_fallback();
        assert!(!state.fetch(&[Provider::Default], None));
        assert!(
            state
                .unavailable_reason(&[Provider::Default])
                .contains("none")
        );
    }

    #[test]
    fn default_properties_filter_fetches() {
        let mut state = State::new();
        state.set_default_properties("fips=yes").unwrap();
        assert!(!state.fetch(&[Provider::Default], None));
        assert!(state.fetch(&[Provider::Default], Some("fips=no")));
        let reason = state.unavailable_reason(&[Provider::Default]);
        assert!(reason.contains("FIPS"), "{reason}");
        state.set_default_properties("fips=no").unwrap();
        assert!(state.fetch(&[Provider::Default], None));
        state.set_default_properties("").unwrap();
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn fips_mode_merges_and_clears() {
        let mut state = State::new();
        state.merge_default_properties("fips=yes").unwrap();
        assert!(!state.fetch(&[Provider::Default], None));
        state.merge_default_properties("-fips").unwrap();
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn bad_default_properties_keep_old_ones() {
        let mut state = State::new();
        let records = state.set_default_properties("fips==").unwrap_err();
        assert_eq!(records.len(), 1);
        assert!(state.fetch(&[Provider::Default], None));
    }

    #[test]
    fn application_query_names_provider() {
        let mut state = State::new();
        state.activate(Provider::Default);
        state.activate(Provider::Legacy);
        assert!(state.fetch(&[Provider::Legacy], Some("provider=legacy")));
        assert!(!state.fetch(&[Provider::Default], Some("provider=legacy")));
        // A query that does not parse is ignored.
        assert!(state.fetch(&[Provider::Default], Some("fips==")));
    }

    #[test]
    fn random_generator_follows_configuration() {
        let mut state = State::new();
        assert!(state.fetch_random().is_ok());
        state.drbg_name = Some("hash-drbg".into());
        assert!(state.fetch_random().is_ok());
        state.drbg_name = Some("FOO".into());
        let error = state.fetch_random().unwrap_err();
        assert_eq!(
            error.records()[0].data,
            "Global default library context, Algorithm (FOO : 0), Properties (<null>)"
        );
        let mut legacy_only = State::new();
        legacy_only.activate(Provider::Legacy);
        let error = legacy_only.fetch_random().unwrap_err();
        assert_eq!(
            error.records()[0].data,
            "Global default library context, Algorithm (CTR-DRBG : 0), Properties (<null>)"
        );
    }

    #[test]
    fn ctr_generator_needs_ctr_cipher() {
        let mut state = State::new();
        state.set_random_cipher("aes-128-ctr");
        assert!(state.fetch_random().is_ok());
        state.set_random_cipher("AES-256-CBC");
        let error = state.fetch_random().unwrap_err();
        assert_eq!(error.records()[0].reason, "require ctr mode cipher");
        state.set_random_generator(Some("HASH-DRBG"), None);
        assert!(state.fetch_random().is_ok());
    }
}
