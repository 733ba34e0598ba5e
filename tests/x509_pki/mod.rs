//! Test PKIs built at run time with the system `openssl` (`req`, `ca`,
//! `genpkey`), and a differential harness that runs `openssl verify` and
//! `tsrs::x509::verify_chain` on the same files and compares the verdicts.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tsrs::x509::{self, Purpose, TrustStore, VerifyOptions, VerifyTime};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The current time in seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A GeneralizedTime string (`YYYYMMDDHHMMSSZ`) for a Unix time.
pub fn generalized_time(unix: i64) -> String {
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Runs `openssl` with `args` in `dir` and panics with its output on failure.
pub fn openssl(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {} failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A temporary directory holding one test's keys, certificates and CA databases.
pub struct Pki {
    pub dir: PathBuf,
}

impl Drop for Pki {
    fn drop(&mut self) {
        if std::env::var_os("TSRS_KEEP_PKI").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A certificate with its key and the CA database it issues from.
#[derive(Debug, Clone)]
pub struct Issued {
    pub name: String,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub key_kind: String,
    ca_dir: PathBuf,
}

/// What to put in a certificate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The subject in `openssl req -subj` form.
    pub subject: String,
    /// The key type: rsa2048, rsa3072, rsa4096, rsapss, p256, p384, p521, ed25519.
    pub key: String,
    /// Reuse the key (file and kind) of an earlier certificate instead of generating one.
    pub key_from: Option<(PathBuf, String)>,
    /// notBefore and notAfter, as Unix times.
    pub not_before: i64,
    pub not_after: i64,
    /// Lines of the extension section.
    pub extensions: Vec<String>,
    /// The digest `openssl ca -md` signs with.
    pub md: String,
    /// `openssl ca -sigopt` values.
    pub sigopts: Vec<String>,
    /// Extra `openssl req` arguments (`-utf8`, `-multivalue-rdn`).
    pub req_args: Vec<String>,
}

impl Spec {
    fn base(subject: &str, extensions: &[&str]) -> Spec {
        Spec {
            subject: subject.to_owned(),
            key: "rsa2048".into(),
            key_from: None,
            not_before: now() - 30 * DAY,
            not_after: now() + 365 * DAY,
            extensions: extensions.iter().map(|s| (*s).to_owned()).collect(),
            md: "sha256".into(),
            sigopts: Vec::new(),
            req_args: Vec::new(),
        }
    }

    /// A CA certificate: critical basicConstraints CA:TRUE, keyCertSign and cRLSign.
    pub fn ca(subject: &str) -> Spec {
        Spec::base(
            subject,
            &[
                "basicConstraints = critical,CA:TRUE",
                "keyUsage = critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid:always",
            ],
        )
    }

    /// A time-stamping leaf: critical EKU timeStamping, digitalSignature and nonRepudiation.
    pub fn tsa(subject: &str) -> Spec {
        Spec::base(
            subject,
            &[
                "basicConstraints = critical,CA:FALSE",
                "keyUsage = critical,digitalSignature,nonRepudiation",
                "extendedKeyUsage = critical,timeStamping",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid",
            ],
        )
    }

    /// A certificate with exactly these extension lines.
    pub fn with_extensions(subject: &str, extensions: &[&str]) -> Spec {
        Spec::base(subject, extensions)
    }

    pub fn key(mut self, kind: &str) -> Spec {
        self.key = kind.into();
        self
    }

    pub fn same_key_as(mut self, other: &Issued) -> Spec {
        self.key_from = Some((other.key.clone(), other.key_kind.clone()));
        self
    }

    pub fn validity(mut self, not_before: i64, not_after: i64) -> Spec {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    pub fn md(mut self, md: &str) -> Spec {
        self.md = md.into();
        self
    }

    pub fn sigopt(mut self, option: &str) -> Spec {
        self.sigopts.push(option.into());
        self
    }

    pub fn extension(mut self, line: &str) -> Spec {
        self.extensions.push(line.into());
        self
    }

    pub fn without_extension(mut self, prefix: &str) -> Spec {
        self.extensions.retain(|line| !line.starts_with(prefix));
        self
    }

    pub fn req_arg(mut self, arg: &str) -> Spec {
        self.req_args.push(arg.into());
        self
    }
}

impl Pki {
    pub fn new(label: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!(
            "tsrs-x509-{label}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Pki { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn run(&self, args: &[&str]) -> String {
        openssl(&self.dir, args)
    }

    fn key(&self, name: &str, kind: &str) -> PathBuf {
        let path = self.path(&format!("{name}.key"));
        let path_text = path.to_str().unwrap();
        let mut args = vec!["genpkey", "-out", path_text];
        let options: &[&str] = match kind {
            "rsa2048" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "rsa1024" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
            "rsa3072" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"],
            "rsa4096" => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
            "rsapss" => &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
            "p256" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            "p256-explicit" => &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-pkeyopt",
                "ec_param_enc:explicit",
            ],
            "p384" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "p521" => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
            "ed25519" => &["-algorithm", "ED25519"],
            other => panic!("unknown key kind {other}"),
        };
        args.extend_from_slice(options);
        self.run(&args);
        path
    }

    fn ca_dir(&self, name: &str) -> PathBuf {
        let dir = self.path(&format!("{name}.db"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        let serial = 0x1000 + COUNTER.fetch_add(1, Ordering::SeqCst) * 0x100;
        std::fs::write(dir.join("serial"), format!("{serial:X}\n")).unwrap();
        std::fs::write(dir.join("crlnumber"), "01\n").unwrap();
        let config = format!(
            "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndir = {}\ndatabase = $dir/index.txt\n\
             new_certs_dir = $dir\nserial = $dir/serial\ncrlnumber = $dir/crlnumber\n\
             default_md = sha256\npolicy = policy_any\nunique_subject = no\ndefault_crl_days = 30\n\
             [ policy_any ]\ncommonName = optional\n",
            dir.display()
        );
        std::fs::write(dir.join("ca.cnf"), config).unwrap();
        dir
    }

    /// Issues `spec` from `issuer`, or self-signs it when `issuer` is `None`.
    pub fn issue(&self, name: &str, spec: &Spec, issuer: Option<&Issued>) -> Issued {
        let (key, key_kind) = match &spec.key_from {
            Some((key, kind)) => (key.clone(), kind.clone()),
            None => (self.key(name, &spec.key), spec.key.clone()),
        };
        let csr = self.path(&format!("{name}.csr"));
        let mut req = vec![
            "req".to_owned(),
            "-new".into(),
            "-key".into(),
            key.display().to_string(),
            "-subj".into(),
            spec.subject.clone(),
            "-out".into(),
            csr.display().to_string(),
        ];
        req.extend(spec.req_args.iter().cloned());
        self.run(&req.iter().map(String::as_str).collect::<Vec<_>>());

        let ext_file = self.path(&format!("{name}.ext"));
        std::fs::write(
            &ext_file,
            format!("[ ext ]\n{}\n", spec.extensions.join("\n")),
        )
        .unwrap();
        let cert = self.path(&format!("{name}.pem"));
        let ca_dir = self.ca_dir(name);
        let signer_dir = issuer.map_or(ca_dir.clone(), |issuer| issuer.ca_dir.clone());
        let mut args = vec![
            "ca".to_owned(),
            "-config".into(),
            signer_dir.join("ca.cnf").display().to_string(),
            "-batch".into(),
            "-notext".into(),
            "-preserveDN".into(),
            "-in".into(),
            csr.display().to_string(),
            "-out".into(),
            cert.display().to_string(),
            "-startdate".into(),
            generalized_time(spec.not_before),
            "-enddate".into(),
            generalized_time(spec.not_after),
            "-extfile".into(),
            ext_file.display().to_string(),
            "-extensions".into(),
            "ext".into(),
            "-md".into(),
        ];
        let signer_key = issuer.map_or(&key, |issuer| &issuer.key);
        let signer_kind = issuer.map_or(&key_kind, |issuer| &issuer.key_kind);
        args.push(if signer_kind == "ed25519" {
            "default".into()
        } else {
            spec.md.clone()
        });
        for option in &spec.sigopts {
            args.push("-sigopt".into());
            args.push(option.clone());
        }
        args.push("-keyfile".into());
        args.push(signer_key.display().to_string());
        match issuer {
            Some(issuer) => {
                args.push("-cert".into());
                args.push(issuer.cert.display().to_string());
            }
            None => args.push("-selfsign".into()),
        }
        self.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        Issued {
            name: name.to_owned(),
            cert,
            key,
            key_kind,
            ca_dir,
        }
    }

    /// Wraps a certificate made outside `issue` so that it can issue others.
    pub fn adopt(&self, name: &str, cert: PathBuf, key: PathBuf, key_kind: &str) -> Issued {
        Issued {
            name: name.to_owned(),
            cert,
            key,
            key_kind: key_kind.to_owned(),
            ca_dir: self.ca_dir(name),
        }
    }

    /// Writes the certificates into one PEM file.
    pub fn bundle(&self, name: &str, certs: &[&Issued]) -> PathBuf {
        let mut text = String::new();
        for cert in certs {
            text.push_str(&std::fs::read_to_string(&cert.cert).unwrap());
        }
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Writes PEM files (certificates, CRLs) into one file.
    pub fn concat(&self, name: &str, files: &[&Path]) -> PathBuf {
        let mut text = String::new();
        for file in files {
            text.push_str(&std::fs::read_to_string(file).unwrap());
        }
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Revokes `cert` in `issuer`'s database, with a reason code if given.
    pub fn revoke_with_reason(&self, issuer: &Issued, cert: &Issued, reason: Option<&str>) {
        let config = issuer.ca_dir.join("ca.cnf");
        let mut args = vec![
            "ca",
            "-config",
            config.to_str().unwrap(),
            "-revoke",
            cert.cert.to_str().unwrap(),
            "-keyfile",
            issuer.key.to_str().unwrap(),
            "-cert",
            issuer.cert.to_str().unwrap(),
        ];
        if let Some(reason) = reason {
            args.extend(["-crl_reason", reason]);
        }
        self.run(&args);
    }

    /// Revokes `cert` in `issuer`'s database.
    pub fn revoke(&self, issuer: &Issued, cert: &Issued) {
        self.revoke_with_reason(issuer, cert, None);
    }

    /// Generates a CRL of `issuer` valid from `last_update` to `next_update`.
    pub fn crl(&self, name: &str, issuer: &Issued, last_update: i64, next_update: i64) -> PathBuf {
        self.crl_with_extensions(name, issuer, last_update, next_update, &[])
    }

    /// Generates a CRL with these lines in its CRL extension section.
    pub fn crl_with_extensions(
        &self,
        name: &str,
        issuer: &Issued,
        last_update: i64,
        next_update: i64,
        extensions: &[&str],
    ) -> PathBuf {
        let mut config = std::fs::read_to_string(issuer.ca_dir.join("ca.cnf")).unwrap();
        config.push_str(&format!("[ crl_ext ]\n{}\n", extensions.join("\n")));
        let config_path = self.path(&format!("{name}.cnf"));
        std::fs::write(&config_path, config).unwrap();
        let path = self.path(name);
        let md = if issuer.key_kind == "ed25519" {
            "default"
        } else {
            "sha256"
        };
        let last = generalized_time(last_update);
        let next = generalized_time(next_update);
        let mut args = vec![
            "ca",
            "-config",
            config_path.to_str().unwrap(),
            "-gencrl",
            "-keyfile",
            issuer.key.to_str().unwrap(),
            "-cert",
            issuer.cert.to_str().unwrap(),
            "-md",
            md,
            "-crl_lastupdate",
            &last,
            "-crl_nextupdate",
            &next,
            "-out",
            path.to_str().unwrap(),
        ];
        if !extensions.is_empty() {
            args.extend(["-crlexts", "crl_ext"]);
        }
        self.run(&args);
        path
    }
}

/// A verification verdict: OK, or the first error with its code and depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Error {
        code: i32,
        depth: Option<usize>,
        text: String,
    },
}

impl Verdict {
    pub fn error(code: i32, depth: usize) -> Verdict {
        Verdict::Error {
            code,
            depth: Some(depth),
            text: x509::verify_error_string(code).to_owned(),
        }
    }
}

/// The inputs of one verification.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub ca_file: Option<PathBuf>,
    pub ca_path: Option<PathBuf>,
    pub untrusted: Option<PathBuf>,
    pub crl_file: Option<PathBuf>,
    pub leaf: PathBuf,
    /// Options as `openssl verify` takes them, such as `-attime 123` or `-partial_chain`.
    pub options: Vec<String>,
}

impl Case {
    pub fn new(leaf: &Issued, ca_file: &Path) -> Case {
        Case {
            ca_file: Some(ca_file.to_path_buf()),
            leaf: leaf.cert.clone(),
            ..Case::default()
        }
    }

    pub fn untrusted(mut self, path: &Path) -> Case {
        self.untrusted = Some(path.to_path_buf());
        self
    }

    pub fn option(mut self, option: &str) -> Case {
        self.options
            .extend(option.split_whitespace().map(str::to_owned));
        self
    }

    fn has_purpose(&self) -> bool {
        self.options.iter().any(|o| o == "-purpose")
    }

    /// Runs `openssl verify` and reads the first error it reports.
    pub fn openssl_verdict(&self) -> Verdict {
        let mut args: Vec<String> = vec!["verify".into()];
        if !self.has_purpose() {
            args.extend(["-purpose".into(), "timestampsign".into()]);
        }
        // Only the given trust anchors: no default CA file, directory or store.
        args.push("-no-CAstore".into());
        match &self.ca_file {
            Some(file) => args.extend(["-CAfile".into(), file.display().to_string()]),
            None => args.push("-no-CAfile".into()),
        }
        match &self.ca_path {
            Some(path) => args.extend(["-CApath".into(), path.display().to_string()]),
            None => args.push("-no-CApath".into()),
        }
        if let Some(file) = &self.untrusted {
            args.extend(["-untrusted".into(), file.display().to_string()]);
        }
        if let Some(file) = &self.crl_file {
            args.extend(["-CRLfile".into(), file.display().to_string()]);
        }
        args.extend(self.options.iter().cloned());
        args.push(self.leaf.display().to_string());
        let output = Command::new("openssl")
            .args(&args)
            .output()
            .expect("run openssl verify");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.success() && stdout.trim_end().ends_with(": OK") {
            return Verdict::Ok;
        }
        for line in stderr.lines() {
            let Some(rest) = line.strip_prefix("error ") else {
                continue;
            };
            let Some((code, rest)) = rest.split_once(" at ") else {
                continue;
            };
            let Some((depth, text)) = rest.split_once(" depth lookup: ") else {
                continue;
            };
            return Verdict::Error {
                code: code.parse().unwrap(),
                depth: Some(depth.parse().unwrap()),
                text: text.to_owned(),
            };
        }
        // An internal error reaches no callback, so no depth is printed.
        Verdict::Error {
            code: 1,
            depth: None,
            text: x509::verify_error_string(1).to_owned(),
        }
    }

    /// The same verification through tsrs.
    pub fn tsrs_verdict(&self) -> Verdict {
        let (verdict, _) = self.tsrs_run();
        verdict
    }

    pub fn tsrs_run(&self) -> (Verdict, Option<Vec<x509::Cert>>) {
        let mut store = TrustStore::new();
        if let Some(file) = &self.ca_file {
            store.load_file(file).unwrap();
        }
        if let Some(path) = &self.ca_path {
            store.add_dir(path).unwrap();
        }
        let untrusted = match &self.untrusted {
            Some(file) => x509::load_certs(file).unwrap(),
            None => Vec::new(),
        };
        let leaf = x509::load_certs(&self.leaf).unwrap().remove(0);
        let mut options = VerifyOptions::default();
        if let Some(file) = &self.crl_file {
            options.crls = x509::load_crls(file).unwrap();
        }
        let mut words = self.options.iter();
        while let Some(option) = words.next() {
            match option.as_str() {
                "-attime" => options.time = VerifyTime::At(words.next().unwrap().parse().unwrap()),
                "-no_check_time" => options.time = VerifyTime::NoCheck,
                "-partial_chain" => options.partial_chain = true,
                "-x509_strict" => options.x509_strict = true,
                "-ignore_critical" => options.ignore_critical = true,
                "-crl_check" => options.crl_check = true,
                "-crl_check_all" => {
                    options.crl_check = true;
                    options.crl_check_all = true;
                }
                "-check_ss_sig" => options.check_self_signed_signature = true,
                "-no_alt_chains" => options.no_alt_chains = true,
                "-verify_depth" => options.max_depth = words.next().unwrap().parse().unwrap(),
                "-purpose" => {
                    options.purpose = Some(Purpose::from_name(words.next().unwrap()).unwrap());
                }
                other => panic!("option {other} has no tsrs equivalent in the harness"),
            }
        }
        match x509::verify_chain(&leaf, &untrusted, &store, &options) {
            Ok(chain) => (Verdict::Ok, Some(chain)),
            Err(error) => {
                let message = tsrs::Error::from(error.clone()).to_string();
                assert_eq!(message, format!("Verify error:{}", error.text()));
                let depth = (error.code().code() != 1).then_some(error.depth());
                (
                    Verdict::Error {
                        code: error.code().code(),
                        depth,
                        text: error.text().to_owned(),
                    },
                    None,
                )
            }
        }
    }

    /// Checks that OpenSSL gives `expected` and that tsrs agrees with OpenSSL.
    pub fn assert(&self, expected: Verdict) {
        let openssl = self.openssl_verdict();
        assert_eq!(openssl, expected, "openssl verify verdict for {self:?}");
        let tsrs = self.tsrs_verdict();
        assert_eq!(tsrs, openssl, "tsrs disagrees with openssl for {self:?}");
    }
}
