//! Scenario discovery: the Patient Rule Induction Method (PRIM, Friedman & Fisher 1999,
//! "Bump hunting in high-dimensional data") on numeric parameters and a yes/no outcome, as EMA
//! Workbench's `prim.Prim` does it in its default case (binary mode, the "lenient1"
//! objective, continuous parameters), so that both give the same peeling trajectory from the
//! same data. A pure function of the data.
//!
//! The box starts as the smallest one holding every case (each parameter's minimum and
//! maximum). With N cases, T of them of interest, and a box holding n cases, t of interest:
//! coverage = t / T, density = t / n, mass = n / N.
//!
//! - **Peeling**: for each parameter in turn (its upper end first, then its lower), the
//!   candidate box cuts that end at the `1 − α` (upper) or `α` (lower) quantile of the
//!   parameter's values in the box, keeping the cases `≤` (upper) or `≥` (lower) that value.
//!   Each candidate scores (density_new − density_old) / (cases removed); the best score wins,
//!   ties going to the box with fewer restricted parameters, then to the first candidate. The
//!   peel is taken when its score is positive, it removes cases and the new mass is at least
//!   `mass_min`; peeling stops at the first candidate that fails.
//! - **Pasting**: for each restricted parameter (lower end first, then upper), the candidate
//!   widens that end to the `1 − α` quantile (lower) or the `α` quantile (upper) of the
//!   values, among all cases inside the box on the other parameters, between the parameter's
//!   minimum and the box's lower end (or its upper end and maximum), or to the minimum
//!   (maximum) when there is none. Scores as in peeling, per case added; the paste is taken
//!   when its score is positive, the density rises and cases are added.
//! - **Quantiles** are EMA's (after sdtoolkit): with the values sorted and i = (n − 1)·q, the
//!   midpoint of the values at ⌊i⌋ and ⌈i⌉, where for q > 1/2 the lower index moves down (and
//!   for q ≤ 1/2 the upper index up) until the two values differ.
//!
//! Every box taken, the first included, is a step of the trajectory (the trade-off curve of
//! coverage against density). [`Prim::chosen`] is the step of highest coverage whose density
//! reaches the threshold. EMA's `find_box` instead selects the last step, and when that
//! step's density is below the threshold returns a "dump" box: the whole space, with a
//! trajectory of its first step only; here the whole trajectory is kept and `chosen` is
//! `None`.

/// Settings of [`prim`]; [`PrimOptions::default`] is EMA Workbench's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's cases a peel removes (0.05).
    pub peel_alpha: f64,
    /// Share of the candidate cases a paste adds (0.05).
    pub paste_alpha: f64,
    /// The smallest mass a box may have (0.05).
    pub mass_min: f64,
    /// The density a box must reach to be chosen (0.8).
    pub threshold: f64,
}

impl Default for PrimOptions {
    fn default() -> Self {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 0.8,
        }
    }
}

/// How a step's box was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The first box, holding every case.
    Start,
    /// A peel.
    Peel,
    /// A paste.
    Paste,
}

impl Phase {
    /// `start`, `peel` or `paste`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Start => "start",
            Phase::Peel => "peel",
            Phase::Paste => "paste",
        }
    }
}

/// One box of the trajectory.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimStep {
    /// How it was reached.
    pub phase: Phase,
    /// The lower limit of each parameter.
    pub lower: Vec<f64>,
    /// The upper limit of each parameter.
    pub upper: Vec<f64>,
    /// Cases in the box.
    pub cases: usize,
    /// Cases of interest in the box.
    pub of_interest: usize,
    /// Cases of interest in the box / all cases of interest.
    pub coverage: f64,
    /// Cases of interest in the box / cases in the box.
    pub density: f64,
    /// Cases in the box / all cases.
    pub mass: f64,
    /// Parameters whose limits differ from the first box's.
    pub restricted: usize,
}

/// The result of [`prim`].
#[derive(Clone, Debug, PartialEq)]
pub struct Prim {
    /// Each parameter's minimum over all cases (the first box's lower limits).
    pub min: Vec<f64>,
    /// Each parameter's maximum over all cases.
    pub max: Vec<f64>,
    /// The trajectory: the first box, the peels, then the pastes.
    pub steps: Vec<PrimStep>,
    /// The step of highest coverage among those of density at least the threshold (the first
    /// of equals); `None` when no step reaches it.
    pub chosen: Option<usize>,
}

impl PrimStep {
    /// Whether parameter `j` is restricted in this box, given the first box's limits.
    pub fn is_restricted(&self, j: usize, min: &[f64], max: &[f64]) -> bool {
        self.lower[j] != min[j] || self.upper[j] != max[j]
    }
}

/// EMA Workbench's quantile of sorted values (see the module docs).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let last = sorted.len() - 1;
    let i = last as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < last {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// EMA's "lenient1" objective: the change in density per case removed or added.
fn score(old: (usize, usize), new: (usize, usize)) -> f64 {
    let mean = |(n, t): (usize, usize)| if n == 0 { 0.0 } else { t as f64 / n as f64 };
    let (m_old, m_new) = (mean(old), mean(new));
    if m_old == m_new {
        return 0.0;
    }
    (m_new - m_old) / old.0.abs_diff(new.0) as f64
}

/// The data and the state of a search.
struct Search<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    min: Vec<f64>,
    max: Vec<f64>,
    total: usize,
    opts: PrimOptions,
}

/// A candidate box: its score, its unrestricted parameters, its limits and cases.
struct Candidate {
    score: f64,
    free: usize,
    lower: Vec<f64>,
    upper: Vec<f64>,
    cases: Vec<usize>,
}

impl Search<'_> {
    fn restricted(&self, lower: &[f64], upper: &[f64]) -> usize {
        (0..self.min.len())
            .filter(|&j| lower[j] != self.min[j] || upper[j] != self.max[j])
            .count()
    }

    fn interest(&self, cases: &[usize]) -> usize {
        cases.iter().filter(|&&i| self.y[i]).count()
    }

    fn step(&self, phase: Phase, lower: &[f64], upper: &[f64], cases: &[usize]) -> PrimStep {
        let (n, t) = (cases.len(), self.interest(cases));
        PrimStep {
            phase,
            lower: lower.to_vec(),
            upper: upper.to_vec(),
            cases: n,
            of_interest: t,
            coverage: t as f64 / self.total as f64,
            density: t as f64 / n as f64,
            mass: n as f64 / self.y.len() as f64,
            restricted: self.restricted(lower, upper),
        }
    }

    /// Keeps `c` in `best` when it scores higher (score, then unrestricted parameters).
    fn offer(best: &mut Option<Candidate>, c: Candidate) {
        let better = best
            .as_ref()
            .is_none_or(|b| c.score > b.score || (c.score == b.score && c.free > b.free));
        if better {
            *best = Some(c);
        }
    }

    /// The best peel of the box `(lower, upper)` holding `cases`.
    fn best_peel(&self, lower: &[f64], upper: &[f64], cases: &[usize]) -> Option<Candidate> {
        let k = self.x.len();
        let old = (cases.len(), self.interest(cases));
        let mut best = None;
        let mut sorted = Vec::with_capacity(cases.len());
        for (j, col) in self.x.iter().enumerate() {
            sorted.clear();
            sorted.extend(cases.iter().map(|&i| col[i]));
            sorted.sort_by(f64::total_cmp);
            for upper_end in [true, false] {
                let q = if upper_end {
                    1.0 - self.opts.peel_alpha
                } else {
                    self.opts.peel_alpha
                };
                let v = quantile(&sorted, q);
                let kept: Vec<usize> = cases
                    .iter()
                    .copied()
                    .filter(|&i| if upper_end { col[i] <= v } else { col[i] >= v })
                    .collect();
                let (mut lo, mut hi) = (lower.to_vec(), upper.to_vec());
                if upper_end {
                    hi[j] = v;
                } else {
                    lo[j] = v;
                }
                let new = (kept.len(), self.interest(&kept));
                let c = Candidate {
                    score: score(old, new),
                    free: k - self.restricted(&lo, &hi),
                    lower: lo,
                    upper: hi,
                    cases: kept,
                };
                Self::offer(&mut best, c);
            }
        }
        best
    }

    /// The cases (all of them) inside the box `(lower, upper)`, limits included.
    fn inside(&self, lower: &[f64], upper: &[f64]) -> Vec<usize> {
        (0..self.y.len())
            .filter(|&i| {
                self.x
                    .iter()
                    .enumerate()
                    .all(|(j, col)| lower[j] <= col[i] && col[i] <= upper[j])
            })
            .collect()
    }

    /// The best paste of the box `(lower, upper)` holding `cases`.
    fn best_paste(&self, lower: &[f64], upper: &[f64], cases: &[usize]) -> Option<Candidate> {
        let k = self.x.len();
        let old = (cases.len(), self.interest(cases));
        let mut best = None;
        for j in 0..k {
            if lower[j] == self.min[j] && upper[j] == self.max[j] {
                continue;
            }
            for lower_end in [true, false] {
                // The cases a paste at this end could add (and those on the limit).
                let (mut lo, mut hi) = (lower.to_vec(), upper.to_vec());
                if lower_end {
                    (lo[j], hi[j]) = (self.min[j], lower[j]);
                } else {
                    (lo[j], hi[j]) = (upper[j], self.max[j]);
                }
                let mut data: Vec<f64> = self
                    .inside(&lo, &hi)
                    .iter()
                    .map(|&i| self.x[j][i])
                    .collect();
                data.sort_by(f64::total_cmp);
                let (mut lo, mut hi) = (lower.to_vec(), upper.to_vec());
                if lower_end {
                    lo[j] = if data.is_empty() {
                        self.min[j]
                    } else {
                        quantile(&data, 1.0 - self.opts.paste_alpha)
                    };
                } else {
                    hi[j] = if data.is_empty() {
                        self.max[j]
                    } else {
                        quantile(&data, self.opts.paste_alpha)
                    };
                }
                let added = self.inside(&lo, &hi);
                let new = (added.len(), self.interest(&added));
                let c = Candidate {
                    score: score(old, new),
                    free: k - self.restricted(&lo, &hi),
                    lower: lo,
                    upper: hi,
                    cases: added,
                };
                Self::offer(&mut best, c);
            }
        }
        best
    }
}

/// PRIM on the parameter columns `x` (each as long as `y`, finite values) and the cases of
/// interest `y`. Errors when the sizes disagree, a value is not finite, the options are out
/// of range, or `y` is all true or all false.
pub fn prim(x: &[Vec<f64>], y: &[bool], opts: &PrimOptions) -> Result<Prim, String> {
    let n = y.len();
    if x.is_empty() {
        return Err("PRIM needs at least one parameter".into());
    }
    if let Some(j) = x.iter().position(|c| c.len() != n) {
        return Err(format!(
            "parameter {j} has {} values for {n} cases",
            x[j].len()
        ));
    }
    if x.iter().flatten().any(|v| !v.is_finite()) {
        return Err("PRIM needs finite parameter values".into());
    }
    let in_unit = |a: f64, top: f64| a > 0.0 && a < top;
    if !in_unit(opts.peel_alpha, 0.5) || !in_unit(opts.paste_alpha, 0.5) {
        return Err("the peeling and pasting alphas must be above 0 and below 0.5".into());
    }
    if !(in_unit(opts.mass_min, 1.0) && opts.threshold > 0.0 && opts.threshold <= 1.0) {
        return Err("the minimum mass must be in (0, 1) and the threshold in (0, 1]".into());
    }
    let total = y.iter().filter(|&&b| b).count();
    if total == 0 || total == n {
        return Err(format!(
            "{total} of {n} cases are of interest: PRIM needs some of each"
        ));
    }
    let fold = |f: fn(f64, f64) -> f64, start: f64| -> Vec<f64> {
        x.iter().map(|c| c.iter().copied().fold(start, f)).collect()
    };
    let s = Search {
        x,
        y,
        min: fold(f64::min, f64::INFINITY),
        max: fold(f64::max, f64::NEG_INFINITY),
        total,
        opts: *opts,
    };
    let (mut lower, mut upper) = (s.min.clone(), s.max.clone());
    let mut cases: Vec<usize> = (0..n).collect();
    let mut steps = vec![s.step(Phase::Start, &lower, &upper, &cases)];
    let mass = |c: &[usize]| c.len() as f64 / n as f64;
    while let Some(c) = s.best_peel(&lower, &upper, &cases) {
        let (m_new, m_old) = (mass(&c.cases), mass(&cases));
        if !(m_new >= opts.mass_min && m_new < m_old && c.score > 0.0) {
            break;
        }
        (lower, upper, cases) = (c.lower, c.upper, c.cases);
        steps.push(s.step(Phase::Peel, &lower, &upper, &cases));
    }
    while let Some(c) = s.best_paste(&lower, &upper, &cases) {
        let (m_new, m_old) = (mass(&c.cases), mass(&cases));
        let density = |c: &[usize]| s.interest(c) as f64 / c.len() as f64;
        let rises = density(&c.cases) > density(&cases);
        if !(m_new >= opts.mass_min && m_new > m_old && c.score > 0.0 && rises) {
            break;
        }
        (lower, upper, cases) = (c.lower, c.upper, c.cases);
        steps.push(s.step(Phase::Paste, &lower, &upper, &cases));
    }
    let mut chosen: Option<usize> = None;
    for (i, st) in steps.iter().enumerate() {
        if st.density >= opts.threshold && chosen.is_none_or(|c| st.coverage > steps[c].coverage) {
            chosen = Some(i);
        }
    }
    Ok(Prim {
        min: s.min,
        max: s.max,
        steps,
        chosen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use statecraft_core::rng::{SimRng, Stream};

    /// `n` cases of `k` uniform parameters on [0, 10].
    fn uniform(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = SimRng::new(seed, Stream::Design, 0);
        (0..k)
            .map(|_| (0..n).map(|_| 10.0 * rng.open01()).collect())
            .collect()
    }

    #[test]
    fn quantiles_are_ema_workbenchs() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        // i = 4 × 0.95 = 3.8: the midpoint of 4 and 5.
        assert_eq!(quantile(&v, 0.95), 4.5);
        // i = 0.2: the midpoint of 1 and 2.
        assert_eq!(quantile(&v, 0.05), 1.5);
        // i = 3 exactly: the lower index moves down to a different value (q > 1/2) ...
        assert_eq!(quantile(&v, 0.75), 3.5);
        // ... at i = 1 the upper one up (q ≤ 1/2).
        assert_eq!(quantile(&v, 0.25), 2.5);
        // Ties are passed over; all equal gives the value.
        assert_eq!(quantile(&[1.0, 2.0, 2.0, 2.0, 2.0], 0.95), 1.5);
        assert_eq!(quantile(&[3.0, 3.0, 3.0], 0.05), 3.0);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn prim_finds_a_known_box() {
        // Of interest: x0 > 6 and x1 < 3, with x2 irrelevant; 12% of cases.
        let n = 2000;
        let x = uniform(n, 3, 42);
        let y: Vec<bool> = (0..n).map(|i| x[0][i] > 6.0 && x[1][i] < 3.0).collect();
        let r = prim(&x, &y, &PrimOptions::default()).unwrap();
        let first = &r.steps[0];
        assert_eq!(
            (first.phase, first.restricted, first.cases),
            (Phase::Start, 0, n)
        );
        assert_eq!(first.coverage, 1.0);
        assert!((first.density - 0.12).abs() < 0.02, "{first:?}");
        // Peeling: mass and coverage never rise, density never falls.
        for w in r.steps.windows(2).filter(|w| w[1].phase == Phase::Peel) {
            assert!(w[1].mass < w[0].mass && w[1].coverage <= w[0].coverage);
            assert!(w[1].density > w[0].density);
        }
        assert!(r.steps.last().unwrap().mass >= 0.05);
        let c = &r.steps[r.chosen.expect("a box of density 0.8")];
        assert!(c.density >= 0.8 && c.coverage > 0.8, "{c:?}");
        // The chosen box (the widest of density 0.8) holds [6, 10] × [0, 3], x2 free; the
        // last, densest one is about that box.
        assert!(
            (c.lower[0] - 6.0).abs() < 0.5 && (3.0..4.0).contains(&c.upper[1]),
            "{c:?}"
        );
        let d = r.steps.last().unwrap();
        assert!(d.density > 0.95, "{d:?}");
        assert!(
            (d.lower[0] - 6.0).abs() < 0.5 && (d.upper[1] - 3.0).abs() < 0.5,
            "{d:?}"
        );
        assert!(!c.is_restricted(2, &r.min, &r.max), "{c:?}");
        assert_eq!(c.restricted, 2);
        // Every step's counts agree with its limits.
        for st in &r.steps {
            let inside: Vec<usize> = (0..n)
                .filter(|&i| (0..3).all(|j| st.lower[j] <= x[j][i] && x[j][i] <= st.upper[j]))
                .collect();
            assert_eq!(inside.len(), st.cases);
            assert_eq!(inside.iter().filter(|&&i| y[i]).count(), st.of_interest);
        }
        // Same data, same result.
        assert_eq!(Ok(r), prim(&x, &y, &PrimOptions::default()));
    }

    #[test]
    fn pasting_widens_a_box_that_peeling_cut_too_far() {
        // Of interest: x0 in [2, 8] (60% of the cases) with some noise: peeling runs to the
        // minimum mass; the box of the chosen step covers most of [2, 8].
        let n = 1000;
        let x = uniform(n, 2, 7);
        let y: Vec<bool> = (0..n)
            .map(|i| (2.0..=8.0).contains(&x[0][i]) != (i % 17 == 0))
            .collect();
        let r = prim(&x, &y, &PrimOptions::default()).unwrap();
        let c = &r.steps[r.chosen.unwrap()];
        assert!(c.lower[0] < 2.5 && c.upper[0] > 7.5, "{c:?}");
        // Any pastes come after every peel.
        let first_paste = r.steps.iter().position(|s| s.phase == Phase::Paste);
        if let Some(p) = first_paste {
            assert!(r.steps[p..].iter().all(|s| s.phase == Phase::Paste));
            assert!(r.steps[p].mass > r.steps[p - 1].mass);
        }
    }

    #[test]
    fn a_threshold_out_of_reach_chooses_no_box() {
        // Of interest at random: no box is much denser than the 30% base rate.
        let n = 500;
        let x = uniform(n, 2, 3);
        let mut rng = SimRng::new(5, Stream::Design, 1);
        let y: Vec<bool> = (0..n).map(|_| rng.open01() < 0.3).collect();
        let opts = PrimOptions {
            threshold: 0.99,
            ..PrimOptions::default()
        };
        let r = prim(&x, &y, &opts).unwrap();
        assert_eq!(r.chosen, None);
        assert!(r.steps.len() > 1);
    }

    #[test]
    fn bad_input_is_refused() {
        let x = uniform(10, 1, 1);
        let opts = PrimOptions::default();
        assert!(
            prim(&x, &[true; 10], &opts)
                .unwrap_err()
                .contains("10 of 10")
        );
        assert!(
            prim(&x, &[false; 9], &opts)
                .unwrap_err()
                .contains("10 values")
        );
        let y: Vec<bool> = (0..10).map(|i| i < 3).collect();
        assert!(prim(&[vec![f64::NAN; 10]], &y, &opts).is_err());
        let bad = PrimOptions {
            peel_alpha: 0.5,
            ..opts
        };
        assert!(prim(&x, &y, &bad).is_err());
        assert!(prim(&[], &y, &opts).is_err());
    }
}
