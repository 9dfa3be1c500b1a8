"""AppTest: a load-shift scenario solved on the Production page enters the Green Temperature."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.mark.slow
def test_the_solved_scenario_reaches_the_green_temperature() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/green.py")
    at.run()
    assert not at.exception, at.exception
    # no scenario yet: the shift component is off
    assert at.checkbox(key="green.use_shift").value is False
    at.switch_page("pages/production.py")
    at.run()
    at.selectbox(key="prod.shift.month").set_value("2025-03")
    at.checkbox(key="prod.shift.demand").uncheck()
    [b for b in at.button if b.label == "Optimise"][0].click()
    at.run()
    assert not at.exception, at.exception
    _, share = at.session_state["green.shift_scenario"]
    assert 0.0 <= share <= 1.0
    at.switch_page("pages/green.py")
    at.run()
    assert not at.exception, at.exception
    assert at.checkbox(key="green.use_shift").value is True
    table = next(d.value for d in at.dataframe if "Component" in d.value.columns)
    row = table[table["Component"] == "Realised shift"]
    assert len(row) == 1 and row["Value [%]"].iloc[0] == f"{share * 100:,.1f}"  # fmt of a share
