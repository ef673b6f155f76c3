#!/usr/bin/env python3
"""Converts the reference data the API validates against into the JSON files embedded in the app.

Sources (run from the repository root, with ../shared beside it):
  - ../shared/reference-data/*.yml: HESA code lists as published in DFE-Digital/register-trainee-teachers
    (MIT licence) at commit ce1126541c2107c9fbfce47b18c794b0973aaac1 (config/reference_data).
  - /usr/share/iso-codes/json/iso_639-2.json (Debian's iso-codes package): ISO 639-1 language codes.
Output: src/Iqts.Api/ReferenceData/data/*.json. Re-run after updating the sources and commit the result.
"""
import json, os, yaml

SRC = "../shared/reference-data"
OUT = "src/Iqts.Api/ReferenceData/data"
UK = {"GB", "XF", "XG", "XH", "XI", "XK"}  # United Kingdom and its nations in HESA's country list


def load(name):
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        # BaseLoader keeps every scalar a string: YAML 1.1 would read Norway's code NO as false.
        return yaml.load(f, Loader=yaml.BaseLoader)["data"]


def write(name, entries):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(entries, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")


countries = [{"code": c["id"], "name": c["display_name"], "isUk": c["id"] in UK} for c in load("country.yml")]
write("countries.json", sorted(countries, key=lambda c: c["code"]))

write("nationalities.json", sorted(({"code": n["id"], "name": n["display_name"]} for n in load("nationality.yml")), key=lambda n: n["code"]))

subjects = {}
for s in load("course_subject.yml"):
    for code in s.get("hesa_codes") or []:
        subjects[code] = s["display_name"]
write("subjects.json", [{"code": k, "name": v} for k, v in sorted(subjects.items())])

PHASES = {(3, 11): "primary", (7, 14): "middle", (11, 19): "secondary"}
ranges = []
for r in load("course_age_range.yml"):
    lo, hi = (int(x) for x in r["id"])
    if hi <= 5:
        continue  # early years (EYTS), not a range iQTS trains for
    ranges.append({"code": f"{lo}-{hi}", "name": f"{lo} to {hi}", "from": lo, "to": hi,
                   "phase": PHASES.get((lo, hi)), "hesaCode": (r.get("hesa_codes") or [None])[0]})
write("age-ranges.json", sorted(ranges, key=lambda r: (r["from"], r["to"])))

with open("/usr/share/iso-codes/json/iso_639-2.json", encoding="utf-8") as f:
    languages = [{"code": l["alpha_2"], "name": l["name"]} for l in json.load(f)["639-2"] if "alpha_2" in l]
write("languages.json", sorted(languages, key=lambda l: l["code"]))
