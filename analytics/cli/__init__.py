"""The command-line face, ``python -m analytics`` (after frictionless' ``console``).

argv → library objects → JSON or files: ``analyze`` (:mod:`~analytics.cli.analyze`) and
``portfolio ingest|screen|export`` (:mod:`~analytics.cli.portfolio`); :mod:`~analytics.cli.errors`
renders an :class:`~analytics.findings.InputError` as the one line on stderr (exit 2). The only
part of ``analytics`` that imports ``ui`` — and only the Streamlit-free ``ui.render``
(translation, the report document).
"""

from analytics.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
