"""Chinese day types: official 调休 make-up days, holiday blocks, the fallback year."""

import pandas as pd

from analytics.tou.calendar import DAY_TYPES, day_info, day_types, day_types_with_warnings


def test_2025_make_up_days_are_working_days() -> None:
    # 国办发明电〔2024〕12号: 春节 Jan 28 – Feb 4; make-up working days Sun Jan 26 and Sat Feb 8;
    # 劳动节 make-up Sun Apr 27; 国庆 make-up Sun Sep 28 and Sat Oct 11.
    dates = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
    assert day_types(dates).tolist() == ["working"] * 5


def test_2025_holidays_rest_and_working() -> None:
    got = day_types(
        [
            "2025-01-01",
            "2025-01-28",
            "2025-02-04",
            "2025-02-15",
            "2025-02-17",
            "2025-05-05",
            "2025-10-08",
        ]
    )
    # Jan 1 元旦; Jan 28 除夕 (new from 2025); Feb 4 last 春节 day; Sat Feb 15 ordinary rest;
    # Mon Feb 17 working; May 5 (Mon) inside 劳动节; Oct 8 (Wed) inside 国庆.
    assert got.tolist() == [
        "holiday",
        "holiday",
        "holiday",
        "rest",
        "working",
        "holiday",
        "holiday",
    ]
    assert list(got.dtype.categories) == list(DAY_TYPES)
    assert got.attrs["warnings"] == []


def test_timestamps_and_order_are_kept() -> None:
    ts = pd.DatetimeIndex(["2025-02-08 23:45", "2025-01-26 00:00"], tz="Asia/Shanghai")
    s = day_types(ts)
    assert s.tolist() == ["working", "working"]
    assert list(s.index) == [pd.Timestamp("2025-02-08"), pd.Timestamp("2025-01-26")]


def test_holiday_blocks_are_numbered_from_their_first_day() -> None:
    # 2025 国庆+中秋: Oct 1–8; Oct 6 is 中秋 by name but sits in the National Day block (day 6).
    info, _ = day_info(["2025-10-01", "2025-10-03", "2025-10-06"])
    assert info["holiday_block"].tolist() == ["national_day"] * 3
    assert info["holiday_day"].tolist() == [1, 3, 6]
    assert info["holiday"].tolist()[2] == "mid_autumn_festival"
    # a series that starts inside a block still counts from the block's first day
    info, _ = day_info(["2025-05-04"])
    assert info["holiday_day"].tolist() == [4]


def test_2027_falls_back_to_holidays_china_with_a_warning() -> None:
    # chinese_calendar 1.11 knows 2004–2026; 2027 comes from holidays.China (no make-up days).
    s, warnings = day_types_with_warnings(["2026-12-31", "2027-01-01", "2027-01-02", "2027-01-04"])
    assert s.tolist() == ["working", "holiday", "rest", "working"]
    assert [(w.code, w.count, dict(w.params)) for w in warnings] == [
        ("calendar.unofficial_year", 3, {"years": "2027"})  # three of the four dates are in 2027
    ]


def test_known_year_has_no_warning() -> None:
    _, warnings = day_types_with_warnings(pd.date_range("2026-01-01", "2026-12-31", freq="D"))
    assert warnings == []
