"""Fixtures of the TOU tests."""

from __future__ import annotations

import pytest

from analytics.tou.tariff import Tariff, load_tariff
from tests.tou.fixtures import TEST_TOML


@pytest.fixture(scope="module")
def test_tariff() -> Tariff:
    """The hand-made test tariff of ``fixtures.TEST_TOML`` (every rule kind once)."""
    return load_tariff(TEST_TOML)
