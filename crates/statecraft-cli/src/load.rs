//! Reading a scenario from disk: the scenario file (RON, or JSON when its name ends in
//! `.json`), then the world file it includes, then validation into a `World`.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::OrInput;
use statecraft_core::scenario::{EventSpec, TimelineSource, WorldSource};
use statecraft_core::{Scenario, World};

/// A scenario read and validated, with the text that identifies it.
pub struct Loaded {
    /// The scenario with its world inline.
    pub scenario: Scenario,
    /// The validated world.
    pub world: World,
    /// The files read: the scenario, then its world file if it has one.
    pub files: Vec<PathBuf>,
}

/// The largest scenario or world file read (bundled ones are a few kB).
pub const MAX_FILE: u64 = 64 << 20;

/// Reads a scenario, world or similar input file: a regular file only (not a FIFO, device or
/// folder, which could block or never end), at most [`MAX_FILE`] bytes, UTF-8; a UTF-8
/// byte-order mark at its start is skipped. `what` names the file in errors, which are input
/// errors (exit status 2).
pub fn read_input(path: &Path, what: &str) -> Result<String> {
    read_input_file(path, what).input()
}

fn read_input_file(path: &Path, what: &str) -> Result<String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if !meta.is_file() {
        anyhow::bail!("{what} {shown} is not a regular file");
    }
    if meta.len() > MAX_FILE {
        anyhow::bail!(
            "{what} {shown} is {} bytes; at most {MAX_FILE} are read",
            meta.len()
        );
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {what} {shown}"))?;
    // The file could change between the check and the read: never read more than the limit.
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {shown}"))?;
    if bytes.len() as u64 > MAX_FILE {
        anyhow::bail!("{what} {shown} is larger than {MAX_FILE} bytes");
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{what} {shown} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
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
        anyhow::anyhow!("{shown}:{}:{}: {message}", e.line(), e.column())
    })
}

/// Reads, parses and validates a scenario file and the world file it includes; its errors are
/// input errors (exit status 2).
pub fn load(path: &Path) -> Result<Loaded> {
    load_file(path).input()
}

fn load_file(path: &Path) -> Result<Loaded> {
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
        let wshown = world_path.display().to_string();
        let wtext = read_input(&world_path, "world file")
            .with_context(|| format!("{shown}: cannot read its world file"))?;
        let parsed = if is_json(&world_path) {
            parse_json(&wtext, &wshown)
        } else {
            statecraft_core::parse_world(&wtext, &wshown).map_err(anyhow::Error::from)
        };
        // The path comes from the scenario and may name any file: its text is not repeated
        // in errors, only where the parser stopped.
        let world = parsed.map_err(|e| {
            let at = e
                .to_string()
                .strip_prefix(&format!("{wshown}:"))
                .and_then(|rest| {
                    let mut it = rest.splitn(3, ':');
                    Some(format!("line {}, column {}", it.next()?, it.next()?))
                })
                .unwrap_or_else(|| "somewhere".to_string());
            anyhow::anyhow!(
                "{shown}: its world file {wshown} is not a valid world file (RON, or JSON if it ends in .json): the parser stopped at {at}; check that the path names the world file"
            )
        })?;
        files.push(world_path.clone());
        scenario = scenario.with_world(world);
        origin = format!("{shown} (world {wshown})");
    }
    if let Some(TimelineSource::File(rel)) = &scenario.timeline {
        let tl_path = path.parent().unwrap_or(Path::new(".")).join(rel);
        let tshown = tl_path.display().to_string();
        let ttext = read_input(&tl_path, "timeline file")
            .with_context(|| format!("{shown}: cannot read its timeline file"))?;
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

/// Validates a scenario given as RON text with its world inline (from a manifest); its errors
/// are input errors.
pub fn from_text(text: &str, origin: &str) -> Result<Loaded> {
    let scenario = statecraft_core::parse(text, origin).input()?;
    let world = World::from_scenario(&scenario, origin).input()?;
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

/// `target` written relative to the folder `base` (both absolute): up from `base` to their
/// common ancestor, then down to `target`.
pub fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let (t, b): (Vec<_>, Vec<_>) = (target.components().collect(), base.components().collect());
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    out
}
