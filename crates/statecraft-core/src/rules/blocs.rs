//! Phase 7, blocs (MODEL.md 3.4): applications, the consensus veto and accession.
//!
//! An actor that has hedged `hedge_rounds_to_apply` rounds applies to each bloc it is eligible
//! for. While any member's affinity to the applicant is below the bloc's veto threshold the
//! application stalls (CPTPP decides by consensus: China's and Taiwan's applications of 2021
//! have no working group). Otherwise it advances applied → working group → signed → in force
//! with per-round hazards, a discrete-time event-history model calibrated on the UK's accession
//! (about 2.4 years to signature, 3.8 to entry into force). A member's affinity toward an
//! applicant is the scenario's value, less the applicant's alignment z when the member is the
//! rival. Members trade with the premium π_RTA from the next round (phase 4).

use crate::ctx::Ctx;
use crate::rng::SimRng;
use crate::scenario::Stage;
use crate::state::{Cache, State};

/// Whether a member of bloc `b` vetoes applicant `i`.
pub fn vetoed(ctx: &Ctx, st: &State, b: usize, i: usize) -> bool {
    vetoed_among(ctx, st, b, i, in_force(ctx, st, b))
}

/// The members of bloc `b` in force, in actor order.
fn in_force<'a>(ctx: &Ctx, st: &'a State, b: usize) -> impl Iterator<Item = usize> + 'a {
    (0..ctx.n).filter(move |&k| st.stage[(k, b)] == Some(Stage::InForce))
}

/// [`vetoed`] from the members of bloc `b` in force (`members`, in actor order).
fn vetoed_among(
    ctx: &Ctx,
    st: &State,
    b: usize,
    i: usize,
    members: impl IntoIterator<Item = usize>,
) -> bool {
    let threshold = ctx.world.blocs[b].veto_threshold;
    members.into_iter().any(|k| {
        if k == i {
            return false;
        }
        let mut aff = ctx.world.affinity[(k, i)];
        if Some(k) == ctx.rival {
            aff -= st.align[i];
            aff += st.tilt[i];
        }
        aff < threshold
    })
}

/// Whether actor `i` wills an application to bloc `b` (MODEL.md 3.4): with a deficit
/// aversion, only while its trade deficit with the bloc's members in force, Σ_j (X_ji(0) −
/// X_ij(0)), is at most that share of its GDP (India left RCEP in 2019 over its deficit with
/// China).
pub fn wills(ctx: &Ctx, st: &State, i: usize, b: usize) -> bool {
    wills_among(ctx, i, in_force(ctx, st, b))
}

/// [`wills`] from the members of the bloc in force (`members`, in actor order: the deficit
/// is summed in that order).
fn wills_among(ctx: &Ctx, i: usize, members: impl IntoIterator<Item = usize>) -> bool {
    let Some(max) = ctx.world.max_bloc_deficit[i] else {
        return true;
    };
    let deficit: f64 = members
        .into_iter()
        .filter(|&j| j != i)
        .map(|j| ctx.x0(j, i) - ctx.x0(i, j))
        .sum();
    deficit <= ctx.v(max) * ctx.actors[i].gdp
}

/// Fills `members` with each bloc's members in force, in actor order (`starts[b]..starts[b + 1]` are bloc b's).
fn list_members(ctx: &Ctx, st: &State, members: &mut Vec<usize>, starts: &mut Vec<usize>) {
    members.clear();
    starts.clear();
    for b in 0..ctx.nb {
        starts.push(members.len());
        members.extend(in_force(ctx, st, b));
    }
    starts.push(members.len());
}

/// Runs phase 7. Draws exactly one uniform per actor and bloc (skipped, not computed, where
/// the stage is not an application under way: [`SimRng::skip`]). Decide, then resolve: every
/// application is judged against the stages at the start of the phase.
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, rng: &mut SimRng) {
    let k_apply = ctx.m.hedge_rounds_to_apply.round() as u32;
    let changes = &mut cache.stage_changes;
    changes.clear();
    // Each bloc's members in force (a veto or a deficit reads them all), listed again only
    // after a membership came into force (here, below) or the run started.
    if cache.members_dirty {
        list_members(ctx, st, &mut cache.members, &mut cache.member_starts);
        cache.members_dirty = false;
    }
    let (members, starts) = (&cache.members, &cache.member_starts);
    let of = |b: usize| members[starts[b]..starts[b + 1]].iter().copied();
    debug_assert!((0..ctx.nb).all(|b| of(b).eq(in_force(ctx, st, b))));
    // Draws passed over since the last one read, handed to the stream in one call before
    // the next read and at the end (the stream ends where a skip per draw leaves it).
    let mut skipped = 0;
    for i in 0..ctx.n {
        let can_apply = i != ctx.h && st.hedge_rounds[i] >= k_apply.max(1);
        let row = st.stage.row(i).iter().zip(ctx.world.eligible.row(i));
        for (b, (&stage, &eligible)) in row.enumerate() {
            match stage {
                None => {
                    skipped += 1;
                    if eligible && can_apply && wills_among(ctx, i, of(b)) {
                        changes.push((i, b, Stage::Applied));
                    }
                }
                Some(Stage::InForce) => skipped += 1,
                Some(stage) => {
                    if vetoed_among(ctx, st, b, i, of(b)) {
                        skipped += 1;
                        continue;
                    }
                    rng.skip(skipped);
                    skipped = 0;
                    let u = rng.open01();
                    let hz = ctx.world.blocs[b].hazards;
                    let (hazard, next) = match stage {
                        Stage::Applied => (ctx.v(hz[0]), Stage::WorkingGroup),
                        Stage::WorkingGroup => (ctx.v(hz[1]), Stage::Signed),
                        _ => (ctx.v(hz[2]), Stage::InForce),
                    };
                    if u < hazard {
                        changes.push((i, b, next));
                    }
                }
            }
        }
    }
    rng.skip(skipped);
    // Resolve: memberships come into force from the next round (phase 4 then rebuilds the
    // regional masks and premiums). Only the stages that change are visited.
    for &(i, b, next) in &cache.stage_changes {
        if next == Stage::InForce && st.stage[(i, b)] != Some(Stage::InForce) {
            let since = i64::from(st.t) + 1;
            st.since[(i, b)] = since;
            cache.members_dirty = true;
            if ctx.world.blocs[b].regional || ctx.world.blocs[b].fta {
                cache.premium_dirty = true;
                let phase = (ctx.m.rta_phase_in_years * ctx.rpy).ceil() as i64;
                cache.phase_end = cache.phase_end.max(since + phase);
            }
        }
        st.stage[(i, b)] = Some(next);
    }
}

#[cfg(test)]
mod tests {
    use crate::rng::Stream;
    use crate::scenario::Stage;
    use crate::testing::{ALLY, Fixture, OTH};

    #[test]
    fn an_applicant_averse_to_its_deficit_with_the_members_does_not_apply() {
        // OTH's deficit with PACT's members: it buys 25 from ALLY and sells it 10, trades
        // nothing with RIV: 15 bn, 0.75% of its GDP of 2,000. Above an aversion of 0.5% it
        // does not apply however long it hedges; at 1% it applies.
        let averse = |max: f64| {
            let text = crate::testing::scenario(crate::testing::PAID, "").replacen(
                r#"eligible: ["PACT"],"#,
                &format!(r#"eligible: ["PACT"], max_bloc_deficit: Some({max}),"#),
                1,
            );
            Fixture::from_text(&text)
        };
        for (max, applies) in [(0.005, false), (0.01, true)] {
            let fx = averse(max);
            let ctx = fx.ctx();
            let mut run = fx.start(&ctx);
            let mut rng = fx.rng(Stream::Blocs);
            assert_eq!(super::wills(&ctx, &run.st, OTH, 0), applies);
            run.st.hedge_rounds[OTH] = 50;
            super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
            let want = if applies { Some(Stage::Applied) } else { None };
            assert_eq!(run.st.stage[(OTH, 0)], want, "aversion {max}");
        }
    }

    #[test]
    fn a_customs_union_is_eligible_only_where_the_bloc_admits_customs_unions() {
        let text = |admits: &str| {
            crate::testing::scenario(crate::testing::PAID, "")
                .replacen(
                    r#"eligible: ["PACT"],"#,
                    r#"eligible: ["PACT"], customs_union: true,"#,
                    1,
                )
                .replacen(
                    "veto_threshold: 0.3,",
                    &format!("veto_threshold: 0.3,{admits}"),
                    1,
                )
        };
        let sc = crate::scenario::parse(&text(""), "fixture").unwrap();
        let e = crate::world::World::from_scenario(&sc, "fixture").unwrap_err();
        assert!(
            e.to_string()
                .contains("actors.OTH.eligible[0]: OTH is a customs union and PACT does not admit"),
            "{e}"
        );
        let sc = crate::scenario::parse(&text(" admits_customs_unions: true,"), "fixture").unwrap();
        assert!(crate::world::World::from_scenario(&sc, "fixture").is_ok());
    }

    #[test]
    fn an_eligible_hedger_applies_and_advances_stage_by_stage() {
        // OTH has hedged hedge_rounds_to_apply = 2 rounds; PACT's hazards are 1: applied in
        // round 0, working group in 1, signed in 2, in force from round 4 (decided in 3).
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Blocs);
        run.st.hedge_rounds[OTH] = 2;
        let mut stages = Vec::new();
        for t in 0..4 {
            run.st.t = t;
            super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
            stages.push(run.st.stage[(OTH, 0)]);
        }
        assert_eq!(
            stages,
            [
                Some(Stage::Applied),
                Some(Stage::WorkingGroup),
                Some(Stage::Signed),
                Some(Stage::InForce)
            ]
        );
        assert_eq!(run.st.since[(OTH, 0)], 4);
        assert!(run.cache.premium_dirty);
        // Phased in over 2 years of 4 rounds from round 4.
        assert_eq!(run.cache.phase_end, 12);
        assert_eq!(run.st.stage[(ALLY, 0)], Some(Stage::InForce));
    }

    #[test]
    fn the_rival_vetoes_an_applicant_aligned_against_it() {
        // The rival, a member, sees affinity 0.7 − z = 0.2 < the veto threshold 0.3: the
        // application stalls; one hedging round short of 2, nobody applies.
        let fx = Fixture::paid();
        let ctx = fx.ctx();
        let mut run = fx.start(&ctx);
        let mut rng = fx.rng(Stream::Blocs);
        run.st.stage[(OTH, 0)] = Some(Stage::Applied);
        run.st.align[OTH] = 0.5;
        assert!(super::vetoed(&ctx, &run.st, 0, OTH));
        // A tilt toward the rival raises its affinity: 0.7 − 0.5 + 0.15 = 0.35, no veto.
        run.st.tilt[OTH] = 0.15;
        assert!(!super::vetoed(&ctx, &run.st, 0, OTH));
        run.st.tilt[OTH] = 0.0;
        super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
        assert_eq!(run.st.stage[(OTH, 0)], Some(Stage::Applied));
        run.st.stage[(OTH, 0)] = None;
        run.st.hedge_rounds[OTH] = 1;
        super::run(&ctx, &mut run.st, &mut run.cache, &mut rng);
        assert_eq!(run.st.stage[(OTH, 0)], None);
    }
}
