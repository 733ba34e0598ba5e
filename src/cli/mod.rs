//! Subcommand dispatch.

pub mod demo;
pub mod io;
pub mod ts;

const USAGE: &str = "\
Usage: tsrs <command> [options]

Commands:
  ts      RFC 3161 time-stamping, with the options of `openssl ts`
          (run `tsrs ts -help` for them)
  demo    Write a demo time-stamping authority into a folder
          (run `tsrs demo --help`)

Options:
  -h, --help     Print this help
  -V, --version  Print the version
";

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.first().and_then(|a| a.to_str()) {
        Some("ts") => ts::main(&args[1..]),
        Some("demo") => demo::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            0
        }
        Some("-V" | "--version") => {
            println!("tsrs {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some(other) => {
            eprintln!("tsrs: unknown command {other:?}\n");
            eprint!("{USAGE}");
            2
        }
        None if !args.is_empty() => {
            eprintln!("tsrs: unknown command {:?}\n", args[0]);
            eprint!("{USAGE}");
            2
        }
        None => {
            eprint!("{USAGE}");
            2
        }
    }
}
