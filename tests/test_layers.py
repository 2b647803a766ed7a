"""The apps are layers (CONTRIBUTING.md, "The layers"): each imports only the layers below it,
never an app's views or forms, and never imports inside a function to dodge a cycle."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Lowest first: an app may import the apps before it.
LAYERS = (
    "kk_portal",
    "audit",
    "groups",
    "members",
    "aspirations",
    "reses",
    "assistance",
    "activities",
    "notifications",
    "search",
    "dashboards",
    "tracker",
    "imports",
    "demo",
    "api",
)
#: Modules other apps may not import: pages and forms stay in their own app.
PRIVATE = ("views", "forms", "urls")


def imports(app):
    """``(path, line, imported module, inside a function)`` for every import of another of
    ``LAYERS`` in ``app``'s code (migrations left out)."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inner = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                if module.split(".")[0] in LAYERS and module.split(".")[0] != app:
                    relative = path.relative_to(ROOT)
                    found.append((str(relative), node.lineno, module, id(node) in inner))
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_the_layers_below_it(app):
    below = LAYERS[: LAYERS.index(app)]

    upward = [f"{p}:{n} {m}" for p, n, m, _inner in imports(app) if m.split(".")[0] not in below]

    assert upward == [], f"{app} imports apps above it: {upward}"


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_no_other_apps_views_or_forms(app):
    private = [
        f"{p}:{n} {m}"
        for p, n, m, _inner in imports(app)
        if m.split(".")[0] != "kk_portal"
        and any(part in PRIVATE or part.endswith(("_views", "_forms")) for part in m.split(".")[1:])
    ]

    assert private == []


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_other_apps_at_the_top_of_its_modules(app):
    assert [f"{p}:{n} {m}" for p, n, m, inner in imports(app) if inner] == []
