//! The shape of the code, checked: the core's modules import each other in one direction (no
//! circle), and no function of the core, the runner or the library face is longer than 120 lines
//! (ARCHITECTURE.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use statecraft_tests::root;

/// Every `.rs` file below `dir`, relative to it.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("source folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p.strip_prefix(dir).expect("below").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A file's code without its test module (at the end of the file) and comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source");
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module file a `crate::a::b::...` path names: the longest prefix that is a file.
fn module_of(files: &[String], path: &[&str]) -> Option<String> {
    (1..=path.len()).rev().find_map(|k| {
        let stem = path[..k].join("/");
        [format!("{stem}.rs"), format!("{stem}/mod.rs")]
            .into_iter()
            .find(|f| files.contains(f))
    })
}

/// Edges file → files it refers to through `crate::` paths (in `use` lists too).
fn imports(src: &Path) -> BTreeMap<String, Vec<String>> {
    let files: Vec<String> = sources(src)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        if f == "lib.rs" || f == "testing.rs" {
            continue;
        }
        let mut text = code(&src.join(f));
        // `use crate::m;` then `m::x`: read as `crate::m::x`.
        let modules: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("use crate::")?.strip_suffix(';'))
            .filter(|m| m.chars().all(|c| c.is_alphanumeric() || c == '_'))
            .map(str::to_string)
            .collect();
        for m in &modules {
            text = text.replace(&format!(" {m}::"), &format!(" crate::{m}::"));
        }
        let mut deps = Vec::new();
        for (k, _) in text.match_indices("crate::") {
            let rest = &text[k + "crate::".len()..];
            let mut path: Vec<&str> = Vec::new();
            let mut tail = rest;
            while let Some(end) = tail.find(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if end == 0 {
                    break;
                }
                path.push(&tail[..end]);
                match tail[end..].strip_prefix("::") {
                    Some(t) if t.starts_with(|c: char| c.is_alphabetic()) => tail = t,
                    Some(t) if t.starts_with('{') => {
                        // A use list: each item is a path under the prefix.
                        let inner = &t[1..t.find('}').unwrap_or(t.len())];
                        for item in inner.split(',') {
                            let mut p = path.clone();
                            p.extend(item.trim().split("::").filter(|s| !s.is_empty()));
                            if let Some(m) = module_of(&files, &p) {
                                deps.push(m);
                            }
                        }
                        break;
                    }
                    _ => break,
                }
            }
            if let Some(m) = module_of(&files, &path) {
                deps.push(m);
            }
        }
        deps.retain(|d| d != f);
        deps.sort();
        deps.dedup();
        graph.insert(f.clone(), deps);
    }
    graph
}

/// A circle in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    // 0 = unseen, 1 = on the stack, 2 = done.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut c = stack[at..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for d in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, graph, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut state, &mut Vec::new()))
}

#[test]
fn the_core_modules_import_each_other_in_one_direction() {
    let graph = imports(&root().join("crates/statecraft-core/src"));
    assert!(graph.len() > 15, "{graph:?}");
    // The parser sees the edges that exist: the phases read the run's constants.
    assert!(graph["rules/trade.rs"].contains(&"rules/mod.rs".to_string()));
    assert!(graph["ctx.rs"].contains(&"world.rs".to_string()));
    // `use crate::rules;` then `rules::trade::run(...)` is an edge to the phase.
    assert!(graph["step.rs"].contains(&"rules/trade.rs".to_string()));
    if let Some(c) = circle(&graph) {
        panic!(
            "the core's modules import each other in a circle: {}",
            c.join(" -> ")
        );
    }
    // And the check finds a circle where there is one.
    let mut bad = graph.clone();
    bad.get_mut("ids.rs")
        .expect("ids.rs")
        .push("world.rs".into());
    assert!(circle(&bad).is_some());
}

/// Functions longer than `max` lines in the non-test code of the files below `dir`.
fn long_functions(dir: &Path, max: usize) -> Vec<String> {
    let mut long = Vec::new();
    for f in sources(dir) {
        let text = std::fs::read_to_string(dir.join(&f)).expect("source");
        let lines: Vec<&str> = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .collect();
        for (k, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "const fn ",
                "pub const fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') {
                continue;
            }
            let indent = &l[..l.len() - t.len()];
            let close = format!("{indent}}}");
            if let Some(end) = lines[k..].iter().position(|x| *x == close)
                && end + 1 > max
            {
                long.push(format!("{}:{} ({} lines)", f.display(), k + 1, end + 1));
            }
        }
    }
    long
}

#[test]
fn no_function_of_the_core_the_runner_the_api_the_results_or_the_cli_is_longer_than_120_lines() {
    for dir in [
        "crates/statecraft-core/src",
        "crates/statecraft-runner/src",
        "crates/statecraft-api/src",
        "crates/statecraft-results/src",
        "crates/statecraft-cli/src",
    ] {
        let long = long_functions(&root().join(dir), 120);
        assert!(long.is_empty(), "{dir}: {long:?}");
    }
    // The check sees functions: the core has some longer than 40 lines.
    assert!(!long_functions(&root().join("crates/statecraft-core/src"), 40).is_empty());
}
