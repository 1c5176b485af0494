//! The per-run state, in three parts (MODEL.md 1.2): the [`State`] of the world (what the rules
//! decide from), the run's [`Tallies`] (what the outcomes are computed from) and the
//! [`Cache`] of values derived from the state (trade factors, premiums, re-routing shares) and
//! scratch buffers. Vectors are per actor (structure of arrays); buffers are reused across runs
//! by [`crate::step::Sim`].

use crate::matrix::Matrix;
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
    /// b^offer_i: the effective tariff of the other lines (sectoral lines, surcharges) on i,
    /// trade-weighted, Σ_l c_il·τ_il (MODEL.md 3.2).
    pub base_offer: Vec<f64>,
    /// b^deal_i: the same under a deal, each line at most its deal cap.
    pub base_deal: Vec<f64>,
    /// ρ_i: the counter-tariff i would set if it retaliated (effective, trade-weighted).
    pub counter: Vec<f64>,
    /// Pressure added to the offer for rounds without a deal.
    pub pressure: Vec<f64>,
    /// Gross disbursement of i's investment pledge if it deals this round, bn USD.
    pub disburse: Vec<f64>,
    /// P_i: the hegemon's goods i commits to buy a year while in a deal, bn USD.
    pub purchase: Vec<f64>,
    /// The share of P_i that is a loss to i.
    pub purchase_cost: Vec<f64>,
}

impl Demand {
    fn reset(&mut self, n: usize) {
        for v in [
            &mut self.offer,
            &mut self.deal,
            &mut self.fee,
            &mut self.host,
            &mut self.escalated,
            &mut self.base_offer,
            &mut self.base_deal,
            &mut self.counter,
            &mut self.pressure,
            &mut self.disburse,
            &mut self.purchase,
            &mut self.purchase_cost,
        ] {
            reset(v, n, 0.0);
        }
        self.defense_target = 0.0;
        self.linkage = 0.0;
    }
}

/// The candidate tariffs an actor's trade factor is computed for: indices of
/// [`Cache::ln`] and [`Cache::factors`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ln {
    #[default]
    /// e·τ^offer + b^offer.
    Offer = 0,
    /// e·τ^deal + b^deal.
    Deal = 1,
    /// e·τ^escalated + b^offer.
    Escalated = 2,
    /// e·τ^deal·(1 − β_B) + b^deal, the bandwagoner's tariff.
    Bandwagon = 3,
    /// The retaliator's counter-tariff ρ (no exposure factor).
    Counter = 4,
}

/// The state of the world in a run: what the rules decide from and change.
#[derive(Clone, Debug, Default)]
pub struct State {
    /// Current round, 0-based.
    pub t: u32,
    /// The cap on tariffs once constrained.
    pub cap: f64,
    /// Round of the court ruling, if it came.
    pub court_round: Option<u32>,
    /// The demand of the round.
    pub demand: Demand,
    /// τ_i: the hegemon's reciprocal line on i, in force.
    pub tariff: Vec<f64>,
    /// b_i: the effective tariff of the other lines on i in force (b^offer or b^deal).
    pub tariff_base: Vec<f64>,
    /// b_i of the previous round.
    pub base_prev: Vec<f64>,
    /// b^offer_i of the previous round.
    pub base_offer_prev: Vec<f64>,
    /// What is left of each actor's investment pledge, bn USD (0 without one).
    pub pledge_left: Vec<f64>,
    /// Disbursed of each actor's investment pledge so far, bn USD (gross).
    pub disbursed: Vec<f64>,
    /// Consecutive rounds without a deal (for the hegemon's pressure).
    pub no_deal: Vec<u32>,
    /// The deal's tracks actor i keeps this round, bit t for [`crate::scenario::Track::ALL`]`[t]`
    /// (all set when the deal is one bundle).
    pub kept: Vec<u8>,
    /// Each line's rate set by the timeline on each actor (row i, column l).
    pub line_set: Matrix<f64>,
    /// Each line's pause cap on each actor (+∞ when not paused).
    pub line_pause: Matrix<f64>,
    /// The reciprocal offer set by the timeline on each actor (NaN: the strategy's own).
    pub recip_set: Vec<f64>,
    /// The reciprocal line's pause cap on each actor (+∞ when not paused).
    pub recip_pause: Vec<f64>,
    /// Bit b set once legal basis b is void.
    pub voided: u64,
    /// Whether the ruling's interim surcharge applies to each actor (set at the ruling: a
    /// line of the voided basis was in force on it).
    pub interim: Vec<bool>,
    /// Index of the next timeline event to apply.
    pub next_event: usize,
    /// Which candidate of [`Ln`] the tariff in force is (set by settlement).
    pub tariff_src: Vec<Ln>,
    /// τ_i of the previous round.
    pub tariff_prev: Vec<f64>,
    /// τ^offer_i of the previous round.
    pub offer_prev: Vec<f64>,
    /// ρ_i: counter-tariff of i on the hegemon.
    pub counter: Vec<f64>,
    /// η_i: hedge stock.
    pub hedge: Vec<f64>,
    /// Δη_i added this round.
    pub hedge_added: Vec<f64>,
    /// z_i: alignment with the hegemon against the rival.
    pub align: Vec<f64>,
    /// Δz_i added this round.
    pub align_added: Vec<f64>,
    /// z^C_i: alignment with the rival (the tilt toward it), z_i + z^C_i ≤ 1.
    pub tilt: Vec<f64>,
    /// Whether actor i took a security step with the hegemon in this round's deal (a defence
    /// rise the deal asked, or host-nation support paid).
    pub security_step: Vec<bool>,
    /// κ_i: credibility of the hegemon's guarantee.
    pub cred: Vec<f64>,
    /// π_i: belief that the hegemon is an extortionist.
    pub belief: Vec<f64>,
    /// θ_i: the threat it faces (its start value unless the world has beliefs).
    pub threat: Vec<f64>,
    /// Whether treaty ally i's guarantee has ruptured (κ_i fell below the threshold).
    pub ruptured: Vec<bool>,
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
    /// Rounds of the current deal's term: since it was made or last renewed (deal terms with
    /// an expiry only).
    pub term_age: Vec<u32>,
    /// Action chosen this round (`None` for the hegemon).
    pub action: Vec<Option<Action>>,
    /// Whether the actor answered a demand this round: `false` for the hegemon and where
    /// nothing was demanded (the status quo, which acts as C but is no answer: it enters no
    /// action tally and trajectories.csv leaves its action empty).
    pub answered: Vec<bool>,
    /// Action of the previous round.
    pub last_action: Vec<Option<Action>>,
    /// Rounds spent hedging (G or CG).
    pub hedge_rounds: Vec<u32>,
    /// Whether a `Grim` actor's trigger has been pulled (it retaliates from then on).
    pub grim: Vec<bool>,
    /// Rounds a rival sanction still lasts.
    pub sanction_left: Vec<u32>,
    /// Exports to the rival lost to a sanction this round, bn USD per year.
    pub sanction_loss: Vec<f64>,
    /// Sanctions the rival has imposed on each actor (renewals counted).
    pub sanctions: Vec<u32>,
    /// Exports to the rival each actor lost to its sanctions so far, bn USD.
    pub sanction_lost: Vec<f64>,
    /// Whether actor i's export controls are in force this round.
    pub controls_on: Vec<bool>,
    /// Rounds in which actor i's export controls were in force so far.
    pub controls_rounds: Vec<u32>,
    /// What actor i loses this round to other actors' export controls, bn USD per year.
    pub controls_loss: Vec<f64>,
    /// What actor i lost to other actors' export controls so far, bn USD.
    pub controls_lost: Vec<f64>,
    /// Whether actor i's safeguard against deflected imports is in force this round.
    pub safeguard_on: Vec<bool>,
    /// Rounds in which actor i's safeguard was in force so far.
    pub safeguard_rounds: Vec<u32>,
    /// Actor i's re-routed exports blocked this round by other actors' safeguards, bn USD a
    /// year.
    pub blocked: Vec<f64>,
    /// The share of actor i's re-routed exports blocked this round (read by the next round's
    /// response as the share its next hedge step would meet).
    pub blocked_share: Vec<f64>,
    /// Actor i's re-routed exports blocked by safeguards so far, bn USD.
    pub blocked_lost: Vec<f64>,
    /// The hegemon's goods actor i buys this round under a purchase commitment, bn USD a year.
    pub purchasing: Vec<f64>,
    /// Bought under purchase commitments so far, bn USD.
    pub purchased: Vec<f64>,
    /// X_ij: row i, column j, column n = rest of world. bn USD per year.
    pub exports: Matrix<f64>,
    /// Stage of actor i in bloc b.
    pub stage: Matrix<Option<Stage>>,
    /// Round from which a membership is in force, [`ALWAYS`] if from before the run.
    pub since: Matrix<i64>,
}

impl State {
    /// Resizes and zeroes every buffer for `n` actors and `nb` blocs.
    pub fn reset(&mut self, n: usize, nb: usize, nl: usize) {
        self.t = 0;
        self.cap = f64::INFINITY;
        self.voided = 0;
        self.next_event = 0;
        self.line_set.reset(n, nl, 0.0);
        self.line_pause.reset(n, nl, f64::INFINITY);
        reset(&mut self.recip_set, n, f64::NAN);
        reset(&mut self.recip_pause, n, f64::INFINITY);
        reset(&mut self.no_deal, n, 0);
        reset(&mut self.kept, n, ALL_TRACKS);
        self.court_round = None;
        reset(&mut self.interim, n, false);
        self.demand.reset(n);
        for v in [
            &mut self.tariff,
            &mut self.tariff_base,
            &mut self.base_prev,
            &mut self.base_offer_prev,
            &mut self.pledge_left,
            &mut self.disbursed,
            &mut self.tariff_prev,
            &mut self.offer_prev,
            &mut self.counter,
            &mut self.hedge,
            &mut self.hedge_added,
            &mut self.align,
            &mut self.align_added,
            &mut self.tilt,
            &mut self.cred,
            &mut self.belief,
            &mut self.threat,
            &mut self.autonomy,
            &mut self.defense,
            &mut self.defense_prev,
            &mut self.paid,
            &mut self.paid_now,
            &mut self.recip,
            &mut self.back_prob,
            &mut self.sanction_loss,
            &mut self.sanction_lost,
            &mut self.controls_loss,
            &mut self.controls_lost,
            &mut self.blocked,
            &mut self.blocked_share,
            &mut self.blocked_lost,
            &mut self.purchasing,
            &mut self.purchased,
        ] {
            reset(v, n, 0.0);
        }
        reset(&mut self.mult, n, 1.0);
        reset(&mut self.tariff_src, n, Ln::Offer);
        reset(&mut self.rolled_back, n, false);
        reset(&mut self.security_step, n, false);
        reset(&mut self.ruptured, n, false);
        reset(&mut self.deal_age, n, 0);
        reset(&mut self.term_age, n, 0);
        reset(&mut self.action, n, None);
        reset(&mut self.answered, n, false);
        reset(&mut self.last_action, n, None);
        reset(&mut self.hedge_rounds, n, 0);
        reset(&mut self.grim, n, false);
        reset(&mut self.sanction_left, n, 0);
        reset(&mut self.sanctions, n, 0);
        reset(&mut self.controls_on, n, false);
        reset(&mut self.controls_rounds, n, 0);
        reset(&mut self.safeguard_on, n, false);
        reset(&mut self.safeguard_rounds, n, 0);
        self.exports.reset(n, n + 1, 0.0);
        self.stage.reset(n, nb, None);
        self.since.reset(n, nb, ALWAYS);
    }
}

/// Every track of a deal kept: the bits of [`State::kept`].
pub const ALL_TRACKS: u8 = 0b111;

/// What the outcomes of a run are computed from, summed or noted as the rounds pass.
#[derive(Clone, Debug, Default)]
pub struct Tallies {
    /// Actions counted per actor, indexed by `Action as usize`.
    pub counts: Vec<[u32; 5]>,
    /// Per-actor sum over rounds of the realised annual cost, share of GDP.
    pub cost_sum: Vec<f64>,
    /// Per-actor sum over rounds of the expected security cost S_i(a) of the action taken,
    /// % of GDP (annual rate).
    pub security_sum: Vec<f64>,
    /// Per-actor sum over rounds of defence spending above its start, share of GDP.
    pub defense_sum: Vec<f64>,
    /// Hegemon rent so far, bn USD.
    pub rent: f64,
    /// The hegemon's exports lost to counter-tariffs so far, Σ_i (X_Hi(0) − X_Hi)/rpy, bn USD.
    pub hegemon_trade_loss: f64,
    /// First round an ally's credibility fell below the rupture threshold.
    pub first_rupture: Option<u32>,
    /// Treaty allies whose guarantee has ruptured.
    pub ruptures: u32,
    /// Per-actor sum over rounds of the annual price of its diverted stock, μ(1 + v)·D_i(η), share
    /// of GDP (part of `cost_sum`).
    pub diversion_sum: Vec<f64>,
    /// Per actor: deal rounds in which it left a track asked of it unkept.
    pub breaches: Vec<u32>,
    /// Per actor: deals the hegemon snapped back on a detected breach.
    pub snapbacks: Vec<u32>,
    /// Per-actor sum over rounds of national welfare from trade theory (MODEL.md 3.4,
    /// welfare), annual rate, share of GDP (negative: a loss).
    pub welfare_sum: Vec<f64>,
    /// Per actor: its net terms-of-trade transfer so far, bn USD (gains on its imports less
    /// what it bears of others' tariffs on its exports).
    pub terms_of_trade: Vec<f64>,
    /// The hegemon's tariff revenue so far, bn USD, and the part of it foreign exporters bore.
    pub revenue_borne: (f64, f64),
    /// The part of the hegemon's tariff revenue so far the rival's exporters bore, bn USD.
    pub rival_borne: f64,
    /// The duties the hegemon collected under the basis a ruling voids, up to the ruling, bn
    /// USD (counted only where the ruling refunds a share of them).
    pub voidable_revenue: f64,
    /// Per actor: deals that lapsed at their expiry, not renewed.
    pub lapses: Vec<u32>,
    /// Per actor: deals renewed at their expiry.
    pub renewals: Vec<u32>,
    /// First round the rival retaliated.
    pub rival_first_retaliation: Option<u32>,
    /// First round after that in which the rival did not retaliate.
    pub truce: Option<u32>,
    /// Per actor: deals made (a dealing action without a deal in force).
    pub deals: Vec<u32>,
    /// Per actor: deals re-opened by the renege hazard.
    pub reneges: Vec<u32>,
    /// Per actor: rounds that ended with a deal in force.
    pub deal_rounds: Vec<u32>,
    /// Per actor: the first round in which it made a deal.
    pub first_deal: Vec<Option<u32>>,
    /// The largest number of allies retaliating in one round.
    pub peak_coalition: u32,
    /// Sum over rounds of the hegemon's trade-weighted effective tariff.
    pub tariff_sum: f64,
    /// Largest over rounds of the hegemon's trade-weighted effective tariff.
    pub tariff_peak: f64,
}

impl Tallies {
    /// Zeroes every tally for `n` actors.
    pub fn reset(&mut self, n: usize) {
        reset(&mut self.counts, n, [0; 5]);
        reset(&mut self.cost_sum, n, 0.0);
        reset(&mut self.security_sum, n, 0.0);
        reset(&mut self.defense_sum, n, 0.0);
        reset(&mut self.diversion_sum, n, 0.0);
        reset(&mut self.welfare_sum, n, 0.0);
        reset(&mut self.terms_of_trade, n, 0.0);
        self.revenue_borne = (0.0, 0.0);
        self.rival_borne = 0.0;
        self.voidable_revenue = 0.0;
        reset(&mut self.breaches, n, 0);
        reset(&mut self.snapbacks, n, 0);
        reset(&mut self.lapses, n, 0);
        reset(&mut self.renewals, n, 0);
        self.rent = 0.0;
        self.hegemon_trade_loss = 0.0;
        self.first_rupture = None;
        self.ruptures = 0;
        self.rival_first_retaliation = None;
        self.truce = None;
        reset(&mut self.deals, n, 0);
        reset(&mut self.reneges, n, 0);
        reset(&mut self.deal_rounds, n, 0);
        reset(&mut self.first_deal, n, None);
        self.peak_coalition = 0;
        self.tariff_sum = 0.0;
        self.tariff_peak = 0.0;
    }
}

/// Values derived from the state, kept while what they derive from does not change, and
/// scratch buffers. Nothing here is read by the outcomes that the state does not determine.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// ln(1 + x) of the actor's candidate tariffs, by [`Ln`] index: the trade factor of a
    /// tariff is then exp(−ε·ln). Recomputed only when the demand changes.
    pub ln: Vec<[f64; 5]>,
    /// (offer, deal, escalated, b^offer, b^deal, ρ) for which `ln` was computed.
    pub ln_key: Vec<[f64; 6]>,
    /// Trade factors (1 + x)^(−ε(t)) of the round for each candidate tariff of [`Ln`]: all
    /// five for the actors whose response priced its actions, the ones trade and accounting
    /// read for the others ([`crate::rules::trade::fill_factors`]).
    pub factors: Vec<[f64; 5]>,
    /// Whether `factors[i]` holds all five candidates this round.
    pub factors_filled: Vec<bool>,
    /// π_RTA premium between i and j this round.
    pub premium: Matrix<f64>,
    /// Re-routing shares of each exporter other than the hegemon, per column, valid while
    /// the premiums do not change.
    pub shares: Matrix<f64>,
    /// Premiums and shares must be recomputed (a membership came into force).
    pub premium_dirty: bool,
    /// Last round in which some premium is still phasing in.
    pub phase_end: i64,
    /// Bit b set when i's membership of regional bloc b is in force this round.
    pub regional_mask: Vec<u64>,
    /// Scratch: the phase of each membership giving the premium this round
    /// ([`crate::rules::trade::phase`]; valid where `premium_mask` has the bit).
    pub phases: Matrix<f64>,
    /// Per actor, one bit per regional bloc or FTA in force: the agreements that give the
    /// premium (equal to `regional_mask` without FTAs).
    pub premium_mask: Vec<u64>,
    /// Scratch: re-routing weights of one exporter, per column.
    pub weights: Vec<f64>,
    /// Scratch: the stages this round's bloc phase changes, (actor, bloc, new stage) in
    /// (actor, bloc) order, decided from the state's.
    pub stage_changes: Vec<(usize, usize, Stage)>,
    /// The members in force of every bloc, bloc by bloc, each in actor order (bloc b's from
    /// `member_starts[b]` to `member_starts[b + 1]`): listed by the bloc phase when
    /// `members_dirty`, which the run's start and every membership coming into force set
    /// (memberships change nowhere else; debug builds check the list each round).
    pub members: Vec<usize>,
    /// Where each bloc's members start in `members`, and their end.
    pub member_starts: Vec<usize>,
    /// `members` must be listed again.
    pub members_dirty: bool,
    /// D_i(η) already computed for each actor at the round's elasticity (the response prices
    /// the stocks that accounting and welfare then book).
    pub diversion: Vec<DiversionMemo>,
    /// Scratch: the re-routed inflow X_ij − X_ij(0) (at least 0) from exporter i into j this
    /// round, before safeguards (zero where i is j or the hegemon, or j the hegemon).
    pub inflow: Matrix<f64>,
    /// Scratch: the column sums of `inflow` over the exporters (the inflow into each actor),
    /// accumulated row by row in exporter order, as a sum down each column adds them.
    pub inflow_total: Vec<f64>,
    /// Scratch: the safeguards in force this round, (importer, share of its inflow blocked),
    /// in importer order.
    pub cuts: Vec<(usize, f64)>,
    /// (events applied, bases voided, bits of the interim surcharge) for which `lines` holds
    /// an actor's (b^offer, b^deal) ([`crate::rules::lines::effective`]).
    pub lines_key: Vec<[u64; 3]>,
    /// (b^offer, b^deal) of each actor at `lines_key`.
    pub lines: Vec<(f64, f64)>,
    /// The security term of each action (by `Action as usize`) the response priced for an
    /// actor this round (valid where `factors_filled`); accounting books the one taken.
    pub security: Vec<[f64; 5]>,
}

/// A memo of [`crate::rules::settlement::diversion_loss`] for one actor: the elasticity it
/// holds values for, and up to three (η, D_i(η)) pairs (NaN keys are empty). A pure
/// function's values, reused bit for bit.
#[derive(Clone, Copy, Debug)]
pub struct DiversionMemo {
    /// The elasticity ε of the values held.
    pub eps: f64,
    /// (η, D_i(η)) pairs.
    pub at: [(f64, f64); 3],
}

impl Default for DiversionMemo {
    fn default() -> Self {
        Self {
            eps: f64::NAN,
            at: [(f64::NAN, 0.0); 3],
        }
    }
}

impl DiversionMemo {
    /// The value held for (η, ε), if any.
    #[inline]
    pub fn get(&self, eta: f64, eps: f64) -> Option<f64> {
        if self.eps.to_bits() != eps.to_bits() {
            return None;
        }
        self.at
            .iter()
            .find(|(k, _)| k.to_bits() == eta.to_bits())
            .map(|&(_, v)| v)
    }

    /// Holds `value` for (η, ε): forgets the values of another elasticity, and the third
    /// pair when all three are taken.
    #[inline]
    pub fn put(&mut self, eta: f64, eps: f64, value: f64) {
        if self.eps.to_bits() != eps.to_bits() {
            *self = Self::default();
            self.eps = eps;
        }
        let slot = self.at.iter().position(|(k, _)| k.is_nan()).unwrap_or(2);
        self.at[slot] = (eta, value);
    }
}

impl Cache {
    /// Empties every cache for `n` actors and `nb` blocs.
    pub fn reset(&mut self, n: usize, nb: usize) {
        reset(&mut self.ln, n, [0.0; 5]);
        reset(&mut self.ln_key, n, [f64::NAN; 6]);
        reset(&mut self.factors, n, [1.0; 5]);
        reset(&mut self.factors_filled, n, false);
        self.premium.reset(n, n, 0.0);
        self.shares.reset(n, n + 1, 0.0);
        self.premium_dirty = true;
        self.phase_end = ALWAYS;
        reset(&mut self.regional_mask, n, 0);
        reset(&mut self.premium_mask, n, 0);
        self.phases.reset(n, nb, 0.0);
        reset(&mut self.weights, n + 1, 0.0);
        self.stage_changes.clear();
        self.stage_changes.reserve(n * nb);
        self.members.clear();
        self.members.reserve(n * nb);
        self.member_starts.clear();
        self.member_starts.reserve(nb + 1);
        self.members_dirty = true;
        reset(&mut self.diversion, n, DiversionMemo::default());
        self.inflow.reset(n, n + 1, 0.0);
        reset(&mut self.inflow_total, n, 0.0);
        self.cuts.clear();
        self.cuts.reserve(n);
        reset(&mut self.lines_key, n, [u64::MAX; 3]);
        reset(&mut self.lines, n, (0.0, 0.0));
        reset(&mut self.security, n, [0.0; 5]);
    }
}

fn reset<T: Clone>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}
