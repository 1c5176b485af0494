//! statecraft-core: the model of transactional alliances.
//!
//! State actors bound to one hegemon by trade and security respond each round to its demands
//! (tariffs, fees, defence targets): they concede, retaliate, hedge toward regional blocs,
//! concede while hedging, or bandwagon against the hegemon's rival. The crate is pure: no I/O,
//! no threads, no clocks; every random draw comes from a [`rng::SimRng`] derived from the
//! scenario seed and the run index. It cannot fail once [`World::from_scenario`] has accepted a
//! scenario.
//!
//! ```no_run
//! # let text = String::new();
//! use statecraft_core::{scenario, step::Sim, World};
//! let sc = scenario::parse(&text, "my.ron").unwrap();
//! let world = World::from_scenario(&sc, "my.ron").unwrap();
//! let outcome = Sim::new().run(&world, sc.seed, 0, world.rounds, None);
//! ```
//!
//! Modules, leaves first: `ids`, `matrix`, `measures`, `metric`, `param`, `rng`, `error`;
//! then `scenario` (the file format), `strategy`, `world` (+ `validate`), `ctx` (a run's
//! constants), `state`, `rules` (the phases), `outcome`, `invariants`, `step`.

pub mod ctx;
pub mod error;
pub mod ids;
pub mod invariants;
pub mod matrix;
pub mod measures;
pub mod metric;
pub mod outcome;
pub mod param;
pub mod rng;
pub mod rules;
pub mod scenario;
pub mod state;
pub mod step;
pub mod strategy;
#[cfg(test)]
mod testing;
mod validate;
pub mod world;

pub use error::ScenarioError;
pub use ids::{ActorId, ParamId};
pub use matrix::Matrix;
pub use metric::{ActorColumn, BlocMetric, Metric, RunMetric, TrajectoryColumn, WorldColumn};
pub use outcome::{
    ActorOutcome, Outcome, Payoff, TrajectoryRow, WorldRow, actor_columns, metric_names,
    number_columns, trajectory_numbers, world_columns,
};
pub use param::{Dist, Param};
pub use scenario::{Scenario, WorldSpec, parse, parse_world};
pub use step::Sim;
pub use strategy::Action;
pub use world::World;
