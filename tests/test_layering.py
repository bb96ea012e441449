"""shared/DESIGN.md's layering, checked (issue 14, item 2): a module of a feature package
imports only from its own feature and the features below it, never upward, and no modules
import each other in a cycle. Imports are read with `ast`, so an import inside a function
counts as much as one at the top of the file."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "campaign_app"

#: The feature packages, bottom first: each may import from the ones before it. The one
#: place the order is written down (DESIGN.md describes it in words). Two places differ from
#: DESIGN.md's rough order: delivery (the outbox and the CWC client) sits below alerts, whose
#: editor checks CWC's vocabulary and whose preview dry-runs a CWC message, and nothing in
#: delivery needs alerts; dashboard sits below signons, whose whip list reads the dashboard's
#: snapshot of a big alert.
LAYERS = ("core", "text", "i18n", "congress", "supporters", "audit", "auth", "delivery", "alerts",
          "actions", "embeds", "dashboard", "signons", "mailings", "exports", "api", "webhooks",
          "telephony", "health", "frontdoor", "privacy")

#: Upward imports not fixed yet, as (importing module, imported module): why each remains.
KNOWN_BREACHES: dict[tuple[str, str], str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imported_modules(name: str, path: Path) -> set[str]:
    """Our modules that `name` imports, anywhere in its body (`from . import cwc` is the
    module cwc; `from .models import Alert` is the module models)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            candidates = [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            # the longest of our modules the dotted name starts with
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


GRAPH = {name: _imported_modules(name, path) for name, path in MODULES.items()}


def _feature(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def test_every_feature_package_has_its_place_in_the_order():
    """A new feature package must be placed in LAYERS before the check can judge it."""
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages - set(LAYERS) == set()


def test_no_module_imports_from_a_feature_above_its_own():
    """Issue 14, item 2: six imports ran upward (e.g. audit/views.py used auth's
    role_required, supporters/views.py called mailings' unsubscribe)."""
    breaches = set()
    for module, imported in GRAPH.items():
        mine = _feature(module)
        if mine not in LAYERS:
            continue
        for target in imported:
            theirs = _feature(target)
            if theirs in LAYERS and LAYERS.index(theirs) > LAYERS.index(mine):
                breaches.add((module, target))
    assert sorted(breaches - set(KNOWN_BREACHES)) == []
    assert sorted(set(KNOWN_BREACHES) - breaches) == [], "a known breach is gone: drop it"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    """Issue 14, item 2: delivery/dispatch.py and delivery/tasks.py imported each other, one
    side hidden inside a function."""
    assert _cycles(GRAPH) == []


def test_the_cycle_check_finds_a_cycle():
    """The check itself: two modules importing each other, and only them, are a cycle."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
