//! The `korpus` command-line program. All the work is done by the
//! library (`korpus::…`); `cli` turns arguments into engine options and
//! rows into output.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
