"""The portfolio package loads its modules on first use: every public name resolves, and a
pool worker that only parses files does not import the screen, the benchmarking or SciPy
(each spawned worker pays its imports at start-up)."""

from __future__ import annotations

import subprocess
import sys

import analytics.portfolio as portfolio


def test_every_public_name_resolves_to_its_module() -> None:
    assert sorted(portfolio.__all__) == sorted(portfolio._WHERE)
    for name in portfolio.__all__:
        obj = getattr(portfolio, name)
        assert getattr(sys.modules[portfolio._WHERE[name]], name) is obj
    assert portfolio.store.Workspace is portfolio.Workspace  # submodules as attributes too


def test_a_parse_worker_imports_no_screen_and_no_scipy() -> None:
    code = (
        "import sys, analytics.portfolio.ingestion\n"
        "heavy = ['scipy', 'analytics.portfolio.benchmarking', 'analytics.portfolio.setwise',"
        " 'analytics.analysis', 'pyspark']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
