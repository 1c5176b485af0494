//! The report's errors: a typed [`Error`] for a program calling the library (the CLI maps
//! every one to an input error: the folders given are what was wrong, or an option names
//! what they lack).

use std::fmt::Display;

use plotters::drawing::DrawingAreaErrorKind;

/// What went wrong reading the folders or drawing the report. Every message names the file
/// (or the option, or the chart) and says what was expected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A results folder is missing, unreadable or not what statecraft writes there, or an
    /// option names a metric or actor the folders do not have.
    #[error("{0}")]
    Input(String),
    /// A table read through the results crate is not what statecraft writes.
    #[error(transparent)]
    Results(#[from] statecraft_results::Error),
    /// A chart could not be drawn or its file written.
    #[error("{0}")]
    Draw(String),
}

/// A result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for Error {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Error::Draw(e.to_string())
    }
}

/// What was being done, put before an error (or said for a missing value) as an
/// [`Error::Input`]: "context: cause", the way a chain of causes prints.
pub(crate) trait Context<T> {
    /// The error or absence, explained by `what()`.
    fn with_context<C: Display>(self, what: impl FnOnce() -> C) -> Result<T>;
}

impl<T, E: Display> Context<T> for std::result::Result<T, E> {
    fn with_context<C: Display>(self, what: impl FnOnce() -> C) -> Result<T> {
        self.map_err(|e| Error::Input(format!("{}: {e}", what())))
    }
}

impl<T> Context<T> for Option<T> {
    fn with_context<C: Display>(self, what: impl FnOnce() -> C) -> Result<T> {
        self.ok_or_else(|| Error::Input(what().to_string()))
    }
}

/// Returns an [`Error::Input`] with the message formatted from the arguments.
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::error::Error::Input(format!($($arg)*)))
    };
}
pub(crate) use bail;
