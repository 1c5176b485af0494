//! `Param`: a model number that is either fixed or uncertain (MODEL.md 3.1).
//!
//! In a scenario file a `Param` is written as a plain number (`0.76`) or as a distribution:
//! `Uniform(lo, hi)`, `LogUniform(lo, hi)`, `Normal(mean, sd)`, `TruncNormal(mean, sd, lo, hi)`,
//! `Triangular(lo, mode, hi)` or `Choice([a, b, ...])`. Each run draws every uncertain `Param`
//! once, by inverse-CDF sampling from a single uniform of its own slot in the parameter stream.

use serde::{Deserialize, Serialize};

use crate::rng::SimRng;

/// A distribution over a model number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Dist {
    /// Uniform on `[lo, hi]`.
    Uniform(f64, f64),
    /// Log-uniform on `[lo, hi]`, `lo > 0`: every order of magnitude equally likely.
    LogUniform(f64, f64),
    /// Normal with mean and standard deviation; its draws lie within mean ± 8.3·sd
    /// ([`NORMAL_Z_MAX`]), which must fit the field's range.
    Normal(f64, f64),
    /// Normal(mean, sd) truncated to `[lo, hi]`.
    TruncNormal(f64, f64, f64, f64),
    /// A value whose logarithm is Normal(mu, sigma) truncated to `[ln lo, ln hi]`, `lo > 0`:
    /// the truncated normal on the scale of a log-uniform prior (a posterior fitted there).
    LogTruncNormal(f64, f64, f64, f64),
    /// Triangular with minimum, mode and maximum.
    Triangular(f64, f64, f64),
    /// One of a list of values, each equally likely.
    Choice(Vec<f64>),
}

/// The largest |z| a `Normal` draw can reach: uniforms are drawn in [2^-54, 1 − 2^-54], whose
/// normal quantiles lie within ±8.3 (Φ(−8.3) ≈ 5e-17). A `Normal(mean, sd)` is therefore valid
/// for a field whose range contains mean ± 8.3·sd.
pub const NORMAL_Z_MAX: f64 = 8.3;

/// A model number: fixed, or drawn once per run from a distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    untagged,
    expecting = "expected a number or a distribution: Uniform(lo, hi), LogUniform(lo, hi), Normal(mean, sd), TruncNormal(mean, sd, lo, hi), LogTruncNormal(mu, sigma, lo, hi), Triangular(lo, mode, hi) or Choice([..])"
)]
pub enum Param {
    /// A fixed value.
    Fixed(f64),
    /// An uncertain value.
    Dist(Dist),
}

impl std::fmt::Display for Param {
    /// The scenario-file form: `0.5`, `Uniform(0.1, 0.5)`, `Choice([1, 2])`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Fixed(v) => write!(f, "{v}"),
            Param::Dist(Dist::Uniform(a, b)) => write!(f, "Uniform({a}, {b})"),
            Param::Dist(Dist::LogUniform(a, b)) => write!(f, "LogUniform({a}, {b})"),
            Param::Dist(Dist::Normal(m, s)) => write!(f, "Normal({m}, {s})"),
            Param::Dist(Dist::TruncNormal(m, s, a, b)) => {
                write!(f, "TruncNormal({m}, {s}, {a}, {b})")
            }
            Param::Dist(Dist::LogTruncNormal(m, s, a, b)) => {
                write!(f, "LogTruncNormal({m}, {s}, {a}, {b})")
            }
            Param::Dist(Dist::Triangular(a, m, b)) => write!(f, "Triangular({a}, {m}, {b})"),
            Param::Dist(Dist::Choice(v)) => {
                let items: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                write!(f, "Choice([{}])", items.join(", "))
            }
        }
    }
}

impl From<f64> for Param {
    fn from(v: f64) -> Self {
        Param::Fixed(v)
    }
}

impl Param {
    /// Whether the value varies between runs.
    pub fn is_uncertain(&self) -> bool {
        match self {
            Param::Fixed(_) => false,
            Param::Dist(Dist::Choice(v)) => v.len() > 1,
            Param::Dist(_) => true,
        }
    }

    /// The smallest and largest value the parameter can take, or why it is malformed.
    pub fn support(&self) -> Result<(f64, f64), String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match self {
            Param::Fixed(v) if v.is_finite() => Ok((*v, *v)),
            Param::Fixed(v) => Err(format!("{v} is not a finite number")),
            Param::Dist(d) => match d {
                Dist::Uniform(lo, hi) if finite(&[*lo, *hi]) && lo <= hi => Ok((*lo, *hi)),
                Dist::Uniform(lo, hi) => Err(format!("Uniform({lo}, {hi}) needs lo <= hi")),
                Dist::LogUniform(lo, hi) if finite(&[*lo, *hi]) && *lo > 0.0 && lo <= hi => {
                    Ok((*lo, *hi))
                }
                Dist::LogUniform(lo, hi) => {
                    Err(format!("LogUniform({lo}, {hi}) needs 0 < lo <= hi"))
                }
                Dist::Normal(m, sd) if finite(&[*m, *sd]) && *sd >= 0.0 => {
                    Ok((m - NORMAL_Z_MAX * sd, m + NORMAL_Z_MAX * sd))
                }
                Dist::Normal(m, sd) => Err(format!("Normal({m}, {sd}) needs sd >= 0")),
                Dist::TruncNormal(m, sd, lo, hi)
                    if finite(&[*m, *sd, *lo, *hi]) && *sd > 0.0 && lo <= hi =>
                {
                    Ok((*lo, *hi))
                }
                Dist::TruncNormal(m, sd, lo, hi) => Err(format!(
                    "TruncNormal({m}, {sd}, {lo}, {hi}) needs sd > 0 and lo <= hi"
                )),
                Dist::LogTruncNormal(m, sd, lo, hi)
                    if finite(&[*m, *sd, *lo, *hi]) && *sd > 0.0 && *lo > 0.0 && lo <= hi =>
                {
                    Ok((*lo, *hi))
                }
                Dist::LogTruncNormal(m, sd, lo, hi) => Err(format!(
                    "LogTruncNormal({m}, {sd}, {lo}, {hi}) needs sigma > 0 and 0 < lo <= hi"
                )),
                Dist::Triangular(lo, mode, hi)
                    if finite(&[*lo, *mode, *hi]) && lo <= mode && mode <= hi =>
                {
                    Ok((*lo, *hi))
                }
                Dist::Triangular(lo, mode, hi) => Err(format!(
                    "Triangular({lo}, {mode}, {hi}) needs lo <= mode <= hi"
                )),
                Dist::Choice(v) if !v.is_empty() && finite(v) => Ok((
                    v.iter().copied().fold(f64::INFINITY, f64::min),
                    v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                )),
                Dist::Choice(_) => Err("Choice needs at least one finite value".to_string()),
            },
        }
    }

    /// The value at quantile `u` in (0, 1): inverse-CDF sampling. A fixed value ignores `u`.
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Param::Fixed(v) => *v,
            Param::Dist(d) => match d {
                Dist::Uniform(lo, hi) => lo + u * (hi - lo),
                Dist::LogUniform(lo, hi) => (lo.ln() + u * (hi.ln() - lo.ln())).exp(),
                Dist::Normal(m, sd) => m + sd * normal_quantile(u),
                Dist::TruncNormal(..) | Dist::LogTruncNormal(..) => {
                    self.quantile_cached(u, self.trunc_cdf())
                }
                Dist::Triangular(lo, mode, hi) => {
                    let width = hi - lo;
                    if width <= 0.0 {
                        return *lo;
                    }
                    let f = (mode - lo) / width;
                    if u < f {
                        lo + (u * width * (mode - lo)).sqrt()
                    } else {
                        hi - ((1.0 - u) * width * (hi - mode)).sqrt()
                    }
                }
                Dist::Choice(v) => {
                    let k = ((u * v.len() as f64) as usize).min(v.len() - 1);
                    v[k]
                }
            },
        }
    }

    /// Φ at the standardised bounds of a `TruncNormal` (zeros for other distributions), for
    /// [`Param::quantile_cached`].
    /// When the interval lies above the mean it is reflected to the lower tail, where the CDF
    /// keeps its relative precision.
    pub fn trunc_cdf(&self) -> (f64, f64) {
        if let Some(inner) = self.log_inner() {
            return inner.trunc_cdf();
        }
        match self {
            Param::Dist(Dist::TruncNormal(m, sd, lo, hi)) if *sd > 0.0 => {
                let (a, b) = ((lo - m) / sd, (hi - m) / sd);
                if a > 0.0 {
                    (normal_cdf(-b), normal_cdf(-a))
                } else {
                    (normal_cdf(a), normal_cdf(b))
                }
            }
            _ => (0.0, 0.0),
        }
    }

    /// [`Param::quantile`] with the bounds' CDF of a `TruncNormal` precomputed by
    /// [`Param::trunc_cdf`].
    pub fn quantile_cached(&self, u: f64, trunc_cdf: (f64, f64)) -> f64 {
        if let (Some(inner), Param::Dist(Dist::LogTruncNormal(_, _, lo, hi))) =
            (self.log_inner(), self)
        {
            return inner.quantile_cached(u, trunc_cdf).exp().clamp(*lo, *hi);
        }
        match self {
            Param::Dist(Dist::TruncNormal(m, sd, lo, hi)) => {
                let (a, b) = trunc_cdf;
                // Above the mean the interval was reflected (see `trunc_cdf`): walk it from the
                // top so the quantile still increases with u.
                let reflected = lo > m;
                let v = if reflected { 1.0 - u } else { u };
                let p = (a + v * (b - a)).clamp(1e-300, 1.0 - 1e-16);
                let z = if reflected {
                    -normal_quantile(p)
                } else {
                    normal_quantile(p)
                };
                let x = m + sd * z;
                // A degenerate spread (a subnormal sd) can leave no finite draw: the mean then.
                if x.is_finite() {
                    x.clamp(*lo, *hi)
                } else {
                    m.clamp(*lo, *hi)
                }
            }
            _ => self.quantile(u),
        }
    }

    /// The truncated normal of a `LogTruncNormal`'s logarithm (`None` for other parameters).
    fn log_inner(&self) -> Option<Param> {
        match self {
            Param::Dist(Dist::LogTruncNormal(m, sd, lo, hi)) => {
                Some(Param::Dist(Dist::TruncNormal(*m, *sd, lo.ln(), hi.ln())))
            }
            _ => None,
        }
    }

    /// One draw from `rng`.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match self {
            Param::Fixed(v) => *v,
            Param::Dist(_) => self.quantile(rng.open01()),
        }
    }

    /// The mean of the distribution (the value itself when fixed).
    pub fn mean(&self) -> f64 {
        match self {
            Param::Fixed(v) => *v,
            Param::Dist(d) => match d {
                Dist::Uniform(lo, hi) => 0.5 * (lo + hi),
                Dist::LogUniform(lo, hi) if hi > lo => (hi - lo) / (hi.ln() - lo.ln()),
                Dist::LogUniform(lo, _) => *lo,
                Dist::Normal(m, _) => *m,
                Dist::TruncNormal(m, sd, lo, hi) => {
                    let (a, b) = ((lo - m) / sd, (hi - m) / sd);
                    let z = normal_cdf(b) - normal_cdf(a);
                    if z <= 0.0 {
                        return m.clamp(*lo, *hi);
                    }
                    m + sd * (normal_pdf(a) - normal_pdf(b)) / z
                }
                Dist::LogTruncNormal(m, sd, lo, hi) => {
                    // E[e^Y], Y ~ N(m, sd) on [a, b] (standardised): e^(m + sd²/2)·(Φ(b − sd) −
                    // Φ(a − sd))/(Φ(b) − Φ(a)).
                    let (a, b) = ((lo.ln() - m) / sd, (hi.ln() - m) / sd);
                    let z = normal_cdf(b) - normal_cdf(a);
                    if z <= 0.0 {
                        return m.exp().clamp(*lo, *hi);
                    }
                    let shifted = normal_cdf(b - sd) - normal_cdf(a - sd);
                    ((m + 0.5 * sd * sd).exp() * shifted / z).clamp(*lo, *hi)
                }
                Dist::Triangular(lo, mode, hi) => (lo + mode + hi) / 3.0,
                Dist::Choice(v) => v.iter().sum::<f64>() / v.len() as f64,
            },
        }
    }
}

fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal CDF, through the complementary error function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function. For |x| < 3 from the series
/// erf(x) = 2/√π·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), whose terms are all positive (no
/// cancellation); beyond, from the continued fraction of erfc evaluated by Lentz's method.
/// Both are accurate to a few ulps in the range used here.
fn erfc(x: f64) -> f64 {
    if x.is_infinite() {
        return if x > 0.0 { 0.0 } else { 2.0 };
    }
    let ax = x.abs();
    if ax < 3.0 {
        let x2 = ax * ax;
        let mut term = ax;
        let mut sum = ax;
        let mut n = 0.0;
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * x2 / (2.0 * n + 1.0);
            sum += term;
        }
        let erf = 2.0 / std::f64::consts::PI.sqrt() * (-x2).exp() * sum;
        return if x >= 0.0 { 1.0 - erf } else { 1.0 + erf };
    }
    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))).
    let tiny = 1e-300;
    let mut f = ax;
    let mut c = ax;
    let mut d = 0.0;
    for k in 1..200 {
        let a = k as f64 / 2.0;
        d = ax + a * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = ax + a / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    let r = (-ax * ax).exp() / std::f64::consts::PI.sqrt() / f;
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Standard normal quantile: Acklam's rational approximation, polished by one Halley step
/// against [`normal_cdf`] (relative error about 1e-15).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p_low = 0.024_25;
    let x = if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley refinement step.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    x - u / (1.0 + x * u / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_functions_match_reference_values() {
        // Reference values: scipy.stats.norm.cdf / .ppf.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-13);
        assert!((normal_cdf(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-15);
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-9);
        for k in 1..1000 {
            let p = k as f64 / 1000.0;
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 1e-13, "p={p}");
        }
    }

    #[test]
    fn a_log_truncated_normal_is_the_truncated_normal_of_the_logarithm() {
        // Its quantiles are e^(the log-scale truncated normal's), its mean the closed form
        // (checked by the midpoint rule over u), and lo must be positive.
        let p = Param::Dist(Dist::LogTruncNormal(3.0, 1.0, 2.0, 200.0));
        let inner = Param::Dist(Dist::TruncNormal(3.0, 1.0, 2f64.ln(), 200f64.ln()));
        for u in [0.01, 0.05, 0.5, 0.95, 0.99] {
            let want = inner.quantile(u).exp();
            assert!((p.quantile(u) - want).abs() < 1e-9 * want, "{u}");
        }
        let steps = 200_000;
        let mean: f64 = (0..steps)
            .map(|k| p.quantile((f64::from(k) + 0.5) / f64::from(steps)))
            .sum::<f64>()
            / f64::from(steps);
        assert!(
            (p.mean() - mean).abs() < 1e-4 * mean,
            "{} vs {mean}",
            p.mean()
        );
        assert_eq!(p.to_string(), "LogTruncNormal(3, 1, 2, 200)");
        assert!(
            Param::Dist(Dist::LogTruncNormal(0.0, 1.0, 0.0, 1.0))
                .support()
                .is_err()
        );
    }

    #[test]
    fn quantiles_stay_in_support() {
        let ps = [
            Param::Dist(Dist::Uniform(1.0, 2.0)),
            Param::Dist(Dist::LogUniform(2.0, 200.0)),
            Param::Dist(Dist::TruncNormal(0.76, 0.1, 0.3, 1.2)),
            Param::Dist(Dist::LogTruncNormal(3.0, 1.0, 2.0, 200.0)),
            Param::Dist(Dist::Triangular(0.0, 0.15, 0.3)),
            Param::Dist(Dist::Choice(vec![0.1, 0.2, 0.4])),
        ];
        for p in &ps {
            let (lo, hi) = p.support().unwrap();
            for k in 0..=1000 {
                let u = (k as f64 + 0.5) / 1001.5;
                let x = p.quantile(u);
                assert!(x >= lo && x <= hi, "{p:?} at {u} gave {x}");
            }
        }
    }

    #[test]
    fn sample_means_match_distribution_means() {
        let ps = [
            Param::Dist(Dist::Uniform(1.0, 2.0)),
            Param::Dist(Dist::LogUniform(2.0, 200.0)),
            Param::Dist(Dist::TruncNormal(0.5, 0.4, 0.0, 1.0)),
            Param::Dist(Dist::Triangular(0.0, 0.15, 0.3)),
            Param::Dist(Dist::Normal(-1.0, 2.0)),
        ];
        let n = 20_000;
        for p in &ps {
            // A midpoint rule over the quantile function: exact up to discretisation.
            let m: f64 = (0..n)
                .map(|k| p.quantile((k as f64 + 0.5) / n as f64))
                .sum::<f64>()
                / n as f64;
            let tol = 1e-3 * (1.0 + p.mean().abs());
            assert!((m - p.mean()).abs() < tol, "{p:?}: {m} vs {}", p.mean());
        }
    }

    #[test]
    fn truncated_normal_far_in_the_upper_tail_keeps_its_shape() {
        // [mean + 9 sd, mean + 10 sd]: the CDF there rounds to 1; the reflection keeps it.
        let p = Param::Dist(Dist::TruncNormal(0.0, 1.0, 9.0, 10.0));
        let lo = p.quantile(0.01);
        let mid = p.quantile(0.5);
        let hi = p.quantile(0.99);
        assert!(
            9.0 < lo && lo < mid && mid < hi && hi < 10.0,
            "{lo} {mid} {hi}"
        );
        // The median of the tail beyond 9 is about 9 + ln 2 / 9.
        assert!(
            (mid - (9.0 + std::f64::consts::LN_2 / 9.0)).abs() < 0.01,
            "{mid}"
        );
    }

    #[test]
    fn degenerate_truncated_normals_stay_finite() {
        // Found by the `mutate` fuzz target: a subnormal sd made the bounds' z infinite.
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
        let p = Param::Dist(Dist::TruncNormal(1.5, 2.6e-321, 0.5, 2.5));
        let cdf = p.trunc_cdf();
        for u in [1e-9, 0.3, 0.5, 0.999] {
            let x = p.quantile_cached(u, cdf);
            assert!((0.5..=2.5).contains(&x), "{u}: {x}");
        }
    }

    #[test]
    fn malformed_distributions_are_reported() {
        assert!(Param::Dist(Dist::Uniform(2.0, 1.0)).support().is_err());
        assert!(Param::Dist(Dist::LogUniform(0.0, 1.0)).support().is_err());
        assert!(
            Param::Dist(Dist::Triangular(0.0, 2.0, 1.0))
                .support()
                .is_err()
        );
        assert!(Param::Dist(Dist::Choice(vec![])).support().is_err());
        assert!(Param::Fixed(f64::NAN).support().is_err());
    }
}
