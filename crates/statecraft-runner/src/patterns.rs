//! Pattern-oriented validation (Grimm et al. 2005): observed patterns declared as data, each
//! scored on every run; [`crate::abc`] turns the runs' pattern quantities into a posterior of
//! the uncertain parameters (approximate Bayesian computation).
//!
//! A pattern names a quantity of one run (a metric, a share of actions over a window of
//! rounds, a tariff at a round, an end-of-run actor value, a count of bloc members), a test on
//! it, and the share of runs in which it should hold. Names of actors, blocs, metrics and
//! actions are resolved against the world once; scoring cannot fail.

use serde::{Deserialize, Serialize};
use statecraft_core::scenario::Stage;
use statecraft_core::{
    Action, ActorColumn, Outcome, TrajectoryColumn, TrajectoryRow, World, actor_columns,
    metric_names,
};

/// A patterns file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    /// What the patterns describe and where they come from.
    #[serde(default)]
    pub description: String,
    /// The patterns.
    pub patterns: Vec<Pattern>,
}

/// One observed pattern.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// Short identifier, a column of `patterns.csv` (letters, digits, `_`).
    pub id: String,
    /// The pattern in words.
    pub name: String,
    /// The observation behind it.
    #[serde(default)]
    pub source: String,
    /// What is measured in a run.
    pub quantity: Quantity,
    /// The test the quantity must pass.
    pub test: Test,
    /// Share of runs in which the pattern should hold [default 0.5: "in most runs"].
    #[serde(default = "default_target")]
    pub target: f64,
    /// The quantity's value on the record, where the record gives one (a share of 3 of 3
    /// actors is 1.0). The ABC measures a run's distance from it; without it, from the test's
    /// region (MODEL.md 4.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<f64>,
}

fn default_target() -> f64 {
    0.5
}

/// A quantity of one run. Actor lists take names, `"@allies"` (every actor but the hegemon
/// and the rival) or `"@treaty_allies"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    /// A run metric by name (`share_concede`, `accessions_CPTPP`, ...); a run where it is
    /// undefined fails the pattern.
    Metric(String),
    /// Share of the actors' rounds in `rounds` (first, last; inclusive, 0-based) whose action
    /// is one of `actions` (codes C, R, G, CG, B). A round in which nothing was demanded of
    /// the actor counts, with no action: it keeps the status quo.
    ActionShare {
        /// The actors.
        actors: Vec<String>,
        /// Action codes.
        actions: Vec<String>,
        /// First and last round.
        rounds: (u32, u32),
    },
    /// Mean tariff τ_i of the actors after round `round` (a rate: 0.15 is 15%).
    Tariff {
        /// The actors.
        actors: Vec<String>,
        /// The round, 0-based.
        round: u32,
    },
    /// Mean of one `trajectories.csv` number column over the actors' rounds in `rounds`
    /// (first, last; inclusive, 0-based): `safeguard` (the share of those rounds with a
    /// safeguard in force), `sanction_loss`, `controls`, `hedge`, ...
    Trajectory {
        /// The actors.
        actors: Vec<String>,
        /// A number column of `trajectories.csv`.
        column: String,
        /// First and last round.
        rounds: (u32, u32),
    },
    /// Mean end-of-run value of one `actors.csv` column over the actors.
    Actor {
        /// The actors.
        actors: Vec<String>,
        /// A column of `actors.csv` (`defense`, `credibility`, ...).
        column: String,
    },
    /// Relative change of the actors' exports to the hegemon: their total over each round of
    /// the window (`exports_to_hegemon` of `trajectories.csv`, bn USD a year), averaged over
    /// the window's rounds, against their total at the start (the world's trade), minus 1:
    /// -0.24 is a fall of 24%.
    ExportChange {
        /// The actors.
        actors: Vec<String>,
        /// First and last round.
        rounds: (u32, u32),
    },
    /// How many of the actors are members in force of the bloc at the end of the run.
    Members {
        /// The actors.
        actors: Vec<String>,
        /// The bloc.
        bloc: String,
    },
}

/// A test on a quantity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Test {
    /// x < a.
    Lt(f64),
    /// x <= a.
    Le(f64),
    /// x > a.
    Gt(f64),
    /// x >= a.
    Ge(f64),
    /// a <= x <= b.
    Between(f64, f64),
}

impl Test {
    /// Whether `x` passes.
    pub fn passes(self, x: f64) -> bool {
        match self {
            Test::Lt(a) => x < a,
            Test::Le(a) => x <= a,
            Test::Gt(a) => x > a,
            Test::Ge(a) => x >= a,
            Test::Between(a, b) => a <= x && x <= b,
        }
    }
}

impl std::fmt::Display for Test {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Test::Lt(a) => write!(f, "< {a}"),
            Test::Le(a) => write!(f, "<= {a}"),
            Test::Gt(a) => write!(f, "> {a}"),
            Test::Ge(a) => write!(f, ">= {a}"),
            Test::Between(a, b) => write!(f, "in [{a}, {b}]"),
        }
    }
}

/// Refuses a window (first, last) that is empty or reaches past the scenario's `rounds`.
fn check_window(window: (u32, u32), rounds: u32, at: &str) -> Result<(), String> {
    if window.0 > window.1 || window.1 >= rounds {
        return Err(format!(
            "{at}.quantity.rounds: ({}, {}) must be a window of the scenario's rounds 0..{}",
            window.0,
            window.1,
            rounds - 1
        ));
    }
    Ok(())
}

/// A quantity with its names resolved.
#[derive(Clone, Debug)]
enum Resolved {
    Metric(usize),
    ActionShare {
        actors: Vec<usize>,
        actions: Vec<Action>,
        rounds: (u32, u32),
    },
    Tariff {
        actors: Vec<usize>,
        round: u32,
    },
    Actor {
        actors: Vec<usize>,
        column: ActorColumn,
    },
    Trajectory {
        actors: Vec<usize>,
        column: TrajectoryColumn,
        rounds: (u32, u32),
    },
    Members {
        actors: Vec<usize>,
        bloc: usize,
    },
    ExportChange {
        actors: Vec<usize>,
        rounds: (u32, u32),
        base: f64,
    },
}

/// A pattern file resolved against a world: ready to score runs.
#[derive(Clone, Debug)]
pub struct Scorer {
    patterns: Vec<Pattern>,
    resolved: Vec<Resolved>,
    needs_trajectory: bool,
}

fn actor_ids(world: &World, names: &[String], at: &str) -> Result<Vec<usize>, String> {
    let mut ids = Vec::new();
    for name in names {
        match name.as_str() {
            "@allies" => {
                ids.extend((0..world.n()).filter(|&i| i != world.hegemon && Some(i) != world.rival))
            }
            "@treaty_allies" => ids.extend((0..world.n()).filter(|&i| world.treaty_ally[i])),
            _ => ids.push(world.names.iter().position(|x| x == name).ok_or_else(|| {
                format!(
                    "{at}: unknown actor {name:?}; the actors are: {} (or @allies, @treaty_allies)",
                    world.names.join(", ")
                )
            })?),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(format!("{at}: the list of actors is empty"));
    }
    Ok(ids)
}

/// Resolves an [`Quantity::ExportChange`]: its actors and their exports to the hegemon at the
/// start.
fn export_change(
    world: &World,
    actors: &[String],
    window: (u32, u32),
    rounds: u32,
    at: &str,
) -> Result<Resolved, String> {
    check_window(window, rounds, at)?;
    let actors = actor_ids(world, actors, &format!("{at}.quantity.actors"))?;
    let base: f64 = actors
        .iter()
        .map(|&i| world.trade0[(i, world.hegemon)])
        .sum();
    if base <= 0.0 || actors.contains(&world.hegemon) {
        return Err(format!(
            "{at}.quantity.actors: the actors must be others than the hegemon and export to it at the start"
        ));
    }
    Ok(Resolved::ExportChange {
        actors,
        rounds: window,
        base,
    })
}

/// Resolves the names of one pattern's quantity against `world` (`metrics` its metric names,
/// `rounds` the scenario's rounds); `at` names the pattern in errors.
fn resolve(
    q: &Quantity,
    world: &World,
    metrics: &[String],
    rounds: u32,
    at: &str,
) -> Result<Resolved, String> {
    Ok(match q {
        Quantity::Metric(m) => {
            Resolved::Metric(metrics.iter().position(|x| x == m).ok_or_else(|| {
                format!(
                    "{at}.quantity: unknown metric {m:?}; the metrics are: {}",
                    metrics.join(", ")
                )
            })?)
        }
        Quantity::ActionShare {
            actors,
            actions,
            rounds: window,
        } => {
            let actions = actions
                .iter()
                .map(|c| {
                    Action::ALL
                        .into_iter()
                        .find(|a| a.code() == c)
                        .ok_or_else(|| {
                            format!(
                                "{at}.quantity.actions: unknown action {c:?}; the actions are C, R, G, CG, B"
                            )
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            check_window(*window, rounds, at)?;
            Resolved::ActionShare {
                actors: actor_ids(world, actors, &format!("{at}.quantity.actors"))?,
                actions,
                rounds: *window,
            }
        }
        Quantity::Tariff { actors, round } => {
            if *round >= rounds {
                return Err(format!(
                    "{at}.quantity.round: {round} is past the scenario's last round {}",
                    rounds - 1
                ));
            }
            Resolved::Tariff {
                actors: actor_ids(world, actors, &format!("{at}.quantity.actors"))?,
                round: *round,
            }
        }
        Quantity::Actor { actors, column } => Resolved::Actor {
            actors: actor_ids(world, actors, &format!("{at}.quantity.actors"))?,
            column: *ActorColumn::ALL
                .iter()
                .find(|c| c.name() == column)
                .ok_or_else(|| {
                    format!(
                        "{at}.quantity.column: unknown column {column:?}; the columns are: {}",
                        actor_columns().collect::<Vec<_>>().join(", ")
                    )
                })?,
        },
        Quantity::Trajectory {
            actors,
            column,
            rounds: window,
        } => {
            check_window(*window, rounds, at)?;
            let numbers = || {
                TrajectoryColumn::ALL
                    .iter()
                    .filter(|c| **c != TrajectoryColumn::Action)
                    .map(|c| c.name())
            };
            let column = *TrajectoryColumn::ALL
                .iter()
                .find(|c| c.name() == column && **c != TrajectoryColumn::Action)
                .ok_or_else(|| {
                    format!(
                        "{at}.quantity.column: unknown number column {column:?} of trajectories.csv; the columns are: {}",
                        numbers().collect::<Vec<_>>().join(", ")
                    )
                })?;
            Resolved::Trajectory {
                actors: actor_ids(world, actors, &format!("{at}.quantity.actors"))?,
                column,
                rounds: *window,
            }
        }
        Quantity::ExportChange {
            actors,
            rounds: window,
        } => export_change(world, actors, *window, rounds, at)?,
        Quantity::Members { actors, bloc } => Resolved::Members {
            actors: actor_ids(world, actors, &format!("{at}.quantity.actors"))?,
            bloc: world
                .blocs
                .iter()
                .position(|b| &b.name == bloc)
                .ok_or_else(|| {
                    let names: Vec<&str> = world.blocs.iter().map(|b| b.name.as_str()).collect();
                    format!(
                        "{at}.quantity.bloc: unknown bloc {bloc:?}; the blocs are: {}",
                        names.join(", ")
                    )
                })?,
        },
    })
}

impl Scorer {
    /// Resolves every name of `file` against `world`, whose runs last `rounds` rounds; errors
    /// name the pattern and field.
    pub fn new(file: &PatternFile, world: &World, rounds: u32) -> Result<Scorer, String> {
        if file.patterns.is_empty() {
            return Err("patterns: the list is empty".into());
        }
        let metrics = metric_names(world);
        let mut resolved = Vec::with_capacity(file.patterns.len());
        for (k, p) in file.patterns.iter().enumerate() {
            let at = format!("patterns[{k}] ({})", p.id);
            if p.id.is_empty() || !p.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "{at}.id: {:?} must be letters, digits and _ only",
                    p.id
                ));
            }
            if file.patterns[..k].iter().any(|q| q.id == p.id) {
                return Err(format!("{at}.id: {:?} appears twice", p.id));
            }
            if !(0.0..=1.0).contains(&p.target) {
                return Err(format!(
                    "{at}.target: {} is outside the allowed range [0, 1]",
                    p.target
                ));
            }
            let finite = match p.test {
                Test::Between(a, b) => a.is_finite() && b.is_finite() && a <= b,
                Test::Lt(a) | Test::Le(a) | Test::Gt(a) | Test::Ge(a) => a.is_finite(),
            };
            if !finite {
                return Err(format!(
                    "{at}.test: thresholds must be finite (and Between(a, b) needs a <= b)"
                ));
            }
            if p.observed.is_some_and(|o| !o.is_finite()) {
                return Err(format!("{at}.observed: must be a finite number"));
            }
            resolved.push(resolve(&p.quantity, world, &metrics, rounds, &at)?);
        }
        let needs_trajectory = resolved.iter().any(|r| {
            matches!(
                r,
                Resolved::ActionShare { .. }
                    | Resolved::Tariff { .. }
                    | Resolved::Trajectory { .. }
                    | Resolved::ExportChange { .. }
            )
        });
        Ok(Scorer {
            patterns: file.patterns.clone(),
            resolved,
            needs_trajectory,
        })
    }

    /// The patterns, in file order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether scoring needs the run's trajectory.
    pub fn needs_trajectory(&self) -> bool {
        self.needs_trajectory
    }

    /// The quantity of every pattern in one run (`None` where undefined) and whether it passes.
    pub fn score(
        &self,
        outcome: &Outcome,
        trajectory: &[TrajectoryRow],
        out: &mut Vec<(Option<f64>, bool)>,
    ) {
        out.clear();
        for (p, r) in self.patterns.iter().zip(&self.resolved) {
            let value = match r {
                Resolved::Metric(m) => outcome.metrics[*m],
                Resolved::ActionShare {
                    actors,
                    actions,
                    rounds,
                } => {
                    let (mut hit, mut all) = (0u32, 0u32);
                    for row in trajectory {
                        if row.round >= rounds.0
                            && row.round <= rounds.1
                            && actors.binary_search(&row.actor).is_ok()
                        {
                            // A round without a demand has no action: the status quo.
                            all += 1;
                            hit += u32::from(row.action.is_some_and(|a| actions.contains(&a)));
                        }
                    }
                    (all > 0).then(|| f64::from(hit) / f64::from(all))
                }
                Resolved::Tariff { actors, round } => {
                    let (mut sum, mut count) = (0.0, 0u32);
                    for row in trajectory {
                        if row.round == *round && actors.binary_search(&row.actor).is_ok() {
                            sum += row.tariff;
                            count += 1;
                        }
                    }
                    (count > 0).then(|| sum / f64::from(count))
                }
                Resolved::Trajectory {
                    actors,
                    column,
                    rounds,
                } => {
                    let (mut sum, mut count) = (0.0, 0u32);
                    for row in trajectory {
                        if row.round >= rounds.0
                            && row.round <= rounds.1
                            && actors.binary_search(&row.actor).is_ok()
                            && let Some(x) = row.value(*column)
                        {
                            sum += x;
                            count += 1;
                        }
                    }
                    (count > 0).then(|| sum / f64::from(count))
                }
                Resolved::Actor { actors, column } => Some(
                    actors
                        .iter()
                        .map(|&i| outcome.actors[i].get(*column))
                        .sum::<f64>()
                        / actors.len() as f64,
                ),
                Resolved::ExportChange {
                    actors,
                    rounds,
                    base,
                } => {
                    let (mut sum, mut count) = (0.0, 0usize);
                    for row in trajectory {
                        if row.round >= rounds.0
                            && row.round <= rounds.1
                            && actors.binary_search(&row.actor).is_ok()
                        {
                            sum += row.exports_to_hegemon;
                            count += 1;
                        }
                    }
                    (count > 0).then(|| sum * actors.len() as f64 / count as f64 / base - 1.0)
                }
                Resolved::Members { actors, bloc } => Some(
                    actors
                        .iter()
                        .filter(|&&i| outcome.stages[(i, *bloc)] == Some(Stage::InForce))
                        .count() as f64,
                ),
            };
            out.push((value, value.is_some_and(|x| p.test.passes(x))));
        }
    }
}
