//! `statecraft completions` and `statecraft man`: the shell completion scripts and the manual
//! pages, generated from the command line's own definition (args.rs) by clap's companion
//! crates, so that they never fall behind the options.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};

/// Prints the completion script of a shell.
pub fn completions(args: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "statecraft", &mut script);
    write_stdout(&script)
}

/// Prints the main manual page, or writes every page into a folder.
pub fn man(args: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .context("cannot render the manual page")?;
            write_stdout(&page)
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
            outln!("manual pages in {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes bytes to standard output; a reader that stops early (`| head`) ends it quietly.
fn write_stdout(bytes: &[u8]) -> Result<ExitCode> {
    crate::common::write_stdout(bytes)?;
    Ok(ExitCode::SUCCESS)
}
