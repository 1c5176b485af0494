//! `statecraft validate`: checks each file and prints every error.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crate::args::ValidateArgs;

/// Runs `validate`. Exits 2 when any file is invalid.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn validate(args: ValidateArgs) -> Result<ExitCode> {
    let mut bad = 0;
    for f in &args.files {
        // Each file's report is written at once; a reader that stops early (`| head`) ends
        // the listing quietly rather than with a panic.
        let mut text = String::new();
        match crate::load::load(f) {
            Ok(l) => {
                writeln!(
                    text,
                    "ok: {} ({} actors, {} uncertain parameters, {} rounds)",
                    f.display(),
                    l.world.n(),
                    l.world.uncertain().count(),
                    l.world.rounds
                )?;
                if args.params {
                    let w = l
                        .world
                        .params
                        .iter()
                        .map(|e| e.path.len())
                        .max()
                        .unwrap_or(0);
                    for e in &l.world.params {
                        let value = e.param.to_string();
                        writeln!(
                            text,
                            "  {:w$}  {value:34}  allowed [{}, {}]",
                            e.path, e.lo, e.hi
                        )?;
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {}", crate::common::shown_lines(&format!("{e:#}")));
                bad += 1;
            }
        }
        match std::io::stdout()
            .lock()
            .write_all(crate::common::shown_lines(&text).as_bytes())
        {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other?,
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
