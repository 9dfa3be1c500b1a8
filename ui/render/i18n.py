"""Translation: ``t(key, **params)`` over two catalogues with the same keys.

Catalogues are JSON files under ``ui/render/locales/<lang>/*.json`` (one file per area,
flat dotted keys); all files of a language are merged and a key defined twice is
an error. A missing key raises ``KeyError`` — it never falls back silently
(``tests/test_i18n.py`` checks both catalogues hold the same keys and the same
placeholders). This module imports no Streamlit, so the CLI can render the same
warning and error texts.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGS: tuple[str, ...] = ("zh-CN", "en")
DEFAULT_LANG = "zh-CN"
_DIR = Path(__file__).parent / "locales"


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """All keys of one language, merged from its files."""
    if lang not in LANGS:
        raise KeyError(f"unknown language {lang!r}")
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, text in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: key {key!r} defined twice in {lang}")
            merged[key] = text
    return merged


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a template."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


class _Default(dict):
    def __missing__(self, key: str) -> str:  # a missing parameter shows as {key}
        return "{" + key + "}"


def translate(lang: str, key: str, /, **params: Any) -> str:
    """Render ``key`` in ``lang`` with ``params``; raises KeyError if the key is missing."""
    text = catalogue(lang)[key]
    return text.format_map(_Default(params)) if params else text


def has_key(key: str, lang: str = "en") -> bool:
    return key in catalogue(lang)


def warning_renderer(lang: str):
    """``render(code, params) -> message`` for a warning code (the code itself when the
    catalogue has no ``warning.<code>``): the JSON's ``data.warnings`` messages."""

    def render(code: str, params: Mapping[str, Any]) -> str:
        key = f"warning.{code}"
        return translate(lang, key, **params) if has_key(key, lang) else code

    return render


#: Problems of one file listed before "and N more" (pages and the CLI's one line alike).
MAX_LISTED_PROBLEMS = 20


def problem_texts(
    problems: Any,
    total: int,
    lang: str,
    *,
    limit: int = MAX_LISTED_PROBLEMS,
    escape: Callable[[Any], str] = str,
) -> list[str]:
    """The first ``limit`` problems of an error (``InputError.params["problems"]``: objects
    with ``line``, ``code``, ``params``) as catalogue texts, then "and N more" when ``total``
    (every problem found) exceeds what is listed. ``escape`` is applied to each parameter
    (the pages pass their Markdown escaper)."""
    items = list(problems or [])[:limit]
    out = [
        translate(
            lang, f"error.{p.code}", line=p.line, **{k: escape(v) for k, v in p.params.items()}
        )
        for p in items
    ]
    more = max(0, int(total) - len(items))
    if more:
        out.append(translate(lang, "guard.more_problems", n=f"{more:,}"))
    return out
