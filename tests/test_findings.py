"""One registry of finding codes (analytics.findings.REGISTRY) and its catalogue."""

from __future__ import annotations

import re

import pytest

from analytics.findings import REGISTRY, Severity, catalogue_key, severity
from analytics.iotools import PRODUCTION_WARNING_CODES
from analytics.iotools.production import ERROR_CODES as PRODUCTION_ERROR_CODES
from analytics.production import WARNING_CODES as ALIGNMENT_WARNING_CODES
from analytics.production.regression import NOTE_CODES as REGRESSION_NOTES
from analytics.production.shift import NOTE_CODES as SHIFT_NOTES
from analytics.tou.tariff import ERROR_CODES as TARIFF_ERRORS
from analytics.tou.tariff import PROBLEM_CODES
from tests.conftest import ROOT
from ui.render.i18n import catalogue

# a code literal where a finding is made: DataWarning("x"), InputError("x"), _warn("x"), …
_MADE = re.compile(
    r'\b(?:DataWarning|InputError|WorkspaceConflict|_warn|warn|err)\(\s*(?:code=)?"'
    r'([a-z0-9_]+\.[a-z0-9_.]+)"'
)


def _emitted() -> set[str]:
    src = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "analytics").rglob("*.py"))
    return set(_MADE.findall(src))


def test_the_scan_finds_codes_of_every_kind() -> None:
    found = _emitted()
    # the pattern must see warnings, errors and the importer's helpers, or the next test is empty
    assert {
        "import.gaps",
        "import.no_time_column",
        "tou.outside_validity",
        "production.unknown_state",
        "workspace.not_found",
    } <= found
    assert len(found) > 80


def test_every_emitted_code_is_registered() -> None:
    assert sorted(_emitted() - set(REGISTRY)) == []


def test_every_listed_code_is_registered() -> None:
    listed = {
        *PRODUCTION_WARNING_CODES,
        *PRODUCTION_ERROR_CODES,
        *ALIGNMENT_WARNING_CODES,
        *REGRESSION_NOTES,
        *SHIFT_NOTES,
        *TARIFF_ERRORS,
        *(f"tariff.{c}" for c in PROBLEM_CODES),
    }
    assert sorted(listed - set(REGISTRY)) == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_registered_code_has_its_catalogue_key(lang: str) -> None:
    keys = set(catalogue(lang))
    assert sorted(catalogue_key(c) for c in REGISTRY if catalogue_key(c) not in keys) == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_no_catalogue_finding_is_orphaned(lang: str) -> None:
    kinds = ("warning.", "error.", "note.")
    keys = {k for k in catalogue(lang) if k.startswith(kinds) and not k.startswith("error.where.")}
    assert sorted(keys - {catalogue_key(c) for c in REGISTRY}) == []


def test_severities_and_keys() -> None:
    assert severity("import.gaps") is Severity.WARNING
    assert severity("import.no_time_column") is Severity.ERROR
    assert severity("tou.illustrative_prices") is Severity.INFO
    assert catalogue_key("shift.no_saving") == "note.shift.no_saving"
    assert catalogue_key("import.unit_assumed") == "warning.import.unit_assumed"
    assert catalogue_key("tariff.bad_time") == "error.tariff.bad_time"
    with pytest.raises(KeyError):
        severity("no.such_code")
