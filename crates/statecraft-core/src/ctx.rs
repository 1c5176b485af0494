//! `Ctx`: the constants of one run, the world and the parameter values drawn for it, with the
//! formulas every phase shares (ε(t), the horizon, X(0)).

use crate::ids::{ActorId, ParamId};
use crate::matrix::Matrix;
use crate::scenario::{ActorParams, ModelParams};
use crate::strategy::{PaidAccess, ustr_offer};
use crate::world::World;

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
    /// c_il: share of actor i's exports to the hegemon that measure l covers (its export
    /// groups, and e_i where the measure stacks on the reciprocal line).
    pub cover: Matrix<f64>,
    /// The cap a deal puts on measure l for actor i (+∞ where none).
    pub deal_cap: Matrix<f64>,
    /// ρ of each actor's counter-tariff package, effective over the hegemon's exports to it
    /// (NaN where it has none and matches the tariff instead).
    pub package: Vec<f64>,
    /// Each actor's export controls at the drawn values (`None` where it has none).
    pub controls: Vec<Option<Controls>>,
    /// Each actor's safeguard at the drawn values (`None` where it has none).
    pub safeguard: Vec<Option<Guard>>,
    /// With the world's beliefs, their yearly recovery as a share per round, 1 − (1 −
    /// recovery)^(1/rpy) (phase 5 reads it every round); 0 without beliefs.
    pub recovery: f64,
    /// Which of the optional mechanisms the world uses: the phases skip the others' work.
    pub uses: Uses,
}

/// An actor's export controls at the run's drawn values (MODEL.md 3.4, phase 6), with what
/// the rules read of them, from the start's flows X(0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Controls {
    /// s_x: share of the actor's exports to each partner withheld.
    pub share: f64,
    /// λ_x: the importer's loss per dollar withheld.
    pub multiplier: f64,
    /// Share of the cut that falls on third countries' imports.
    pub spill: f64,
    /// Its sales withheld while the controls are in force, bn USD a year:
    /// s_x·(X_CH(0) + spill·Σ_j X_Cj(0)) over the actors j other than it and the hegemon.
    pub withheld: f64,
    /// Its added weight in the roll-back contest, λ_x·s_x·X_CH(0)/Y_H.
    pub weight: f64,
}

/// An actor's safeguard against deflected imports at the run's drawn values (MODEL.md 3.4,
/// trade).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guard {
    /// The inflow that triggers it, bn USD a year: θ times its imports at the start from the
    /// exporters other than the hegemon (the rest of the world exports nothing in the model).
    pub trigger: f64,
    /// κ: the share of the inflow above the trigger it blocks.
    pub cut: f64,
}

/// Which optional mechanisms of MODEL.md 3.2–3.4 a world uses (a world without them runs as
/// fast as before they existed).
#[derive(Clone, Copy, Debug, Default)]
pub struct Uses {
    /// Tariff lines besides the reciprocal one (or a ruling's interim surcharge).
    pub lines: bool,
    /// A timeline.
    pub events: bool,
    /// Counter-tariff packages with a trigger.
    pub triggers: bool,
    /// Investment pledges.
    pub pledges: bool,
    /// Own defence commitments.
    pub defense_paths: bool,
    /// Pressure on non-dealers.
    pub pressure: bool,
    /// A deal of separate tracks with conditions (not one bundle).
    pub tracks: bool,
    /// Purchase commitments.
    pub purchases: bool,
    /// Deal terms that keep part of a counter-tariff.
    pub keep_counter: bool,
    /// Deal terms with an expiry.
    pub expiry: bool,
    /// Export controls.
    pub controls: bool,
    /// Safeguards against deflected imports.
    pub safeguards: bool,
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
                Some(p) => paid_base(world, values, p),
                None => Vec::new(),
            },
            cover: cover(world, values),
            deal_cap: deal_cap(world, values),
            package: package(world, values),
            controls: controls(world, values),
            safeguard: safeguards(world, values),
            recovery: world.beliefs.map_or(0.0, |b| {
                1.0 - (1.0 - get(&b.recovery)).powf(1.0 / f64::from(world.rounds_per_year))
            }),
            uses: Uses {
                lines: !world.lines.measures.is_empty()
                    || world.court_shock.is_some_and(|c| c.interim.is_some()),
                events: !world.lines.events.is_empty(),
                triggers: world.package.iter().flatten().any(|p| p.trigger.is_some()),
                pledges: world
                    .strategy
                    .paid_access()
                    .is_some_and(|p| p.pledge.iter().any(Option::is_some)),
                defense_paths: world.defense_path.iter().any(Option::is_some),
                pressure: world
                    .strategy
                    .paid_access()
                    .is_some_and(|p| p.pressure.is_some()),
                tracks: world
                    .strategy
                    .paid_access()
                    .is_some_and(|p| p.conditions.is_some()),
                purchases: world
                    .strategy
                    .paid_access()
                    .is_some_and(|p| p.purchase.iter().any(Option::is_some)),
                keep_counter: world
                    .deal_terms
                    .iter()
                    .flatten()
                    .any(|d| values[d.keep_counter as usize] > 0.0),
                expiry: world
                    .deal_terms
                    .iter()
                    .flatten()
                    .any(|d| d.expiry.is_some()),
                controls: world.export_controls.iter().any(Option::is_some),
                safeguards: world.safeguard.iter().any(Option::is_some),
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
        self.world.trade0[(i, j)]
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

/// The unscaled paid-access demand on each actor (MODEL.md 3.2): [offer, deal rate, annual fee,
/// host-nation demand]. The offer is the USTR formula on the base flows X(0); the fee is
/// fee_share·max(0, X_iH − X_Hi). Zeros for the hegemon.
fn paid_base(world: &World, values: &[f64], p: &PaidAccess) -> Vec<[f64; 4]> {
    let v = |id: ParamId| values[id as usize];
    let h = world.hegemon;
    (0..world.n())
        .map(|i| {
            if i == h {
                return [0.0; 4];
            }
            let (m, x) = (world.trade0[(i, h)], world.trade0[(h, i)]);
            let offer = ustr_offer(m, x, v(p.floor), v(p.max_rate));
            [
                offer,
                v(p.deal_rate[i]),
                v(p.fee_share[i]) * (m - x).max(0.0),
                v(p.host_fee[i]),
            ]
        })
        .collect()
}

/// c_il for every actor and measure: the export groups the measure covers, plus e_i where it
/// covers the reciprocal share. Zero for the hegemon.
fn cover(world: &World, values: &[f64]) -> Matrix<f64> {
    let lines = &world.lines;
    let (n, nl) = (world.n(), lines.measures.len());
    let mut c = Matrix::new(n, nl, 0.0);
    for i in (0..n).filter(|&i| i != world.hegemon) {
        let e = values[world.actors[i].exposure as usize];
        for (l, m) in lines.measures.iter().enumerate() {
            c[(i, l)] = lines.group_cover[(i, l)] + if m.covers_reciprocal { e } else { 0.0 };
        }
    }
    c
}

/// The cap a deal puts on each measure for each actor (+∞ where the strategy sets none).
fn deal_cap(world: &World, values: &[f64]) -> Matrix<f64> {
    let mut c = Matrix::new(world.n(), world.lines.measures.len(), f64::INFINITY);
    if let Some(p) = world.strategy.paid_access() {
        for &(l, i, cap) in &p.deal_caps {
            c[(i, l)] = values[cap as usize];
        }
    }
    c
}

/// ρ of each package: its rate on the covered share of the hegemon's exports to the actor,
/// min(1, value/X_Hi(0)) (a package on a partner the hegemon sells nothing to covers nothing).
fn package(world: &World, values: &[f64]) -> Vec<f64> {
    let h = world.hegemon;
    world
        .package
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            None => f64::NAN,
            Some(p) => {
                let x = world.trade0[(h, i)];
                let share = if x > 0.0 {
                    (values[p.value as usize] / x).min(1.0)
                } else {
                    0.0
                };
                share * values[p.rate as usize]
            }
        })
        .collect()
}

/// Each actor's export controls at the drawn values, with the sales they withhold and their
/// weight in the roll-back contest (MODEL.md 3.3, 3.4), both from the start's flows.
fn controls(world: &World, values: &[f64]) -> Vec<Option<Controls>> {
    let v = |id: ParamId| values[id as usize];
    let h = world.hegemon;
    let yh = v(world.actors[h].gdp);
    world
        .export_controls
        .iter()
        .enumerate()
        .map(|(c, x)| {
            x.map(|x| {
                let (share, multiplier, spill) = (v(x.share), v(x.multiplier), v(x.spill));
                let to_h = world.trade0[(c, h)];
                let third: f64 = (0..world.n())
                    .filter(|&j| j != c && j != h)
                    .map(|j| world.trade0[(c, j)])
                    .sum();
                Controls {
                    share,
                    multiplier,
                    spill,
                    withheld: share * (to_h + spill * third),
                    weight: multiplier * share * to_h / yh,
                }
            })
        })
        .collect()
}

/// Each actor's safeguard at the drawn values: its trigger θ·M_j(0), M_j(0) = Σ_i X_ij(0) over
/// the exporters i other than it and the hegemon, and its cut κ.
fn safeguards(world: &World, values: &[f64]) -> Vec<Option<Guard>> {
    let v = |id: ParamId| values[id as usize];
    let h = world.hegemon;
    world
        .safeguard
        .iter()
        .enumerate()
        .map(|(j, g)| {
            g.map(|g| {
                let imports: f64 = (0..world.n())
                    .filter(|&i| i != j && i != h)
                    .map(|i| world.trade0[(i, j)])
                    .sum();
                Guard {
                    trigger: v(g.surge) * imports,
                    cut: v(g.cut),
                }
            })
        })
        .collect()
}
