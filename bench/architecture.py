"""The house's shape in figures: imports between the top packages, import circles, longest modules.

    python bench/architecture.py

Imports are counted as grimp (import-linter's graph) sees them: every import line, module level or
inside a function, from a module of one package to a module of another. A circle is a set of two or
more modules that import each other directly or through others (a strongly connected component).
Duplicate code is counted with the tool library's `duplicates --most 200`: pairs outside tests/ and
bench/ that it does not mark as boilerplate.
"""

import collections
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tuanhang", "events", "vendors", "booths")


def group(module: str) -> str:
    """The layer a module belongs to: the app, or tuanhang's kernel, office and public site."""
    parts = module.split(".")
    if parts[0] == "tuanhang" and len(parts) > 1 and parts[1] in ("kernel", "office", "public"):
        return ".".join(parts[:2])
    return parts[0]


def imports_between(graph) -> collections.Counter:
    counts = collections.Counter()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = group(importer), group(imported)
            if a != b:
                counts[(a, b)] += max(1, len(graph.get_import_details(importer=importer, imported=imported)))
    return counts


def circles(graph) -> list[list[str]]:
    """Strongly connected components of two or more modules (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def longest_modules(count=5) -> list[tuple[int, str]]:
    sizes = []
    for folder in (*PACKAGES, "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                sizes.append((len(path.read_text(encoding="utf-8").splitlines()), str(path.relative_to(ROOT))))
    return sorted(sizes, reverse=True)[:count]


def duplicate_pairs() -> int | None:
    if shutil.which("duplicates") is None:
        return None
    out = subprocess.run(
        ["duplicates", "--most", "200", "--seconds", "120"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    rows = [line for line in out.splitlines() if line.startswith("D") and " ~ " in line]
    return sum(1 for row in rows if "boilerplate" not in row and "tests/" not in row and "bench/" not in row)


def main():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    print("Imports between packages (importer -> imported: import lines)")
    for (a, b), n in sorted(imports_between(graph).items()):
        print(f"  {a} -> {b}: {n}")
    found = circles(graph)
    print(f"Import circles: {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    print("Longest modules (outside migrations and tests):")
    for lines, path in longest_modules():
        print(f"  {lines:5d} {path}")
    pairs = duplicate_pairs()
    print(f"Duplicate pairs outside tests/ and bench/, not boilerplate: {'n/a' if pairs is None else pairs}")


if __name__ == "__main__":
    main()
