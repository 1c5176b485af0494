//! Errors of scenario input: the only way the core can fail, and only before a run starts.

/// What is wrong with a scenario. Messages name the file, the line and column or the field
/// path, the value and the allowed range.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The text is not a well-formed scenario (RON syntax, unknown or missing field).
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser says.
        message: String,
    },
    /// Several values are outside their ranges: each error on a line of its own.
    #[error("{} errors:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Several(Vec<ScenarioError>),
    /// A value is outside its allowed range or a name does not resolve.
    #[error("{origin}: {path}: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// The field path, e.g. `actors.JPN.security_dependence`.
        path: String,
        /// What is wrong, with the value and the allowed range.
        message: String,
    },
}

impl ScenarioError {
    /// The errors this one stands for: itself, or each of [`ScenarioError::Several`].
    pub fn all(&self) -> Vec<&ScenarioError> {
        match self {
            ScenarioError::Several(v) => v.iter().collect(),
            e => vec![e],
        }
    }

    pub(crate) fn syntax(origin: &str, e: ron::error::SpannedError) -> Self {
        ScenarioError::Syntax {
            origin: origin.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: match e.code {
                // The one RON rule a newcomer trips on: an optional field takes Some(...).
                ron::error::Error::ExpectedOption => {
                    "Expected option: this field is optional; write Some(value), or None".into()
                }
                code => code.to_string(),
            },
        }
    }

    pub(crate) fn invalid(
        origin: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ScenarioError::Invalid {
            origin: origin.to_string(),
            path: path.into(),
            message: message.into(),
        }
    }
}
