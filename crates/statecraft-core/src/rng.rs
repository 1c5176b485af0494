//! Named random streams: every draw of a run comes from a ChaCha8 stream derived from
//! (scenario seed, stream name, run index) alone, never from thread timing or global state.
//!
//! One stream per mechanism (ixa's rule): decisions, shocks, deals, rival sanctions and bloc
//! accessions each have their own, numbered by the run. Parameter draws are laid out the other
//! way round: one stream per parameter path, in which run r's draw is the r-th number, so a
//! chunk of runs draws each parameter with one sequential read. Two scenarios run with the
//! same seed therefore share their draws run by run (common random numbers), and a mechanism
//! that draws more or less often does not shift the draws of another.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The mechanisms that own a random stream. The discriminant is part of the stream key:
/// changing it changes every result, so the values are pinned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Draws of uncertain parameters (`Param`): one stream per parameter path.
    Params = 1,
    /// The response phase: one uniform per actor per round.
    Decisions = 2,
    /// Phase 0: one uniform per round for the authority shock.
    Shocks = 3,
    /// Deals: two uniforms per actor per round (the hegemon's roll-back, the deal's renege).
    Deals = 4,
    /// Rival counter-coercion: one uniform per actor per round.
    Rival = 5,
    /// Bloc accession: one uniform per actor and bloc per round.
    Blocs = 6,
    /// Statistics of a batch (bootstrap resamples), numbered by metric rather than by run.
    Bootstrap = 7,
    /// Experimental designs (random and Latin hypercube points, Morris trajectories, the
    /// scramble of Sobol points), numbered by design rather than by run.
    Design = 8,
    /// Evolutionary dynamics of a tournament (the Moran process), numbered by hegemon variant.
    Evolution = 9,
    /// Phase 5 with beliefs as inference: one uniform per actor but the hegemon per round (the
    /// signal of the hegemon's conduct).
    Beliefs = 10,
}

/// The generator of statecraft: ChaCha8, portable and value-stable across platforms.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: ChaCha8Rng,
    /// Draws passed over ([`SimRng::skip`]) and not yet stepped over in `inner`.
    skipped: u64,
}

/// Draws past which [`SimRng::skip`] jumps (one block computed) rather than stepping (the
/// draws of the block buffered): ChaCha8Rng buffers 4 blocks of 8 draws.
const JUMP: u64 = 32;

/// SplitMix64 finaliser: spreads a 64-bit key over all bits.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a string: used to give every parameter path a fixed slot in the parameter
/// stream, so a parameter's draw does not depend on which other parameters a scenario has.
pub(crate) fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl SimRng {
    /// The stream of mechanism `stream` for run `run` of a batch seeded with `seed`.
    pub fn new(seed: u64, stream: Stream, run: u64) -> Self {
        let key = mix64(seed ^ mix64(stream as u64));
        let mut inner = ChaCha8Rng::seed_from_u64(key);
        inner.set_stream(run);
        Self { inner, skipped: 0 }
    }

    /// A uniform draw in the open interval (0, 1), from 53 random bits; never exactly 0 or 1,
    /// so inverse-CDF sampling and logarithms are always finite.
    #[inline]
    pub fn open01(&mut self) -> f64 {
        if self.skipped > 0 {
            self.catch_up();
        }
        let bits = self.inner.next_u64() >> 11;
        (bits as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// Passes over `k` draws whose values are not needed: the stream moves on exactly as if
    /// they were drawn (the next draw is the same number), but the ChaCha blocks of a long run
    /// of skipped draws are never computed.
    #[inline]
    pub fn skip(&mut self, k: u64) {
        self.skipped += k;
    }

    /// Moves the stream past the skipped draws: a jump of the word position when they span
    /// more than the buffer, else one step each.
    #[cold]
    fn catch_up(&mut self) {
        if self.skipped >= JUMP {
            let at = self.inner.get_word_pos();
            self.inner.set_word_pos(at + 2 * u128::from(self.skipped));
        } else {
            for _ in 0..self.skipped {
                self.inner.next_u64();
            }
        }
        self.skipped = 0;
    }

    /// The parameter stream of the path with slot `slot`, positioned at run `first`: the next
    /// draws are those of runs `first`, `first + 1`, ... (one u64 each).
    pub(crate) fn for_param(seed: u64, slot: u64, first: u64) -> Self {
        let key = mix64(seed ^ mix64(Stream::Params as u64));
        let mut inner = ChaCha8Rng::seed_from_u64(key);
        inner.set_stream(slot);
        inner.set_word_pos(u128::from(first) * 2);
        Self { inner, skipped: 0 }
    }
}

/// The slot of a scenario's joint parameter sample (`param_sample`) in the parameter key: run
/// r's uniform there picks its row. No parameter has this path, so no parameter shares it.
pub(crate) fn sample_slot() -> u64 {
    fnv1a("param_sample")
}

/// The stream number of a parameter path in the parameter key.
pub(crate) fn slot_of(path: &str) -> u64 {
    fnv1a(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned values: an upgrade of rand_chacha that changed the stream would change every
    /// result of every user, so it must show up here first.
    #[test]
    fn stream_values_are_pinned() {
        let mut r = SimRng::new(42, Stream::Decisions, 7);
        let got: Vec<f64> = (0..3).map(|_| r.open01()).collect();
        let again: Vec<f64> = {
            let mut r = SimRng::new(42, Stream::Decisions, 7);
            (0..3).map(|_| r.open01()).collect()
        };
        assert_eq!(got, again);
        let pinned = [got[0].to_bits(), got[1].to_bits(), got[2].to_bits()];
        assert_eq!(pinned, PINNED, "ChaCha8 stream changed: {got:?}");
    }

    const PINNED: [u64; 3] = [
        0x3fb5_6b2d_af5e_a10c,
        0x3fcc_f24a_98bc_b992,
        0x3fd9_1eed_320c_9b75,
    ];

    /// The sample's row draws, pinned: the Mesa port computes the same numbers
    /// (benches/peers/mesa/statecraft_mesa/streams.py, `param_uniform(7, "param_sample", r)`).
    #[test]
    fn the_sample_slot_is_pinned() {
        for (r, want) in [
            (0, 0.239_605_325_317_977_8),
            (1, 0.918_654_002_566_804_4),
            (40, 0.140_174_631_264_165_02),
        ] {
            assert_eq!(
                SimRng::for_param(7, sample_slot(), r).open01(),
                want,
                "run {r}"
            );
        }
        assert_eq!(sample_slot(), fnv1a("param_sample"));
    }

    #[test]
    fn skipped_draws_leave_the_stream_as_drawing_them_would() {
        // Patterns of draws and skips, short (stepped) and long (jumped), across the buffer's
        // edges: every draw taken is the number at its place in the plain stream.
        let plain: Vec<f64> = {
            let mut r = SimRng::new(5, Stream::Blocs, 3);
            (0..2000).map(|_| r.open01()).collect()
        };
        for pattern in [
            [1u64, 1],
            [0, 3],
            [2, 31],
            [1, 32],
            [3, 33],
            [5, 64],
            [7, 100],
            [1, 250],
        ] {
            let mut r = SimRng::new(5, Stream::Blocs, 3);
            let mut at = 0usize;
            while at + (pattern[0] + pattern[1]) as usize <= plain.len() {
                for _ in 0..pattern[0] {
                    assert_eq!(
                        r.open01().to_bits(),
                        plain[at].to_bits(),
                        "{pattern:?} at {at}"
                    );
                    at += 1;
                }
                // Skipped one at a time, as a phase does.
                for _ in 0..pattern[1] {
                    r.skip(1);
                }
                at += pattern[1] as usize;
            }
        }
        // Skips before the first draw, stepped and jumped.
        for k in [3u64, 40, 1000] {
            let mut r = SimRng::new(5, Stream::Blocs, 3);
            r.skip(k);
            assert_eq!(
                r.open01().to_bits(),
                plain[k as usize].to_bits(),
                "skip {k}"
            );
        }
    }

    #[test]
    fn streams_and_runs_differ() {
        let a = SimRng::new(1, Stream::Decisions, 0).open01();
        let b = SimRng::new(1, Stream::Decisions, 1).open01();
        let c = SimRng::new(1, Stream::Deals, 0).open01();
        let d = SimRng::new(2, Stream::Decisions, 0).open01();
        assert!(a != b && a != c && a != d && b != c);
    }

    #[test]
    fn a_parameter_draw_depends_on_seed_path_and_run_only() {
        let slot = slot_of("model.elasticity_lr");
        let mut block = SimRng::for_param(9, slot, 0);
        let draws: Vec<f64> = (0..40).map(|_| block.open01()).collect();
        for r in [0u64, 1, 17, 39] {
            assert_eq!(SimRng::for_param(9, slot, r).open01(), draws[r as usize]);
        }
        assert_ne!(
            SimRng::for_param(9, slot_of("actors.JPN.resolve"), 3).open01(),
            draws[3]
        );
        assert_ne!(SimRng::for_param(10, slot, 3).open01(), draws[3]);
    }
}
