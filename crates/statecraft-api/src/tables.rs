//! The tables of a run folder, in one place: their columns in order, each with the kind its
//! writer needs ([`Kind`]: integer, number, optional number, text) and the kind, unit and
//! definition a reader needs ([`Column`], from the model's metric definitions).
//! [`run_to_folder`](crate::run_to_folder) and `statecraft run` write them as `schema.json`
//! ([`RunTables::schema`]), `statecraft sweep` a sweep folder's ([`sweep_schema`]).

use statecraft_core::metric::{
    ACTOR_METRICS, BLOC_METRICS, Metric, RUN_METRICS, TRAJECTORY_METRICS, WORLD_METRICS,
};
use statecraft_core::{ActorColumn, World};
use statecraft_results::{Column, ColumnKind, Draws, FolderSchema, Kind, TableFormat, TableSchema};

/// One table: its name (the files' stem), what a row is, and its columns.
pub struct Table {
    /// `runs`, `actors`, `trajectories`, `world`.
    pub name: &'static str,
    /// What one row is.
    pub row: &'static str,
    /// The columns in the files' order, with the writer's kind of each.
    pub columns: Vec<(Column, Kind)>,
}

impl Table {
    /// The header for the table writers: names and kinds.
    pub fn header(&self) -> Vec<(String, Kind)> {
        self.columns
            .iter()
            .map(|(c, k)| (c.name.clone(), *k))
            .collect()
    }

    /// The table's entry in `schema.json`, for the files of `formats`.
    pub fn schema(&self, formats: &[TableFormat]) -> TableSchema {
        TableSchema {
            name: self.name.to_string(),
            files: formats
                .iter()
                .map(|f| match f {
                    TableFormat::Csv => format!("{}.csv", self.name),
                    TableFormat::Parquet => format!("{}.parquet", self.name),
                })
                .collect(),
            row: self.row.to_string(),
            columns: self.columns.iter().map(|(c, _)| c.clone()).collect(),
        }
    }
}

/// The tables of a run folder of `world`.
pub struct RunTables {
    /// `runs`: one row per run.
    pub runs: Table,
    /// `actors`: one row per actor and run.
    pub actors: Table,
    /// `trajectories`: one row per round, actor and kept run.
    pub trajectories: Table,
    /// `world`: one row per round and run (`--world-series`).
    pub world: Table,
    /// `draws`: one row per run, its parameter draws (`--draws table`).
    pub draws: Table,
}

fn key(name: &str, definition: &str) -> (Column, Kind) {
    let kind = if name == "actor" {
        Kind::Text
    } else {
        Kind::Int
    };
    (Column::new(name, ColumnKind::Key, "", definition), kind)
}

fn run_key() -> (Column, Kind) {
    key(
        "run",
        "run index: the run's random streams derive from the seed and it",
    )
}

/// The model's definition of column `name` in `table`.
fn defined(table: &[Metric], name: &str, kind: ColumnKind, writer: Kind) -> (Column, Kind) {
    let m = table.iter().find(|m| m.name == name);
    let (unit, definition) = m.map_or(("", ""), |m| (m.unit, m.definition));
    (Column::new(name, kind, unit, definition), writer)
}

/// Which per-run tables a run folder holds, and where its parameter draws are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// Where the parameter draws are: `runs.csv`'s columns, `draws.csv`, or nowhere.
    pub draws: Draws,
    /// Only the summary: no per-run table at all (`runs`, `actors`, `draws`, ...).
    pub summary_only: bool,
    /// `trajectories.csv` is written (trajectories kept).
    pub trajectories: bool,
    /// `world.csv` is written.
    pub world_series: bool,
}

impl Layout {
    /// Whether `runs` and `actors` are written.
    pub fn per_run(&self) -> bool {
        !self.summary_only
    }

    /// Whether `draws` (its own table) is written.
    pub fn draws_table(&self) -> bool {
        !self.summary_only && self.draws == Draws::Table
    }

    /// Whether `runs` holds the draws.
    pub fn draws_inline(&self) -> bool {
        self.draws == Draws::Runs
    }
}

/// The tables of a run folder of `world` with its draws in `runs.csv` (the default layout).
pub fn run_tables(world: &World) -> RunTables {
    run_tables_for(world, Draws::Runs)
}

/// The tables of a run folder of `world`, their columns in the order the writers write them;
/// `runs` holds the parameter draws only when `draws` is [`Draws::Runs`].
pub fn run_tables_for(world: &World, draws: Draws) -> RunTables {
    let mut params = Vec::new();
    for (_, e) in world.uncertain() {
        let definition =
            "this run's draw of the uncertain parameter (its law: `statecraft validate --params`)";
        params.push((
            Column::new(&e.path, ColumnKind::Parameter, "", definition),
            Kind::Num,
        ));
    }
    let mut runs = vec![run_key()];
    if draws == Draws::Runs {
        runs.extend(params.iter().cloned());
    }
    let mut draws = vec![run_key()];
    draws.extend(params);
    for m in RUN_METRICS {
        runs.push(defined(
            RUN_METRICS,
            m.name,
            ColumnKind::Metric,
            Kind::OptNum,
        ));
    }
    for m in BLOC_METRICS {
        for b in &world.blocs {
            let name = format!("{}_{}", m.name, b.name);
            let c = Column::new(&name, ColumnKind::Metric, m.unit, m.definition);
            runs.push((c, Kind::OptNum));
        }
    }
    let mut actors = vec![
        run_key(),
        key("actor", "the actor's name"),
        (
            Column::new(
                "role",
                ColumnKind::Label,
                "",
                "the actor's role: hegemon, rival or ally",
            ),
            Kind::Text,
        ),
    ];
    actors.extend(ActorColumn::ALL.iter().map(|c| {
        // Counts are written as whole numbers.
        let writer = if c.is_count() { Kind::Int } else { Kind::Num };
        defined(ACTOR_METRICS, c.name(), ColumnKind::Value, writer)
    }));
    let mut trajectories = vec![
        run_key(),
        key("round", "round, 0-based"),
        key("actor", "the actor's name"),
    ];
    trajectories.extend(
        statecraft_core::trajectory_numbers()
            .map(|c| defined(TRAJECTORY_METRICS, c, ColumnKind::Value, Kind::Num)),
    );
    trajectories.push(defined(
        TRAJECTORY_METRICS,
        "action",
        ColumnKind::Label,
        Kind::OptText,
    ));
    let mut series = vec![run_key(), key("round", "round, 0-based")];
    series.extend(
        statecraft_core::world_columns()
            .map(|c| defined(WORLD_METRICS, c, ColumnKind::Value, Kind::Num)),
    );
    RunTables {
        runs: Table {
            name: "runs",
            row: "one run",
            columns: runs,
        },
        actors: Table {
            name: "actors",
            row: "one actor at the end of one run",
            columns: actors,
        },
        trajectories: Table {
            name: "trajectories",
            row: "one actor at the end of one round of one run",
            columns: trajectories,
        },
        world: Table {
            name: "world",
            row: "the world at the end of one round of one run",
            columns: series,
        },
        draws: Table {
            name: "draws",
            row: "one run's draws of the uncertain parameters",
            columns: draws,
        },
    }
}

impl RunTables {
    /// The number of columns of runs, actors, trajectories, world and draws, in that order.
    pub fn widths(&self) -> [usize; 5] {
        [
            &self.runs,
            &self.actors,
            &self.trajectories,
            &self.world,
            &self.draws,
        ]
        .map(|t| t.columns.len())
    }

    /// `schema.json` of a folder of `layout` holding these tables in `formats`: exactly the
    /// tables written (runs and actors unless summary only, then draws, trajectories and the
    /// world series when written; none with the summary only).
    pub fn schema(&self, formats: &[TableFormat], layout: &Layout) -> FolderSchema {
        let mut tables = Vec::new();
        if layout.per_run() {
            tables.push(self.runs.schema(formats));
            tables.push(self.actors.schema(formats));
        }
        if layout.draws_table() {
            tables.push(self.draws.schema(formats));
        }
        if layout.per_run() && layout.trajectories {
            tables.push(self.trajectories.schema(formats));
        }
        if layout.per_run() && layout.world_series {
            tables.push(self.world.schema(&[TableFormat::Csv]));
        }
        FolderSchema::new(tables)
    }
}

/// The model's unit and definition of run-level metric column `name` (a run metric, or a bloc
/// metric's `<name>_<bloc>`).
fn metric_definition(name: &str) -> (&'static str, &'static str) {
    RUN_METRICS
        .iter()
        .find(|m| m.name == name)
        .or_else(|| {
            BLOC_METRICS.iter().find(|m| {
                name.strip_prefix(m.name)
                    .is_some_and(|rest| rest.starts_with('_'))
            })
        })
        .map_or(("", ""), |m| (m.unit, m.definition))
}

/// `schema.json` of a sweep folder: `sweep.csv` (a design point per row: its factors' values,
/// then the mean and quantiles of each metric over its runs) and, with `--per-run`,
/// `runs.csv` (a run of a point per row: the factors, the other uncertain parameters' draws,
/// the metrics).
pub fn sweep_schema(
    factors: &[String],
    draws: &[String],
    metrics: &[String],
    per_run: bool,
) -> FolderSchema {
    let param =
        |p: &String, definition: &str| Column::new(p, ColumnKind::Parameter, "", definition);
    let factor_def = "the design point's value of the swept parameter";
    let point = Column::new("point", ColumnKind::Key, "", "design point, from 0");
    let mut columns = vec![point.clone()];
    columns.extend(factors.iter().map(|f| param(f, factor_def)));
    for m in metrics {
        let (unit, definition) = metric_definition(m);
        for (stat, what) in [
            ("mean", "mean"),
            ("p5", "5th percentile"),
            ("p50", "median"),
            ("p95", "95th percentile"),
        ] {
            let def = format!("{what} over the point's runs where defined of: {definition}");
            columns.push(Column::new(
                &format!("{m}_{stat}"),
                ColumnKind::Value,
                unit,
                &def,
            ));
        }
    }
    let mut tables = vec![TableSchema {
        name: "sweep".into(),
        files: vec!["sweep.csv".into()],
        row: "one design point".into(),
        columns,
    }];
    if per_run {
        let mut columns = vec![point, run_key().0];
        columns.extend(factors.iter().map(|f| param(f, factor_def)));
        let draw =
            "this run's draw of the uncertain parameter (its law: `statecraft validate --params`)";
        columns.extend(draws.iter().map(|d| param(d, draw)));
        for m in metrics {
            let (unit, definition) = metric_definition(m);
            columns.push(Column::new(m, ColumnKind::Metric, unit, definition));
        }
        tables.push(TableSchema {
            name: "runs".into(),
            files: vec!["runs.csv".into()],
            row: "one run of one design point".into(),
            columns,
        });
    }
    FolderSchema::new(tables)
}
