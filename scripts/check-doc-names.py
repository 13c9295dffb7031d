#!/usr/bin/env python3
"""Checks that the names docs/architecture.md gives still exist, so the map of the code cannot go stale unnoticed when
files move or types are renamed. Each backticked path under `Sources/`, `Tests/`, `scripts/` or `docs/` must exist; each
file name (`Foo.swift`) must exist under Sources/ or Tests/ (or at the top); each type name (`Type`, `Type.member`,
`Type.member(label:)`) must be a module or declared under Sources/ (`struct|class|enum|protocol|actor|typealias|
extension Type`), its member declared (`func|var|let|case|... member`, with its first label) where the type is.
README.md's backticked `Sources/...` paths are checked too.

Usage: python3 scripts/check-doc-names.py      (exit status 1 and one line per stale name)"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREFIXES = ("Sources/", "Tests/", "scripts/", "docs/")
SPAN = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
FILE_NAME = re.compile(r"^[\w+.-]+\.(?:swift|[ch]|py|sh|md)$")
TYPE = re.compile(r"^([A-Z]\w*[a-z]\w*)(?:\.(\w+)(?:\((\w*)[:\w]*\))?)?$")
DECLARATION = r"\b(?:struct|class|enum|protocol|actor|typealias|extension)\s+%s\b"


def sources(*folders):
    """Path -> text of every source file under `folders`."""
    texts = {}
    for folder in folders:
        for directory, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in names:
                if name.endswith((".swift", ".c", ".h")):
                    with open(os.path.join(directory, name), encoding="utf-8") as file:
                        texts[os.path.join(directory, name)] = file.read()
    return texts


def spans(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as file:
        return [span.split()[0] for span in SPAN.findall(FENCE.sub("", file.read())) if span.strip()]


def problem(name, code, modules, basenames):
    """Why `name` names nothing that exists, or None."""
    if name.startswith(PREFIXES):
        return None if os.path.exists(os.path.join(ROOT, name)) else "no such path"
    if FILE_NAME.match(name):
        return None if name in basenames else "no file of that name under Sources/ or Tests/"
    match = TYPE.match(name)
    if not match:
        return None
    type_name, member, label = match.groups()
    if member is None and type_name in modules:
        return None
    files = [text for text in code.values() if re.search(DECLARATION % type_name, text)]
    if not files:
        return "type %s is declared nowhere under Sources/" % type_name
    if member is None:
        return None
    pattern = r"\b(?:func|var|let|case|struct|class|enum|typealias)\s+%s\b" % member
    if label:
        pattern += r"[^(\n]*\(\s*%s\b" % label
    if any(re.search(pattern, text) for text in files):
        return None
    return "%s declares no member %s%s" % (type_name, member, "(%s:...)" % label if label else "")


def main():
    code = sources("Sources")
    modules = {name for folder in ("Sources", "Tests", "Benchmarks", "Fuzz") if os.path.isdir(os.path.join(ROOT, folder))
               for name in os.listdir(os.path.join(ROOT, folder))}
    basenames = {os.path.basename(path) for path in sources("Sources", "Tests")} | set(os.listdir(ROOT))
    checks = [("docs/architecture.md", name) for name in spans("docs/architecture.md")
              if name.startswith(PREFIXES) or FILE_NAME.match(name) or TYPE.match(name)]
    checks += [("README.md", name) for name in spans("README.md") if name.startswith("Sources/")]
    problems = ["%s: `%s`: %s" % (doc, name, why) for doc, name in checks
                if (why := problem(name, code, modules, basenames))]
    for line in problems:
        print(line)
    print("doc names: %d names checked, %d problem(s)" % (len(checks), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
