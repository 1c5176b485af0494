//! Reading a scenario from disk: the scenario file, then the world file it includes, then
//! validation into a `World`.

use std::path::Path;

use anyhow::{Context, Result};
use statecraft_core::scenario::WorldSource;
use statecraft_core::{Scenario, World};

/// A scenario read and validated, with the text that identifies it.
pub struct Loaded {
    /// The scenario with its world inline.
    pub scenario: Scenario,
    /// The validated world.
    pub world: World,
}

/// Reads, parses and validates a scenario file and the world file it includes.
pub fn load(path: &Path) -> Result<Loaded> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
    let mut scenario = statecraft_core::parse(&text, &shown)?;
    let mut origin = shown.clone();
    if let WorldSource::File(rel) = &scenario.world {
        let world_path = path.parent().unwrap_or(Path::new(".")).join(rel);
        let wshown = world_path.display().to_string();
        let wtext = std::fs::read_to_string(&world_path)
            .with_context(|| format!("{shown}: cannot read its world file {wshown}"))?;
        let world = statecraft_core::parse_world(&wtext, &wshown)?;
        scenario = scenario.with_world(world);
        origin = format!("{shown} (world {wshown})");
    }
    let world = World::from_scenario(&scenario, &origin)?;
    Ok(Loaded { scenario, world })
}
