//! The scenario's uncertain parameters as ranges for exploratory-modelling tools: EMA
//! Workbench's uncertainties and SALib's problem definition take a lower and an upper bound
//! per parameter and sample uniformly between them. A design they draw is then run in one call
//! as a sweep of given points ([`crate::SweepOptions::given`]).

use statecraft_core::{Dist, Param};
use statecraft_runner::design::FactorRange;

use crate::{Loaded, Result, resolve_factors};

/// The quantiles bounding the exploratory range of an unbounded (normal) distribution: its
/// central 99.8% (mean ± 3.09 sd). Judgement: the draws of the model itself reach ±8.3 sd,
/// which as a uniform range would spend most experiments in the tails.
pub const NORMAL_RANGE_QUANTILES: (f64, f64) = (0.001, 0.999);

/// One uncertain parameter as an exploratory range.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The parameter's path (`model.escalation`, `actors.JPN.autonomy`).
    pub path: String,
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
    /// Where the range comes from: `range` (given, or the scenario's sweep section), else the
    /// scenario's distribution (`TruncNormal(0.79, 0.62, 0.2, 0.9)`, `Choice(100 values)`).
    pub source: String,
}

/// The scenario's distribution of a parameter in words (a `Choice` by its number of values).
fn describe(p: &Param) -> String {
    match p {
        Param::Dist(Dist::Choice(v)) => format!("Choice({} values)", v.len()),
        Param::Dist(d) => format!("{d:?}"),
        Param::Fixed(v) => format!("{v}"),
    }
}

/// The exploratory ranges of the parameters `params` (each a path with its own range, or
/// `None` for the range of its distribution), else of the scenario's sweep section, else of
/// every uncertain parameter, in that order. A distribution's range is its support (the least
/// and the largest value it can draw; a `Choice` the least and largest of its values), except a
/// normal's: its [`NORMAL_RANGE_QUANTILES`].
pub fn ranges(loaded: &Loaded, params: &[(String, Option<(f64, f64)>)]) -> Result<Vec<Range>> {
    let factors = resolve_factors(loaded, params)?;
    factors
        .into_iter()
        .map(|f| {
            let (lo, hi, source) = match &f.range {
                FactorRange::Uniform { lo, hi } => (*lo, *hi, "range".to_string()),
                FactorRange::Dist(p @ Param::Dist(Dist::Normal(..))) => {
                    let (a, b) = NORMAL_RANGE_QUANTILES;
                    (p.quantile(a), p.quantile(b), describe(p))
                }
                FactorRange::Dist(p) => {
                    let (lo, hi) = p.support().map_err(|e| {
                        crate::Error::Input(format!("{}: {}: {e}", loaded.origin(), f.path))
                    })?;
                    (lo, hi, describe(p))
                }
            };
            Ok(Range {
                path: f.path,
                lo,
                hi,
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Loaded {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/examples/three_actors.ron"
        );
        crate::load(path.as_ref()).unwrap()
    }

    #[test]
    fn a_range_given_else_the_support_else_a_normals_central_quantiles() {
        let l = three().with_set(&[
            ("model.hedge_cost".into(), "Normal(0.3, 0.01)".into()),
            (
                "strategy.linkage".into(),
                "Triangular(0.1, 0.2, 0.6)".into(),
            ),
        ]);
        let l = l.unwrap();
        let given = [
            ("strategy.linkage".to_string(), Some((0.25, 0.5))),
            ("model.hedge_cost".to_string(), None),
        ];
        let r = ranges(&l, &given).unwrap();
        assert_eq!(
            (r[0].lo, r[0].hi, r[0].source.as_str()),
            (0.25, 0.5, "range")
        );
        // Φ⁻¹(0.999) = 3.0902
        assert!((r[1].hi - (0.3 + 0.01 * 3.0902)).abs() < 1e-5, "{:?}", r[1]);
        assert!((r[1].lo - (0.3 - 0.01 * 3.0902)).abs() < 1e-5, "{:?}", r[1]);
        assert_eq!(r[1].source, "Normal(0.3, 0.01)");
        let own = ranges(&l, &[("strategy.linkage".to_string(), None)]).unwrap();
        assert_eq!((own[0].lo, own[0].hi), (0.1, 0.6));
        assert!(ranges(&l, &[("model.nope".to_string(), None)]).is_err());
    }
}
