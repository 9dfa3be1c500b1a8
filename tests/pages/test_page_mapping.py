"""The Data page's column-mapping step: when detection fails, name the columns and import."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.iotools import guess_columns, read_load
from analytics.iotools.load import ImportOptions
from tests.conftest import ROOT

# two unnamed numeric columns: the importer cannot tell which is the energy
AMBIGUOUS = b"when,a,b\n2025-03-03 00:00,1,5\n2025-03-03 00:15,2,6\n2025-03-03 00:30,3,7\n"


def test_the_guess_names_date_time_and_value_columns() -> None:
    g = guess_columns(AMBIGUOUS, file_name="m.csv")
    assert (g.columns, g.date_column, g.time_column, g.value_column, g.wide) == (
        ("when", "a", "b"),
        "when",
        None,
        "a",
        False,
    )
    assert g.options("when", None, "b") == {"time_column": "when", "value_column": "b"}
    split = guess_columns(b"Datum;Zeit;Wert\n01.03.2025;00:00;1,5\n01.03.2025;00:15;2,5\n")
    assert (split.date_column, split.time_column, split.value_column) == ("Datum", "Zeit", "Wert")
    assert split.options("Datum", "Zeit", "Wert") == {
        "date_column": "Datum",
        "time_column": "Zeit",
        "value_column": "Wert",
    }
    wide = guess_columns(
        b"date,"
        + ",".join(f"P{i}" for i in range(1, 97)).encode()
        + b"\n2025-03-03,"
        + ",".join(["1"] * 96).encode()
        + b"\n"
    )
    assert wide.wide and wide.options("date", None, "P1") == {"date_column": "date"}


def test_a_failed_detection_shows_the_mapping_step_and_the_choice_imports() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    at.file_uploader[0].set_value(("meter.csv", AMBIGUOUS, "text/csv")).run()
    assert not at.exception
    assert at.error[0].value == (
        "meter\\.csv: no single column of energy, power or meter readings was found; choose "
        "one. Columns: a, b.\n\nFile: meter\\.csv"
    )
    assert [s.label for s in at.selectbox if s.key and s.key.startswith("map.load.")] == [
        "Date or date-time column",
        "Time-of-day column (if separate)",
        "Value column",
    ]
    assert at.selectbox(key="map.load.date").value == "when"
    assert at.selectbox(key="map.load.value").value == "a"  # the guess: first numeric column
    at.selectbox(key="map.load.value").set_value("b")
    at.button[[b.label for b in at.button].index("Import with these columns")].click().run()
    assert not at.exception
    assert not at.error  # imported now
    # a value header without a unit is read as average power [kW] (with a warning):
    # (5 + 6 + 7) kW × 0.25 h = 4.5 kWh, as the library reads it with the same options
    frame, _ = read_load(
        AMBIGUOUS,
        file_name="meter.csv",
        options=ImportOptions(time_column="when", value_column="b"),
    )
    assert float(frame["kwh"].sum()) == 4.5
    assert at.session_state["opts.load"] == {"time_column": "when", "value_column": "b"}
    detected = at.table[0].value
    assert detected.loc["Columns used"].iloc[0] == "when / b"
