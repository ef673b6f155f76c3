#!/usr/bin/env python3
"""Rewrites nswag.json's wrapResponseMethods for both SDKs from the contract: every operation whose 2xx answer carries
an ETag header, so the generated clients hand the caller the headers (the ETag for If-Match). Run from the repository
root after `dotnet run --project src/Iqts.Api -- openapi`; ContractTests fails while the two differ."""
import json

contract = json.load(open("openapi/iqts-api.v1.json", encoding="utf-8"))
operations = sorted(
    op["operationId"]
    for item in contract["paths"].values()
    for op in item.values()
    if isinstance(op, dict) and "operationId" in op
    and any(code.startswith("2") and "ETag" in (answer.get("headers") or {}) for code, answer in op.get("responses", {}).items()))

text = open("nswag.json", encoding="utf-8").read()
head, *generators = text.split('"wrapResponseMethods": [')
assert len(generators) == 2, "nswag.json should configure two generators (C#, then TypeScript)"
for i, rest in enumerate(generators):
    # The C# client's methods are PascalCase, the TypeScript client's camelCase.
    names = [f'"IqtsClient.{op if i == 0 else op[0].lower() + op[1:]}"' for op in operations]
    head += '"wrapResponseMethods": [\n' + ",\n".join("        " + n for n in names) + "\n      " + rest[rest.index("]"):]
open("nswag.json", "w", encoding="utf-8").write(head)
print(f"{len(operations)} operations with an ETag written to nswag.json")
