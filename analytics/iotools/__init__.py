"""Readers: every input file becomes data plus an :class:`ImportReport` (after pvlib's ``iotools``).

One contract for every reader, ``read_X(source, *, file_name=None, options=None) -> (data,
report)``: ``source`` is a path, bytes or a binary file; ``data`` is a canonical frame
(:mod:`analytics.iotools.frame`: tz-aware interval-start index, ``kwh`` per interval) or, for
production files, :class:`ProductionData`; ``report`` carries what was detected and every
clean-up as named :class:`~analytics.findings.DataWarning` s. Unreadable input raises one
:class:`~analytics.findings.InputError` naming file, row, column and what was expected.

- :func:`read_load` — meter exports (long, wide 96/48/24/288-point, registers; CSV/XLSX;
  UTF-8/GBK; start or end labels), :mod:`analytics.iotools.load`.
- :func:`read_pv` — a measured PV series (the load importer, then night negatives clipped).
- :func:`read_weather` — an EPW/TMY3 weather file for the PV model.
- :func:`read_prices` — a price series (spot, day-ahead, contract curve) [CNY/kWh].
- :func:`read_production` — production runs, periodic counts or a machine-state log.
- :mod:`~analytics.iotools.raw` — bytes to a table of text cells with source row numbers.
- :func:`guess_columns` — a file's columns and the guessed date/time/value columns, for the
  mapping step when detection fails.
"""

from analytics.iotools.frame import INDEX_NAME, SCHEMA, interval_minutes, kw, make_frame
from analytics.iotools.load import ImportOptions, ImportReport, read_load
from analytics.iotools.mapping import ColumnGuess, guess_columns
from analytics.iotools.prices import PriceReport, read_prices
from analytics.iotools.production import (
    STATE_MEANINGS,
    ProductionData,
    ProductionOptions,
    parse_state_map,
    read_production,
)
from analytics.iotools.production import WARNING_CODES as PRODUCTION_WARNING_CODES
from analytics.iotools.pv import read_pv, read_weather
from analytics.iotools.raw import FileReport

__all__ = [
    "INDEX_NAME",
    "PRODUCTION_WARNING_CODES",
    "SCHEMA",
    "STATE_MEANINGS",
    "ColumnGuess",
    "FileReport",
    "ImportOptions",
    "ImportReport",
    "ProductionData",
    "PriceReport",
    "ProductionOptions",
    "interval_minutes",
    "kw",
    "guess_columns",
    "make_frame",
    "parse_state_map",
    "read_load",
    "read_prices",
    "read_production",
    "read_pv",
    "read_weather",
]
