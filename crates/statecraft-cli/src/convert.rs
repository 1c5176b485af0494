//! `statecraft convert`: a validated scenario, world included, written as JSON or RON; and
//! `statecraft schema`: the JSON Schema of the format, derived from the types serde reads.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::args::{ConvertArgs, Format};
use crate::error::OrInput;

/// Runs `statecraft schema`: prints the JSON Schema of a scenario file.
pub fn schema() -> Result<ExitCode> {
    let schema = schemars::schema_for!(statecraft_core::Scenario);
    let mut text = serde_json::to_string_pretty(&schema)?;
    text.push('\n');
    crate::common::write_stdout(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `statecraft convert`.
pub fn convert(args: ConvertArgs) -> Result<ExitCode> {
    if let Some(out) = &args.out {
        // Before any work: the same rules as every other output.
        crate::output::check_out_file(out, args.force)?;
    }
    let loaded = crate::load::load(&args.file)?;
    if let Some(out) = &args.out
        && let Ok(o) = std::fs::canonicalize(out)
    {
        for input in &loaded.files {
            if std::fs::canonicalize(input).is_ok_and(|i| i == o) {
                input_bail!(
                    "--out {} is the input file {}: write the converted scenario to another file",
                    out.display(),
                    input.display()
                );
            }
        }
    }
    // The world and the timeline are written inline; the patterns file stays a reference,
    // rewritten relative to where the converted scenario goes (absolute on standard output),
    // so that it still names the same file once the scenario has moved.
    let mut scenario = loaded.scenario.clone();
    if let Some(file) = crate::load::patterns_file(&args.file, &scenario) {
        let abs = std::fs::canonicalize(&file)
            .with_context(|| {
                format!(
                    "{}: its patterns file {} cannot be found",
                    args.file.display(),
                    file.display()
                )
            })
            .input()?;
        let dir = args
            .out
            .as_ref()
            .and_then(|o| std::path::absolute(o).ok())
            .and_then(|o| o.parent().map(Path::to_path_buf))
            .and_then(|d| std::fs::canonicalize(d).ok());
        let written = match dir {
            Some(d) => crate::load::relative_to(&abs, &d),
            None => abs,
        };
        scenario.patterns = Some(written.to_string_lossy().into_owned());
    }
    let mut text = match args.to {
        Format::Json => serde_json::to_string_pretty(&scenario)?,
        Format::Ron => scenario.to_ron(),
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
