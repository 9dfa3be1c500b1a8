"""Self-contained HTML documents: the one-click report and the exported canvas.

Pure string assembly (no Streamlit, no I/O, no user-visible text of its own): callers pass
already-translated headings and labels, values already formatted for the language, and
plotly figures. Every text that reaches the HTML goes through :func:`html.escape` here, so
enterprise names, file names and canvas boxes can never inject markup. Charts are drawn as
static inline SVG (:mod:`ui.render.svg`, a few kB each); only a chart kind it cannot draw
embeds plotly with its bundle inline, once per document (no CDN). A
Content-Security-Policy forbids every network fetch, so the document works offline and makes
no external request. Print CSS lays it out on A4: KPI cards wrap inside the margins, a table
row, a chart, a KPI card and a short table are never split across pages, a heading stays
with what follows it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from analytics.stage import BOXES

#: Tables up to this many rows are never split across two pages.
SHORT_TABLE_ROWS = 15

#: Nothing may be fetched: inline scripts and styles, data: images and fonts only.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'"
)
FONTS = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif'
)

#: Grid areas of the classic nine-box canvas (Osterwalder): five columns, two rows of
#: boxes above, cost structure and revenue streams across the bottom.
CANVAS_AREAS: Mapping[str, str] = {
    "key_partners": "kp",
    "key_activities": "ka",
    "key_resources": "kr",
    "value_propositions": "vp",
    "customer_relationships": "cr",
    "channels": "ch",
    "customer_segments": "cs",
    "cost_structure": "co",
    "revenue_streams": "rs",
}

CANVAS_CSS = """
.bmc{display:grid;gap:4px;grid-template-columns:repeat(10,1fr);
 grid-template-areas:"kp kp ka ka vp vp cr cr cs cs" "kp kp kr kr vp vp ch ch cs cs"
 "co co co co co rs rs rs rs rs";font-family:@FONTS@;font-size:12px;line-height:1.35}
.bmc .box{border:1px solid #9e9e9e;border-radius:3px;padding:6px 8px;background:#fff;
 min-height:90px;break-inside:avoid}
.bmc .box h4{margin:0 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.03em;
 color:#2e7d32}
.bmc .box p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.bmc .kp{grid-area:kp}.bmc .ka{grid-area:ka}.bmc .kr{grid-area:kr}.bmc .vp{grid-area:vp;
 background:#f1f8e9}.bmc .cr{grid-area:cr}.bmc .ch{grid-area:ch}.bmc .cs{grid-area:cs}
.bmc .co{grid-area:co;min-height:60px}.bmc .rs{grid-area:rs;min-height:60px}
""".replace("@FONTS@", FONTS)

REPORT_CSS = """
*{box-sizing:border-box}
body{font-family:@FONTS@;color:#212121;margin:0;background:#fafafa}
main{max-width:186mm;margin:0 auto;padding:12px 16px;background:#fff}
header h1{font-size:22px;margin:8px 0 2px;color:#1b5e20}
header p{margin:2px 0;color:#555;font-size:12px}
nav.toc{font-size:12px;margin:8px 0}nav.toc a{margin-right:10px;color:#2e7d32}
section{margin:18px 0 8px}
h2{font-size:17px;border-bottom:2px solid #2e7d32;padding-bottom:3px;margin:0 0 8px;
 break-after:avoid}
h3{font-size:14px;margin:10px 0 4px;break-after:avoid}
p{font-size:13px;margin:4px 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(38mm,1fr));gap:6px;
 margin:6px 0}
.kpi{border:1px solid #e0e0e0;border-radius:4px;padding:6px 8px;break-inside:avoid;min-width:0}
.kpi .l{font-size:11px;color:#616161}.kpi .v{font-size:15px;font-weight:600;
 overflow-wrap:anywhere}
p.story{font-size:14px;line-height:1.5;margin:8px 0}
p.warn{font-size:12.5px;background:#fff8e1;border-left:4px solid #f9a825;padding:6px 8px}
table{border-collapse:collapse;width:100%;font-size:11.5px;margin:6px 0;break-inside:auto}
table.short{break-inside:avoid}
thead{display:table-header-group}tr{break-inside:avoid}
.chart svg{display:block;max-width:100%;height:auto}
th,td{border:1px solid #e0e0e0;padding:3px 6px;text-align:left;vertical-align:top;
 overflow-wrap:anywhere}
th{background:#f1f8e9}td.n{text-align:right;white-space:nowrap}
ul{font-size:13px;margin:4px 0 4px 18px;padding:0}
.chart{break-inside:avoid;margin:6px 0}
.note{font-size:11px;color:#616161}
footer{font-size:11px;color:#757575;margin-top:16px;border-top:1px solid #e0e0e0;
 padding-top:6px}
@page{size:A4;margin:12mm}
@media print{body{background:#fff}main{max-width:none;padding:0}nav.toc{display:none}
 section{break-before:auto}.pagebreak{break-before:page}a{color:inherit;text-decoration:none}
 p{orphans:3;widows:3}h2,h3{break-after:avoid}}
""".replace("@FONTS@", FONTS)


def esc(text: Any) -> str:
    """Escape any value for HTML text and attributes."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Kpis:
    """A grid of labelled values (both already rendered)."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Para:
    """A paragraph; ``style`` ``"note"`` (small, grey), ``"story"`` (lead) or ``"warn"``
    (a highlighted warning)."""

    text: str
    note: bool = False
    style: str = ""


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    """Columns and rows of already-rendered cells; ``numeric`` columns align right."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    numeric: Sequence[int] = ()


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    height_px: int = 300


@dataclass(frozen=True)
class CanvasGrid:
    boxes: Mapping[str, str]
    labels: Mapping[str, str]


@dataclass(frozen=True)
class Section:
    """One report section: ``id`` is the anchor (``<section id=…>``)."""

    id: str
    heading: str
    blocks: Sequence[Any] = field(default_factory=tuple)
    page_break: bool = False


def canvas_html(boxes: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """The nine boxes as the classic canvas grid (needs :data:`CANVAS_CSS`)."""
    cells = "".join(
        f'<div class="box {CANVAS_AREAS[b]}" data-box="{b}"><h4>{esc(labels[b])}</h4>'
        f"<p>{esc(boxes.get(b, ''))}</p></div>"
        for b in BOXES
    )
    return f'<div class="bmc">{cells}</div>'


def _table(tb: Table) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in tb.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{esc(v)}</td>' if i in tb.numeric else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in tb.rows
    )
    # a short table is kept on one page: no page holding a lone row
    cls = ' class="short"' if len(tb.rows) <= SHORT_TABLE_ROWS else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(ch: Chart, lang: str = "en") -> str:
    """The chart as static SVG; a kind SVG cannot draw as plotly (needs the bundle)."""
    from ui.render.svg import figure_svg

    try:
        return f'<div class="chart">{figure_svg(ch.figure, height=ch.height_px, lang=lang)}</div>'
    except TypeError:
        pass
    fig = go.Figure(ch.figure)
    fig.update_layout(
        font={"family": FONTS.replace('"', "")}, height=ch.height_px, width=None, autosize=True
    )
    div = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        default_width="100%",
        default_height=f"{ch.height_px}px",
        config={"displayModeBar": False, "responsive": True},
    )
    return f'<div class="chart">{div}</div>'


def _needs_plotly(ch: Chart) -> bool:
    from ui.render.svg import figure_svg

    try:
        figure_svg(ch.figure, height=ch.height_px)
    except TypeError:
        return True
    return False


def _block(block: Any, lang: str = "en") -> str:
    if isinstance(block, Kpis):
        cells = "".join(
            f'<div class="kpi"><div class="l">{esc(label)}</div>'
            f'<div class="v">{esc(value)}</div></div>'
            for label, value in block.items
        )
        return f'<div class="kpis">{cells}</div>'
    if isinstance(block, Para):
        style = "note" if block.note else block.style
        return f'<p class="{style}">{esc(block.text)}</p>' if style else f"<p>{esc(block.text)}</p>"
    if isinstance(block, Heading):
        return f"<h3>{esc(block.text)}</h3>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block, lang)
    if isinstance(block, CanvasGrid):
        return canvas_html(block.boxes, block.labels)
    raise TypeError(f"unknown report block {type(block).__name__}")


def _document(*, lang: str, title: str, body: str, css: str, scripts: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{css}</style>{scripts}</head>"
        f"<body>{body}</body></html>\n"
    )


def render_report(
    *,
    lang: str,
    title: str,
    subtitle: Sequence[str],
    sections: Sequence[Section],
    footer: str,
    plotly_js: str | None = None,
) -> str:
    """The report as one HTML document.

    ``plotly_js`` is the plotly.js bundle to inline (default: the installed plotly's);
    it is included once, and only when a chart cannot be drawn as static SVG.
    """
    has_chart = any(isinstance(b, Chart) and _needs_plotly(b) for s in sections for b in s.blocks)
    scripts = ""
    if has_chart:
        js = plotly_js if plotly_js is not None else _plotly_js()
        scripts = f'<script type="text/javascript">{js}</script>'
    toc = "".join(f'<a href="#{esc(s.id)}">{esc(s.heading)}</a>' for s in sections)
    parts = [
        f"<main><header><h1>{esc(title)}</h1>",
        *(f"<p>{esc(line)}</p>" for line in subtitle),
        "</header>",
        f'<nav class="toc">{toc}</nav>',
    ]
    for s in sections:
        cls = ' class="pagebreak"' if s.page_break else ""
        parts.append(f'<section id="{esc(s.id)}"{cls}><h2>{esc(s.heading)}</h2>')
        parts.extend(_block(b, lang) for b in s.blocks)
        parts.append("</section>")
    parts.append(f"<footer>{esc(footer)}</footer></main>")
    return _document(
        lang=lang, title=title, body="".join(parts), css=REPORT_CSS + CANVAS_CSS, scripts=scripts
    )


def canvas_document(
    *,
    lang: str,
    title: str,
    subtitle: Sequence[str],
    boxes: Mapping[str, str],
    labels: Mapping[str, str],
    footer: str = "",
) -> str:
    """A standalone HTML page holding one canvas (the canvas page's HTML export)."""
    body = (
        f"<main><header><h1>{esc(title)}</h1>"
        + "".join(f"<p>{esc(line)}</p>" for line in subtitle)
        + "</header>"
        + canvas_html(boxes, labels)
        + (f"<footer>{esc(footer)}</footer>" if footer else "")
        + "</main>"
    )
    return _document(lang=lang, title=title, body=body, css=REPORT_CSS + CANVAS_CSS)


def canvas_markdown(
    *, title: str, subtitle: Sequence[str], boxes: Mapping[str, str], labels: Mapping[str, str]
) -> str:
    """The canvas as Markdown: a heading per box, in canvas order."""
    lines = [f"# {title}", "", *(f"_{s}_" for s in subtitle), ""]
    for b in BOXES:
        lines += [f"## {labels[b]}", "", boxes.get(b, "").strip(), ""]
    return "\n".join(lines)


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
