"""One entry point for every benchmark: ``python bench/run.py NAME [ARGS...]``.

Each benchmark is a module ``bench/<name>.py`` (dashes become underscores) with a
``main(argv: list[str]) -> None`` that prints its figures and the ratio it is asked for.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALIASES = {"import": "import-articles"}
sys.path.insert(0, str(HERE.parent))


def available() -> list[str]:
    return sorted(
        m.name.replace("_", "-")
        for m in pkgutil.iter_modules([str(HERE)])
        if m.name not in {"run", "common"} and not m.name.startswith("_")
    )


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] in {"-h", "--help"}:
        print("usage: python bench/run.py NAME [ARGS...]\nbenchmarks: " + ", ".join(available()))
        raise SystemExit(0 if len(sys.argv) > 1 else 2)
    name = ALIASES.get(sys.argv[1], sys.argv[1]).replace("-", "_")
    if name.replace("_", "-") not in available():
        raise SystemExit(f"unknown benchmark {sys.argv[1]!r}; choose from: {', '.join(available())}")
    module = importlib.import_module(f"bench.{name}")
    module.main(sys.argv[2:])


if __name__ == "__main__":
    main()
