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

use crate::rng::SimRng;
use crate::rules::Ctx;
use crate::scenario::Stage;
use crate::state::{Cache, State};

/// Whether a member of bloc `b` vetoes applicant `i`.
pub fn vetoed(ctx: &Ctx, st: &State, b: usize, i: usize) -> bool {
    let threshold = ctx.world.blocs[b].veto_threshold;
    (0..ctx.n).any(|k| {
        if k == i || st.stage[(k, b)] != Some(Stage::InForce) {
            return false;
        }
        let mut aff = ctx.world.affinity[(k, i)];
        if Some(k) == ctx.rival {
            aff -= st.align[i];
        }
        aff < threshold
    })
}

/// Runs phase 7. Draws exactly one uniform per actor and bloc. Decide, then resolve: every
/// application is judged against the stages at the start of the phase.
pub fn run(ctx: &Ctx, st: &mut State, cache: &mut Cache, rng: &mut SimRng) {
    let k_apply = ctx.m.hedge_rounds_to_apply.round() as u32;
    cache.stage_next.copy_from(&st.stage);
    for i in 0..ctx.n {
        for b in 0..ctx.nb {
            let u = rng.open01();
            match st.stage[(i, b)] {
                None => {
                    if ctx.world.eligible[(i, b)]
                        && i != ctx.h
                        && st.hedge_rounds[i] >= k_apply.max(1)
                    {
                        cache.stage_next[(i, b)] = Some(Stage::Applied);
                    }
                }
                Some(Stage::InForce) => {}
                Some(stage) => {
                    if vetoed(ctx, st, b, i) {
                        continue;
                    }
                    let hz = ctx.world.blocs[b].hazards;
                    let (hazard, next) = match stage {
                        Stage::Applied => (ctx.v(hz[0]), Stage::WorkingGroup),
                        Stage::WorkingGroup => (ctx.v(hz[1]), Stage::Signed),
                        _ => (ctx.v(hz[2]), Stage::InForce),
                    };
                    if u < hazard {
                        cache.stage_next[(i, b)] = Some(next);
                    }
                }
            }
        }
    }
    // Resolve: memberships come into force from the next round (phase 4 then rebuilds the
    // regional masks and premiums).
    for i in 0..ctx.n {
        for b in 0..ctx.nb {
            let next = cache.stage_next[(i, b)];
            if next == Some(Stage::InForce) && st.stage[(i, b)] != Some(Stage::InForce) {
                let since = i64::from(st.t) + 1;
                st.since[(i, b)] = since;
                if ctx.world.blocs[b].regional {
                    cache.premium_dirty = true;
                    let phase = (ctx.m.rta_phase_in_years * ctx.rpy).ceil() as i64;
                    cache.phase_end = cache.phase_end.max(since + phase);
                }
            }
            st.stage[(i, b)] = next;
        }
    }
}
