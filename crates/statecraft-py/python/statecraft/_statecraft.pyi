"""Type stubs of the native module (crates/statecraft-py/src/lib.rs). Use the functions of
`statecraft` itself: these return columns, not frames."""

import numpy as np
import numpy.typing as npt

Column = npt.NDArray[np.float64] | npt.NDArray[np.int64] | list[str] | list[str | None] | list[bool | None]
Table = list[tuple[str, Column]]

class StatecraftError(ValueError):
    """An input statecraft cannot use; the message is the library's, with its chain."""

def run(
    scenario: str,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    trajectories: int = 0,
    set: list[tuple[str, str]] = ...,
) -> dict[str, str | int | list[str] | Table]:
    """A batch's tables as columns: `scenario`, `seed`, `rounds`, `metrics`, `runs`,
    `actors` and, when asked, `trajectories`."""

def compare(
    reference: str,
    scenario: str,
    runs: int | None = None,
    seed: int | None = None,
    bootstrap: int = 2000,
    threads: int | None = None,
    set: list[tuple[str, str]] = ...,
) -> dict[str, int | list[str] | Table]:
    """The rows of `compare.csv` as columns (`rows`), with `notes`, `seed` and `runs`."""

def info(scenario: str, set: list[tuple[str, str]] = ...) -> dict[str, str | int | list[str]]:
    """The scenario's `name`, `seed`, `runs`, `rounds`, `actors` and `metrics`."""

def parameters(
    scenario: str,
    params: list[tuple[str, tuple[float, float] | None]] = ...,
    set: list[tuple[str, str]] = ...,
) -> Table:
    """The uncertain parameters' exploratory ranges: `path`, `lo`, `hi`, `source`."""

def sweep(
    scenario: str,
    params: list[tuple[str, tuple[float, float] | None]] = ...,
    design: str | None = None,
    points: int | None = None,
    levels: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    set: list[tuple[str, str]] = ...,
    given: tuple[list[str], npt.NDArray[np.float64]] | None = None,
) -> dict[str, str | int | list[str] | Table]:
    """`sweep.csv` as columns (`rows`), with `design`, `seed`, `runs`, `rounds`, `factors`,
    `metrics`."""

def tournament(
    scenario: str,
    hegemon: list[str] = ...,
    allies: list[str] = ...,
    variants: str | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    cohesion_weight: float = 0.0,
    payoff: str = "national",
    resamples: int = 1000,
    threads: int | None = None,
    set: list[tuple[str, str]] = ...,
) -> dict[str, int | Table]:
    """`tournament.csv` (`rows`), `payoff_matrix.csv` (`matrix`), `ranking.csv` (`ranking`) as
    columns, with `seed`, `runs`, `rounds`."""

def sensitivity(
    scenario: str,
    method: str = "sobol",
    params: list[tuple[str, tuple[float, float] | None]] = ...,
    samples: int | None = None,
    levels: int | None = None,
    runs: int | None = None,
    bootstrap: int | None = None,
    metrics: list[str] = ...,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    set: list[tuple[str, str]] = ...,
) -> dict[str, object]:
    """`sensitivity.csv` as columns (`rows`), with `design`, `n`, `seed`, `runs`, `rounds`,
    `skipped`."""

def patterns(
    scenario: str,
    file: str | None = None,
    runs: int | None = None,
    seed: int | None = None,
    rounds: int | None = None,
    threads: int | None = None,
    set: list[tuple[str, str]] = ...,
) -> dict[str, object]:
    """The patterns' rates as columns (`rates`), with `runs`, `seed`, `all_hits`."""
