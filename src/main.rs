//! The `tsrs` command: `tsrs ts` behaves like `openssl ts`; the other
//! subcommands are tsrs's own.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
