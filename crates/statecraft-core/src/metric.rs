//! Every quantity the model reports, defined once: its name (the column in result files), its
//! unit and a one-line definition (MODEL.md 3.5 says more). Run-level metrics are
//! [`RunMetric`]s, with per-bloc [`BlocMetric`]s after them; per-actor results are
//! [`ActorColumn`]s, per-round rows [`TrajectoryColumn`]s and the per-round world series
//! [`WorldColumn`]s. Result files, terminal tables and
//! the report take their names and units from here.

/// Name, unit and definition of one reported quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Column name in result files.
    pub name: &'static str,
    /// Unit, for tables and axis labels.
    pub unit: &'static str,
    /// One-line definition.
    pub definition: &'static str,
}

const fn m(name: &'static str, unit: &'static str, definition: &'static str) -> Metric {
    Metric {
        name,
        unit,
        definition,
    }
}

/// Declares an enum of reported quantities and the table of their [`Metric`]s, in one order.
macro_rules! metrics {
    ($(#[$doc:meta])* $ty:ident, $table:ident, [$($(#[$vdoc:meta])* $v:ident = $def:expr,)*]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $ty {
            $($(#[$vdoc])* $v,)*
        }

        #[doc = concat!("Every [`", stringify!($ty), "`]'s name, unit and definition, in column order.")]
        pub const $table: &[Metric] = &[$($def,)*];

        impl $ty {
            #[doc = concat!("Every [`", stringify!($ty), "`], in column order.")]
            pub const ALL: &[$ty] = &[$($ty::$v,)*];

            /// Name, unit and definition.
            #[inline]
            pub const fn info(self) -> &'static Metric {
                &$table[self as usize]
            }

            /// The column name.
            #[inline]
            pub const fn name(self) -> &'static str {
                self.info().name
            }
        }
    };
}

metrics!(
    /// The run-level metrics of every world, in column order (per-bloc metrics follow).
    RunMetric, RUN_METRICS, [
    /// Tariff revenue and payments over the run.
    HegemonRent = m("hegemon_rent", "bn USD over the run",
        "sum over rounds of e_i·τ_i·X_iH/rpy plus payments"),
    /// The allies' realised cost.
    AllyWelfareLoss = m("ally_welfare_loss", "% of GDP per year",
        "GDP-weighted mean over allies of the mean realised annual cost"),
    /// The allies' national welfare from trade theory.
    AllyWelfare = m("ally_welfare", "% of GDP per year",
        "GDP-weighted mean over allies of mean annual national welfare (negative: a loss; MODEL.md 3.4, welfare)"),
    /// The hegemon's national welfare from trade theory.
    HegemonWelfare = m("hegemon_welfare", "% of hegemon GDP per year",
        "mean annual national welfare of the hegemon: revenue, terms of trade and transfers less consumer cost and lost export rent"),
    /// Who pays the hegemon's tariffs.
    IncidenceForeign = m("incidence_foreign", "share of tariff revenue",
        "share of the hegemon's tariff revenue over the run borne by foreign exporters' prices (the rest by its consumers; empty if none)"),
    /// The rival's part of it.
    IncidenceRival = m("incidence_rival", "share of tariff revenue",
        "share of the hegemon's tariff revenue over the run borne by the rival's exporters' prices (part of incidence_foreign; the allies' and others' exporters bear the rest of it; empty without revenue or a rival)"),
    /// Credibility of the guarantee among treaty allies.
    AllianceCohesion = m("alliance_cohesion", "credibility (0-1)",
        "GDP-weighted mean credibility κ over treaty allies at T"),
    /// First round of a rupture.
    FirstRuptureRound = m("first_rupture_round", "round",
        "first round a treaty ally's κ fell below rupture_threshold (empty if none)"),
    /// Treaty allies ruptured.
    Ruptures = m("ruptures", "treaty allies",
        "treaty allies whose κ fell below rupture_threshold during the run (each once; with the world's `rupture` they left the guarantee)"),
    /// Allies' trade inside regional blocs.
    RegionalTradeShare = m("regional_trade_share", "share of allies' exports",
        "allies' exports to partners sharing a regional bloc in force / their total exports, at T"),
    /// Fall of trade crossing bloc lines.
    Fragmentation = m("fragmentation", "1 - crossing share ratio",
        "1 − (share of world trade crossing regional-bloc lines at T / at 0)"),
    /// Change of export concentration.
    ExportHhiChange = m("export_hhi_change", "change of HHI",
        "mean over actors of the change of the export-destination Herfindahl index"),
    /// Allies' defence autonomy.
    MeanAutonomy = m("mean_autonomy", "autonomy (0-1)", "mean autonomy a_i over allies at T"),
    /// Treaty allies at the defence benchmark.
    AlliesAt35Pct = m("allies_at_3_5pct", "share of treaty allies",
        "share of treaty allies with defence ≥ defense_benchmark at T"),
    /// Share of concessions.
    ShareConcede = m("share_concede", "share of ally-rounds",
        "share of C over the ally-rounds with a demand (empty if none had one)"),
    /// Share of retaliations.
    ShareRetaliate = m("share_retaliate", "share of ally-rounds",
        "share of R over the ally-rounds with a demand (empty if none had one)"),
    /// Share of hedges.
    ShareHedge = m("share_hedge", "share of ally-rounds",
        "share of G over the ally-rounds with a demand (empty if none had one)"),
    /// Share of concede-and-hedge.
    ShareConcedeHedge = m("share_concede_hedge", "share of ally-rounds",
        "share of CG over the ally-rounds with a demand (empty if none had one)"),
    /// Share of bandwagoning.
    ShareBandwagon = m("share_bandwagon", "share of ally-rounds",
        "share of B over the ally-rounds with a demand (empty if none had one)"),
    /// Length of the rival's retaliation.
    RoundsToTruce = m("rounds_to_truce", "rounds",
        "rounds from the rival's first retaliation to its first round without one (empty if none)"),
    /// Round of the court ruling.
    CourtRulingRound = m("court_ruling_round", "round",
        "round of the authority shock (empty if none)"),
    /// Allies with a deal in force, per round.
    DealsInForce = m("deals_in_force", "allies",
        "mean over rounds of the number of allies with a deal in force at the end of the round"),
    /// Time to a deal.
    TimeToDeal = m("time_to_deal", "round",
        "mean over the allies that made a deal of the round of their first (empty if none)"),
    /// How long a deal lasts.
    DealDuration = m("deal_duration", "rounds per deal",
        "allies' rounds with a deal in force / deals they made (empty if none)"),
    /// Deals re-opened by the renege hazard.
    Reneges = m("reneges", "deals",
        "allies' deals re-opened by the renege hazard over the run"),
    /// The largest coalition of retaliators.
    PeakCoalition = m("peak_coalition", "allies",
        "largest number of allies retaliating in the same round"),
    /// The hegemon's effective tariff, mean over rounds.
    HegemonTariffMean = m("hegemon_tariff_mean", "rate (0.10 = 10%)",
        "mean over rounds of the hegemon's trade-weighted effective tariff Σ τ^eff_i·X_iH / Σ X_iH over actors"),
    /// The hegemon's effective tariff, peak over rounds.
    HegemonTariffPeak = m("hegemon_tariff_peak", "rate (0.10 = 10%)",
        "largest over rounds of the hegemon's trade-weighted effective tariff (peak escalation)"),
    /// Allies' exports to the hegemon.
    AllyShareHegemon = m("ally_share_hegemon", "share of allies' exports",
        "allies' exports to the hegemon / their total exports, at T"),
    /// Allies' exports to the rival.
    AllyShareRival = m("ally_share_rival", "share of allies' exports",
        "allies' exports to the rival / their total exports, at T (empty without a rival)"),
    /// Treaty allies' defence change.
    AllyDefenseChange = m("ally_defense_change", "share of GDP",
        "GDP-weighted mean over treaty allies of d_i(T) − d_i(0)"),
    /// Investment pledges disbursed against their headlines.
    PledgeShare = m("pledge_share", "share of headline pledges",
        "investment pledges disbursed by T / their headline stocks, over actors with one (empty if none)"),
    /// Allies' alignment with the hegemon.
    AllyAlignment = m("ally_alignment", "alignment (0-1)",
        "GDP-weighted mean over allies of z_i (toward the hegemon) at T"),
    /// Allies' alignment with the rival.
    AllyAlignmentRival = m("ally_alignment_rival", "alignment (0-1)",
        "GDP-weighted mean over allies of z^C_i (toward the rival) at T"),
    /// The rival's national welfare.
    RivalWelfare = m("rival_welfare", "% of rival GDP per year",
        "mean annual national welfare of the rival (empty without a rival)"),
    /// The rival's exports.
    RivalExportsChange = m("rival_exports_change", "relative change",
        "the rival's total exports at T / at 0 − 1, rest of world included (empty without a rival)"),
]);

metrics!(
    /// The per-bloc run-level metrics: each is a column per bloc, `<name>_<bloc>`, all blocs of
    /// one metric before the next.
    BlocMetric, BLOC_METRICS, [
    /// New members in force.
    Accessions = m("accessions", "new members",
        "actors whose membership came into force during the run and has been in force"),
    /// Pending applications.
    Pending = m("pending", "pending applicants", "applications pending at T"),
    /// The first entry into force.
    Entry = m("entry", "round",
        "round from which the first membership that came into force during the run is in force (for an FTA: its entry into force; empty if none)"),
]);

metrics!(
    /// The per-actor result columns of `actors.csv`, in column order.
    ActorColumn, ACTOR_METRICS, [
    /// Whether the actor is a treaty ally of the hegemon (1) or not (0).
    Treaty = m("treaty", "0/1",
        "1 if the actor is a treaty ally of the hegemon (its guarantee, the defence target), else 0"),
    /// Y_i drawn for the run.
    Gdp = m("gdp", "bn USD per year",
        "GDP drawn for the run (the weight of the GDP-weighted metrics)"),
    /// τ_i at T.
    Tariff = m("tariff", "rate (0.10 = 10%)", "headline tariff of the hegemon on the actor at T"),
    /// τ^eff_i at T.
    TariffEff = m("tariff_eff", "rate (0.10 = 10%)", "effective tariff at T, e_i·τ_i + b_i over all lines (trade-weighted)"),
    /// ρ_i at T.
    CounterTariff = m("counter_tariff", "rate (0.10 = 10%)",
        "the actor's counter-tariff on the hegemon at T"),
    /// κ_i at T.
    Credibility = m("credibility", "credibility (0-1)",
        "credibility of the hegemon's guarantee at T"),
    /// a_i at T.
    Autonomy = m("autonomy", "autonomy (0-1)", "defence autonomy at T"),
    /// η_i at T.
    Hedge = m("hedge", "share of exports to the hegemon", "hedge stock at T"),
    /// z_i at T.
    Alignment = m("alignment", "alignment (0-1)",
        "alignment with the hegemon against the rival at T"),
    /// z^C_i at T.
    AlignmentRival = m("alignment_rival", "alignment (0-1)",
        "alignment with the rival (the tilt toward it) at T"),
    /// Belief that the hegemon is an extortionist.
    Belief = m("belief", "probability (0-1)", "π: belief that the hegemon is an extortionist, at T"),
    /// Threat faced.
    Threat = m("threat", "threat (0-1)",
        "θ: the threat the actor faces at T (its start value unless the world has beliefs)"),
    /// d_i at T.
    Defense = m("defense", "share of GDP", "defence spending at T"),
    /// Cumulative payments.
    Paid = m("paid", "bn USD", "cumulative payments to the hegemon"),
    /// Cumulative disbursements of an investment pledge.
    PledgeDisbursed = m("pledge_disbursed", "bn USD",
        "investment pledge disbursed so far (gross, the returning share included)"),
    /// Bought under a purchase commitment.
    Purchased = m("purchased", "bn USD",
        "the hegemon's goods bought under a purchase commitment so far (0 without one)"),
    /// Realised cost.
    WelfareLoss = m("welfare_loss", "% of GDP per year", "mean realised annual cost"),
    /// The price of diversion, part of the realised cost.
    DiversionCost = m("diversion_cost", "% of GDP per year",
        "mean annual price of the diverted stock in the actor's other markets (part of welfare_loss)"),
    /// National welfare from trade theory.
    Welfare = m("welfare", "% of GDP per year",
        "mean annual national welfare (negative: a loss): producer rent on net export revenue, terms of trade, tariff revenue less consumer cost, transfers (MODEL.md 3.4, welfare)"),
    /// Net terms-of-trade transfer.
    TermsOfTrade = m("terms_of_trade", "bn USD",
        "what exporters bore of its tariffs less what it bore of others' tariffs, over the run"),
    /// X_iH at T.
    ExportsToHegemon = m("exports_to_hegemon", "bn USD per year", "exports to the hegemon at T"),
    /// Rounds of C.
    NConcede = m("n_concede", "rounds", "rounds the actor conceded to a demand (a round without one is no answer)"),
    /// Rounds of R.
    NRetaliate = m("n_retaliate", "rounds", "rounds the actor retaliated"),
    /// Rounds of G.
    NHedge = m("n_hedge", "rounds", "rounds the actor hedged"),
    /// Rounds of CG.
    NConcedeHedge = m("n_concede_hedge", "rounds", "rounds the actor conceded and hedged"),
    /// Rounds of B.
    NBandwagon = m("n_bandwagon", "rounds", "rounds the actor bandwagoned"),
    /// Deal rounds with a track broken.
    NBreach = m("n_breach", "rounds",
        "deal rounds in which the actor left a track the deal asked of it unkept (separate tracks only)"),
    /// Snap-backs on a detected breach.
    NSnapback = m("n_snapback", "deals",
        "deals the hegemon snapped back to the offer on a detected breach of a condition"),
    /// Deals lapsed at their expiry.
    NLapse = m("n_lapse", "deals",
        "deals that reached their expiry and lapsed back to the offer, not renewed (deal terms with an expiry only)"),
    /// Deals renewed at their expiry.
    NRenewal = m("n_renewal", "deals",
        "deals renewed at their expiry for as long again (deal terms with an expiry only)"),
    /// Blocs applied to.
    BlocsApplied = m("blocs_applied", "blocs",
        "blocs the actor has applied to at T, pending or in force, that it was not a member of at the start"),
    /// Blocs acceded to.
    BlocsAcceded = m("blocs_acceded", "blocs",
        "blocs the actor joined during the run (in force by T, as accessions_<bloc> counts them)"),
    /// Rival sanctions imposed.
    NSanctioned = m("n_sanctioned", "sanctions",
        "sanctions the rival imposed on the actor (a renewal while one lasts counts)"),
    /// Exports lost to rival sanctions.
    SanctionLost = m("sanction_lost", "bn USD",
        "exports to the rival cut by its sanctions over the run"),
    /// Rounds with the actor's export controls in force.
    NControls = m("n_controls", "rounds",
        "rounds in which the actor's export controls were in force (rounds it retaliated; 0 without controls)"),
    /// Lost to other actors' export controls.
    ControlsLost = m("controls_lost", "bn USD",
        "what the actor lost over the run to other actors' export controls (the hegemon included)"),
    /// Rounds with the actor's safeguard in force.
    NSafeguard = m("n_safeguard", "rounds",
        "rounds in which the actor's safeguard against deflected imports was in force (0 without one)"),
    /// Re-routed exports blocked by others' safeguards.
    SafeguardBlocked = m("safeguard_blocked", "bn USD",
        "the actor's re-routed exports blocked by other actors' safeguards over the run"),
    /// Deals made.
    NDeals = m("n_deals", "deals", "deals the actor made (a C, CG or B round without a deal in force)"),
    /// Deals re-opened by the renege hazard.
    NRenege = m("n_renege", "deals", "the actor's deals re-opened by the renege hazard"),
    /// Rounds with a deal in force.
    DealRounds = m("deal_rounds", "rounds", "rounds that ended with a deal in force"),
    /// d_i(T) − d_i(0).
    DefenseChange = m("defense_change", "share of GDP", "defence spending at T less at the start"),
    /// Export share to the hegemon at T.
    ShareHegemon = m("share_hegemon", "share of exports (0-1)",
        "exports to the hegemon / total exports (rest of world included), at T"),
    /// Export share to the rival at T.
    ShareRival = m("share_rival", "share of exports (0-1)",
        "exports to the rival / total exports, at T"),
    /// Export share to bloc partners at T.
    ShareBloc = m("share_bloc", "share of exports (0-1)",
        "exports to partners sharing a regional bloc in force, other than the hegemon and the rival / total exports, at T"),
    /// Export share to the rest at T.
    ShareRest = m("share_rest", "share of exports (0-1)",
        "the rest of total exports (other actors and the rest of the world) / total exports, at T"),
]);

metrics!(
    /// The per-round columns of a trajectory row (after `run`, `round` and `actor`).
    TrajectoryColumn, TRAJECTORY_METRICS, [
    /// τ_i.
    Tariff = m("tariff", "rate (0.10 = 10%)", "headline tariff of the hegemon on the actor"),
    /// τ^eff_i.
    TariffEff = m("tariff_eff", "rate (0.10 = 10%)",
        "effective tariff, e_i·τ_i + b_i over all lines (trade-weighted)"),
    /// ρ_i.
    CounterTariff = m("counter_tariff", "rate (0.10 = 10%)",
        "the actor's counter-tariff on the hegemon"),
    /// X_iH.
    ExportsToHegemon = m("exports_to_hegemon", "bn USD per year", "exports to the hegemon"),
    /// κ_i.
    Credibility = m("credibility", "credibility (0-1)", "credibility of the hegemon's guarantee"),
    /// a_i.
    Autonomy = m("autonomy", "autonomy (0-1)", "defence autonomy"),
    /// η_i.
    Hedge = m("hedge", "share of exports to the hegemon", "hedge stock"),
    /// z_i.
    Alignment = m("alignment", "alignment (0-1)",
        "alignment with the hegemon against the rival (toward the hegemon's pole)"),
    /// z^C_i.
    AlignmentRival = m("alignment_rival", "alignment (0-1)",
        "alignment with the rival (the tilt toward the rival's pole)"),
    /// The actor's own regional trade share.
    RegionalTradeShare = m("regional_trade_share", "share of exports (0-1)",
        "the actor's exports to partners sharing a regional bloc in force / its total exports"),
    /// Exports to the rival cut by its sanction this round.
    SanctionLoss = m("sanction_loss", "bn USD per year",
        "the actor's exports to the rival cut by the rival's sanction this round (0 when none)"),
    /// Whether the actor's export controls are in force this round.
    Controls = m("controls", "0/1",
        "1 if the actor's export controls are in force this round (it retaliated), else 0"),
    /// Lost to other actors' export controls this round.
    ControlsLoss = m("controls_loss", "bn USD per year",
        "what the actor loses this round to other actors' export controls (0 when none)"),
    /// Whether the actor's safeguard is in force this round.
    Safeguard = m("safeguard", "0/1",
        "1 if the actor's safeguard against deflected imports is in force this round, else 0"),
    /// Re-routed exports blocked this round.
    Blocked = m("blocked", "bn USD per year",
        "the actor's re-routed exports blocked this round by other actors' safeguards (0 when none)"),
    /// Export share to the hegemon.
    ShareHegemon = m("share_hegemon", "share of exports (0-1)",
        "exports to the hegemon / total exports (rest of world included)"),
    /// Export share to the rival.
    ShareRival = m("share_rival", "share of exports (0-1)", "exports to the rival / total exports"),
    /// Export share to bloc partners.
    ShareBloc = m("share_bloc", "share of exports (0-1)",
        "exports to partners sharing a regional bloc in force, other than the hegemon and the rival / total exports"),
    /// Export share to the rest.
    ShareRest = m("share_rest", "share of exports (0-1)",
        "the rest of total exports (other actors and the rest of the world) / total exports"),
    /// The action of the round.
    Action = m("action", "code",
        "C, R, G, CG or B (empty for the hegemon and in a round without a demand)"),
]);

metrics!(
    /// The per-round columns of a world-series row (`world.csv`, after `run` and `round`): the
    /// world at the end of each round of every run (`run --world-series`).
    WorldColumn, WORLD_METRICS, [
    /// The hegemon's trade-weighted effective tariff.
    HegemonTariff = m("hegemon_tariff", "rate (0.10 = 10%)",
        "the hegemon's trade-weighted effective tariff Σ τ^eff_i·X_iH / Σ X_iH over actors"),
    /// Allies with a deal in force.
    DealsInForce = m("deals_in_force", "allies", "allies with a deal in force at the end of the round"),
    /// Allies retaliating.
    Retaliating = m("retaliating", "allies", "allies that retaliated this round (the coalition)"),
    /// Cohesion of the treaty allies.
    Cohesion = m("cohesion", "credibility (0-1)",
        "GDP-weighted mean credibility κ over treaty allies (0 without treaty allies)"),
    /// Allies' alignment with the hegemon.
    AllyAlignment = m("ally_alignment", "alignment (0-1)",
        "GDP-weighted mean over allies of z_i (toward the hegemon)"),
    /// Allies' alignment with the rival.
    AllyAlignmentRival = m("ally_alignment_rival", "alignment (0-1)",
        "GDP-weighted mean over allies of z^C_i (toward the rival)"),
    /// Allies' export share to the hegemon.
    AllyShareHegemon = m("ally_share_hegemon", "share of allies' exports",
        "allies' exports to the hegemon / their total exports"),
    /// Allies' export share to the rival.
    AllyShareRival = m("ally_share_rival", "share of allies' exports",
        "allies' exports to the rival / their total exports (0 without a rival)"),
]);

impl ActorColumn {
    /// Whether the column counts something (rounds, deals, blocs, a 0/1 flag): written as a
    /// whole number (`38`, not `38.0`).
    pub const fn is_count(self) -> bool {
        use ActorColumn as C;
        matches!(
            self,
            C::Treaty
                | C::NConcede
                | C::NRetaliate
                | C::NHedge
                | C::NConcedeHedge
                | C::NBandwagon
                | C::NBreach
                | C::NSnapback
                | C::NLapse
                | C::NRenewal
                | C::BlocsApplied
                | C::BlocsAcceded
                | C::NSanctioned
                | C::NControls
                | C::NSafeguard
                | C::NDeals
                | C::NRenege
                | C::DealRounds
        )
    }
}

/// The unit of a run-level metric column (a [`RunMetric`] or a [`BlocMetric`]'s
/// `<name>_<bloc>`), `None` for a name that is neither.
pub fn unit_of(column: &str) -> Option<&'static str> {
    if let Some(m) = RUN_METRICS.iter().find(|m| m.name == column) {
        return Some(m.unit);
    }
    BLOC_METRICS
        .iter()
        .find(|m| {
            column
                .strip_prefix(m.name)
                .is_some_and(|rest| rest.starts_with('_'))
        })
        .map(|m| m.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_follow_their_enums() {
        for (k, m) in RunMetric::ALL.iter().enumerate() {
            assert_eq!(*m as usize, k);
            assert_eq!(m.info(), &RUN_METRICS[k]);
        }
        assert_eq!(RunMetric::ALL.len(), RUN_METRICS.len());
        assert_eq!(ActorColumn::ALL.len(), ACTOR_METRICS.len());
        assert_eq!(TrajectoryColumn::ALL.len(), TRAJECTORY_METRICS.len());
        assert_eq!(WorldColumn::ALL.len(), WORLD_METRICS.len());
        assert_eq!(RunMetric::HegemonRent.name(), "hegemon_rent");
        assert_eq!(ActorColumn::NBandwagon.name(), "n_bandwagon");
    }

    #[test]
    fn names_are_unique_and_units_found() {
        for table in [
            RUN_METRICS,
            BLOC_METRICS,
            ACTOR_METRICS,
            TRAJECTORY_METRICS,
            WORLD_METRICS,
        ] {
            for (k, m) in table.iter().enumerate() {
                assert!(!table[..k].iter().any(|x| x.name == m.name), "{}", m.name);
                assert!(!m.unit.is_empty() && !m.definition.is_empty(), "{}", m.name);
            }
        }
        assert_eq!(unit_of("hegemon_rent"), Some("bn USD over the run"));
        assert_eq!(unit_of("accessions_CPTPP"), Some("new members"));
        assert_eq!(unit_of("pending_RCEP"), Some("pending applicants"));
        assert_eq!(unit_of("nonsense"), None);
    }
}
