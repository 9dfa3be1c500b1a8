"""The house rules, checked on the import graph (AST only; nothing is imported).

- no import circles among the project's modules (lazy imports inside functions included);
- ``analytics/`` never imports Streamlit, and neither does ``ui/render/``;
- only ``analytics/cli/`` imports from ``ui``, and only from the Streamlit-free ``ui/render``;
- ``analytics/`` keeps at most four loose modules beside ``__init__``/``__main__``;
- a subpackage's ``__init__`` only re-exports names (imports and ``__all__``, nothing else),
  and nobody outside a subpackage imports a private (``_``) name of it;
- every page routes through ``app.py`` and is registered there;
- tests read no file outside the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("analytics", "ui", "pages")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "app.py"]
    return {_module_name(p): p for p in files}


SOURCES = _sources()


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in the file, lazy ones included."""
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [a.name for a in node.names]))
    return out


def _targets(module: str, names: list[str]) -> set[str]:
    """Project modules an import statement loads (``from pkg import mod`` loads pkg.mod)."""
    found = {module} if module in SOURCES else set()
    found |= {f"{module}.{n}" for n in names if f"{module}.{n}" in SOURCES}
    return found


GRAPH = {
    m: set().union(*[_targets(mod, names) for mod, names in _imports(p)] or [set()]) - {m}
    for m, p in SOURCES.items()
}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_the_known_arrows() -> None:
    # the checks below only mean something if the graph holds the real imports
    assert "analytics.tou.engine" in GRAPH["analytics.tou"]
    assert "analytics.analysis" in GRAPH["analytics.portfolio.rows"]
    assert "ui.render.report" in GRAPH["analytics.cli.analyze"]


def test_no_import_circles() -> None:
    assert _cycles() == []


def _top_imports(path: Path) -> set[str]:
    return {mod.split(".")[0] for mod, _ in _imports(path)}


@pytest.mark.parametrize(
    "path", sorted((ROOT / "analytics").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_analytics_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _top_imports(path)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "ui" / "render").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_ui_render_is_streamlit_free(path: Path) -> None:
    assert "streamlit" not in _top_imports(path)
    assert not any(m.startswith("ui.") and not m.startswith("ui.render") for m, _ in _imports(path))


def test_only_the_cli_face_reaches_ui_and_only_its_render_part() -> None:
    users = {}
    for m, p in SOURCES.items():
        if m.startswith("analytics"):
            ui = {mod for mod, _ in _imports(p) if mod == "ui" or mod.startswith("ui.")}
            if ui:
                users[m] = ui
    assert all(m.startswith("analytics.cli") for m in users), users
    assert all(mod.startswith("ui.render") for mods in users.values() for mod in mods), users


def test_analytics_never_imports_pages_or_app() -> None:
    bad = [
        m
        for m, p in SOURCES.items()
        if m.startswith(("analytics", "ui")) and _top_imports(p) & {"pages", "app"}
    ]
    assert bad == []


def test_analytics_has_at_most_four_loose_modules() -> None:
    loose = sorted(
        p.name
        for p in (ROOT / "analytics").glob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    )
    assert len(loose) <= 4, loose


@pytest.mark.parametrize(
    "path", sorted((ROOT / "analytics").glob("*/__init__.py")), ids=lambda p: p.parent.name
)
def test_a_subpackage_face_only_re_exports(path: Path) -> None:
    """A face holds its docstring, imports and ``__all__``; or, loading on first use (PEP 562),
    a ``_WHERE`` table of name → module, the same imports under ``TYPE_CHECKING`` and only
    ``__getattr__``/``__dir__`` as functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), "the API docstring states the subpackage's contract"
    kinds = {type(n).__name__ for n in tree.body[1:]}
    body = list(tree.body)
    lazy = [n for n in body if isinstance(n, ast.AnnAssign) and n.target.id == "_WHERE"]
    if lazy:
        funcs = {n.name for n in body if isinstance(n, ast.FunctionDef)}
        assert funcs <= {"__getattr__", "__dir__"}, funcs
        guarded = [n for n in body if isinstance(n, ast.If)]
        assert len(guarded) == 1 and ast.unparse(guarded[0].test) == "TYPE_CHECKING"
        body = [*body, *guarded[0].body]
        where = ast.literal_eval(lazy[0].value)
        froms = {
            a.asname or a.name: n.module
            for n in body
            if isinstance(n, ast.ImportFrom)
            for a in n.names
            if n.module and n.module.startswith("analytics")
        }
        assert where == froms  # the table and the typed imports name the same places
    else:
        assert kinds <= {"ImportFrom", "Assign"}, kinds
    exported = next(
        ast.literal_eval(n.value)
        for n in body
        if isinstance(n, ast.Assign) and n.targets[0].id == "__all__"
    )
    imported = {
        a.asname or a.name
        for n in body
        if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("analytics")
        for a in n.names
    }
    assert sorted(exported) == sorted(imported)


def test_no_private_name_crosses_a_subpackage() -> None:
    crossings = []
    for m, p in SOURCES.items():
        own = ".".join(m.split(".")[:2])
        for mod, names in _imports(p):
            if (
                mod.startswith(("analytics.", "ui."))
                and not mod.startswith(own + ".")
                and mod != own
            ):
                crossings += [f"{m} <- {mod}.{n}" for n in names if n.startswith("_")]
    assert crossings == []


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_routes_through_app(path: Path) -> None:
    # A deep link on a fresh server would otherwise run the page without app.py (ui.state.ensure_router)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert "ensure_router" in calls


def test_every_page_is_registered_in_app() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    missing = [p.name for p in (ROOT / "pages").glob("*.py") if f'"pages/{p.name}"' not in app]
    assert missing == []


def test_tests_read_no_file_outside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|/work/|parent\.parent\.parent|parents\[[2-9]\]|ROOT\.parent")
    bad = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if p.name != "test_architecture.py" and outside.search(p.read_text(encoding="utf-8"))
    ]
    assert bad == []
