#!/usr/bin/env python3
"""usage: structure.py SRC_DIR

The shape of the program, checked from its sources. A module is NAME.c
with NAME.h; it depends on every module whose header it includes
(#include "other.h", in any of its files). A module too long for one
file keeps its shared declarations in NAME_internal.h: every NAME_*.c
that includes it is part of module NAME. Two tests, in tests/run's
"ok - NAME" / "not ok - NAME" form with indented details:

- the module graph has no cycle: each cycle is named, module by module,
  with the #include lines that make it;
- no hand-written source file is over 1,500 lines. A generated file, one
  whose first lines say "Generated ... do not edit", is left out;
- each .c includes the header of every function of ours it calls (its
  own header, and a family's NAME_internal.h, count as included), so no
  file compiles only because another header happens to pull one in.

The layers are the longest chain of modules each including the next (a
module that includes none is layer 1); the first test's ok line gives
their number, and a "# " line that chain, where a cycle counts as one
module. The exit status is 1 when a test fails.
"""
import collections
import os
import re
import sys

MAX_LINES = 1500
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"/]+)\.h"', re.M)
GENERATED = re.compile(r"\bGenerated\b.*\bdo not edit\b", re.S | re.I)
GENERATED_HEAD_LINES = 10


def read_sources(src):
    """{file name: text} of every .c and .h in @src."""
    files = {}
    for name in sorted(os.listdir(src)):
        if name.endswith((".c", ".h")):
            with open(os.path.join(src, name), encoding="utf-8",
                      errors="replace") as f:
                files[name] = f.read()
    return files


def module_names(files):
    """{file stem: the module it belongs to}."""
    owner = {name[:-2]: name[:-2] for name in files}
    for name in files:
        if name.endswith("_internal.h"):
            family = name[: -len("_internal.h")]
            owner[family + "_internal"] = family
            for other, text in files.items():
                if other.startswith(family + "_") and other.endswith(".c") and \
                        f'#include "{family}_internal.h"' in text:
                    owner[other[:-2]] = family
    return owner


def module_graph(files):
    """The modules, and for each the modules it includes, with where:
    {module: {included module: ["file:line", ...]}}."""
    owner = module_names(files)
    graph = {m: collections.defaultdict(list) for m in sorted(set(owner.values()))}
    for name, text in files.items():
        m = owner[name[:-2]]
        for match in INCLUDE.finditer(text):
            other = owner.get(match.group(1))
            if other is not None and other != m:
                line = text.count("\n", 0, match.start()) + 1
                graph[m][other].append(f"{name}:{line}")
    return graph


def strong_components(graph):
    """Tarjan's strongly connected components, without recursion: each a
    sorted list of modules, a module on its own when in no cycle."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, edges = work[-1]
            w = next(edges, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                components.append(sorted(component))
    return components


def shortest_cycle(graph, component):
    """A shortest cycle through the first module of @component, staying
    inside it: [a, b, ..., a]."""
    start, members = component[0], set(component)
    came_from = {start: None}
    queue = collections.deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph[v]):
            if w == start:
                path = [v]
                while came_from[path[-1]] is not None:
                    path.append(came_from[path[-1]])
                return path[::-1] + [start]
            if w in members and w not in came_from:
                came_from[w] = v
                queue.append(w)
    return component + component[:1]


def layers(graph, components):
    """The longest chain of modules each including the next, cycles taken
    as one module: (its length in layers, the chain)."""
    component_of = {m: i for i, c in enumerate(components) for m in c}
    # Tarjan gives components dependencies first, so one pass suffices.
    depth, below = {}, {}
    for i, component in enumerate(components):
        best, via = 0, None
        for m in component:
            for w in graph[m]:
                j = component_of[w]
                if j != i and depth[j] > best:
                    best, via = depth[j], j
        depth[i], below[i] = best + 1, via
    if not depth:
        return 0, []
    top = max(depth, key=lambda i: (depth[i], -i))
    chain, i = [], top
    while i is not None:
        c = components[i]
        chain.append(c[0] if len(c) == 1 else "{" + ", ".join(c) + "}")
        i = below[i]
    return depth[top], chain


def count_lines(text):
    """Lines as wc -l counts them, and a last one without its newline."""
    return text.count("\n") + (not text.endswith("\n") and text != "")


def is_generated(text):
    head = "\n".join(text.split("\n")[:GENERATED_HEAD_LINES])
    return GENERATED.search(head) is not None


def report(ok, name, details=()):
    print(f"{'ok' if ok else 'not ok'} - {name}")
    if not ok:
        for line in details:
            print(f"    {line}")
    return ok


def include_lines(src, graph, a, b):
    """Where module @a includes @b: "src/a.c:12 includes b.h"."""
    return [f"{src}/{where} includes {b}.h" for where in graph[a][b]]


def check_cycles(src, graph, components, nlayers):
    cycles = [c for c in components if len(c) > 1]
    if not cycles:
        return report(True, f"no include cycle among the "
                            f"{len(graph)} modules of {src}, in {nlayers} "
                            f"layers")
    for component in cycles:
        cycle = shortest_cycle(graph, component)
        shown = set(zip(cycle, cycle[1:]))
        details = [line for a, b in zip(cycle, cycle[1:])
                   for line in include_lines(src, graph, a, b)]
        rest = [m for m in component if m not in cycle]
        if rest:
            details.append(f"in cycles with them too: {', '.join(rest)}, "
                           f"by these includes:")
            details += [line for a in component for b in sorted(graph[a])
                        if b in component and (a, b) not in shown
                        for line in include_lines(src, graph, a, b)]
        report(False, "an include cycle: " + " -> ".join(cycle),
               details)
    return False


def check_lengths(src, files, max_lines):
    generated, lengths = [], []
    for name, text in files.items():
        if is_generated(text):
            generated.append(f"{src}/{name}")
        else:
            lengths.append((count_lines(text), f"{src}/{name}"))
    lengths.sort(key=lambda x: (-x[0], x[1]))
    over = [(n, path) for n, path in lengths if n > max_lines]
    name = f"no hand-written source is over {max_lines:,} lines"
    if over:
        return report(False, name, [f"{path}: {n:,} lines"
                                    for n, path in over])
    notes = []
    if lengths:
        notes.append(f"the longest: {lengths[0][1]}, {lengths[0][0]:,}")
    if generated:
        notes.append("generated, left out: " + ", ".join(generated))
    return report(True, name + (f" ({'; '.join(notes)})" if notes else ""))


DECLARATION = re.compile(r"^[a-z][^\n;(]*?\b([a-z_][a-z0-9_]*)\(", re.M)
CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\(")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def includes(text):
    return set(re.findall(r'#include "([^"]+)"', text))


def check_includes(src, files):
    """Each .c includes the headers declaring the functions it calls."""
    declared = {}
    for name, text in sorted(files.items()):
        if name.endswith(".h"):
            for m in DECLARATION.finditer(COMMENT.sub("", text)):
                declared.setdefault(m.group(1), name)
    missing = []
    for name, text in sorted(files.items()):
        if not name.endswith(".c"):
            continue
        own = name[:-2] + ".h"
        have = includes(text) | {own} | includes(files.get(own, ""))
        for h in list(have):
            if h.endswith("_internal.h"):
                have |= includes(files.get(h, ""))
        need = {}
        for m in CALL.finditer(COMMENT.sub("", text)):
            h = declared.get(m.group(1))
            if h and h not in have:
                need.setdefault(h, m.group(1))
        missing += [f"{src}/{name} calls {fn}() without including {h}"
                    for h, fn in sorted(need.items())]
    return report(not missing, "each .c includes the headers of what it "
                  "calls", missing)


def main(argv):
    args = argv[1:]
    if len(args) != 1 or not os.path.isdir(args[0]):
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    src = args[0].rstrip("/") or "/"
    files = read_sources(src)
    if not files:
        report(False, f"{src} holds .c and .h files")
        return 1
    graph = module_graph(files)
    components = strong_components(graph)
    nlayers, chain = layers(graph, components)
    print(f"# {len(graph)} modules in {nlayers} layers; the longest chain: "
          + " -> ".join(chain))
    ok = check_cycles(src, graph, components, nlayers)
    ok = check_lengths(src, files, MAX_LINES) and ok
    ok = check_includes(src, files) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
