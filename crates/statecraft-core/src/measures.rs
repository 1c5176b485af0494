//! Measures of a trade matrix (row i: exporter i's flows to each actor, then to the rest of the
//! world): concentration, regional shares, trade crossing bloc lines. Used by the world (their
//! values at round 0) and by the outcomes (at T).

use crate::matrix::Matrix;

/// Herfindahl index of one exporter's destinations (rest of world included).
pub fn hhi(row: &[f64]) -> f64 {
    let total: f64 = row.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    row.iter().map(|x| (x / total) * (x / total)).sum()
}

/// Exports of actor `i` to partners sharing a regional bloc in force with it (`mask`: one bit
/// per regional bloc, per actor), and its total exports (rest of world included).
pub fn regional_exports(i: usize, exports: &Matrix<f64>, mask: &[u64]) -> (f64, f64) {
    let n = exports.rows();
    let (mut regional, mut total) = (0.0, 0.0);
    for (j, &x) in exports.row(i).iter().enumerate() {
        total += x;
        if j < n && j != i && mask[i] & mask[j] != 0 {
            regional += x;
        }
    }
    (regional, total)
}

/// Share of world trade (actors' exports, rest of world included) between partners that
/// share no regional bloc in force (`mask`: one bit per regional bloc, per actor). Exports to
/// the rest of the world always cross.
pub fn crossing_share(exports: &Matrix<f64>, mask: &[u64]) -> f64 {
    let n = exports.rows();
    let (mut cross, mut total) = (0.0, 0.0);
    for i in 0..n {
        for (j, &x) in exports.row(i).iter().enumerate() {
            total += x;
            if j == n || mask[i] & mask[j] == 0 {
                cross += x;
            }
        }
    }
    if total > 0.0 { cross / total } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two actors and the rest of the world: A exports 30 to B, 10 to ROW; B 20 to A, 0 to ROW.
    fn trade() -> Matrix<f64> {
        let mut x = Matrix::new(2, 3, 0.0);
        x[(0, 1)] = 30.0;
        x[(0, 2)] = 10.0;
        x[(1, 0)] = 20.0;
        x
    }

    #[test]
    fn herfindahl_of_shares() {
        // 0.75² + 0.25² = 0.625.
        assert_eq!(hhi(trade().row(0)), 0.625);
        assert_eq!(hhi(&[0.0, 0.0]), 0.0);
    }

    #[test]
    fn regional_and_crossing_shares() {
        let x = trade();
        // Sharing a bloc: A's 30 to B is regional, ROW's 10 is not.
        assert_eq!(regional_exports(0, &x, &[1, 1]), (30.0, 40.0));
        assert_eq!(regional_exports(0, &x, &[1, 2]), (0.0, 40.0));
        // Only the 10 to ROW crosses when both share a bloc: 10/60.
        assert_eq!(crossing_share(&x, &[1, 1]), 10.0 / 60.0);
        assert_eq!(crossing_share(&x, &[0, 0]), 1.0);
    }
}
