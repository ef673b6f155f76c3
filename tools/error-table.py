#!/usr/bin/env python3
"""Rewrites the README's generated tables from their catalogues: the error codes (src/Iqts.Api/Errors/ApiErrors.cs)
between <!-- errors:start --> and <!-- errors:end -->, and the history actions (src/Iqts.Api/Audit/AuditActions.cs)
between <!-- audit-actions:start --> and <!-- audit-actions:end -->. Run from the repository root after adding an error
kind or an action; HouseStyleTests fails while a table and its catalogue differ."""
import re


def rewrite(readme, marker, table):
    start, end = f"<!-- {marker}:start -->\n", f"<!-- {marker}:end -->"
    before, rest = readme.split(start, 1)
    return before + start + table + end + rest.split(end, 1)[1]


errors = open("src/Iqts.Api/Errors/ApiErrors.cs", encoding="utf-8").read()
kinds = sorted(re.findall(r'new\("([a-z_.]+)", (\d{3}), "[^"]*",\s*"((?:[^"\\]|\\.)*)"\)', errors, re.S))
actions = open("src/Iqts.Api/Audit/AuditActions.cs", encoding="utf-8").read()
names = sorted(re.findall(r'new\("([a-z_]+)", "((?:[^"\\]|\\.)*)"\)', actions))
readme = open("README.md", encoding="utf-8").read()
readme = rewrite(readme, "errors", "| errorCode | status | meaning |\n|---|---|---|\n" + "".join(f"| `{c}` | {s} | {m} |\n" for c, s, m in kinds))
readme = rewrite(readme, "audit-actions", "| action | what the write did |\n|---|---|\n" + "".join(f"| `{a}` | {m} |\n" for a, m in names))
open("README.md", "w", encoding="utf-8").write(readme)
print(f"{len(kinds)} error kinds and {len(names)} history actions written to README.md")
