//! `statecraft new`: a commented template scenario to start from, which validates as written.
//!
//! **Model constants** have no serde defaults: a scenario states every one of the 37, so that
//! a file says what it runs and a change of the bundled calibration never changes an old
//! scenario silently. A new world starts from a template that carries them all instead:
//! `three-actors` (round illustrative values, every field written out) or `world` (the
//! calibrated 2025 world inline: its priors and calibrated posteriors, with their sources).

use std::process::ExitCode;

use anyhow::Result;

use crate::args::{NewArgs, Template};
use crate::output::{check_out_file, write_file_atomically};

/// The teaching example, every field written out.
const THREE_ACTORS: &str = include_str!("../../../scenarios/examples/three_actors.ron");

/// The calibrated 2025 world (scenarios/data/world_2025.ron).
const WORLD_2025: &str = include_str!("../../../scenarios/data/world_2025.ron");

/// The text of a template scenario.
pub fn template(which: Template) -> String {
    match which {
        Template::ThreeActors => {
            let body = THREE_ACTORS.replacen("name: \"three_actors\"", "name: \"my_scenario\"", 1);
            format!(
                "// Written by `statecraft new` from scenarios/examples/three_actors.ron: edit \
                 anything;\n// `statecraft validate FILE` checks it (with the allowed range of \
                 every value), and\n// `statecraft schema` and scenarios/README.md describe \
                 every field.\n{body}"
            )
        }
        Template::World => {
            // The world file's own header says it is generated: a template is to be edited.
            let world: String = WORLD_2025
                .lines()
                .skip_while(|l| l.starts_with("//"))
                .map(|l| format!("    {l}\n"))
                .collect();
            format!(
                "{WORLD_HEADER}(\n    name: \"my_world\",\n    description: \"A scenario on the \
                 calibrated 2025 world\",\n    seed: 1,\n    runs: 1000,\n    rounds: 120, // \
                 ten years of months (round 0 = April 2025)\n    rounds_per_year: 12,\n    \
                 world: Inline(\n{}    ),\n    // No demands: the open order. Paid access, \
                 reciprocal tariffs and the other strategies:\n    // MODEL.md 3.2 and \
                 scenarios/paid_access_2025.ron.\n    strategy: OpenOrder,\n)\n",
                world.trim_end_matches('\n').to_string() + "\n"
            )
        }
    }
}

const WORLD_HEADER: &str = "\
// Written by `statecraft new --template world`: the calibrated 2025 world inline (13 actors,
// their 2024 trade, blocs, and every one of the 37 model constants at its calibrated value or
// prior, each with its source), under the open order. Edit what you study; the constants have
// no defaults, so a scenario always says what it runs. `statecraft validate FILE` checks it
// (with the allowed range of every value); scenarios/README.md and `statecraft schema`
// describe every field; `param_overrides` (below) holds the calibrated posteriors.
";

/// Writes the template.
pub fn new(args: NewArgs) -> Result<ExitCode> {
    check_out_file(&args.out, args.force)?;
    write_file_atomically(&args.out, template(args.template).as_bytes())?;
    outln!(
        "wrote {}; check it with: statecraft validate {}",
        args.out.display(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
