#!/usr/bin/env python3
"""Rewrites the README's table of error codes from the catalogue (src/Iqts.Api/Errors/ApiErrors.cs), between the
markers <!-- errors:start --> and <!-- errors:end -->. Run from the repository root after adding an error kind;
HouseStyleTests fails while the two differ."""
import re

source = open("src/Iqts.Api/Errors/ApiErrors.cs", encoding="utf-8").read()
kinds = sorted(re.findall(r'new\("([a-z_.]+)", (\d{3}), "[^"]*",\s*"((?:[^"\\]|\\.)*)"\)', source, re.S))
table = "| errorCode | status | meaning |\n|---|---|---|\n" + "".join(f"| `{c}` | {s} | {m} |\n" for c, s, m in kinds)
readme = open("README.md", encoding="utf-8").read()
start, end = "<!-- errors:start -->\n", "<!-- errors:end -->"
before, rest = readme.split(start, 1)
after = rest.split(end, 1)[1]
open("README.md", "w", encoding="utf-8").write(before + start + table + end + after)
print(f"{len(kinds)} error kinds written to README.md")
