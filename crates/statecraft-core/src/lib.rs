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
//! let outcome = Sim::new().run(&world, world.seed, 0, world.rounds, None);
//! ```

pub mod error;
pub mod invariants;
pub mod outcome;
pub mod param;
pub mod rng;
pub mod rules;
pub mod scenario;
pub mod state;
pub mod step;
pub mod strategy;
pub mod world;

pub use error::ScenarioError;
pub use outcome::{
    ACTOR_COLUMNS, ActorOutcome, METRICS, Outcome, Payoff, TrajectoryRow, metric_names,
};
pub use param::{Dist, Param};
pub use scenario::{Scenario, WorldSpec, parse, parse_world};
pub use step::Sim;
pub use strategy::Action;
pub use world::{ActorId, ParamId, World};
