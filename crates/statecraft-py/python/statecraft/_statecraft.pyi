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
) -> dict[str, int | list[str] | Table]:
    """The rows of `compare.csv` as columns (`rows`), with `notes`, `seed` and `runs`."""
