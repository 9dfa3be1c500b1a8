"""Progress with an estimate: the arithmetic, and the CLI's line on stderr (never stdout)."""

from __future__ import annotations

import io

from analytics.cli.portfolio import Progress
from analytics.portfolio import ProgressClock, clock_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_estimate_by_hand() -> None:
    fake = FakeClock()
    clock = ProgressClock(fake)
    assert clock(0, 100).eta_s is None  # nothing done: no estimate yet
    fake.now = 110.0
    est = clock(25, 100)
    # 25 done in 10 s → 2.5 /s; 75 left / 2.5 = 30 s
    assert (est.elapsed_s, est.rate_per_s, est.eta_s, est.share) == (10.0, 2.5, 30.0, 0.25)
    fake.now = 140.0
    assert clock(100, 100).eta_s == 0.0


def test_clock_text() -> None:
    assert clock_text(30) == "0:30"
    assert clock_text(3725) == "1:02:05"  # 1 h 2 min 5 s
    assert clock_text(None) == "–:––"


def test_the_cli_line_off_a_terminal(capsys) -> None:
    fake = FakeClock()
    stream = io.StringIO()  # not a terminal: a plain line at most every 10 s
    bar = Progress("ingest", stream=stream, clock=ProgressClock(fake))
    fake.now = 105.0
    bar(10, 40)  # 5 s: nothing yet
    fake.now = 112.0
    bar(20, 40)  # 12 s: 20/12 = 1.67 /s, 20 left / 1.67 = 12 s
    fake.now = 113.0
    bar(40, 40)  # the last line, since one was written: 40/13 = 3.08 /s
    assert stream.getvalue().splitlines() == [
        "ingest 20/40 (50%) 1.7/s ETA 0:12",
        "ingest 40/40 (100%) 3.1/s ETA 0:00",
    ]
    assert capsys.readouterr().out == ""


def test_a_quick_run_off_a_terminal_writes_nothing() -> None:
    stream = io.StringIO()
    bar = Progress("screen", stream=stream)
    bar(0, 3)
    bar(3, 3)
    assert stream.getvalue() == ""
