//! The phases of a round (DESIGN.md 2.3), one module each, in the order `step` calls them.
//!
//! Each phase is a pure function of the run's constants ([`Ctx`]), the state and its own random
//! stream. Within a phase every actor decides from the same read-only state; decisions are
//! applied in `ActorId` order.

pub mod blocs;
pub mod demand;
pub mod learning;
pub mod response;
pub mod rival;
pub mod security;
pub mod settlement;
pub mod shocks;
pub mod trade;

use crate::scenario::{ActorParams, ModelParams};
use crate::world::{ActorId, ParamId, World};

/// The constants of one run: the world and the values drawn for it.
#[derive(Clone, Debug)]
pub struct Ctx<'w> {
    /// The validated world.
    pub world: &'w World,
    /// Drawn value of every parameter, by `ParamId`.
    pub values: &'w [f64],
    /// Model constants.
    pub m: ModelParams<f64>,
    /// Actor fields.
    pub actors: Vec<ActorParams<f64>>,
    /// λ_i.
    pub lambda: Vec<f64>,
    /// Number of actors.
    pub n: usize,
    /// Number of blocs.
    pub nb: usize,
    /// The hegemon.
    pub h: ActorId,
    /// The rival.
    pub rival: Option<ActorId>,
    /// Rounds per year, as a float.
    pub rpy: f64,
    /// Rounds of the run.
    pub rounds: u32,
    /// Unscaled paid-access demands per actor (empty for other strategies).
    pub paid_base: Vec<[f64; 4]>,
}

impl<'w> Ctx<'w> {
    /// The run's constants from the world and its drawn values.
    pub fn new(world: &'w World, values: &'w [f64], rounds: u32) -> Self {
        let get = |id: &ParamId| values[*id as usize];
        Ctx {
            world,
            values,
            m: world.model.map(get),
            actors: world.actors.iter().map(|a| a.map(get)).collect(),
            lambda: world.rationality.iter().map(get).collect(),
            n: world.n(),
            nb: world.blocs.len(),
            h: world.hegemon,
            rival: world.rival,
            rpy: f64::from(world.rounds_per_year),
            rounds,
            paid_base: match world.strategy.paid_access() {
                Some(p) => demand::paid_base(world, values, p),
                None => Vec::new(),
            },
        }
    }

    /// The drawn value of a parameter.
    #[inline]
    pub fn v(&self, id: ParamId) -> f64 {
        self.values[id as usize]
    }

    /// X_ij(0), bn USD per year (`j == n` is the rest of the world).
    #[inline]
    pub fn x0(&self, i: ActorId, j: usize) -> f64 {
        self.world.trade0[i * (self.n + 1) + j]
    }

    /// ε(t) = ε_LR − (ε_LR − ε_SR)·e^(−t/T_adj), t in years since the start
    /// (Boehm, Levchenko & Pandalai-Nayar 2023).
    pub fn elasticity(&self, t: u32) -> f64 {
        let years = f64::from(t) / self.rpy;
        let (sr, lr) = (self.m.elasticity_sr, self.m.elasticity_lr);
        lr - (lr - sr) * (-years / self.m.adjustment_years).exp()
    }

    /// F/rpy: the discounted number of rounds a change is expected to last,
    /// F = Σ_{k=1..T−t} δ^k, expressed in years.
    pub fn horizon_years(&self, t: u32) -> f64 {
        let left = f64::from(self.rounds.saturating_sub(t));
        let d = self.m.discount;
        let f = if d >= 1.0 {
            left
        } else {
            d * (1.0 - d.powf(left)) / (1.0 - d)
        };
        f / self.rpy
    }

    /// Whether `i` is an ally: neither the hegemon nor the rival.
    #[inline]
    pub fn is_ally(&self, i: ActorId) -> bool {
        i != self.h && Some(i) != self.rival
    }
}

/// The trade factor (1 + x)^(−ε) from ln(1 + x), computed once per demand (see
/// [`crate::state::Demand::ln`]).
#[inline]
pub fn factor_ln(ln1p: f64, eps: f64) -> f64 {
    if ln1p == 0.0 {
        1.0
    } else {
        (-eps * ln1p).exp()
    }
}
