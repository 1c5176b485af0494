//! Reading a results folder: what `statecraft run` wrote (summary.json, manifest.json, runs.csv,
//! trajectories.csv) and, where present, the files of the analysis commands (compare.csv,
//! sweep.csv, sensitivity.csv, payoff_matrix.csv, ranking.csv, evolution.csv). Columns are found
//! by name; an absent optional file or column is skipped, a malformed value is an error naming
//! the file, the line and the column.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Context, Error, Result, bail};
use statecraft_core::TrajectoryColumn;

/// Summary statistics of one metric, from summary.json.
#[derive(Clone, Debug)]
pub struct MetricStat {
    /// Metric name.
    pub name: String,
    /// Runs with a value.
    pub n: u64,
    /// Runs without one.
    pub missing: u64,
    /// Mean, 5th, 50th and 95th percentiles (`None` when no run has a value).
    pub mean: Option<f64>,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// The minimum, the 5th, 25th, 50th, 75th and 95th percentiles and the maximum, where
    /// summary.json gives all seven: points of the distribution for a folder without runs.csv.
    pub quantiles: Option<[f64; 7]>,
}

/// The fields of summary.json that [`MetricStat::quantiles`] holds, in its order.
pub const QUANTILE_KEYS: [&str; 7] = ["min", "p5", "p25", "p50", "p75", "p95", "max"];

/// The shares of runs at or below each of [`MetricStat::quantiles`].
pub const QUANTILE_SHARES: [f64; 7] = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0];

/// A CSV file read whole, as text, with its header.
#[derive(Clone, Debug)]
pub struct Table {
    /// Where it was read from (for messages).
    pub path: PathBuf,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, as text.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads `path` (every row must have the header's width).
    pub fn read(path: &Path) -> Result<Table> {
        let mut rdr = csv::Reader::from_path(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let header = rdr
            .headers()
            .with_context(|| format!("{}: cannot read the header", path.display()))?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.with_context(|| format!("{}: malformed row", path.display()))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows,
        })
    }

    /// Reads `path` if it exists.
    pub fn read_optional(path: &Path) -> Result<Option<Table>> {
        if path.is_file() {
            Table::read(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Keeps the columns for which `keep` holds.
    pub fn retain_columns(&mut self, keep: impl Fn(&str) -> bool) {
        let cols: Vec<usize> = (0..self.header.len())
            .filter(|&c| keep(&self.header[c]))
            .collect();
        self.header = cols.iter().map(|&c| self.header[c].clone()).collect();
        for row in &mut self.rows {
            *row = cols.iter().map(|&c| row[c].clone()).collect();
        }
    }

    /// Index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The number in row `r`, column `c`: `None` if the cell is empty, an error naming the
    /// file, line and column if it is not a number.
    pub fn num(&self, r: usize, c: usize) -> Result<Option<f64>> {
        let cell = self.rows[r][c].trim();
        if cell.is_empty() {
            return Ok(None);
        }
        cell.parse::<f64>().map(Some).map_err(|_| {
            Error::Input(format!(
                "{}: line {}, column {}: {cell:?} is not a number",
                self.path.display(),
                r + 2,
                self.header[c]
            ))
        })
    }

    /// The number in row `r` of the column named `name` (`None` if the column is absent or the
    /// cell empty).
    pub fn num_by(&self, r: usize, name: &str) -> Result<Option<f64>> {
        match self.col(name) {
            Some(c) => self.num(r, c),
            None => Ok(None),
        }
    }

    /// The text in row `r` of the column named `name` (empty if the column is absent).
    pub fn text_by(&self, r: usize, name: &str) -> &str {
        self.col(name).map_or("", |c| self.rows[r][c].as_str())
    }
}

/// The trajectory variables drawn as fan charts: (column, label, unit, how the actors of a run
/// are combined into the world value: `true` = sum, `false` = mean).
/// Names and units come from the model's [`TrajectoryColumn`]s.
pub const TRAJ_VARS: [(&str, &str, &str, bool); 5] = [
    traj(TrajectoryColumn::Tariff, "tariff", false),
    traj(TrajectoryColumn::Credibility, "credibility", false),
    traj(TrajectoryColumn::Autonomy, "autonomy", false),
    traj(
        TrajectoryColumn::ExportsToHegemon,
        "exports to the hegemon",
        true,
    ),
    traj(
        TrajectoryColumn::RegionalTradeShare,
        "regional trade share",
        false,
    ),
];

const fn traj(
    c: TrajectoryColumn,
    label: &'static str,
    sum: bool,
) -> (&'static str, &'static str, &'static str, bool) {
    (c.name(), label, c.info().unit, sum)
}

/// Action codes of trajectories.csv, in the order of `strategy::Action`, with their labels.
pub const ACTIONS: [(&str, &str); 5] = [
    ("C", "concede"),
    ("R", "retaliate"),
    ("G", "hedge"),
    ("CG", "concede and hedge"),
    ("B", "bandwagon"),
];

/// trajectories.csv, arranged by actor, variable and round.
#[derive(Clone, Debug)]
pub struct Traj {
    /// Rounds present (0..rounds).
    pub rounds: usize,
    /// Actors that act (every actor but the hegemon, whose action is always empty), in file
    /// order.
    pub actors: Vec<String>,
    /// Runs kept.
    pub runs: usize,
    /// `values[v][a][round]`: the value of variable `TRAJ_VARS[v]` for actor `a`, one per run
    /// (NaN where a run lacks it); `None` where the column is absent.
    pub values: Vec<Option<Vec<Vec<Vec<f64>>>>>,
    /// `actions[round][k]`: how many actor-rounds chose `ACTIONS[k]`.
    pub actions: Vec<[u64; 5]>,
}

impl Traj {
    /// Reads trajectories.csv, streaming: a million rows are read into compact records, never
    /// held as text. `hegemon` (from actors.csv) is left out of the actors.
    fn read(path: &Path, hegemon: Option<&str>) -> Result<Traj> {
        let mut rows = statecraft_results::TableRows::open(path)?;
        let (c_run, c_round, c_actor) = (
            rows.column("run")?,
            rows.column("round")?,
            rows.column("actor")?,
        );
        let c_action = rows.find("action");
        let cols: Vec<Option<usize>> = TRAJ_VARS.iter().map(|(c, ..)| rows.find(c)).collect();
        // One compact record per row: run, round, actor, values, action (5 = none).
        struct Rec {
            run: usize,
            round: usize,
            actor: usize,
            vals: [f64; 5],
            action: u8,
        }
        let mut names: Vec<String> = Vec::new();
        let mut acts: Vec<bool> = Vec::new();
        let mut runs: Vec<usize> = Vec::new();
        let mut rounds = 0;
        let mut recs = Vec::new();
        while rows.read()? {
            let name = rows.text(c_actor)?;
            let actor = match names.iter().position(|n| n == name) {
                Some(k) => k,
                None => {
                    names.push(name.to_string());
                    acts.push(false);
                    names.len() - 1
                }
            };
            let run = rows.whole(c_run)? as usize;
            if runs.last() != Some(&run) && !runs.contains(&run) {
                runs.push(run);
            }
            let round = rows.whole(c_round)? as usize;
            rounds = rounds.max(round + 1);
            let mut vals = [f64::NAN; 5];
            for (v, c) in cols.iter().enumerate() {
                if let Some(x) = c.map(|c| rows.number(c)).transpose()?.flatten() {
                    vals[v] = x;
                }
            }
            let action = match c_action.map(|c| rows.text(c).map(|t| (c, t))).transpose()? {
                // Empty or NA: the hegemon, or a round without a demand.
                Some((c, text)) if !text.is_empty() && text != "NA" => {
                    acts[actor] = true;
                    match ACTIONS.iter().position(|(k, _)| *k == text) {
                        Some(i) => i as u8,
                        None => {
                            return Err(rows
                                .invalid(c, &format!("{text:?} is not one of C, R, G, CG, B"))
                                .into());
                        }
                    }
                }
                _ => 5,
            };
            recs.push(Rec {
                run,
                round,
                actor,
                vals,
                action,
            });
        }
        // Every actor but the hegemon where it is known (actors.csv's role); else, without an
        // action column every actor, with one those that act.
        let mut keep: Vec<Option<usize>> = Vec::with_capacity(names.len());
        let mut actors = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let drawn = match hegemon {
                Some(h) => n != h,
                None => c_action.is_none() || acts[k],
            };
            if drawn {
                keep.push(Some(actors.len()));
                actors.push(n.clone());
            } else {
                keep.push(None);
            }
        }
        let mut values: Vec<Option<Vec<Vec<Vec<f64>>>>> = cols
            .iter()
            .map(|c| c.map(|_| vec![vec![vec![f64::NAN; runs.len()]; rounds]; actors.len()]))
            .collect();
        let mut actions = vec![[0u64; 5]; rounds];
        let mut run_index = 0;
        for r in &recs {
            let Some(a) = keep[r.actor] else { continue };
            if runs.get(run_index) != Some(&r.run) {
                run_index = runs.iter().position(|&x| x == r.run).unwrap_or(0);
            }
            for (v, vals) in values.iter_mut().enumerate() {
                if let Some(vals) = vals {
                    vals[a][r.round][run_index] = r.vals[v];
                }
            }
            if r.action < 5 {
                actions[r.round][usize::from(r.action)] += 1;
            }
        }
        Ok(Traj {
            rounds,
            actors,
            runs: runs.len(),
            values,
            actions,
        })
    }

    /// The world value of variable `v` per round, one per run: the actors' sum or mean.
    pub fn world(&self, v: usize) -> Option<Vec<Vec<f64>>> {
        let vals = self.values[v].as_ref()?;
        let sum = TRAJ_VARS[v].3;
        Some(
            (0..self.rounds)
                .map(|t| {
                    (0..self.runs)
                        .map(|run| {
                            let xs: Vec<f64> = vals
                                .iter()
                                .map(|a| a[t][run])
                                .filter(|x| x.is_finite())
                                .collect();
                            if xs.is_empty() {
                                f64::NAN
                            } else if sum {
                                xs.iter().sum()
                            } else {
                                xs.iter().sum::<f64>() / xs.len() as f64
                            }
                        })
                        .collect()
                })
                .collect(),
        )
    }
}

/// The hegemon's name from actors.csv's `role` column (`None` for a file without one, as
/// older folders have, or no file): the first row whose role is `hegemon`.
fn hegemon_of(path: &Path) -> Option<String> {
    let mut rows = statecraft_results::TableRows::open(path).ok()?;
    let (a, r) = (rows.find("actor")?, rows.find("role")?);
    while rows.read().ok()? {
        if rows.bytes(r) == b"hegemon" {
            return rows.text(a).ok().map(str::to_string);
        }
    }
    None
}

/// One results folder.
#[derive(Clone, Debug)]
pub struct Folder {
    /// The folder.
    pub dir: PathBuf,
    /// The scenario's name, as the charts' legends show it.
    pub name: String,
    /// Seed, runs and rounds of the batch (from summary.json).
    pub seed: u64,
    /// Runs of the batch.
    pub runs: u64,
    /// Rounds per run.
    pub rounds: u64,
    /// statecraft version that wrote it.
    pub version: String,
    /// SHA-256 of the scenario.
    pub scenario_sha256: String,
    /// Per-metric summary, in summary.json order.
    pub stats: Vec<MetricStat>,
    /// Per metric (summary.json order), the values of the runs that have one (runs.csv).
    pub values: Vec<Vec<f64>>,
    /// trajectories.csv, if present.
    pub traj: Option<Traj>,
    /// compare.csv, if present.
    pub compare: Option<Table>,
    /// sweep.csv, if present.
    pub sweep: Option<Table>,
    /// sensitivity.csv, if present.
    pub sensitivity: Option<Table>,
    /// payoff_matrix.csv, if present.
    pub payoff: Option<Table>,
    /// ranking.csv, if present.
    pub ranking: Option<Table>,
    /// evolution.csv, if present.
    pub evolution: Option<Table>,
    /// `statecraft discover`'s PRIM: prim_trajectory.csv, if present.
    pub prim_trajectory: Option<Table>,
    /// `statecraft discover`'s chosen box: prim_box.csv, if present.
    pub prim_box: Option<Table>,
    /// What discover looked for and which step it chose (its manifest's `metric`, `rule`,
    /// `value`, `threshold` and `box_step`), when it is a discover folder.
    pub prim: Option<PrimChoice>,
    /// The actors the per-actor charts show (`report --actors`); all when `None`. The world
    /// charts always pool every actor.
    pub show_actors: Option<Vec<String>>,
}

impl Folder {
    /// Keeps only the metrics named in `metrics` (a `P(metric)` event row of compare.csv goes
    /// with its metric): the distributions, the sweep's response columns and compare.csv's
    /// rows.
    pub fn keep_metrics(&mut self, metrics: &[String]) {
        let wanted = |m: &str| {
            let m = m
                .strip_prefix("P(")
                .and_then(|x| x.strip_suffix(')'))
                .unwrap_or(m);
            metrics.iter().any(|x| x == m)
        };
        let keep: Vec<bool> = self.stats.iter().map(|s| wanted(&s.name)).collect();
        let mut k = keep.iter();
        self.stats.retain(|_| *k.next().unwrap_or(&false));
        let mut k = keep.iter();
        self.values.retain(|_| *k.next().unwrap_or(&false));
        if let Some(t) = &mut self.compare
            && let Some(c) = t.col("metric")
        {
            t.rows.retain(|r| wanted(&r[c]));
        }
        if let Some(t) = &mut self.sweep {
            let first = t.header.iter().position(|h| h.ends_with("_mean"));
            let params: Vec<String> = first.map_or_else(Vec::new, |f| t.header[..f].to_vec());
            t.retain_columns(|h| {
                params.iter().any(|p| p == h)
                    || ["_mean", "_p5", "_p50", "_p95", "_sd", "_n"]
                        .iter()
                        .filter_map(|suf| h.strip_suffix(suf))
                        .any(wanted)
            });
        }
    }
}

/// What `statecraft discover` looked for and the box it chose (from its manifest.json).
#[derive(Clone, Debug, PartialEq)]
pub struct PrimChoice {
    /// The metric marking the runs of interest.
    pub metric: String,
    /// `below` or `above`.
    pub rule: String,
    /// The value it is compared with.
    pub value: f64,
    /// The density the chosen box had to reach.
    pub threshold: f64,
    /// The step of the trajectory chosen as the box.
    pub box_step: u64,
}

impl PrimChoice {
    /// Reads the choice from a discover folder's manifest.
    fn of(manifest: &serde_json::Value, path: &Path) -> Result<PrimChoice> {
        let text = |key: &str| {
            manifest[key]
                .as_str()
                .map(str::to_string)
                .with_context(|| format!("{}: field {key:?} is missing", path.display()))
        };
        let num = |key: &str| {
            manifest[key]
                .as_f64()
                .with_context(|| format!("{}: field {key:?} is not a number", path.display()))
        };
        Ok(PrimChoice {
            metric: text("metric")?,
            rule: text("rule")?,
            value: num("value")?,
            threshold: num("threshold")?,
            box_step: json_u64(manifest, "box_step", path)?,
        })
    }
}

fn json_u64(v: &serde_json::Value, key: &str, path: &Path) -> Result<u64> {
    v[key].as_u64().with_context(|| {
        format!(
            "{}: field {key:?} is missing or not a whole number",
            path.display()
        )
    })
}

impl Folder {
    /// Reads the results folder `dir`. summary.json is required; runs.csv is read if present;
    /// the other files are optional.
    pub fn read(dir: &Path) -> Result<Folder> {
        if !dir.is_dir() {
            bail!("{} is not a folder", dir.display());
        }
        // summary.json is written by `run` and `merge`; the folders of `sweep`, `sensitivity`,
        // `compare` and `tournament` have none, only their own files.
        let sp = dir.join("summary.json");
        let analysis = [
            "compare.csv",
            "sweep.csv",
            "sensitivity.csv",
            "payoff_matrix.csv",
            "ranking.csv",
            "evolution.csv",
            "prim_trajectory.csv",
        ];
        let s: serde_json::Value = match fs::read_to_string(&sp) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{}: not valid JSON", sp.display()))?,
            Err(_) if analysis.iter().any(|f| dir.join(f).is_file()) => serde_json::json!({}),
            Err(e) => bail!(
                "cannot read {} (is {} a results folder of `statecraft run`, or of sweep, sensitivity, compare, tournament or discover?): {e}",
                sp.display(),
                dir.display()
            ),
        };
        let no_metrics = Vec::new();
        let metrics = match s.get("metrics") {
            Some(m) => m
                .as_array()
                .with_context(|| format!("{}: field \"metrics\" is not a list", sp.display()))?,
            None if s.as_object().is_some_and(|o| o.is_empty()) => &no_metrics,
            None => bail!("{}: field \"metrics\" is missing", sp.display()),
        };
        let mut stats = Vec::new();
        for (k, m) in metrics.iter().enumerate() {
            let name = m["name"]
                .as_str()
                .with_context(|| format!("{}: metrics[{k}].name is missing", sp.display()))?;
            stats.push(MetricStat {
                name: name.to_string(),
                n: m["n"].as_u64().unwrap_or(0),
                missing: m["missing"].as_u64().unwrap_or(0),
                mean: m["mean"].as_f64(),
                p5: m["p5"].as_f64(),
                p50: m["p50"].as_f64(),
                p95: m["p95"].as_f64(),
                quantiles: QUANTILE_KEYS
                    .into_iter()
                    .map(|q| m[q].as_f64())
                    .collect::<Option<Vec<f64>>>()
                    .and_then(|v| v.try_into().ok()),
            });
        }
        // The scenario's name: manifest.json's, else summary.json's, else the folder's.
        let mp = dir.join("manifest.json");
        let manifest: Option<serde_json::Value> = match fs::read_to_string(&mp) {
            Ok(t) => Some(
                serde_json::from_str(&t)
                    .with_context(|| format!("{}: not valid JSON", mp.display()))?,
            ),
            Err(_) => None,
        };
        let name = manifest
            .as_ref()
            .and_then(|m| m["scenario_name"].as_str())
            .or_else(|| s["scenario"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| {
                dir.file_name()
                    .map_or("results".into(), |n| n.to_string_lossy().into_owned())
            });
        // The metrics' values run by run, through the results crate's reader (the folder's
        // schema.json says which columns are metrics).
        let mut values = vec![Vec::new(); stats.len()];
        if !stats.is_empty() && dir.join("runs.csv").is_file() {
            let t = statecraft_results::RunsTable::read_metrics(dir)?;
            for (k, st) in stats.iter().enumerate() {
                if let Some(v) = t.metric(&st.name) {
                    values[k].extend(v.iter().flatten());
                }
            }
        }
        let tp = dir.join("trajectories.csv");
        let traj = if tp.is_file() {
            Some(Traj::read(
                &tp,
                hegemon_of(&dir.join("actors.csv")).as_deref(),
            )?)
        } else {
            None
        };
        // Seed, runs and rounds: summary.json's, else the analysis manifest's, else 0.
        let number = |key: &str| -> Result<u64> {
            if s.get(key).is_some() {
                json_u64(&s, key, &sp)
            } else {
                Ok(manifest.as_ref().and_then(|m| m[key].as_u64()).unwrap_or(0))
            }
        };
        let text_of = |key: &str| {
            s[key]
                .as_str()
                .or_else(|| manifest.as_ref().and_then(|m| m[key].as_str()))
                .unwrap_or("")
                .to_string()
        };
        let prim_trajectory = Table::read_optional(&dir.join("prim_trajectory.csv"))?;
        let prim = match (&prim_trajectory, &manifest) {
            (Some(_), Some(m)) => Some(PrimChoice::of(m, &mp)?),
            (Some(_), None) => bail!(
                "{}: a discover folder needs its manifest.json (which box was chosen)",
                dir.display()
            ),
            _ => None,
        };
        Ok(Folder {
            dir: dir.to_path_buf(),
            name,
            seed: number("seed")?,
            runs: number("runs")?,
            rounds: number("rounds")?,
            version: text_of("statecraft_version"),
            scenario_sha256: text_of("scenario_sha256"),
            stats,
            values,
            traj,
            compare: Table::read_optional(&dir.join("compare.csv"))?,
            show_actors: None,
            sweep: Table::read_optional(&dir.join("sweep.csv"))?,
            sensitivity: Table::read_optional(&dir.join("sensitivity.csv"))?,
            payoff: Table::read_optional(&dir.join("payoff_matrix.csv"))?,
            ranking: Table::read_optional(&dir.join("ranking.csv"))?,
            evolution: Table::read_optional(&dir.join("evolution.csv"))?,
            prim_trajectory,
            prim_box: Table::read_optional(&dir.join("prim_box.csv"))?,
            prim,
        })
    }
}

/// Unit of a run-level metric, for axis labels: the model's definition of the metric
/// ([`statecraft_core::metric`]), "value" for a column it does not define.
/// A metric's name as a title reads it: words, first letter capital (`ally_welfare_loss` ->
/// "Ally welfare loss"; an event row `P(first_rupture_round)` -> "P(first rupture round)").
pub fn readable(name: &str) -> String {
    if let Some(inner) = name.strip_prefix("P(").and_then(|x| x.strip_suffix(')')) {
        return format!("P({})", inner.replace('_', " "));
    }
    let words = name.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => words,
    }
}

/// The unit of a run metric, from the model's definitions ("value" if unknown).
pub fn metric_unit(name: &str) -> &'static str {
    statecraft_core::metric::unit_of(name).unwrap_or("value")
}
