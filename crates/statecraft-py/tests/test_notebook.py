"""The notebook examples/analysis/statecraft.ipynb executed from top to bottom (nbclient, the
engine nbconvert uses), with small batches, so that it never rots: every cell must run
without an error. Run by .ci/python.sh."""

from __future__ import annotations

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples" / "analysis" / "statecraft.ipynb"


def test_notebook_runs_top_to_bottom(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    monkeypatch.setenv("STATECRAFT_NOTEBOOK_RUNS", os.environ.get("STATECRAFT_NOTEBOOK_RUNS", "200"))
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "paid_access_2025: 200 runs" in printed
    assert "experiments, " in printed and "uncertainties" in printed
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
