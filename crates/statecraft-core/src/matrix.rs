//! `Matrix`: a dense row-major table (trade flows, bloc stages, premiums), indexed by
//! `(row, column)` instead of hand-written `i * cols + j`.

use std::ops::{Index, IndexMut};

/// A dense row-major matrix of `rows × cols` values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix<T> {
    cols: usize,
    data: Vec<T>,
}

impl<T: Clone> Matrix<T> {
    /// A `rows × cols` matrix filled with `x`.
    pub fn new(rows: usize, cols: usize, x: T) -> Self {
        Matrix {
            cols,
            data: vec![x; rows * cols],
        }
    }

    /// Resizes to `rows × cols` and fills with `x`, keeping the allocation.
    pub fn reset(&mut self, rows: usize, cols: usize, x: T) {
        self.cols = cols;
        self.data.clear();
        self.data.resize(rows * cols, x);
    }

    /// Copies every value of `other`, which has the same shape.
    pub fn copy_from(&mut self, other: &Matrix<T>)
    where
        T: Copy,
    {
        self.cols = other.cols;
        self.data.copy_from_slice(&other.data);
    }
}

impl<T> Matrix<T> {
    /// Number of columns.
    #[inline]
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Number of rows.
    #[inline]
    pub fn rows(&self) -> usize {
        self.data.len().checked_div(self.cols).unwrap_or(0)
    }

    /// Row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i`, mutable.
    #[inline]
    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Every value, row after row.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// Every value, row after row, mutable.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }
}

impl<T> Index<(usize, usize)> for Matrix<T> {
    type Output = T;
    #[inline]
    fn index(&self, (i, j): (usize, usize)) -> &T {
        debug_assert!(j < self.cols, "column {j} of {}", self.cols);
        &self.data[i * self.cols + j]
    }
}

impl<T> IndexMut<(usize, usize)> for Matrix<T> {
    #[inline]
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut T {
        debug_assert!(j < self.cols, "column {j} of {}", self.cols);
        &mut self.data[i * self.cols + j]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_row_major() {
        let mut m = Matrix::new(2, 3, 0.0);
        m[(1, 2)] = 5.0;
        m[(0, 1)] = 1.0;
        assert_eq!(m.as_slice(), &[0.0, 1.0, 0.0, 0.0, 0.0, 5.0]);
        assert_eq!(m.row(1), &[0.0, 0.0, 5.0]);
        assert_eq!((m.rows(), m.cols()), (2, 3));
        m.row_mut(0).fill(2.0);
        assert_eq!(m[(0, 2)], 2.0);
        m.reset(1, 1, 9.0);
        assert_eq!(m.as_slice(), &[9.0]);
    }
}
