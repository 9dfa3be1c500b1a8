"""The local screen engine: batches of enterprises over a process pool, one row each.

Every row is :func:`analytics.portfolio.rows.analyse_inputs` on the stored series (the same
function the Spark engine runs); batches are sized to about four per worker and read only
their id range from the workspace.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.portfolio.ingestion import default_workers, ordered
from analytics.portfolio.rows import EnterpriseInputs, analyse_inputs, error_row, finalize
from analytics.portfolio.store import Workspace


def _screen_batch(task: tuple[str, list[str], float]) -> list[dict[str, Any]]:
    """Worker: read one batch of enterprises from the workspace (read-only) and screen them."""
    path, ids, target_share = task
    with Workspace(path, read_only=True) as ws:
        ents = {i: ws.enterprise(i) for i in ids}
        loads = ws.series(ids, "load")
        pvs = ws.series(ids, "pv")
        prods = ws.production(ids)
    rows = []
    for eid in ids:
        if eid not in loads:
            rows.append(error_row(ents[eid], "workspace.no_load"))
            continue
        rows.append(
            analyse_inputs(
                EnterpriseInputs(ents[eid], loads[eid], pvs.get(eid), prods.get(eid)),
                target_share=target_share,
            )
        )
    return rows


def screen_local(
    workspace: str | Path,
    *,
    target_share: float = 0.3,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Screen every enterprise on this machine: batches of ``batch_size`` enterprises read by
    DuckDB in ``workers`` processes (default: every core; 1 = in this process). The default
    batch gives each worker about four batches, 8 to 32 enterprises each (one workspace open
    and three scans per batch; memory stays bounded by the in-flight window)."""
    with Workspace(workspace, read_only=True) as ws:
        ids = ws.con.execute("SELECT enterprise_id FROM enterprises ORDER BY 1").fetchall()
    ids = [i[0] for i in ids]
    n = workers or default_workers()
    if batch_size is None:
        batch_size = max(8, min(32, math.ceil(len(ids) / (4 * n))))
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    tasks = [(str(workspace), b, float(target_share)) for b in batches]
    rows: list[dict[str, Any]] = []
    for batch_rows in ordered(_screen_batch, tasks, n if len(ids) > batch_size else 1):
        rows.extend(batch_rows)
        if progress:
            progress(len(rows), len(ids))
    return finalize(rows)
