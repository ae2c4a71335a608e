"""Join our own ES modules into one module, at request time (pure: no Django).

Why: the workspace must load in at most 6 requests, but the code is written as one
module per component plus the DOM-free ``lib/`` modules that ``node --test`` checks
(STYLE.md rules 27-28). A browser fetches every imported module separately, so the
page would need ~15 requests. This joins the import graph into one script instead;
there is still no build step and no generated file to keep in sync.

It understands only the module syntax we write ourselves, and says so when it meets
anything else:
  import { a, b as c } from './x.js';    import * as ns from './x.js';
  export function f / export async function f / export class C / export const|let X
  export { a, b as c };
Each module body runs in its own function scope (so private helpers of different
modules never collide) and hands its exports on as an object.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

_IMPORT_NAMED = re.compile(r"^import\s*\{([^}]*)\}\s*from\s*['\"]([^'\"]+)['\"]\s*;?[ \t]*$", re.M)
_IMPORT_NS = re.compile(r"^import\s*\*\s*as\s+([A-Za-z_$][\w$]*)\s+from\s*['\"]([^'\"]+)['\"]\s*;?[ \t]*$", re.M)
_IMPORT_ANY = re.compile(r"^import\b", re.M)
_EXPORT_DECL = re.compile(r"^export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)", re.M)
_EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\}\s*;?[ \t]*$", re.M)
_EXPORT_ANY = re.compile(r"^export\b", re.M)


class BundleError(ValueError):
    """A module uses syntax this joiner does not handle, or an import cannot be found."""


@dataclass
class _Module:
    path: str
    var: str
    body: str
    exports: list[tuple[str, str]]  # (exported name, local name)
    deps: list[str]


def _names(spec: str) -> list[tuple[str, str]]:
    """'a, b as c' -> [('a', 'a'), ('b', 'c')] as (imported/local-in-source, alias)."""
    out = []
    for part in spec.split(","):
        part = " ".join(part.split())
        if not part:
            continue
        bits = part.split(" as ")
        out.append((bits[0].strip(), bits[-1].strip()))
    return out


def _parse(path: str, source: str, var_of: Callable[[str], str]) -> _Module:
    deps: list[str] = []
    header: list[str] = []

    def resolve(spec: str) -> str:
        if not spec.startswith("."):
            raise BundleError(f"{path}: only relative imports of our own modules are bundled, not {spec!r}")
        return posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))

    def named(match: re.Match[str]) -> str:
        dep = resolve(match.group(2))
        deps.append(dep)
        pairs = ", ".join(name if name == alias else f"{name}: {alias}" for name, alias in _names(match.group(1)))
        header.append(f"const {{ {pairs} }} = {var_of(dep)};")
        return ""

    def namespace(match: re.Match[str]) -> str:
        dep = resolve(match.group(2))
        deps.append(dep)
        header.append(f"const {match.group(1)} = {var_of(dep)};")
        return ""

    body = _IMPORT_NAMED.sub(named, source)
    body = _IMPORT_NS.sub(namespace, body)
    if _IMPORT_ANY.search(body):
        line = body[: _IMPORT_ANY.search(body).start()].count("\n") + 1  # type: ignore[union-attr]
        raise BundleError(f"{path}:{line}: unsupported import form")

    exports: list[tuple[str, str]] = []

    def decl(match: re.Match[str]) -> str:
        exports.append((match.group(2), match.group(2)))
        return f"{match.group(1)} {match.group(2)}"

    def listed(match: re.Match[str]) -> str:
        exports.extend((alias, local) for local, alias in _names(match.group(1)))
        return ""

    body = _EXPORT_DECL.sub(decl, body)
    body = _EXPORT_LIST.sub(listed, body)
    if _EXPORT_ANY.search(body):
        line = body[: _EXPORT_ANY.search(body).start()].count("\n") + 1  # type: ignore[union-attr]
        raise BundleError(f"{path}:{line}: unsupported export form (export default is not used here)")
    return _Module(path=path, var=var_of(path), body="\n".join(header) + "\n" + body, exports=exports, deps=deps)


def bundle(entry: str, read: Callable[[str], str]) -> str:
    """One ES module equivalent to ``entry`` and everything it imports.

    ``entry`` and every import are POSIX paths relative to one root; ``read(path)``
    returns a module's source (raising FileNotFoundError / OSError if missing).
    Modules are emitted dependencies first; an import cycle is an error.
    """
    ids: dict[str, str] = {}

    def var_of(path: str) -> str:
        if path not in ids:
            ids[path] = "__m" + str(len(ids)) + "_" + re.sub(r"\W", "_", posixpath.splitext(posixpath.basename(path))[0])
        return ids[path]

    modules: dict[str, _Module] = {}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(path: str, chain: tuple[str, ...]) -> None:
        if path in modules:
            return
        if path in visiting:
            raise BundleError("import cycle: " + " -> ".join((*chain, path)))
        visiting.add(path)
        try:
            source = read(path)
        except OSError as exc:
            raise BundleError(f"{chain[-1] if chain else '(entry)'} imports {path}, which cannot be read: {exc}") from None
        module = _parse(path, source, var_of)
        for dep in module.deps:
            visit(dep, (*chain, path))
        visiting.discard(path)
        modules[path] = module
        order.append(path)

    visit(posixpath.normpath(entry), ())
    parts = [f"// Accord workspace: {len(order)} modules joined by frontend/esbundle.py (sources in static/frontend/js/)"]
    for path in order:
        m = modules[path]
        ret = ", ".join(name if name == local else f"{name}: {local}" for name, local in m.exports)
        parts.append(f"// ---- {path}\nconst {m.var} = (() => {{\n{m.body.strip()}\nreturn {{ {ret} }};\n}})();")
    return "\n".join(parts) + "\n"
