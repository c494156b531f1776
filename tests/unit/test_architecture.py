"""The house's layers: imports point down only, packages form no cycle, no transport below.

Read from the source with ``ast`` (imports inside functions count too), so a lazy import
cannot hide an upward arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

#: Lowest first. A unit may import its own layer or any layer below, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "resources", "config", "coins", "symbols"}),
    frozenset({"market", "storage"}),
    frozenset({"analysis", "evidence", "commentary", "qa", "scheduling", "alerts"}),
    frozenset({"app"}),
    frozenset({"telegram", "console", "cli_commands", "cli_backtest", "cli_args", "cli_alerts",
               "container_health", "__main__"}),
)
#: Units that may import python-telegram-bot (the transport and the entry points).
TRANSPORT = frozenset({"telegram", "console", "cli_commands", "__main__"})


def _unit(path: Path) -> str:
    """The top-level package or module under ``bot`` a file belongs to."""
    return path.relative_to(BOT).parts[0].removesuffix(".py")


def _imports(path: Path) -> Iterator[str]:
    """Every absolute module name ``path`` imports."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    """Unit → units it imports (``bot.x`` imports only)."""
    graph: dict[str, set[str]] = {}
    for path in BOT.rglob("*.py"):
        unit = _unit(path)
        targets = graph.setdefault(unit, set())
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "bot" and len(parts) > 1 and parts[1] != unit:
                targets.add(parts[1])
    return graph


def _layer(unit: str) -> int:
    for index, layer in enumerate(LAYERS):
        if unit in layer:
            return index
    raise AssertionError(f"bot/{unit} is in no layer: add it to LAYERS")


def test_every_import_points_to_the_same_layer_or_below() -> None:
    upward = sorted(f"{unit} -> {target}" for unit, targets in _graph().items()
                    for target in targets if _layer(target) > _layer(unit))
    assert upward == []


def test_packages_form_no_cycle() -> None:
    graph = _graph()
    done: set[str] = set()
    cycles: list[str] = []

    def visit(unit: str, path: list[str]) -> None:
        for target in sorted(graph.get(unit, ())):
            if target in path:
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in done:
                visit(target, [*path, target])
        done.add(unit)

    for unit in sorted(graph):
        if unit not in done:
            visit(unit, [unit])
    assert cycles == []


def test_only_the_transport_imports_python_telegram_bot() -> None:
    offenders = sorted(
        str(path.relative_to(BOT)) for path in BOT.rglob("*.py")
        if _unit(path) not in TRANSPORT
        and any(name == "telegram" or name.startswith("telegram.") for name in _imports(path))
    )
    assert offenders == []


def test_storage_imports_nothing_above_it() -> None:
    assert _graph()["storage"] <= {"errors", "config"}
