#!/usr/bin/env python3
"""Fails when a file under Sources/ declares a top-level type its name does not cover.

Each type lives in a file of its own name (`Connection.swift`), or its extensions in `Type+Aspect.swift`;
a helper used by one type only is nested in it. So a file's name says what it holds, and a type is found
by its name. Reads declarations at the start of a line (top level); nested types are indented.
"""
import os
import re
import sys

DECLARATION = re.compile(
    r"^(?:(?:public|private|fileprivate|internal|package|final|indirect|nonisolated)\s+|@\w+(?:\([^)]*\))?\s+)*"
    r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Za-z_]\w*)")

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
problems = []
files = 0
for folder, _, names in os.walk(root):
    for name in sorted(names):
        if not name.endswith(".swift"):
            continue
        files += 1
        stem = name[:-len(".swift")]
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, 1):
                match = DECLARATION.match(line)
                if match and match.group(1) != stem and not stem.startswith(match.group(1) + "+"):
                    where = os.path.relpath(path, os.path.join(root, ".."))
                    problems.append(f"{where}:{number}: `{match.group(1)}` is not what the file's name says")
for problem in problems:
    print(problem)
print(f"file names: {files} files checked, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
