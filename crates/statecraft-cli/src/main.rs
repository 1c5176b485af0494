//! The `statecraft` program: parses the command line, runs the command, and on error prints
//! the whole error chain once and exits with status 2 for a usage or input error (clap's own
//! errors included), 1 for a failure at run time, 130 for a batch stopped by Ctrl-C.

mod args;
mod clock;
#[macro_use]
mod error;
#[macro_use]
mod common;
mod compare;
mod convert;
mod discover;
mod export;
mod job;
mod load;
mod merge;
mod new;
mod output;
#[cfg(feature = "parquet")]
mod parquet_out;
mod patterns;
mod report;
mod run;
mod sensitivity;
mod shell;
mod spill;
mod sweep;
mod table;
mod tournament;
mod validate;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Run(a) => run::run(a),
        args::Command::Convert(a) => convert::convert(a),
        args::Command::Schema => convert::schema(),
        args::Command::New(a) => new::new(a),
        args::Command::Merge(a) => merge::merge(a),
        args::Command::Tournament(a) => tournament::tournament(a),
        args::Command::Export(a) => export::export(a),
        args::Command::Validate(a) => validate::validate(a),
        args::Command::Sweep(a) => sweep::sweep(a),
        args::Command::Sensitivity(a) => sensitivity::sensitivity(a),
        args::Command::Compare(a) => compare::compare(a),
        args::Command::Discover(a) => discover::discover(a),
        args::Command::Patterns(a) => patterns::patterns(a),
        args::Command::Report(a) => report::report(a),
        args::Command::Completions(a) => shell::completions(a),
        args::Command::Man(a) => shell::man(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if let Some(i) = e.downcast_ref::<run::Interrupted>() {
                common::status(&i.to_string());
                return ExitCode::from(130);
            }
            common::status(&format!("error: {e:#}"));
            if error::is_input(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
