"""Hostile tariff files, capped error lists, and the pages' error boundary.

Every tariff case is refused as ``tariff.invalid`` with the exact problem and line, before
the TOML parser does the expensive part; the CLI names the problems on its one line (capped);
a page that fails on one input shows a message and the "remove my uploaded files" control.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.errors import error_line
from analytics.cli.main import main
from analytics.findings import InputError
from analytics.tou.tariff import MAX_PROBLEMS, MAX_TOML_BYTES, MAX_TOML_NESTING, load_tariff
from tests.conftest import ROOT, SAMPLE
from tests.tou.fixtures import TEST_TOML
from ui.render.i18n import MAX_LISTED_PROBLEMS

LOAD = SAMPLE / "sunan_load_2025_15min.csv"


def _problems(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_tariff(text, file="bad.toml")
    assert info.value.code == "tariff.invalid"
    return info.value


def test_a_50000_deep_nested_array_is_refused_before_parsing() -> None:
    text = "id = " + "[" * 50_000 + "]" * 50_000 + "\n"
    t0 = time.perf_counter()
    err = _problems(text)
    # one problem: line 1, nesting 50,000 > 16; measured by a linear scan, not by recursion
    assert [(p.line, p.code, p.params["depth"]) for p in err.params["problems"]] == [
        (1, "tariff.too_deep", 50_000)
    ]
    assert time.perf_counter() - t0 < 5


def test_nesting_counts_inline_tables_and_ignores_brackets_in_strings_and_comments() -> None:
    deep = "x = " + "{a = " * 17 + "1" + "}" * 17 + "\n"  # 17 inline tables > 16
    err = _problems('name = "[[[[[[[[[[[[[[[[[["  # [[[[[[[[[[[[[[[[[[[[\n' + deep)
    assert [(p.line, p.params["depth"]) for p in err.params["problems"]] == [(2, 17)]


def test_a_million_entry_array_is_refused_by_size() -> None:
    text = "months = [" + ", ".join(["1"] * 1_000_000) + "]\n"  # 3,000,010 bytes
    err = _problems(text)
    (p,) = err.params["problems"]
    assert (p.code, p.params["size_kb"], p.params["limit_kb"]) == (
        "tariff.too_large",
        3_000,
        MAX_TOML_BYTES // 1000,
    )
    assert err.params["count"] == 1


def test_just_under_the_size_limit_is_parsed_as_usual() -> None:
    # a valid tariff padded with a comment to just under the cap still loads
    pad = "#" + "x" * (MAX_TOML_BYTES - len(TEST_TOML.encode()) - 10) + "\n"
    assert load_tariff(pad + TEST_TOML, file="ok.toml").id


def test_thousands_of_problems_are_counted_but_only_the_first_are_kept() -> None:
    # 3,000 unknown top-level keys: 3,000 problems, the first MAX_PROBLEMS kept in line order
    extra = "".join(f"bogus_{i} = 1\n" for i in range(3_000))
    err = _problems(extra + TEST_TOML)
    assert err.params["count"] == 3_000
    kept = err.params["problems"]
    assert len(kept) == MAX_PROBLEMS
    assert [p.line for p in kept] == list(range(1, MAX_PROBLEMS + 1))
    assert {p.code for p in kept} == {"tariff.unknown_key"}


def test_the_cli_line_lists_the_problems_capped() -> None:
    extra = "".join(f"bogus_{i} = 1\n" for i in range(3_000))
    err = _problems(extra + TEST_TOML)
    line = error_line(err, "en")
    assert "\n" not in line
    assert line.startswith("Tariff file bad.toml has 3000 problem(s).")
    assert line.count("unknown key bogus_") == MAX_LISTED_PROBLEMS
    assert "Line 1: unknown key bogus_0" in line
    assert line.endswith("… and 2,980 more.")  # 3,000 − 20 listed
    zh = error_line(err, "zh-CN")
    assert zh.endswith("……另有 2,980 处问题。")


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (
            "id = " + "[" * (MAX_TOML_NESTING + 1) + "]" * (MAX_TOML_NESTING + 1),
            "tariff.too_deep",
            1,
        ),
        ('id = "unterminated\n', "tariff.toml_syntax", 1),
        ("\n\n= 3\n", "tariff.toml_syntax", 3),
        ("a = 1\na = 2\n", "tariff.toml_syntax", 2),
    ],
    ids=["depth-17", "open-string", "no-key", "duplicate-key"],
)
def test_syntax_and_depth_problems_name_the_line(text: str, code: str, line: int) -> None:
    (p,) = _problems(text).params["problems"]
    assert (p.code, p.line) == (code, line)


def test_cli_with_a_nesting_bomb_tariff_exits_2_with_one_line(tmp_path, capsys) -> None:
    bomb = tmp_path / "bomb.toml"
    bomb.write_text("id = " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    rc = main(["analyze", "--load", str(LOAD), "--tariff", str(bomb)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "bomb.toml" in err and "nested 50000 deep" in err


def test_cli_with_a_huge_tariff_exits_2_naming_the_size(tmp_path, capsys) -> None:
    big = tmp_path / "big.toml"
    big.write_text("months = [" + ", ".join(["1"] * 1_000_000) + "]\n", encoding="utf-8")
    assert main(["analyze", "--load", str(LOAD), "--tariff", str(big)]) == 2
    err = capsys.readouterr().err
    assert "the file is 3000 KB; a tariff file may have at most 256 KB" in err


# ------------------------------------------------------------------ the pages' error boundary


def _boundary_app(failure: str) -> AppTest:
    def script() -> None:
        import streamlit as st

        from analytics.findings import InputError
        from ui.guard import page_boundary
        from ui.state import FileInput, set_uploaded

        if "seeded" not in st.session_state:
            st.session_state["seeded"] = True
            st.session_state["source"] = "upload"
            set_uploaded("load", FileInput.of("meter.csv", b"timestamp,kwh\n"))

        def page() -> None:
            st.write("before the failure")
            if st.session_state.get("fail") == "bug":
                raise ZeroDivisionError("division by zero")
            raise InputError(
                "import.no_time_column", file="meter.csv", row=1, candidates="timestamp, kwh"
            )

        page_boundary(page)

    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["fail"] = failure
    at.session_state["lang"] = "en"
    return at


def test_a_bug_on_a_page_becomes_a_message_and_the_file_can_be_removed(monkeypatch) -> None:
    monkeypatch.delenv("GREENTEMP_RAISE_PAGE_ERRORS", raising=False)
    at = _boundary_app("bug")
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "before the failure"  # what the page drew stays
    assert "ZeroDivisionError" in at.error[0].value  # the kind, never the traceback
    assert "Traceback" not in at.error[0].value
    assert at.button[0].label == "Remove my uploaded files"
    at.button[0].click().run()
    assert at.session_state["upload.load"] is None
    assert at.session_state["source"] == "sample"


def test_an_input_error_on_a_page_names_file_row_and_offers_removal(monkeypatch) -> None:
    monkeypatch.delenv("GREENTEMP_RAISE_PAGE_ERRORS", raising=False)
    at = _boundary_app("input")
    at.run()
    assert not at.exception
    # file names are Markdown-escaped wherever they land on a page
    assert at.error[0].value == (
        "meter\\.csv: no time column was found; choose the column that holds the date and "
        "time. Columns: timestamp, kwh.\n\nFile: meter\\.csv · Row: 1"
    )
    assert at.button[0].label == "Remove my uploaded files"


def test_in_tests_a_page_bug_still_fails_loudly() -> None:
    # conftest sets GREENTEMP_RAISE_PAGE_ERRORS=1: the boundary re-raises, AppTest records it
    at = _boundary_app("bug")
    at.run()
    assert at.exception
    assert "ZeroDivisionError" in "\n".join(at.exception[0].stack_trace)


# ------------------------------------------------------------------ uploads are never ignored


def test_a_pv_upload_under_the_sample_source_says_why_it_is_not_used() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    pv_tab = at.tabs[1]
    pv_tab.file_uploader[0].set_value(("roof_pv.csv", b"timestamp,energy_kwh\n", "text/csv")).run()
    infos = [i.value for i in at.info]
    assert any(
        "roof\\_pv\\.csv is stored but not analysed" in v and "Sample enterprise" in v
        for v in infos
    ), infos
    use = [b for b in at.button if b.label == "Use my uploaded files"]
    use[0].click().run()
    assert at.session_state["source"] == "upload"
    # now the load is missing: the page says what to add instead of ignoring the PV file
    assert any("upload a load file on the Data page too" in i.value for i in at.info)
