"""The Production page names a machine-state log's codes instead of failing on them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.cli.test_state_map import _files
from tests.conftest import ROOT
from ui.state import FileInput


def test_numeric_states_get_a_mapping_step_and_then_the_figures(tmp_path) -> None:
    load, log = _files(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.session_state["source"] = "upload"
    at.session_state["upload.load"] = FileInput.of(load.name, load.read_bytes())
    at.session_state["upload.production"] = FileInput.of(log.name, log.read_bytes())
    at.run()
    at.switch_page("pages/production.py")
    at.run()
    assert not at.exception
    assert "numeric codes (1, 2)" in at.error[0].value
    # one choice per code, pre-filled: the first code running, the others stopped
    assert at.selectbox(key="prod.state.1").value == "running"
    assert at.selectbox(key="prod.state.2").value == "stopped"
    labels = [b.label for b in at.button]
    at.button[labels.index("Read the log with these states")].click().run()
    assert not at.exception
    assert not at.error
    assert at.session_state["prod.state_map"] == {"1": "running", "2": "stopped"}
    # the same figures as `analyze --state-map 1=running,2=stopped`: 400 units, 560 kWh idle
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Units"] == "400 units"
    assert metrics["Idle energy"] == "560 kWh"  # the number policy: kWh below 10,000, no decimals
