//! The state of one run: per-actor vectors (structure of arrays), the trade matrix and bloc
//! stages (DESIGN.md 2.2). Buffers are reused across runs by [`crate::step::Sim`].

use crate::scenario::Stage;
use crate::strategy::Action;

/// A bloc membership that was in force before the run started.
pub const ALWAYS: i64 = i64::MIN / 4;

/// The hegemon's demand on each actor in the current round (phase 1's output).
#[derive(Clone, Debug, Default)]
pub struct Demand {
    /// τ^offer_i.
    pub offer: Vec<f64>,
    /// τ^deal_i (never above the offer).
    pub deal: Vec<f64>,
    /// f_i: annual fee or pledge, bn USD.
    pub fee: Vec<f64>,
    /// F^sec_i: annual host-nation demand, bn USD.
    pub host: Vec<f64>,
    /// g: defence target, share of GDP (0 when none).
    pub defense_target: f64,
    /// ℓ: linkage of security to compliance.
    pub linkage: f64,
    /// Tariff after escalation against a retaliator: min(offer + Δτ_esc, max tariff, cap).
    pub escalated: Vec<f64>,
    /// ln(1 + x) of the actor's candidate tariffs, by [`Ln`] index: the trade factor of a
    /// tariff is then exp(−ε·ln). Recomputed only when the demand changes.
    pub ln: Vec<[f64; 5]>,
    /// (offer, deal, escalated) for which `ln` was computed.
    pub ln_key: Vec<[f64; 3]>,
}

/// Indices of [`Demand::ln`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ln {
    #[default]
    /// e·τ^offer.
    Offer = 0,
    /// e·τ^deal.
    Deal = 1,
    /// e·τ^escalated.
    Escalated = 2,
    /// e·τ^deal·(1 − β_B), the bandwagoner's tariff.
    Bandwagon = 3,
    /// The retaliator's counter-tariff ρ = match·τ^escalated (no exposure factor).
    Counter = 4,
}

/// Mutable state of a run.
#[derive(Clone, Debug, Default)]
pub struct State {
    /// Current round, 0-based.
    pub t: u32,
    /// The cap on tariffs once constrained.
    pub cap: f64,
    /// Round of the court ruling, if it came.
    pub court_round: Option<u32>,
    /// τ_i: headline tariff of the hegemon on i.
    pub tariff: Vec<f64>,
    /// τ_i of the previous round.
    pub tariff_prev: Vec<f64>,
    /// τ^offer_i of the previous round.
    pub offer_prev: Vec<f64>,
    /// Exports to the rival lost to a sanction this round, bn USD per year.
    pub sanction_loss: Vec<f64>,
    /// ρ_i: counter-tariff of i on the hegemon.
    pub counter: Vec<f64>,
    /// Trade factors (1 + x)^(−ε(t)) of the round for each candidate tariff of [`Ln`],
    /// computed once a round (in the response phase for actors that price their actions,
    /// after settlement for the others) and reused by trade and accounting.
    pub factors: Vec<[f64; 5]>,
    /// Whether `factors[i]` holds all five candidates this round (the actor priced its
    /// actions); otherwise only those trade and accounting read are filled, after settlement.
    pub factors_filled: Vec<bool>,
    /// Which candidate of [`Ln`] the tariff in force is (set by settlement).
    pub tariff_src: Vec<Ln>,
    /// η_i: hedge stock.
    pub hedge: Vec<f64>,
    /// Δη_i added this round.
    pub hedge_added: Vec<f64>,
    /// z_i: alignment with the hegemon against the rival.
    pub align: Vec<f64>,
    /// Δz_i added this round.
    pub align_added: Vec<f64>,
    /// κ_i: credibility of the hegemon's guarantee.
    pub cred: Vec<f64>,
    /// π_i: belief that the hegemon is an extortionist.
    pub belief: Vec<f64>,
    /// a_i: defence autonomy.
    pub autonomy: Vec<f64>,
    /// d_i: defence spending, share of GDP.
    pub defense: Vec<f64>,
    /// d_i of the previous round.
    pub defense_prev: Vec<f64>,
    /// Cumulative payments to the hegemon, bn USD.
    pub paid: Vec<f64>,
    /// Payments this round, bn USD.
    pub paid_now: Vec<f64>,
    /// m_i: the adaptive hegemon's multiplier.
    pub mult: Vec<f64>,
    /// Tariff added by the reciprocal hegemon.
    pub recip: Vec<f64>,
    /// Whether the hegemon has rolled its demand back to the deal rate.
    pub rolled_back: Vec<bool>,
    /// P_back expected after this round's retaliation.
    pub back_prob: Vec<f64>,
    /// Rounds the current deal has lasted (0 = no deal).
    pub deal_age: Vec<u32>,
    /// Action chosen this round (`None` for the hegemon).
    pub action: Vec<Option<Action>>,
    /// Action of the previous round.
    pub last_action: Vec<Option<Action>>,
    /// Rounds spent hedging (G or CG).
    pub hedge_rounds: Vec<u32>,
    /// Whether a `Grim` actor's trigger has been pulled (it retaliates from then on).
    pub grim: Vec<bool>,
    /// Per-actor sum over rounds of the expected security cost S_i(a) of the action taken,
    /// % of GDP (annual rate).
    pub security_sum: Vec<f64>,
    /// The hegemon's exports lost to counter-tariffs so far, Σ_i (X_Hi(0) − X_Hi)/rpy, bn USD.
    pub hegemon_trade_loss: f64,
    /// Rounds a rival sanction still lasts.
    pub sanction_left: Vec<u32>,
    /// X_ij: row i, column j, column n = rest of world. bn USD per year.
    pub exports: Vec<f64>,
    /// Stage of i in bloc b (`i * nb + b`).
    pub stage: Vec<Option<Stage>>,
    /// Round from which a membership is in force (`i * nb + b`), [`ALWAYS`] if from before.
    pub since: Vec<i64>,
    /// π_RTA premium between i and j this round (`i * n + j`).
    pub premium: Vec<f64>,
    /// Scratch: re-routing weights of one exporter, per column.
    pub weights: Vec<f64>,
    /// Re-routing shares of each exporter other than the hegemon (`i * (n + 1) + j`), valid
    /// while the premiums do not change.
    pub shares: Vec<f64>,
    /// Premiums and shares must be recomputed (a membership came into force).
    pub premium_dirty: bool,
    /// Last round in which some premium is still phasing in.
    pub phase_end: i64,
    /// Bit b set when i's membership of regional bloc b is in force this round.
    pub regional_mask: Vec<u64>,
    /// Scratch: the stages after this round's bloc phase, decided from `stage`.
    pub stage_next: Vec<Option<Stage>>,
    /// Actions counted per actor, indexed by `Action as usize`.
    pub counts: Vec<[u32; 5]>,
    /// The demand of the round.
    pub demand: Demand,
    /// Per-actor sum over rounds of the realised annual cost, share of GDP.
    pub cost_sum: Vec<f64>,
    /// Hegemon rent so far, bn USD.
    pub rent: f64,
    /// Sum over rounds of annual tariff revenue over the hegemon's GDP.
    pub consumer_cost_sum: f64,
    /// First round an ally's credibility fell below the rupture threshold.
    pub first_rupture: Option<u32>,
    /// First round the rival retaliated.
    pub rival_first_retaliation: Option<u32>,
    /// First round after that in which the rival did not retaliate.
    pub truce: Option<u32>,
}

fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

impl State {
    /// Resizes and zeroes every buffer for `n` actors and `nb` blocs.
    pub fn reset(&mut self, n: usize, nb: usize) {
        self.t = 0;
        self.cap = f64::INFINITY;
        self.court_round = None;
        for v in [
            &mut self.tariff,
            &mut self.tariff_prev,
            &mut self.offer_prev,
            &mut self.sanction_loss,
            &mut self.counter,
            &mut self.demand.escalated,
            &mut self.hedge,
            &mut self.hedge_added,
            &mut self.align,
            &mut self.align_added,
            &mut self.cred,
            &mut self.belief,
            &mut self.autonomy,
            &mut self.defense,
            &mut self.defense_prev,
            &mut self.paid,
            &mut self.paid_now,
            &mut self.recip,
            &mut self.back_prob,
            &mut self.cost_sum,
            &mut self.security_sum,
            &mut self.demand.offer,
            &mut self.demand.deal,
            &mut self.demand.fee,
            &mut self.demand.host,
        ] {
            reset(v, n, 0.0);
        }
        reset(&mut self.mult, n, 1.0);
        reset(&mut self.factors, n, [1.0; 5]);
        reset(&mut self.factors_filled, n, false);
        reset(&mut self.tariff_src, n, Ln::Offer);
        reset(&mut self.demand.ln, n, [0.0; 5]);
        reset(&mut self.demand.ln_key, n, [f64::NAN; 3]);
        reset(&mut self.rolled_back, n, false);
        reset(&mut self.deal_age, n, 0);
        reset(&mut self.action, n, None);
        reset(&mut self.last_action, n, None);
        reset(&mut self.hedge_rounds, n, 0);
        reset(&mut self.grim, n, false);
        reset(&mut self.sanction_left, n, 0);
        reset(&mut self.exports, n * (n + 1), 0.0);
        reset(&mut self.stage, n * nb, None);
        reset(&mut self.stage_next, n * nb, None);
        reset(&mut self.premium, n * n, 0.0);
        reset(&mut self.weights, n + 1, 0.0);
        reset(&mut self.shares, n * (n + 1), 0.0);
        self.premium_dirty = true;
        self.phase_end = ALWAYS;
        reset(&mut self.since, n * nb, ALWAYS);
        reset(&mut self.regional_mask, n, 0);
        reset(&mut self.counts, n, [0; 5]);
        self.demand.defense_target = 0.0;
        self.demand.linkage = 0.0;
        self.rent = 0.0;
        self.hegemon_trade_loss = 0.0;
        self.consumer_cost_sum = 0.0;
        self.first_rupture = None;
        self.rival_first_retaliation = None;
        self.truce = None;
    }
}
