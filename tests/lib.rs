//! Support for the integration tests in `it/`: loading bundled scenarios from disk (the core
//! does no I/O) and running batches on a chosen number of threads.

use std::path::{Path, PathBuf};

use statecraft_core::scenario::{TimelineSource, WorldSource};
use statecraft_core::{Scenario, World};
use statecraft_runner::{BatchSpec, RunRecord, run_batch};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Reads a scenario file (relative to the repository root) with its world file resolved.
pub fn scenario(rel: &str) -> Scenario {
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let sc = statecraft_core::parse(&text, rel).unwrap_or_else(|e| panic!("{e}"));
    let sc = match &sc.world {
        WorldSource::File(f) => {
            let wpath = path.parent().expect("scenario folder").join(f);
            let wtext = std::fs::read_to_string(&wpath).unwrap_or_else(|e| panic!("{f}: {e}"));
            let w = statecraft_core::parse_world(&wtext, f).unwrap_or_else(|e| panic!("{e}"));
            sc.with_world(w)
        }
        WorldSource::Inline(_) => sc,
    };
    match &sc.timeline {
        Some(TimelineSource::File(f)) => {
            let tpath = path.parent().expect("scenario folder").join(f);
            let ttext = std::fs::read_to_string(&tpath).unwrap_or_else(|e| panic!("{f}: {e}"));
            let events =
                statecraft_core::scenario::parse_ron(&ttext, f).unwrap_or_else(|e| panic!("{e}"));
            sc.with_timeline(events)
        }
        _ => sc,
    }
}

/// Validates a scenario into a world, panicking with the error.
pub fn world(sc: &Scenario) -> World {
    World::from_scenario(sc, &sc.name).unwrap_or_else(|e| panic!("{e}"))
}

/// Every scenario file under `scenarios/` (the bundled ones and the examples).
pub fn bundled() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["scenarios", "scenarios/examples"] {
        let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
            .expect("scenario folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ron"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

/// A rayon pool of `threads` threads (`pool(t).install(..)` runs work on exactly t threads).
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

/// Runs `runs` runs of a world on `threads` threads and returns the records in order.
pub fn batch(
    world: &World,
    seed: u64,
    runs: u64,
    rounds: u32,
    trajectories: u64,
    threads: usize,
) -> Vec<RunRecord> {
    let spec = BatchSpec {
        seed,
        first: 0,
        end: runs,
        rounds,
        trajectories,
        world_series: false,
    };
    let mut out = Vec::new();
    pool(threads)
        .install(|| {
            run_batch::<()>(
                world,
                &spec,
                |recs| {
                    out.extend_from_slice(recs);
                    Ok(())
                },
                &|_| {},
            )
        })
        .expect("batch");
    out
}

/// Random valid worlds for property tests: a seeded generator (SplitMix64) of scenarios with
/// 2 to `max_actors` actors whose every number is drawn across its whole allowed range,
/// extremes included, and every strategy, policy and bloc feature in use.
pub mod generate {
    use statecraft_core::scenario::{
        ActorParams, ActorSpec, AffinitySpec, ApplicationSpec, BlocSpec, ConditionSpec,
        CourtShockSpec, DealTermsSpec, DefensePathSpec, EventOp, EventSpec, ExportControlsSpec,
        HazardSpec, InterimSpec, MeasureSpec, ModelParams, PaidAccessSpec, PledgeSpec, Policy,
        PressureSpec, RetaliationSpec, SafeguardSpec, Stage, StrategySpec, TimelineSource, Track,
        TradeSpec, WorldSource,
    };
    use statecraft_core::{Dist, Param, Scenario, WorldSpec};

    /// A SplitMix64 stream.
    pub struct Gen(u64);

    impl Gen {
        /// A generator seeded with `seed`.
        pub fn new(seed: u64) -> Self {
            Gen(seed)
        }

        /// The next 64 random bits.
        pub fn bits(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        pub fn unit(&mut self) -> f64 {
            (self.bits() >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Uniform integer in [lo, hi].
        pub fn int(&mut self, lo: u64, hi: u64) -> u64 {
            lo + self.bits() % (hi - lo + 1)
        }

        /// True with probability p.
        pub fn chance(&mut self, p: f64) -> bool {
            self.unit() < p
        }

        /// A number in [lo, hi]: often an end point, else uniform, or log-uniform for wide
        /// positive ranges.
        pub fn in_range(&mut self, lo: f64, hi: f64) -> f64 {
            match self.int(0, 5) {
                0 => lo,
                1 => hi,
                2 if lo > 0.0 && hi / lo > 100.0 => {
                    (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
                }
                _ => lo + self.unit() * (hi - lo),
            }
        }

        /// A `Param` within [lo, hi]: fixed, or one of the distributions.
        pub fn param(&mut self, lo: f64, hi: f64) -> Param {
            let a = self.in_range(lo, hi);
            let b = self.in_range(lo, hi);
            let (a, b) = (a.min(b), a.max(b));
            match self.int(0, 6) {
                0 => Param::Dist(Dist::Uniform(a, b)),
                1 if a > 0.0 => Param::Dist(Dist::LogUniform(a, b)),
                2 if b > a => Param::Dist(Dist::TruncNormal(0.5 * (a + b), 0.25 * (b - a), a, b)),
                3 => Param::Dist(Dist::Triangular(a, a + self.unit() * (b - a), b)),
                4 => Param::Dist(Dist::Choice(vec![a, b, 0.5 * (a + b)])),
                _ => Param::Fixed(a),
            }
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("A{i}")).collect()
    }

    fn paid(g: &mut Gen, names: &[String]) -> PaidAccessSpec {
        let mut deal_rates = Vec::new();
        let mut host_fees = Vec::new();
        let mut fee_shares = Vec::new();
        for n in names.iter().skip(1) {
            if g.chance(0.3) {
                deal_rates.push((n.clone(), g.param(0.0, 10.0)));
            }
            if g.chance(0.2) {
                host_fees.push((n.clone(), g.param(0.0, 1e6)));
            }
            if g.chance(0.1) {
                fee_shares.push((n.clone(), g.param(0.0, 10.0)));
            }
        }
        PaidAccessSpec {
            floor: g.param(0.0, 10.0),
            max_rate: g.param(0.0, 10.0),
            deal_rates,
            default_deal_rate: g.param(0.0, 10.0),
            fee_share: g.param(0.0, 10.0),
            fee_shares,
            defense_target: g.param(0.0, 1.0),
            host_fees,
            linkage: g.param(0.0, 1.0),
            deal_caps: Vec::new(),
            pressure: None,
            pledges: Vec::new(),
            purchases: Vec::new(),
            conditions: None,
        }
    }

    /// The paid-access fields of the strategies built on them.
    fn paid_access_mut(s: &mut StrategySpec) -> Option<&mut PaidAccessSpec> {
        match s {
            StrategySpec::PaidAccess(p)
            | StrategySpec::AdaptiveExtortion { base: p, .. }
            | StrategySpec::ConstrainedPaidAccess { base: p, .. } => Some(p),
            _ => None,
        }
    }

    /// Adds tariff lines to a generated scenario from a stream of their own (so the rest of
    /// the scenario is what it was before lines existed): export groups, measures on two
    /// legal bases, a timeline, deal caps, pressure, counter-tariff packages and a ruling
    /// that voids a basis.
    fn add_lines(sc: &mut Scenario, seed: u64) {
        let mut g = Gen::new(seed ^ 0x6c69_6e65_7321);
        if !g.chance(0.6) {
            return;
        }
        let WorldSource::Inline(world) = &mut sc.world else {
            return;
        };
        let names: Vec<String> = world.actors.iter().map(|a| a.name.clone()).collect();
        for a in world.actors.iter_mut() {
            let top = a.params.exposure.support().map(|s| s.1).unwrap_or(1.0);
            let room = (1.0 - top).max(0.0) / 2.0;
            a.export_groups = vec![
                ("G0".into(), g.in_range(0.0, room)),
                ("G1".into(), g.in_range(0.0, room)),
            ];
            if g.chance(0.3) {
                a.defense_path = Some(DefensePathSpec {
                    target: g.param(0.0, 1.0),
                    years: g.param(0.01, 1000.0),
                });
            }
            if g.chance(0.3) {
                a.retaliation = Some(RetaliationSpec {
                    value: g.param(0.0, 1e9),
                    rate: g.param(0.0, 10.0),
                    trigger: g.chance(0.5).then(|| g.in_range(0.0, 10.0)),
                });
            }
        }
        world.reciprocal_basis = Some("B0".into());
        let groups = ["reciprocal", "G0", "G1"];
        world.measures = (0..g.int(1, 3))
            .map(|l| MeasureSpec {
                name: format!("M{l}"),
                basis: format!("B{}", g.int(0, 1)),
                covers: groups
                    .iter()
                    .filter(|_| g.chance(0.6))
                    .map(|x| x.to_string())
                    .collect(),
            })
            .collect();
        let lines: Vec<String> = std::iter::once("reciprocal".to_string())
            .chain(world.measures.iter().map(|m| m.name.clone()))
            .collect();
        let events = (0..g.int(0, 8))
            .map(|_| EventSpec {
                round: g.int(0, 12) as u32,
                measure: lines[g.int(0, lines.len() as u64 - 1) as usize].clone(),
                targets: names
                    .iter()
                    .skip(1)
                    .filter(|_| g.chance(0.5))
                    .cloned()
                    .collect(),
                op: match g.int(0, 4) {
                    0 => EventOp::Set(g.in_range(0.0, 10.0)),
                    1 => EventOp::Pause(g.in_range(0.0, 10.0)),
                    2 => EventOp::Resume,
                    3 => EventOp::Clear,
                    _ => EventOp::Void,
                },
            })
            .collect();
        sc.timeline = Some(TimelineSource::Inline(events));
        let measures: Vec<String> = world.measures.iter().map(|m| m.name.clone()).collect();
        let base = paid_access_mut(&mut sc.strategy);
        if let Some(p) = base {
            for (k, n) in names.iter().enumerate().skip(1) {
                if g.chance(0.3) {
                    let m = measures[k % measures.len()].clone();
                    p.deal_caps.push((m, n.clone(), g.param(0.0, 10.0)));
                }
            }
            for n in names.iter().skip(1) {
                if g.chance(0.3) {
                    p.pledges.push((
                        n.clone(),
                        PledgeSpec {
                            stock: g.param(0.0, 1e9),
                            per_year: g.param(0.0, 1e9),
                            returns: g.param(0.0, 1.0),
                        },
                    ));
                }
            }
            if g.chance(0.5) {
                p.pressure = Some(PressureSpec {
                    after: g.int(0, 6) as u32,
                    step: g.param(0.0, 10.0),
                    max: g.param(0.0, 10.0),
                });
            }
        }
        let bases: Vec<String> = std::iter::once("B0".to_string())
            .chain(world.measures.iter().map(|m| m.basis.clone()))
            .collect();
        if let Some(c) = &mut sc.court_shock
            && g.chance(0.5)
        {
            c.voids = Some(bases[g.int(0, bases.len() as u64 - 1) as usize].clone());
        }
        // The deal as separate tracks, some of them conditions (drawn last, so that the rest
        // is what it was before tracks existed).
        let base = paid_access_mut(&mut sc.strategy);
        if let Some(p) = base
            && g.chance(0.5)
        {
            let mut list = Vec::new();
            for t in Track::ALL {
                if g.chance(0.6) {
                    list.push(ConditionSpec {
                        track: t,
                        detect: g.param(0.0, 1.0),
                    });
                }
            }
            p.conditions = Some(list);
        }
        // Deficit aversion on some actors (drawn last, as the tracks are).
        if let WorldSource::Inline(world) = &mut sc.world {
            for a in world.actors.iter_mut() {
                if g.chance(0.3) {
                    a.max_bloc_deficit = Some(g.param(0.0, 1.0));
                }
            }
        }
        // A ruling's interim surcharge and refunds where it voids a basis (drawn last).
        if let Some(c) = &mut sc.court_shock
            && c.voids.is_some()
        {
            if g.chance(0.5) {
                c.interim = Some(InterimSpec {
                    rate: g.param(0.0, 1.0),
                    rounds: g.int(1, 6) as u32,
                });
            }
            if g.chance(0.5) {
                c.refunds = Some(g.param(0.0, 1.0));
            }
        }
    }

    /// A valid scenario with 2 to `max_actors` actors.
    pub fn scenario(seed: u64, max_actors: u64) -> Scenario {
        let mut g = Gen::new(seed);
        let n = g.int(2, max_actors) as usize;
        let names = names(n);
        let rival = (n > 2 && g.chance(0.7)).then_some(1usize);
        let mut model = default_model();
        for (field, lo, hi) in ModelParams::<Param>::FIELDS {
            *model.get_mut(field).expect("field") = g.param(*lo, *hi);
        }
        let nb = g.int(0, 4) as usize;
        let bloc_names: Vec<String> = (0..nb).map(|b| format!("B{b}")).collect();
        let blocs = bloc_names
            .iter()
            .map(|b| {
                let regional = g.chance(0.8);
                BlocSpec {
                    name: b.clone(),
                    regional,
                    fta: !regional && g.chance(0.5),
                    veto_threshold: g.in_range(0.0, 1.0),
                    admits_customs_unions: false,
                    hazards: HazardSpec {
                        working_group: g.param(0.0, 1.0),
                        signed: g.param(0.0, 1.0),
                        in_force: g.param(0.0, 1.0),
                    },
                }
            })
            .collect();
        let policies = |g: &mut Gen| match g.int(0, 8) {
            0 => Policy::AlwaysConcede,
            1 => Policy::AlwaysRetaliate,
            2 => Policy::AlwaysHedge,
            3 => Policy::ConcedeAndHedge,
            4 => Policy::Bandwagon,
            5 => Policy::TitForTat,
            6 => Policy::Threshold {
                toughness: g.in_range(0.0, 10.0),
            },
            _ => Policy::Quantal,
        };
        let actors = (0..n)
            .map(|i| {
                let fields = ActorParams::<Param>::FIELDS;
                let mut p = default_actor();
                for (field, lo, hi) in fields {
                    let (lo, hi) = (*lo, *hi);
                    *p.get_mut(field).expect("field") = g.param(lo, hi);
                }
                let mut member = Vec::new();
                let mut eligible = Vec::new();
                let mut applications = Vec::new();
                for b in &bloc_names {
                    match g.int(0, 4) {
                        0 => member.push(b.clone()),
                        1 => eligible.push(b.clone()),
                        2 => applications.push(ApplicationSpec {
                            bloc: b.clone(),
                            stage: [Stage::Applied, Stage::WorkingGroup, Stage::Signed]
                                [g.int(0, 2) as usize],
                        }),
                        _ => {}
                    }
                }
                ActorSpec {
                    name: names[i].clone(),
                    params: p,
                    rationality: g.chance(0.2).then(|| g.param(0.0, 1e6)),
                    treaty_ally: Some(i) != rival && g.chance(0.5),
                    pole: g.chance(0.3),
                    blocs: member,
                    eligible,
                    applications,
                    export_groups: Vec::new(),
                    retaliation: None,
                    defense_path: None,
                    max_bloc_deficit: None,
                    customs_union: false,
                    deal_terms: g.chance(0.2).then(|| DealTermsSpec {
                        keep_counter: g.param(0.0, 2.0),
                        expiry: g.chance(0.5).then(|| g.param(1.0, 12.0)),
                        renewal: g.param(0.0, 1.0),
                    }),
                    // Export controls: any actor but the hegemon (names[0]).
                    export_controls: (i != 0 && g.chance(0.2)).then(|| ExportControlsSpec {
                        share: g.param(0.0, 1.0),
                        multiplier: g.param(0.0, 100.0),
                        spill: g.param(0.0, 1.0),
                    }),
                    // Safeguards: any actor but the hegemon.
                    safeguard: (i != 0 && g.chance(0.2)).then(|| SafeguardSpec {
                        surge: g.param(0.0, 0.1),
                        cut: g.param(0.0, 1.0),
                    }),
                    policy: policies(&mut g),
                }
            })
            .collect();
        let mut trade = Vec::new();
        for i in 0..n {
            if g.chance(0.1) {
                continue; // an actor that exports nothing
            }
            for j in 0..=n {
                if i != j && g.chance(0.6) {
                    let to = if j == n {
                        "ROW".to_string()
                    } else {
                        names[j].clone()
                    };
                    let value = if g.chance(0.1) {
                        0.0
                    } else {
                        g.in_range(1e-3, 1e9)
                    };
                    trade.push(TradeSpec {
                        from: names[i].clone(),
                        to,
                        value,
                    });
                }
            }
        }
        let affinity = (0..g.int(0, 5))
            .map(|_| AffinitySpec {
                from: names[g.int(0, n as u64 - 1) as usize].clone(),
                to: names[g.int(0, n as u64 - 1) as usize].clone(),
                value: g.in_range(0.0, 1.0),
            })
            .collect();
        let strategy = match g.int(0, 5) {
            0 => StrategySpec::OpenOrder,
            1 => StrategySpec::TargetedPunitive {
                rate: g.param(0.0, 10.0),
                targets: names
                    .iter()
                    .skip(1)
                    .filter(|_| g.chance(0.4))
                    .cloned()
                    .collect(),
            },
            2 => StrategySpec::PaidAccess(paid(&mut g, &names)),
            3 => {
                let lo = g.in_range(0.01, 1.0);
                let hi = g.in_range(1.0, 100.0);
                StrategySpec::AdaptiveExtortion {
                    base: paid(&mut g, &names),
                    up: g.param(0.0, 10.0),
                    down: g.param(0.0, 1.0),
                    bounds: (lo, hi),
                }
            }
            4 => StrategySpec::Reciprocal {
                base: g.param(0.0, 10.0),
                step: g.param(0.0, 10.0),
            },
            _ => StrategySpec::ConstrainedPaidAccess {
                base: paid(&mut g, &names),
                cap: g.param(0.0, 10.0),
            },
        };
        let world = WorldSpec {
            hegemon: names[0].clone(),
            rival: rival.map(|r| names[r].clone()),
            rest_of_world: "ROW".into(),
            model,
            actors,
            trade,
            blocs,
            default_affinity: g.in_range(0.0, 1.0),
            affinity,
            security_sanction_hazard: g.chance(0.3).then(|| g.param(0.0, 1.0)),
            rival_tilt: g.chance(0.3).then(|| g.param(0.0, 1.0)),
            concede_hedge_share: g.chance(0.3).then(|| g.param(0.0, 1.0)),
            welfare: g
                .chance(0.5)
                .then(|| statecraft_core::scenario::WelfareSpec {
                    supply_inverse: g.param(0.0, 1.0),
                    rent_share: g.param(0.0, 1.0),
                }),
            beliefs: g
                .chance(0.5)
                .then(|| statecraft_core::scenario::BeliefsSpec {
                    recovery: g.param(0.0, 1.0),
                    threat_shock: g.param(0.0, 1.0),
                    balancing: g.param(0.0, 0.1),
                    arming: g.chance(0.5).then(|| g.param(0.0, 0.1)),
                }),
            security_events: Vec::new(),
            rupture: g
                .chance(0.3)
                .then(|| statecraft_core::scenario::RuptureSpec {
                    alignment_loss: g.param(0.0, 1.0),
                }),
            reciprocal_basis: None,
            measures: Vec::new(),
            param_overrides: Vec::new(),
        };
        let mut world = world;
        if world.beliefs.is_some() {
            // Security events: each kind, a random round, some targets or all.
            use statecraft_core::scenario::{SecurityEventKind, SecurityEventSpec};
            for kind in [
                SecurityEventKind::Questioned,
                SecurityEventKind::Reaffirmed,
                SecurityEventKind::Threat,
            ] {
                if g.chance(0.5) {
                    world.security_events.push(SecurityEventSpec {
                        round: g.int(0, 24) as u32,
                        kind,
                        targets: names[1..]
                            .iter()
                            .filter(|_| g.chance(0.5))
                            .cloned()
                            .collect(),
                        size: g.param(0.0, 1.0),
                    });
                }
            }
        }
        let mut sc = Scenario {
            schema: None,
            name: format!("generated_{seed}"),
            description: "generated".into(),
            seed,
            runs: 2,
            rounds: g.int(1, 24) as u32,
            rounds_per_year: g.int(1, 12) as u32,
            world: WorldSource::Inline(Box::new(world)),
            strategy,
            court_shock: g.chance(0.3).then(|| CourtShockSpec {
                from_round: g.int(0, 10) as u32,
                hazard: g.param(0.0, 1.0),
                cap: g.param(0.0, 10.0),
                voids: None,
                interim: None,
                refunds: None,
            }),
            timeline: None,
            model_overrides: Vec::new(),
            sweep: None,
            param_overrides: Vec::new(),
            param_sample: None,
            patterns: None,
            variants: None,
        };
        add_lines(&mut sc, seed);
        sc
    }

    fn default_model() -> ModelParams<Param> {
        let z = || Param::Fixed(0.0);
        ModelParams::<Param> {
            elasticity_sr: z(),
            elasticity_lr: z(),
            adjustment_years: Param::Fixed(1.0),
            volume_loss_weight: z(),
            reroute_share: z(),
            rta_premium: z(),
            rta_phase_in_years: z(),
            rationality: z(),
            hedge_speed: z(),
            hedge_cost: z(),
            retaliation_cost: z(),
            resolve_benefit: z(),
            defense_adjustment: z(),
            credibility_adjustment: z(),
            autonomy_from_hedging: z(),
            autonomy_from_defense: z(),
            security_weight: z(),
            renege_hazard: z(),
            escalation: z(),
            retaliation_match: z(),
            hegemon_weight: z(),
            bandwagon_discount: z(),
            alignment_step: z(),
            rival_sanction_hazard: z(),
            rival_sanction_cut: z(),
            rival_sanction_rounds: z(),
            entrapment_weight: z(),
            discount: z(),
            max_hedge: z(),
            hedge_rounds_to_apply: z(),
            credibility_penalty_retaliation: z(),
            prior_extortionist: z(),
            extraction_cap: z(),
            signal_if_extortionist: z(),
            signal_if_reliable: z(),
            rupture_threshold: z(),
            max_tariff: z(),
            defense_benchmark: z(),
        }
    }

    fn default_actor() -> ActorParams<Param> {
        let z = || Param::Fixed(0.0);
        ActorParams::<Param> {
            gdp: Param::Fixed(1.0),
            defense: z(),
            security_dependence: z(),
            threat: z(),
            resolve: z(),
            hedging_capacity: z(),
            high_value_share: z(),
            exposure: z(),
            chokepoint: z(),
            credibility: z(),
            autonomy: z(),
        }
    }
}
