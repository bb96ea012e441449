"""No dead module-level names in the application (issue 14, item 6): a constant no code or
template reads, or a logger its module never logs to, is removed or used."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((REPO / "campaign_app").rglob("*.py")),
           *sorted((REPO / "worker").rglob("*.py")), REPO / "config.py"]
TEMPLATES = [path for path in sorted((REPO / "templates").rglob("*")) if path.is_file()]


def _module_names(tree: ast.Module) -> list[str]:
    """The module's UPPER_CASE constants and its `log`."""
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if name.isupper() or name == "log"]


def test_every_constant_is_read_and_every_logger_logs():
    """Issue 14, item 6: ORDER_CHOICES, three status tuples no code checked against, and two
    loggers nothing logged to stood in the code."""
    texts = {path: path.read_text() for path in [*SOURCES, *TEMPLATES]}
    unused = []
    for path in SOURCES:
        for name in _module_names(ast.parse(texts[path])):
            word = re.compile(rf"\b{name}\b")
            read_here = len(word.findall(texts[path])) > 1
            read_elsewhere = name != "log" and any(
                word.search(text) for other, text in texts.items() if other != path)
            if not (read_here or read_elsewhere):
                unused.append(f"{path.relative_to(REPO)}: {name}")
    assert unused == []
