//! Fitting a parametric law to a sample: the truncated normal of an approximate posterior
//! (`statecraft patterns --abc` writes it to `abc.csv` and to the emitted scenario).

use statecraft_core::param::normal_cdf;
use statecraft_core::{Dist, Param};

/// Mean and standard deviation of Normal(m, s) truncated to [lo, hi] (the closed form:
/// with α = (lo − m)/s, β = (hi − m)/s and Z = Φ(β) − Φ(α), the mean is
/// m + s·(φ(α) − φ(β))/Z and the variance s²·(1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²)).
/// When the interval holds no mass (Z ≤ 1e-300), the point of [lo, hi] nearest m, sd 0.
pub fn trunc_normal_moments(m: f64, s: f64, lo: f64, hi: f64) -> (f64, f64) {
    let pdf = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let (a, b) = ((lo - m) / s, (hi - m) / s);
    let z = normal_cdf(b) - normal_cdf(a);
    if z <= 1e-300 {
        let edge = m.clamp(lo, hi);
        return (edge, 0.0);
    }
    let r = (pdf(a) - pdf(b)) / z;
    let t = (a * pdf(a) - b * pdf(b)) / z;
    (m + s * r, s * (1.0 + t - r * r).max(0.0).sqrt())
}

/// A truncated normal on [lo, hi] whose mean and standard deviation match the sample's
/// (moment matching by fixed-point iteration on m and s, 500 steps at most). A constant sample
/// (or an empty interval) gives `Param::Fixed` at the sample mean. A sample at least as wide
/// as the uniform on [lo, hi] cannot be matched: its sd is capped just below the uniform's, and
/// s at ten times the width, where the law is flat anyway. The parameters are not rounded.
pub fn fit_trunc_normal(v: &[f64], lo: f64, hi: f64) -> Param {
    let (mean, sd) = crate::stats::mean_sd(v);
    if sd.is_nan() || sd <= 0.0 || hi <= lo {
        return Param::Fixed(mean);
    }
    // No truncated normal is wider than the uniform on [lo, hi]: aim just below it.
    let sd = sd.min(0.99 * (hi - lo) / 12f64.sqrt());
    let (mut m, mut s) = (mean, sd);
    for _ in 0..500 {
        let (tm, ts) = trunc_normal_moments(m, s, lo, hi);
        if ts <= 0.0 {
            break;
        }
        m += mean - tm;
        s = (s * sd / ts).min(10.0 * (hi - lo));
    }
    Param::Dist(Dist::TruncNormal(m, s, lo, hi))
}

/// The posterior marginal of a sample on the scale of its prior: a truncated normal on
/// [lo, hi], or, for a log-uniform (or log-truncated-normal) prior, a truncated normal of the
/// logarithm on [ln lo, ln hi] ([`Dist::LogTruncNormal`]), whose draws then keep the sample's
/// geometric spread instead of a linear moment match that a skewed sample pulls off its mean
/// (the rationality λ of the 2025 world, log-uniform, drew a mean of 48.7 from a linear fit of
/// a sample of mean 35.5).
pub fn fit_on_prior_scale(v: &[f64], prior: &Param, lo: f64, hi: f64) -> Param {
    let log = matches!(
        prior,
        Param::Dist(Dist::LogUniform(..) | Dist::LogTruncNormal(..))
    ) && lo > 0.0
        && v.iter().all(|&x| x > 0.0);
    if !log {
        return fit_trunc_normal(v, lo, hi);
    }
    let logs: Vec<f64> = v.iter().map(|x| x.ln()).collect();
    match fit_trunc_normal(&logs, lo.ln(), hi.ln()) {
        Param::Dist(Dist::TruncNormal(m, s, _, _)) => {
            Param::Dist(Dist::LogTruncNormal(m, s, lo, hi))
        }
        Param::Fixed(x) => Param::Fixed(x.exp()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_normal_moments_match_the_closed_forms() {
        // Half-normal: N(0, 1) on [0, ∞) has mean √(2/π) and variance 1 − 2/π.
        let (m, s) = trunc_normal_moments(0.0, 1.0, 0.0, 40.0);
        let pi = std::f64::consts::PI;
        assert!((m - (2.0 / pi).sqrt()).abs() < 1e-9, "{m}");
        assert!((s - (1.0 - 2.0 / pi).sqrt()).abs() < 1e-9, "{s}");
        // Scaled and shifted: N(5, 2) on [5, ∞) is 5 + 2 × the half-normal.
        let (m2, s2) = trunc_normal_moments(5.0, 2.0, 5.0, 200.0);
        assert!((m2 - (5.0 + 2.0 * m)).abs() < 1e-9 && (s2 - 2.0 * s).abs() < 1e-9);
        // Symmetric truncation keeps the mean; N(0, 1) on [−1, 1] has variance
        // 1 − 2φ(1)/(2Φ(1) − 1) = 0.29112509...: φ(1) = 0.24197072451914337,
        // 2Φ(1) − 1 = 0.6826894921370859.
        let (m3, s3) = trunc_normal_moments(0.0, 1.0, -1.0, 1.0);
        let var: f64 = 1.0 - 2.0 * 0.241_970_724_519_143_37 / 0.682_689_492_137_085_9;
        assert!(
            m3.abs() < 1e-12 && (s3 - var.sqrt()).abs() < 1e-9,
            "{m3} {s3}"
        );
        // A wide normal is nearly the uniform: sd (hi − lo)/√12 (to within O(1/s²)).
        let (m4, s4) = trunc_normal_moments(0.5, 100.0, 0.0, 1.0);
        assert!(
            (m4 - 0.5).abs() < 1e-12 && (s4 - 1.0 / 12f64.sqrt()).abs() < 1e-5,
            "{m4} {s4}"
        );
        // No mass in the interval: its point nearest the mean.
        assert_eq!(trunc_normal_moments(100.0, 1.0, 0.0, 1.0), (1.0, 0.0));
    }

    #[test]
    fn a_fitted_truncated_normal_has_the_sample_moments() {
        // A sample pushed toward the upper end of [0.2, 0.8], as a posterior of a uniform is:
        // density rising linearly to 0.8.
        let v: Vec<f64> = (0..2000)
            .map(|k| 0.2 + 0.6 * ((k as f64 + 0.5) / 2000.0).sqrt())
            .collect();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let Param::Dist(Dist::TruncNormal(m, s, lo, hi)) = fit_trunc_normal(&v, 0.2, 0.8) else {
            panic!("not a truncated normal");
        };
        assert_eq!((lo, hi), (0.2, 0.8));
        let (tm, ts) = trunc_normal_moments(m, s, lo, hi);
        assert!(
            (tm - mean).abs() < 1e-6 && (ts - sd).abs() < 1e-6,
            "{tm} {ts} vs {mean} {sd}"
        );
        assert!(
            m > mean,
            "the mean parameter lies beyond the sample's mean: {m}"
        );
        // A constant sample is a fixed value.
        assert_eq!(fit_trunc_normal(&[0.3, 0.3], 0.0, 1.0), Param::Fixed(0.3));
    }
}
