#!/usr/bin/env python3
"""Checks which way the modules' imports run, from the package's own manifest (`swift package dump-package`, with
the fuzz targets declared too):

- `CallCore` and `HTTPKit` never import each other: the domain knows nothing of HTTP, the HTTP layer nothing of
  calls; only `CallServer` (and the tests and tools that list both) joins them.
- Every target, test targets included, imports only the modules it lists as dependencies, plus the toolchain's
  own (Foundation, Dispatch, Glibc, Testing, ...). SwiftPM may let an unlisted module slip through when it happens
  to be built first; this makes that an error instead of an accident of build order.

Usage: python3 scripts/check-imports.py      (exit status 1 and one line per violation when anything is wrong)"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Testing", "XCTest", "Synchronization",
             "_Concurrency", "Swift"}
FORBIDDEN = {("CallCore", "HTTPKit"), ("HTTPKit", "CallCore")}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|@preconcurrency\s+|(?:public|internal|private)\s+)*"
                    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)")


def manifest():
    """The package as SwiftPM reads it, with every fuzz target declared."""
    fuzz = sorted(name for name in os.listdir(os.path.join(ROOT, "Fuzz"))
                  if name.startswith("Fuzz") and name != "FuzzSupport"
                  and os.path.isdir(os.path.join(ROOT, "Fuzz", name)))
    environment = dict(os.environ, CALLSERVER_FUZZ_TARGETS=" ".join(fuzz))
    output = subprocess.check_output(["swift", "package", "dump-package"], cwd=ROOT, env=environment)
    return json.loads(output)


def dependencies(target):
    """The module names a target lists."""
    names = set()
    for dependency in target["dependencies"]:
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def target_path(target):
    default = {"test": "Tests"}.get(target["type"], "Sources")
    return os.path.join(ROOT, target.get("path") or os.path.join(default, target["name"]))


def imports(path):
    """(file, line number, module) for every import in the Swift files under `path`."""
    for folder, _, files in os.walk(path):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            file = os.path.join(folder, name)
            with open(file, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = IMPORT.match(line)
                    if match:
                        yield os.path.relpath(file, ROOT), number, match.group(1)


def main():
    package = manifest()
    modules = {target["name"] for target in package["targets"]}
    problems = []
    for target in package["targets"]:
        listed = dependencies(target)
        for file, number, module in imports(target_path(target)):
            if (target["name"], module) in FORBIDDEN:
                problems.append("%s:%d: %s imports %s; the two modules must not know each other"
                                % (file, number, target["name"], module))
            elif module in modules and module not in listed and module != target["name"]:
                problems.append("%s:%d: %s imports %s, which it does not list as a dependency in Package.swift"
                                % (file, number, target["name"], module))
            elif module not in modules and module not in TOOLCHAIN:
                problems.append("%s:%d: %s imports %s, which is neither a module of this package nor the toolchain's"
                                % (file, number, target["name"], module))
    for target in package["targets"]:
        for forbidden in dependencies(target):
            if (target["name"], forbidden) in FORBIDDEN:
                problems.append("Package.swift: %s depends on %s" % (target["name"], forbidden))
    for problem in problems:
        print(problem)
    print("imports: %d targets checked, %d problem(s)" % (len(package["targets"]), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
