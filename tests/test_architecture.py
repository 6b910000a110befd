"""The shape of DESIGN.md, checked from the code: every module's imports (inside functions too) against
the "may import" table, no import cycles, and no app reaching another by a dotted name in a string."""

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

LOW = {"core"}
# DESIGN.md, "Shape": folder → the project's folders it may import (besides itself).
MAY_IMPORT = {
    "core": set(),
    "audit": {"core"},
    "stats": {"core"},
    "news": {"core", "audit", "stats"},
    "documents": {"core", "audit", "stats"},
    "pages": {"core", "audit", "stats"},
    "rating": {"core", "audit", "stats"},
    "feedback": {"core", "audit", "stats", "news"},
    "agenda": {"core", "audit", "stats"},
    "consultation": {"core", "audit", "stats"},
    "gallery": {"core", "audit", "stats"},
    "navigation": {"core", "audit", "stats"},
}
APPS = set(MAY_IMPORT)
PROJECT = APPS | {"portal"}
# portal wires everything; gunicorn.conf.py is part of that wiring.
MAY_IMPORT["portal"] = PROJECT - {"portal"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files():
    for top in sorted(PROJECT):
        yield from sorted((BASE_DIR / top).rglob("*.py"))


def imports_of(path: Path, name=None):
    """(imported module, line) for every import in the file, relative ones resolved."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from news import sitemaps` imports the module news.sitemaps
                yield f"{target}.{alias.name}", node.lineno


def top(module: str) -> str:
    return module.split(".", 1)[0]


@pytest.fixture(scope="module")
def graph():
    """module → {imported project module: first line}, for every module of the project."""
    known = {module_name(path): path for path in project_files()}
    edges = defaultdict(dict)
    for name, path in known.items():
        for target, line in imports_of(path):
            if top(target) not in PROJECT:
                continue
            # `from x import name`: keep the longest prefix that is a module of ours.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].setdefault(target, line)
    return known, edges


def test_the_table_of_design_md_holds(graph):
    """Each folder imports only what DESIGN.md's "may import" column names (imports inside functions count)."""
    known, edges = graph
    wrong = []
    for source, targets in edges.items():
        for target, line in targets.items():
            if top(target) != top(source) and top(target) not in MAY_IMPORT[top(source)]:
                wrong.append(f"{known[source].relative_to(BASE_DIR)}:{line} imports {target}")
    assert wrong == [], "\n".join(wrong)


def test_nothing_imports_portal(graph):
    known, edges = graph
    wrong = [
        f"{source} imports {target}"
        for source, targets in edges.items()
        for target in targets
        if top(target) == "portal" and top(source) != "portal"
    ]
    assert wrong == []


def test_core_imports_no_app(graph):
    _known, edges = graph
    assert {t for s, ts in edges.items() if top(s) == "core" for t in ts if top(t) != "core"} == set()


def test_no_import_cycles(graph):
    """No two modules import each other, directly or around a circle (Tarjan's strongly connected components)."""
    _known, edges = graph
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    assert cycles == []


DOTTED = re.compile(r"^({})\.[A-Za-z_][\w.]*$".format("|".join(sorted(PROJECT))))


def test_no_app_reaches_another_by_a_dotted_string():
    """A model label or module path in a string ("news.Article") is an import in disguise."""
    wrong = []
    for path in project_files():
        source = top(module_name(path))
        if source == "portal" or "migrations" in path.parts:
            continue  # portal wires by name; migrations name the models they depend on
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (m := DOTTED.match(node.value)):
                target = m.group(1)
                if target != source and target not in MAY_IMPORT[source]:
                    wrong.append(f"{path.relative_to(BASE_DIR)}:{node.lineno} names {node.value!r}")
    assert wrong == [], "\n".join(wrong)


def test_gunicorn_config_imports_only_what_portal_may():
    targets = {top(t) for t, _line in imports_of(BASE_DIR / "gunicorn.conf.py") if top(t) in PROJECT}
    assert targets <= MAY_IMPORT["portal"]


def test_the_checker_sees_forbidden_imports(tmp_path):
    """The checker itself: imports inside a function and relative imports are found and resolved."""
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from news.models import Article\n    from ..pages import demo\n", "utf-8")
    found = {target for target, _line in imports_of(path, name="stats.management.probe")}
    assert found == {"news.models", "news.models.Article", "stats.pages", "stats.pages.demo"}
    assert top("news.models") not in MAY_IMPORT["stats"]
