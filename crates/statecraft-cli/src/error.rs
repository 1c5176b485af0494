//! Exit statuses. An error is either the user's input's fault (exit status 2: a usage error, an
//! unreadable or invalid scenario, patterns, variants or manifest file or results folder given
//! as input, a bad option value, an existing output without `--force`) or a failure at run
//! time (exit status 1: an I/O error while writing results, a failed batch, ...). Input errors
//! are marked where they arise by wrapping them in an [`InputError`] (`input_bail!`,
//! [`input`], [`OrInput::input`]); `main` looks for the mark anywhere in the error's chain, so
//! context added on the way up keeps it. Anything unmarked is a failure at run time.

/// An error in what the user gave: exit status 2. Displays as the error it wraps, whose causes
/// stay the chain's next links.
#[derive(Debug)]
pub struct InputError(anyhow::Error);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The wrapped error's own message; its causes follow through `source`.
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Marks `e` as an input error (exit status 2).
pub fn input(e: impl Into<anyhow::Error>) -> anyhow::Error {
    let e = e.into();
    if is_input(&e) {
        return e;
    }
    anyhow::Error::new(InputError(e))
}

/// Whether an input error is anywhere in `e`'s chain: one marked here, or an output the
/// results folder's writer refused (`statecraft_results::Error::Refused`, also inside the
/// library face's error).
pub fn is_input(e: &anyhow::Error) -> bool {
    use statecraft_results::Error::Refused;
    e.chain().any(|c| {
        c.is::<InputError>()
            || c.downcast_ref::<statecraft_results::Error>()
                .is_some_and(|e| matches!(e, Refused(_)))
            || c.downcast_ref::<statecraft_api::Error>()
                .is_some_and(|e| matches!(e, statecraft_api::Error::Results(Refused(_))))
    })
}

/// `.input()` on a result: its error marked as an input error.
pub trait OrInput<T> {
    /// The result with its error marked as an input error (exit status 2).
    fn input(self) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> OrInput<T> for Result<T, E> {
    fn input(self) -> anyhow::Result<T> {
        self.map_err(input)
    }
}

/// `anyhow::bail!` for an input error (exit status 2).
macro_rules! input_bail {
    ($($t:tt)*) => {
        return Err($crate::error::input(anyhow::anyhow!($($t)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn the_mark_survives_context_and_the_message_is_unchanged() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let plain = anyhow::Error::new(io).context("cannot read x.ron");
        let shown = format!("{plain:#}");
        let marked: anyhow::Result<()> = Err(plain).input();
        let e = marked.context("loading the scenario").unwrap_err();
        assert!(is_input(&e));
        assert_eq!(format!("{e:#}"), format!("loading the scenario: {shown}"));
        let runtime = anyhow::anyhow!("cannot write runs.csv").context("the batch failed");
        assert!(!is_input(&runtime));
        // Marking twice wraps once.
        let twice = input(input(anyhow::anyhow!("bad")));
        assert_eq!(twice.chain().count(), 1);
    }
}
