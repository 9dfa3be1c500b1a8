"""One-way imports: analytics/ is pure (no Streamlit), ui/i18n has no Streamlit either."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "analytics").rglob("*.py")), ids=lambda p: p.name)
def test_analytics_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _imports(path)


def test_translation_module_is_streamlit_free() -> None:
    assert "streamlit" not in _imports(ROOT / "ui" / "i18n.py")


def test_analytics_does_not_import_pages() -> None:
    bad = {p.name for p in (ROOT / "analytics").rglob("*.py") if "pages" in _imports(p)}
    assert bad == set()


def test_only_the_cli_face_reaches_the_ui_catalogue() -> None:
    # The CLI renders warning/error messages from the same catalogue as the pages.
    users = {p.name for p in (ROOT / "analytics").rglob("*.py") if "ui" in _imports(p)}
    assert users <= {"cli.py"}


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_every_page_routes_through_app(path: Path) -> None:
    # A deep link on a fresh server would otherwise run the page without app.py (ui.state.ensure_router)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "ensure_router" in calls


def test_every_page_is_registered_in_app() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    missing = [p.name for p in (ROOT / "pages").glob("*.py") if f'"pages/{p.name}"' not in app]
    assert missing == []
