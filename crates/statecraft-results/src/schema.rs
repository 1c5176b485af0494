//! `schema.json`: the schema of every table a command writes into a results folder. Each
//! column has a kind (what role it plays), a unit and a definition, the writer taking them from
//! the model's metric definitions; readers find parameters and metrics by kind, never by
//! the look of a name.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The version of the `schema.json` format this crate writes and reads.
pub const FORMAT: u32 = 1;

/// The role of a column.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Identifies the row: a run index, a round, an actor's name, a design point.
    Key,
    /// A draw of an uncertain parameter (or the value a design point gave it), named by the
    /// parameter's path.
    Parameter,
    /// A run-level outcome: one number per run (empty where undefined).
    Metric,
    /// A number per row of a table that is not per run: an actor's final value, a round's
    /// value of a trajectory or of the world series.
    Value,
    /// Text describing the row (an action's code).
    Label,
}

/// One column of a table.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Column {
    /// Its name in the file's header.
    pub name: String,
    /// Its role.
    pub kind: ColumnKind,
    /// Its unit ("" where it has none: keys, labels).
    pub unit: String,
    /// What it is, in words.
    pub definition: String,
}

impl Column {
    /// A column from its parts.
    pub fn new(name: &str, kind: ColumnKind, unit: &str, definition: &str) -> Column {
        Column {
            name: name.to_string(),
            kind,
            unit: unit.to_string(),
            definition: definition.to_string(),
        }
    }
}

/// One table of the folder.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TableSchema {
    /// The table's name: the files' stem (`runs` for runs.csv and runs.parquet).
    pub name: String,
    /// The files holding it, in the folder.
    pub files: Vec<String>,
    /// What one row is.
    pub row: String,
    /// The columns, in the files' order.
    pub columns: Vec<Column>,
}

impl TableSchema {
    /// The names of the columns of `kind`, in order.
    pub fn names_of(&self, kind: ColumnKind) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .filter(move |c| c.kind == kind)
            .map(|c| c.name.as_str())
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// `schema.json`: every table of a results folder.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FolderSchema {
    /// The version of this format ([`FORMAT`]).
    pub format: u32,
    /// The tables, in the order they were written.
    pub tables: Vec<TableSchema>,
}

impl FolderSchema {
    /// The file's name in a results folder.
    pub const FILE: &'static str = "schema.json";

    /// A schema of these tables.
    pub fn new(tables: Vec<TableSchema>) -> FolderSchema {
        FolderSchema {
            format: FORMAT,
            tables,
        }
    }

    /// The table named `name` (`runs`, `actors`, ...).
    pub fn table(&self, name: &str) -> Option<&TableSchema> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The bytes of `schema.json`: pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// Reads `dir/schema.json`; `None` when the folder has none (written by a statecraft from
    /// before it, or not a results folder).
    pub fn read(dir: &Path) -> Result<Option<FolderSchema>> {
        let path = dir.join(Self::FILE);
        if !path.exists() {
            return Ok(None);
        }
        let text = crate::provenance::read_text(&path, "schema")?;
        let s: FolderSchema = serde_json::from_str(&text).map_err(|e| {
            Error::Invalid(format!(
                "{} is not a statecraft schema.json: {e}",
                path.display()
            ))
        })?;
        if s.format != FORMAT {
            return Err(Error::Invalid(format!(
                "{}: format {} is not the {FORMAT} this statecraft reads",
                path.display(),
                s.format
            )));
        }
        Ok(Some(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_reads_back_and_finds_columns_by_kind() {
        let runs = TableSchema {
            name: "runs".into(),
            files: vec!["runs.csv".into()],
            row: "one run".into(),
            columns: vec![
                Column::new("run", ColumnKind::Key, "", "run index"),
                Column::new("model.lambda", ColumnKind::Parameter, "", "draw"),
                Column::new("rent", ColumnKind::Metric, "bn USD", "the rent"),
            ],
        };
        let s = FolderSchema::new(vec![runs]);
        let dir = std::env::temp_dir().join(format!("statecraft-schema-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(FolderSchema::FILE), s.to_json()).expect("write");
        let back = FolderSchema::read(&dir).expect("read").expect("present");
        assert_eq!(back, s);
        let t = back.table("runs").expect("runs");
        assert_eq!(
            t.names_of(ColumnKind::Parameter).collect::<Vec<_>>(),
            ["model.lambda"]
        );
        assert_eq!(t.column("rent").map(|c| c.unit.as_str()), Some("bn USD"));
        std::fs::write(
            dir.join(FolderSchema::FILE),
            b"{\"format\": 9, \"tables\": []}",
        )
        .expect("write");
        let e = FolderSchema::read(&dir).unwrap_err().to_string();
        assert!(e.contains("format 9"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(FolderSchema::read(&dir).expect("absent").is_none());
    }
}
