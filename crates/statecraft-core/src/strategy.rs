//! Hegemon strategies and the five actions of the other actors (MODEL.md 3.2 and 3.3).
//! Plain enums matched by the rules: no trait objects.

use crate::ids::{ActorId, ParamId};

/// The hegemon's strategy, resolved (names to ids, numbers to parameter ids).
#[derive(Clone, Debug)]
pub enum Strategy {
    /// τ = 0, no fees, no targets, ℓ = 0.
    OpenOrder,
    /// A flat rate on the targets only, ℓ = 0.
    TargetedPunitive {
        /// Tariff on targets.
        rate: ParamId,
        /// Whether each actor is a target.
        targets: Vec<bool>,
    },
    /// The paid-access demand.
    PaidAccess(PaidAccess),
    /// Paid access scaled by a learned multiplier m_i.
    AdaptiveExtortion {
        /// Unscaled demands.
        base: PaidAccess,
        /// Growth of m_i after a concession.
        up: ParamId,
        /// Shrinkage of m_i after a retaliation that cost the hegemon more than it gained.
        down: ParamId,
        /// Bounds of m_i.
        bounds: (f64, f64),
    },
    /// Base tariff plus `step` per retaliation (Conybeare).
    Reciprocal {
        /// Base tariff.
        base: ParamId,
        /// Increment per retaliation.
        step: ParamId,
    },
    /// Paid access under a tariff cap from round 0.
    ConstrainedPaidAccess {
        /// Uncapped demands.
        base: PaidAccess,
        /// The cap.
        cap: ParamId,
    },
}

/// Paid-access parameters, per target where they differ.
#[derive(Clone, Debug)]
pub struct PaidAccess {
    /// Floor of the offer.
    pub floor: ParamId,
    /// Ceiling of the offer.
    pub max_rate: ParamId,
    /// Deal rate of each actor.
    pub deal_rate: Vec<ParamId>,
    /// Fee as a share of the bilateral surplus, per target.
    pub fee_share: Vec<ParamId>,
    /// Defence target, share of GDP.
    pub defense_target: ParamId,
    /// Host-nation demand of each actor, bn USD per year.
    pub host_fee: Vec<ParamId>,
    /// Linkage of security to compliance.
    pub linkage: ParamId,
    /// Caps a deal puts on measures: (measure, actor, cap).
    pub deal_caps: Vec<(usize, ActorId, ParamId)>,
    /// Pressure on targets without a deal.
    pub pressure: Option<Pressure>,
    /// Each target's investment pledge, if it has one.
    pub pledge: Vec<Option<Pledge>>,
    /// Each target's purchase commitment, if it has one.
    pub purchase: Vec<Option<Purchase>>,
    /// The deal as separate tracks: for each of [`crate::scenario::Track::ALL`], the chance per
    /// round that a breach is detected, `None` where the track is no condition. `None`: the
    /// bundle (every track paid in every deal round).
    pub conditions: Option<[Option<ParamId>; 3]>,
}

/// An investment pledge (MODEL.md 3.2), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Pledge {
    /// Headline stock, bn USD.
    pub stock: ParamId,
    /// Most disbursed a year, bn USD.
    pub per_year: ParamId,
    /// Share of a disbursement that returns to the pledger.
    pub returns: ParamId,
}

/// A purchase commitment (MODEL.md 3.2), resolved: (bn USD a year, the share of it lost to
/// the buyer, the years it runs from the start if limited).
pub type Purchase = (ParamId, ParamId, Option<ParamId>);

/// Pressure on a target without a deal (MODEL.md 3.2), resolved.
#[derive(Clone, Copy, Debug)]
pub struct Pressure {
    /// Rounds without a deal before the offer rises.
    pub after: u32,
    /// Added per round without a deal from then on.
    pub step: ParamId,
    /// The most pressure adds.
    pub max: ParamId,
}

impl Strategy {
    /// The paid-access parameters, for the strategies built on them.
    pub fn paid_access(&self) -> Option<&PaidAccess> {
        match self {
            Strategy::PaidAccess(p)
            | Strategy::AdaptiveExtortion { base: p, .. }
            | Strategy::ConstrainedPaidAccess { base: p, .. } => Some(p),
            _ => None,
        }
    }

    /// The cap on tariffs the strategy starts under (`ConstrainedPaidAccess`), if any.
    pub fn cap(&self) -> Option<ParamId> {
        match self {
            Strategy::ConstrainedPaidAccess { cap, .. } => Some(*cap),
            _ => None,
        }
    }
}

/// The USTR formula of 2 April 2025: τ = min(max_rate, max(floor, ½·(X_iH − X_Hi)/X_iH)),
/// with X_iH the hegemon's imports from i and X_Hi its exports to i. The floor and the
/// half-ratio are not added. An actor that sells the hegemon nothing gets the floor.
pub fn ustr_offer(imports_from_i: f64, exports_to_i: f64, floor: f64, max_rate: f64) -> f64 {
    let half_ratio = if imports_from_i > 0.0 {
        0.5 * (imports_from_i - exports_to_i) / imports_from_i
    } else {
        0.0
    };
    half_ratio.max(floor).min(max_rate)
}

/// The five actions of an actor facing the hegemon's demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Accept the deal: deal tariff, fees, defence target.
    Concede = 0,
    /// Counter-tariff on the hegemon; the hegemon escalates.
    Retaliate = 1,
    /// Refuse the deal and divert trade, build autonomy.
    Hedge = 2,
    /// Accept the deal while diverting at half speed.
    ConcedeHedge = 3,
    /// Accept the deal and align with the hegemon against the rival.
    Bandwagon = 4,
}

impl Action {
    /// All actions, in index order.
    pub const ALL: [Action; 5] = [
        Action::Concede,
        Action::Retaliate,
        Action::Hedge,
        Action::ConcedeHedge,
        Action::Bandwagon,
    ];

    /// Short code used in trajectories: C, R, G, CG, B.
    pub fn code(self) -> &'static str {
        match self {
            Action::Concede => "C",
            Action::Retaliate => "R",
            Action::Hedge => "G",
            Action::ConcedeHedge => "CG",
            Action::Bandwagon => "B",
        }
    }

    /// Whether the action accepts the hegemon's deal (C, CG, B).
    pub fn accepts_deal(self) -> bool {
        matches!(
            self,
            Action::Concede | Action::ConcedeHedge | Action::Bandwagon
        )
    }

    /// Whether the action takes the hegemon's deal (C, CG, B).
    pub fn deals(self) -> bool {
        matches!(
            self,
            Action::Concede | Action::ConcedeHedge | Action::Bandwagon
        )
    }

    /// Whether the action diverts trade (G, CG).
    pub fn hedges(self) -> bool {
        matches!(self, Action::Hedge | Action::ConcedeHedge)
    }

    /// w_a: how far the action defies the hegemon, the weight of the linkage ℓ in the security
    /// term (Snyder's abandonment, negative for entrapment; MODEL.md 3.3). Not the model
    /// constant `security_weight`, which scales the whole term.
    pub fn abandonment_weight(self) -> f64 {
        match self {
            Action::Bandwagon => -0.1,
            Action::Concede => 0.0,
            Action::ConcedeHedge => 0.25,
            Action::Hedge => 0.5,
            Action::Retaliate => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ustr_offer_floor_is_a_max_not_a_sum() {
        assert_eq!(ustr_offer(100.0, 200.0, 0.10, 0.5), 0.10);
        assert!((ustr_offer(438.9, 143.5, 0.10, 0.5) - 0.3365).abs() < 1e-3);
        assert_eq!(ustr_offer(136.6, 0.0, 0.10, 0.4), 0.4);
        assert_eq!(ustr_offer(0.0, 10.0, 0.10, 0.5), 0.10);
    }
}
