//! Reading a scenario from disk: the scenario file (RON, or JSON when its name ends in
//! `.json`), then the world file and the timeline file it includes, then validation into a
//! [`World`].

use std::path::{Path, PathBuf};

use statecraft_core::scenario::{EventSpec, TimelineSource, WorldSource};
use statecraft_core::{Scenario, World};

use crate::{Error, Result};

/// A scenario read and validated, with the files it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The scenario with its world (and timeline) inline.
    pub scenario: Scenario,
    /// The validated world.
    pub world: World,
    /// The files read: the scenario, then its world file and its timeline file if it has
    /// them (empty for a scenario given as text).
    pub files: Vec<PathBuf>,
}

/// The largest scenario or world file read (bundled ones are a few kB); the results crate's
/// limit for every text input.
pub use statecraft_results::provenance::MAX_FILE;

/// Reads a scenario, world or similar input file: a regular file only (not a FIFO, device or
/// folder, which could block or never end), at most [`MAX_FILE`] bytes, UTF-8; a UTF-8
/// byte-order mark at its start is skipped. `what` names the file in errors.
pub fn read_input(path: &Path, what: &str) -> Result<String> {
    statecraft_results::provenance::read_text(path, what).map_err(|e| match e {
        statecraft_results::Error::Io { context, source } => Error::Io { context, source },
        other => Error::Input(other.to_string()),
    })
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
        Error::Input(format!("{shown}:{}:{}: {message}", e.line(), e.column()))
    })
}

/// Reads, parses and validates a scenario file and the world and timeline files it includes
/// (relative to the scenario's folder).
///
/// ```no_run
/// let loaded = statecraft_api::load("scenarios/examples/three_actors.ron".as_ref())?;
/// println!("{} actors", loaded.world.n());
/// # Ok::<(), statecraft_api::Error>(())
/// ```
pub fn load(path: &Path) -> Result<Loaded> {
    let shown = path.display().to_string();
    let text = read_input(path, "scenario file")?;
    let mut scenario = if is_json(path) {
        parse_json(&text, &shown)?
    } else {
        statecraft_core::parse(&text, &shown)?
    };
    let mut origin = shown.clone();
    let mut files = vec![path.to_path_buf()];
    if let WorldSource::File(rel) = &scenario.world {
        let world_path = path.parent().unwrap_or(Path::new(".")).join(rel);
        let world = load_world(&shown, &world_path)?;
        origin = format!("{shown} (world {})", world_path.display());
        files.push(world_path);
        scenario = scenario.with_world(world);
    }
    if let Some(TimelineSource::File(rel)) = &scenario.timeline {
        let tl_path = path.parent().unwrap_or(Path::new(".")).join(rel);
        let tshown = tl_path.display().to_string();
        let ttext = read_input(&tl_path, "timeline file")
            .map_err(|e| e.context(format!("{shown}: cannot read its timeline file")))?;
        let events: Vec<EventSpec> = if is_json(&tl_path) {
            parse_json(&ttext, &tshown)?
        } else {
            statecraft_core::scenario::parse_ron(&ttext, &tshown)?
        };
        files.push(tl_path);
        scenario = scenario.with_timeline(events);
        origin = format!("{origin} (timeline {tshown})");
    }
    let world = World::from_scenario(&scenario, &origin)?;
    Ok(Loaded {
        scenario,
        world,
        files,
    })
}

impl Loaded {
    /// The scenario file's name for messages (`the scenario` for one given as text).
    pub fn origin(&self) -> String {
        self.files
            .first()
            .map_or("the scenario".to_string(), |f| f.display().to_string())
    }

    /// This scenario with parameters set: each `(path, value)` replaces the path's value or
    /// distribution (as a `param_overrides` entry of the scenario would, after those it has),
    /// `value` written as in a scenario file (`0.3`, `Uniform(0.1, 0.5)`); validated again,
    /// so an unknown path or a value out of range is an error naming it. The scenario text a
    /// manifest records carries the settings.
    pub fn with_set(&self, set: &[(String, String)]) -> Result<Loaded> {
        if set.is_empty() {
            return Ok(self.clone());
        }
        let mut scenario = self.scenario.clone();
        for (path, value) in set {
            let param: statecraft_core::Param = ron::from_str(value.trim()).map_err(|e| {
                Error::Input(format!(
                    "--set {path}={value}: {value:?} is not a value or a distribution as a scenario writes one (0.3, Uniform(0.1, 0.5)): {e}"
                ))
            })?;
            scenario.param_overrides.retain(|(p, _)| p != path);
            scenario.param_overrides.push((path.clone(), param));
        }
        let world = World::from_scenario(&scenario, &format!("{} (with --set)", self.origin()))?;
        Ok(Loaded {
            scenario,
            world,
            files: self.files.clone(),
        })
    }
}

/// Reads the world file `world_path` that the scenario file `shown` includes.
fn load_world(shown: &str, world_path: &Path) -> Result<statecraft_core::WorldSpec> {
    let wshown = world_path.display().to_string();
    let wtext = read_input(world_path, "world file")
        .map_err(|e| e.context(format!("{shown}: cannot read its world file")))?;
    let parsed = if is_json(world_path) {
        parse_json(&wtext, &wshown)
    } else {
        statecraft_core::parse_world(&wtext, &wshown).map_err(Error::from)
    };
    // The path comes from the scenario and may name any file: its text is not repeated in
    // errors, only where the parser stopped.
    parsed.map_err(|e| {
        let at = e
            .to_string()
            .strip_prefix(&format!("{wshown}:"))
            .and_then(|rest| {
                let mut it = rest.splitn(3, ':');
                Some(format!("line {}, column {}", it.next()?, it.next()?))
            })
            .unwrap_or_else(|| "somewhere".to_string());
        Error::Input(format!(
            "{shown}: its world file {wshown} is not a valid world file (RON, or JSON if it ends in .json): the parser stopped at {at}; check that the path names the world file"
        ))
    })
}

/// Validates a scenario given as RON text with its world inline (from a manifest, or a
/// variant built in memory); `origin` names it in errors.
pub fn from_text(text: &str, origin: &str) -> Result<Loaded> {
    let scenario = statecraft_core::parse(text, origin)?;
    let world = World::from_scenario(&scenario, origin)?;
    Ok(Loaded {
        scenario,
        world,
        files: Vec::new(),
    })
}

/// The patterns file a scenario at `path` names (`patterns`, relative to the scenario's
/// folder), if it names one.
pub fn patterns_file(path: &Path, scenario: &Scenario) -> Option<PathBuf> {
    scenario
        .patterns
        .as_ref()
        .map(|rel| path.parent().unwrap_or(Path::new(".")).join(rel))
}
