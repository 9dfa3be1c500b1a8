"""How the command line speaks: warning messages and the one error line, from the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from analytics.findings import InputError
from ui.render.i18n import has_key, problem_texts, translate, warning_renderer


def renderer(lang: str) -> Callable[[str, Mapping[str, Any]], str]:
    """``render(code, params) -> message`` in ``lang`` for the JSON's warning messages."""
    return warning_renderer(lang)


def error_line(err: InputError, lang: str = "en") -> str:
    """One line for stderr: the catalogue message for the error's code."""
    key = f"error.{err.code}"
    text = translate(lang, key, **err.context()) if has_key(key, lang) else str(err)
    problems = err.params.get("problems")
    if problems:  # a tariff file: its problems on the same line, capped with "and N more"
        total = int(err.params.get("count") or len(problems))
        text += " " + "; ".join(problem_texts(problems, total, lang))
    return " ".join(text.split())
