"""The Portfolio page's cache wrappers, drill-down hand-over and charts.

Screens are cached by the workspace file's resolved path, modification time and size
(:func:`workspace_key`), so a re-ingest invalidates them and two workspaces never share one.

Drill-down (session keys, all per session): the button's callback exports the chosen
enterprise's stored load (and PV, and production runs) as CSV bytes into
``st.session_state["upload.load"|"upload.pv"|"upload.production"]`` (:class:`FileInput`),
sets ``"source"`` = ``"upload"``, ``"tz"`` = the site zone, ``"tariff"`` = its preset when it
has one, ``"opts.load"``/``"opts.pv"`` = ``{"labels": "start"}`` (the export's labels are
interval starts), ``"portfolio.enterprise"`` = its id, and ``"portfolio.go_home"`` = True; the
page then switches to the Overview (``st.switch_page`` is not allowed inside a callback).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.portfolio import screen
from analytics.workspace import Workspace
from ui.charts import GREEN
from ui.state import FileInput

WorkspaceKey = tuple[str, int, int]


def workspace_roots() -> tuple[Path, ...]:
    """Folders the app may open or create workspaces in: ``GREENTEMP_WORKSPACE_ROOT`` (default:
    the folder the app was started from) and the system temporary folder (demo portfolios).
    A path typed in the browser never reaches the rest of the server's file system."""
    root = Path(os.environ.get("GREENTEMP_WORKSPACE_ROOT") or Path.cwd()).resolve()
    return root, Path(tempfile.gettempdir()).resolve()


def allowed_workspace(path: str) -> Path | None:
    """The resolved path if it lies inside :func:`workspace_roots` and names a ``.duckdb`` file."""
    try:
        p = Path(path).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if p.suffix != ".duckdb" or not any(p.is_relative_to(r) for r in workspace_roots()):
        return None
    return p


def workspace_key(path: str) -> WorkspaceKey | None:
    """(resolved path, mtime in ns, size in bytes) of a workspace file, or None if absent or
    outside the allowed folders (:func:`allowed_workspace`)."""
    p = allowed_workspace(path)
    if p is None or not p.is_file():
        return None
    stat = p.stat()
    return str(p.resolve()), stat.st_mtime_ns, stat.st_size


@st.cache_data(show_spinner=False, max_entries=8)
def cached_screen(key: WorkspaceKey, target_share: float) -> pd.DataFrame:
    """The screen table of the workspace (local engine; raises ``InputError``)."""
    return screen(key[0], target_share=target_share)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_enterprises(key: WorkspaceKey) -> pd.DataFrame:
    """Master data of every enterprise (id, name, province, city, industry, tariff, tz, …)."""
    with Workspace(key[0], read_only=True) as ws:
        return ws.enterprises()


def enterprise_files(path: str, enterprise_id: str) -> dict[str, FileInput]:
    """The stored series of one enterprise as CSV exports the importer reads back exactly.

    ``load``/``pv``: ``timestamp,energy_kwh`` with naive local interval starts (gaps stay
    gaps); ``production``: ``line,start,end,units,product,movable``.
    """
    out: dict[str, FileInput] = {}
    with Workspace(path, read_only=True) as ws:
        for kind in ("load", "pv"):
            s = ws.load(enterprise_id, kind)
            if s is None:
                continue
            kwh = s.frame["kwh"].dropna()
            df = pd.DataFrame({"timestamp": kwh.index.strftime("%Y-%m-%d %H:%M:%S"),
                               "energy_kwh": kwh.to_numpy()})
            out[kind] = FileInput.of(f"{enterprise_id}_{kind}.csv",
                                     df.to_csv(index=False).encode("utf-8"))
        runs = ws.runs(enterprise_id)
        if len(runs):
            fmt = "%Y-%m-%d %H:%M:%S"
            df = pd.DataFrame({"line": runs["line"], "start": runs["start_at"].dt.strftime(fmt),
                               "end": runs["end_at"].dt.strftime(fmt), "units": runs["units"],
                               "product": runs["product"], "movable": runs["movable"]})
            out["production"] = FileInput.of(f"{enterprise_id}_production.csv",
                                             df.to_csv(index=False).encode("utf-8"))
    return out


def open_enterprise(path: str, enterprise_id: str, tz: str, tariff: str | None,
                    presets: list[str]) -> None:
    """``on_click`` callback: make the workspace enterprise the session's data source."""
    files = enterprise_files(path, enterprise_id)
    for kind in ("load", "pv", "production"):
        st.session_state[f"upload.{kind}"] = files.get(kind)
    st.session_state["opts.load"] = {"labels": "start"}
    st.session_state["opts.pv"] = {"labels": "start"}
    st.session_state["source"] = "upload"
    st.session_state["tz"] = tz
    if tariff and tariff in presets:
        st.session_state["tariff"] = tariff
    st.session_state["portfolio.enterprise"] = enterprise_id
    st.session_state["portfolio.go_home"] = True


# --------------------------------------------------------------------------- charts


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(title=title, height=420, margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      xaxis_title=x_title, yaxis_title=y_title, template="plotly_white",
                      showlegend=False)
    return fig


def need_vs_saving(table: pd.DataFrame, *, y: str, title: str, x_title: str, y_title: str,
                   hover: list[str]) -> go.Figure:
    """Scatter: green-purchase need [MWh] against ``y``, marker area ∝ energy."""
    energy = table["energy_kwh"].fillna(0.0)
    size = 8 + 40 * (energy / energy.max()) ** 0.5 if energy.max() > 0 else 10
    fig = go.Figure(go.Scatter(
        x=table["green_purchase_kwh"] / 1000.0, y=table[y], mode="markers",
        marker={"size": size, "color": table["green_temperature_score"], "colorscale": "RdYlGn",
                "showscale": True, "line": {"width": 0.5, "color": "#555"}},
        text=hover, hovertemplate="%{text}<extra></extra>",
    ))
    return _layout(fig, title, x_title, y_title)


def score_histogram(scores: pd.Series, *, title: str, x_title: str, y_title: str) -> go.Figure:
    """Distribution of the Green Temperature score (0–100) in bins of 5."""
    fig = go.Figure(go.Histogram(x=scores.dropna(), xbins={"start": 0, "end": 100, "size": 5},
                                 marker_color=GREEN))
    return _layout(fig, title, x_title, y_title)
