"""AppTest: save uploads into a workspace from the Data page, then analyse that enterprise
with the Workspace data source; a second save changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, SAMPLE


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.slow
def test_save_uploads_then_use_the_workspace_enterprise(tmp_path: Path) -> None:
    ws = tmp_path / "ws.duckdb"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    sample_home = _metrics(at)
    at.switch_page("pages/data.py")
    at.run()
    gbk = SAMPLE / "sunan_load_2025_96point_gbk.csv"
    at.file_uploader[0].set_value((gbk.name, gbk.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="save.path").set_value(str(ws))
    at.text_input(key="save.id").set_value("E-0001")
    at.text_input(key="save.name").set_value("苏南精密")
    at.run()
    at.button(key="save.go").click()
    at.run()
    assert not at.exception, at.exception
    first = at.dataframe[-1].value
    assert list(first["Result"]) == ["saved"] and int(first["New intervals"].iloc[0]) == 35_040
    at.button(key="save.go").click()
    at.run()
    again = at.dataframe[-1].value
    assert list(again["Result"]) == ["already stored, unchanged"]

    at.switch_page("pages/home.py")
    at.run()
    at.radio(key="source").set_value("workspace")
    at.run()
    at.text_input(key="ws.path").set_value(str(ws))
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["ws.enterprise"] == "E-0001"
    # the stored GBK 96-point export analyses to the same figures as the sample's long file
    home = _metrics(at)
    for label in ("Energy", "Peak demand", "Load factor", "Base load"):
        assert home[label] == sample_home[label], label


@pytest.mark.slow
def test_a_workspace_outside_the_allowed_folders_is_refused() -> None:
    from ui.workspace import allowed_workspace, workspace_key

    assert allowed_workspace("/etc/passwd") is None  # not a .duckdb file, not in an allowed folder
    assert allowed_workspace("/etc/greentemp.duckdb") is None
    assert workspace_key("/etc/greentemp.duckdb") is None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    gbk = SAMPLE / "sunan_load_2025_96point_gbk.csv"
    at.file_uploader[0].set_value((gbk.name, gbk.read_bytes(), "text/csv"))
    at.run()
    at.text_input(key="save.path").set_value("/etc/greentemp.duckdb")
    at.text_input(key="save.id").set_value("E-9")
    at.run()
    at.button(key="save.go").click()
    at.run()
    assert not at.exception, at.exception
    row = at.dataframe[-1].value.iloc[0]
    assert row["Result"] == "not saved" and "not allowed" in row["Message"]
