"""The workspace as a data source: pick a stored enterprise and every page analyses it;
and saving the session's uploads into a workspace (the same ingest as the CLI).

Session keys: ``ws.path`` (workspace file), ``ws.enterprise`` (enterprise id), and
``ws.saved`` (the outcome rows of the last save, for the Data page to show).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.findings import InputError
from analytics.portfolio import DEFAULT_WORKSPACE, ingest
from ui.cached import WorkspaceKey, cached_enterprise_files, cached_enterprises, enterprise_files
from ui.state import FileInput, t, uploaded

PATH_KEY = "ws.path"
ENTERPRISE_KEY = "ws.enterprise"
SAVED_KEY = "ws.saved"


def workspace_path() -> str:
    return st.session_state.get(PATH_KEY) or str(DEFAULT_WORKSPACE)


def enterprises() -> pd.DataFrame | None:
    """The stored enterprises (id, name, …), or None when there is no workspace file."""
    key = workspace_key(workspace_path())
    return None if key is None else cached_enterprises(key)


def workspace_file(kind: str) -> FileInput | None:
    """The chosen enterprise's stored ``kind`` series as a CSV export the importer reads back."""
    key = workspace_key(workspace_path())
    eid = st.session_state.get(ENTERPRISE_KEY)
    if key is None or not eid:
        return None
    return cached_enterprise_files(key, eid).get(kind)


def save_uploads(
    path: str, enterprise_id: str, name: str, province: str, industry: str, tz: str
) -> list[dict[str, object]]:
    """Ingest the session's uploaded files (load, PV, production) into the workspace at
    ``path`` through the CLI's manifest ingest (idempotent; a conflicting overlap is refused
    and reported, nothing is changed). Returns one outcome row per file."""

    target = allowed_workspace(path)
    if target is None:
        raise InputError(
            "workspace.path_not_allowed",
            file=path,
            expected="a .duckdb file inside " + " or ".join(str(r) for r in workspace_roots()),
        )
    items = {k: uploaded(k) for k in ("load", "pv", "production")}
    with tempfile.TemporaryDirectory(prefix="greentemp_save_") as tmp:  # removed afterwards
        return _ingest_items(
            Path(tmp), items, str(target), enterprise_id, name, province, industry, tz
        )


def _ingest_items(
    folder: Path,
    items: dict[str, FileInput | None],
    path: str,
    enterprise_id: str,
    name: str,
    province: str,
    industry: str,
    tz: str,
) -> list[dict[str, object]]:

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["enterprise_id", "enterprise_name", "province", "industry", "kind", "path", "tz"])
    for kind, item in items.items():
        if item is None:
            continue
        target = folder / kind / Path(item.name).name  # the original file name, in its own folder
        target.parent.mkdir()
        target.write_bytes(item.data)
        w.writerow([enterprise_id, name, province, industry, kind, f"{kind}/{target.name}", tz])
    manifest = folder / "manifest.csv"
    manifest.write_text(buf.getvalue(), encoding="utf-8")
    outcomes = ingest(manifest, path, workers=1)
    return [
        {
            "kind": o.kind,
            "file": o.file_name,
            "status": o.status,
            "new": o.new,
            "same": o.same,
            "error": o.error,
        }
        for o in outcomes
    ]


def workspace_picker() -> None:
    """Sidebar: the workspace file and the enterprise every page analyses."""

    st.text_input(t("ws.path"), value=str(DEFAULT_WORKSPACE), key=PATH_KEY, help=t("ws.path.help"))
    table = enterprises()
    if table is None or table.empty:
        st.caption(t("ws.none"))
        return
    names = dict(zip(table["enterprise_id"], table["name"], strict=True))
    ids = list(names)
    if st.session_state.get(ENTERPRISE_KEY) not in names:
        st.session_state[ENTERPRISE_KEY] = ids[0]
    st.selectbox(
        t("ws.enterprise"), ids, key=ENTERPRISE_KEY, format_func=lambda i: f"{i} · {names[i]}"
    )


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


def open_enterprise(
    path: str, enterprise_id: str, tz: str, tariff: str | None, presets: list[str]
) -> None:
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
