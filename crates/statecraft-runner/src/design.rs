//! Experimental designs over uncertain parameters: the points of a sweep or a sensitivity
//! analysis.
//!
//! A design is a set of points in the unit hypercube `[0, 1]^k`, one coordinate per
//! [`Factor`]; each factor maps its coordinate to a parameter value, uniformly over a range or
//! through the inverse CDF of the scenario's own distribution. Every random design draws from
//! the ChaCha stream `(seed, Design, number)`, so the same seed gives the same points.

use statecraft_core::rng::{SimRng, Stream};
use statecraft_core::{Param, ParamId, World};

/// The kinds of design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Design {
    /// Full factorial grid with this many levels per factor (`levels^k` points).
    Grid {
        /// Levels per factor, at least 1.
        levels: usize,
    },
    /// Independent uniform points.
    Random,
    /// Latin hypercube: each factor's range cut into `n` equal strata, one point in each,
    /// strata paired at random across factors (McKay, Beckman & Conover 1979).
    LatinHypercube,
    /// Owen-scrambled Sobol low-discrepancy points (Joe & Kuo direction numbers; Burley 2020
    /// hash-based scrambling), seeded; at most 65,536 points and 256 factors, 24-bit resolution.
    Sobol,
}

/// Stream numbers inside `Stream::Design`, one per use.
pub mod streams {
    /// Random and Latin hypercube designs of `sweep`.
    pub const SWEEP: u64 = 0;
    /// The scramble seed of Sobol points.
    pub const SOBOL: u64 = 1;
    /// Morris trajectories.
    pub const MORRIS: u64 = 2;
    /// Bootstrap resamples of sensitivity indices.
    pub const SENSITIVITY_BOOTSTRAP: u64 = 3;
}

/// How a factor maps a unit coordinate to a value.
#[derive(Clone, Debug, PartialEq)]
pub enum FactorRange {
    /// Uniform over `[lo, hi]`.
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// Through the quantile function of a distribution (the scenario's own, by default).
    Dist(Param),
}

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// The parameter's path.
    pub path: String,
    /// Its id in the world.
    pub id: ParamId,
    /// How coordinates map to values.
    pub range: FactorRange,
}

impl Factor {
    /// The value at unit coordinate `u` (in `[0, 1]`; a distribution clamps `u` to its open
    /// interior so that unbounded distributions stay finite).
    pub fn value(&self, u: f64) -> f64 {
        match &self.range {
            FactorRange::Uniform { lo, hi } => lo + (hi - lo) * u,
            FactorRange::Dist(p) => p.quantile(u.clamp(1e-12, 1.0 - 1e-12)),
        }
    }

    /// The coordinate of level `j` of `levels` in a grid: the ends of a range are included;
    /// a distribution's levels sit at the midpoints of `levels` equal-probability strata.
    pub fn grid_coordinate(&self, j: usize, levels: usize) -> f64 {
        match (&self.range, levels) {
            (_, 1) => 0.5,
            (FactorRange::Uniform { .. }, _) => j as f64 / (levels - 1) as f64,
            (FactorRange::Dist(_), _) => (j as f64 + 0.5) / levels as f64,
        }
    }
}

/// The factors of a world: the given `(path, range)` pairs, or, if none are given, every
/// uncertain parameter of the world with its own distribution. Errors name the path.
pub fn factors(
    world: &World,
    given: &[(String, Option<(f64, f64)>)],
) -> Result<Vec<Factor>, String> {
    if given.is_empty() {
        let all: Vec<Factor> = world
            .uncertain()
            .map(|(id, e)| Factor {
                path: e.path.clone(),
                id,
                range: FactorRange::Dist(e.param.clone()),
            })
            .collect();
        if all.is_empty() {
            return Err(
                "the scenario has no uncertain parameter: give the parameters to vary with --param PATH=LO:HI"
                    .into(),
            );
        }
        return Ok(all);
    }
    let mut out: Vec<Factor> = Vec::with_capacity(given.len());
    for (path, range) in given {
        let id = world.find_param(path)?;
        if out.iter().any(|f| f.id == id) {
            return Err(format!("parameter {path:?} is given twice"));
        }
        let e = &world.params[id as usize];
        let range = match *range {
            Some((lo, hi)) => {
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(format!(
                        "{path}: the range {lo}:{hi} must be finite with LO <= HI"
                    ));
                }
                if lo < e.lo || hi > e.hi {
                    return Err(format!(
                        "{path}: the range {lo}:{hi} is outside the allowed range [{}, {}]",
                        e.lo, e.hi
                    ));
                }
                FactorRange::Uniform { lo, hi }
            }
            None if e.param.is_uncertain() => FactorRange::Dist(e.param.clone()),
            None => {
                return Err(format!(
                    "{path} is fixed at {} in the scenario: give its range as {path}=LO:HI (allowed [{}, {}])",
                    e.param, e.lo, e.hi
                ));
            }
        };
        out.push(Factor {
            path: path.clone(),
            id,
            range,
        });
    }
    Ok(out)
}

/// The world at one design point: every factor fixed at its value. The other parameters keep
/// their streams, so replication r shares its draws across points (common random numbers).
pub fn world_at(base: &World, factors: &[Factor], values: &[f64]) -> World {
    let mut w = base.clone();
    for (f, &v) in factors.iter().zip(values) {
        // In range by construction: a factor's values lie in its checked range or support.
        w.set_param(f.id, Param::Fixed(v))
            .expect("a factor's value lies in its parameter's range");
    }
    w
}

/// The unit coordinates of a design: `n` points (ignored by a grid) of `k` coordinates each,
/// row-major. A grid's coordinates follow [`Factor::grid_coordinate`], so it needs the factors.
pub fn unit_points(
    design: Design,
    n: usize,
    factors: &[Factor],
    seed: u64,
) -> Result<Vec<Vec<f64>>, String> {
    let k = factors.len();
    match design {
        Design::Grid { levels } => {
            if levels == 0 {
                return Err("--levels must be at least 1".into());
            }
            let total = (levels as u128).checked_pow(k as u32).unwrap_or(u128::MAX);
            if total > 10_000_000 {
                return Err(format!(
                    "a grid of {levels} levels over {k} parameters has {total} points; at most 10,000,000 (use lhs or sobol)"
                ));
            }
            Ok((0..total as usize)
                .map(|mut p| {
                    // The last factor varies fastest.
                    let mut u = vec![0.0; k];
                    for d in (0..k).rev() {
                        u[d] = factors[d].grid_coordinate(p % levels, levels);
                        p /= levels;
                    }
                    u
                })
                .collect())
        }
        Design::Random => {
            let mut rng = SimRng::new(seed, Stream::Design, streams::SWEEP);
            Ok((0..n)
                .map(|_| (0..k).map(|_| rng.open01()).collect())
                .collect())
        }
        Design::LatinHypercube => Ok(latin_hypercube(n, k, seed, streams::SWEEP)),
        Design::Sobol => sobol_points(n, k, seed),
    }
}

/// `n` Latin hypercube points in `k` dimensions from stream `(seed, Design, stream)`.
pub fn latin_hypercube(n: usize, k: usize, seed: u64, stream: u64) -> Vec<Vec<f64>> {
    let mut rng = SimRng::new(seed, Stream::Design, stream);
    let mut points = vec![vec![0.0; k]; n];
    let mut strata: Vec<usize> = Vec::with_capacity(n);
    for d in 0..k {
        strata.clear();
        strata.extend(0..n);
        // Fisher-Yates.
        for i in (1..n).rev() {
            let j = ((rng.open01() * (i + 1) as f64) as usize).min(i);
            strata.swap(i, j);
        }
        for (i, p) in points.iter_mut().enumerate() {
            p[d] = (strata[i] as f64 + rng.open01()) / n as f64;
        }
    }
    points
}

/// The largest number of Sobol points and of Sobol dimensions.
pub const SOBOL_MAX_POINTS: usize = 1 << 16;
/// See [`SOBOL_MAX_POINTS`].
pub const SOBOL_MAX_DIMS: usize = 256;

/// `n` scrambled Sobol points in `k` dimensions; the scramble comes from the seed.
pub fn sobol_points(n: usize, k: usize, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if n > SOBOL_MAX_POINTS {
        return Err(format!(
            "{n} Sobol points: at most {SOBOL_MAX_POINTS} (use lhs for more)"
        ));
    }
    if k > SOBOL_MAX_DIMS {
        return Err(format!(
            "{k} Sobol dimensions: at most {SOBOL_MAX_DIMS} (use lhs for more parameters)"
        ));
    }
    let scramble = SimRng::new(seed, Stream::Design, streams::SOBOL).open01();
    let seed32 = (scramble * 4_294_967_296.0) as u32;
    // The samples are multiples of 2^-24 in [0, 1): shift to the middle of each cell so that
    // no coordinate is 0 (an unbounded distribution's quantile would be infinite).
    let half_cell = 0.5 / (1u32 << 24) as f64;
    Ok((0..n)
        .map(|i| {
            (0..k)
                .map(|d| f64::from(sobol_burley::sample(i as u32, d as u32, seed32)) + half_cell)
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(k: usize) -> Vec<Factor> {
        (0..k)
            .map(|d| Factor {
                path: format!("x{d}"),
                id: d as ParamId,
                range: FactorRange::Uniform { lo: 0.0, hi: 1.0 },
            })
            .collect()
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_each_stratum_of_each_factor() {
        let n = 50;
        let pts = latin_hypercube(n, 4, 9, 0);
        for d in 0..4 {
            let mut seen = vec![false; n];
            for p in &pts {
                let s = (p[d] * n as f64) as usize;
                assert!(!seen[s], "two points in stratum {s} of factor {d}");
                seen[s] = true;
            }
        }
        assert_eq!(pts, latin_hypercube(n, 4, 9, 0));
        assert_ne!(pts, latin_hypercube(n, 4, 10, 0));
    }

    #[test]
    fn grid_covers_every_combination_of_levels_with_the_ends_included() {
        let pts = unit_points(Design::Grid { levels: 3 }, 0, &unit(2), 1).unwrap();
        assert_eq!(pts.len(), 9);
        assert_eq!(pts[0], vec![0.0, 0.0]);
        assert_eq!(pts[1], vec![0.0, 0.5]);
        assert_eq!(pts[8], vec![1.0, 1.0]);
    }

    #[test]
    fn sobol_points_are_balanced_in_every_dimension_and_seeded() {
        // Any 2^m Sobol points (scrambled or not) put exactly 2^(m-j) points in each of the
        // 2^j dyadic intervals of every dimension.
        let pts = sobol_points(256, 5, 3).unwrap();
        for d in 0..5 {
            let mut counts = [0; 16];
            for p in &pts {
                assert!(p[d] > 0.0 && p[d] < 1.0);
                counts[(p[d] * 16.0) as usize] += 1;
            }
            assert!(counts.iter().all(|&c| c == 16), "dimension {d}: {counts:?}");
        }
        assert_eq!(pts, sobol_points(256, 5, 3).unwrap());
        assert_ne!(pts, sobol_points(256, 5, 4).unwrap());
        assert!(sobol_points(SOBOL_MAX_POINTS + 1, 2, 0).is_err());
    }

    #[test]
    fn a_distribution_factor_maps_through_its_quantile() {
        let f = Factor {
            path: "p".into(),
            id: 0,
            range: FactorRange::Dist(Param::Dist(statecraft_core::Dist::Uniform(2.0, 4.0))),
        };
        assert!((f.value(0.25) - 2.5).abs() < 1e-12);
        assert!((f.grid_coordinate(0, 2) - 0.25).abs() < 1e-12);
    }
}
