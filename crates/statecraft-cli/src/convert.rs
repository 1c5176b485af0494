//! `statecraft convert`: a validated scenario, world included, written as JSON or RON; and
//! `statecraft schema`: the JSON Schema of the format, derived from the types serde reads.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::args::{ConvertArgs, Format};

/// Runs `statecraft schema`: prints the JSON Schema of a scenario file.
pub fn schema() -> Result<ExitCode> {
    let schema = schemars::schema_for!(statecraft_core::Scenario);
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    std::io::stdout()
        .write_all(text.as_bytes())
        .context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `statecraft convert`.
pub fn convert(args: ConvertArgs) -> Result<ExitCode> {
    let loaded = crate::load::load(&args.file)?;
    let mut text = match args.to {
        Format::Json => serde_json::to_string_pretty(&loaded.scenario)?,
        Format::Ron => loaded.scenario.to_ron(),
    };
    text.push('\n');
    match &args.out {
        Some(path) => {
            crate::output::write_file_atomically(path, text.as_bytes())?;
        }
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("cannot write to standard output")?,
    }
    Ok(ExitCode::SUCCESS)
}
