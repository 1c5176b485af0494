//! Reading a scenario from disk: the scenario file (RON, or JSON when its name ends in
//! `.json`), then the world file it includes, then validation into a `World`.

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

fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Parses JSON text as `T`; errors name the file, line and column like RON's.
fn parse_json<T: serde::de::DeserializeOwned>(text: &str, shown: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json ends its message with the position, which this puts first instead.
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        anyhow::anyhow!("{shown}:{}:{}: {message}", e.line(), e.column())
    })
}

/// Reads, parses and validates a scenario file and the world file it includes.
pub fn load(path: &Path) -> Result<Loaded> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
    let mut scenario = if is_json(path) {
        parse_json(&text, &shown)?
    } else {
        statecraft_core::parse(&text, &shown)?
    };
    let mut origin = shown.clone();
    if let WorldSource::File(rel) = &scenario.world {
        let world_path = path.parent().unwrap_or(Path::new(".")).join(rel);
        let wshown = world_path.display().to_string();
        let wtext = std::fs::read_to_string(&world_path)
            .with_context(|| format!("{shown}: cannot read its world file {wshown}"))?;
        let world = if is_json(&world_path) {
            parse_json(&wtext, &wshown)?
        } else {
            statecraft_core::parse_world(&wtext, &wshown)?
        };
        scenario = scenario.with_world(world);
        origin = format!("{shown} (world {wshown})");
    }
    let world = World::from_scenario(&scenario, &origin)?;
    Ok(Loaded { scenario, world })
}

/// Validates a scenario given as RON text with its world inline (from a manifest).
pub fn from_text(text: &str, origin: &str) -> Result<Loaded> {
    let scenario = statecraft_core::parse(text, origin)?;
    let world = World::from_scenario(&scenario, origin)?;
    Ok(Loaded { scenario, world })
}
