#!/usr/bin/env python3
"""Converts the reference data the API validates against into the JSON files embedded in the app.

Sources (run from the repository root, with ../shared beside it):
  - ../shared/reference-data/*.yml and hesa_degree_countries.csv: HESA code lists as published in DFE-Digital/register-trainee-teachers
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

# Entry qualifications (C1.2): degree types, subjects and grades by HESA code, degree countries from HESA's DEGCTRY list.
# bachelorsOrHigher marks the types that are a bachelor's degree or above (or its equivalent): foundation degrees and
# "Not available" are not, so they cannot meet C1.2 on their own. The foundation types have no HESA code; their Register
# name is their code.
BELOW_BACHELORS = {"foundation_degree", "foundation_of_arts", "foundation_of_sciences", "foundation_degree_of_education", "unknown"}
types = [{"code": (t.get("hesa_codes") or [t["name"]])[0], "name": t["display_name"], "bachelorsOrHigher": t["name"] not in BELOW_BACHELORS}
         for t in load("degree_type.yml")]
write("degree-types.json", sorted(types, key=lambda t: t["code"]))
write("degree-subjects.json", sorted(({"code": s["hesa_codes"][0], "name": s["display_name"]} for s in load("degree_subject.yml")), key=lambda s: s["code"]))
write("degree-grades.json", sorted(({"code": g["hesa_codes"][0], "name": g["display_name"]} for g in load("degree_grade.yml")), key=lambda g: g["code"]))
import csv
with open(os.path.join(SRC, "hesa_degree_countries.csv"), encoding="utf-8") as f:
    write("degree-countries.json", sorted(({"code": r["Code"], "name": r["Label"], "isUk": r["Code"] in UK} for r in csv.DictReader(f)), key=lambda c: c["code"]))

with open("/usr/share/iso-codes/json/iso_639-2.json", encoding="utf-8") as f:
    languages = [{"code": l["alpha_2"], "name": l["name"]} for l in json.load(f)["639-2"] if "alpha_2" in l]
write("languages.json", sorted(languages, key=lambda l: l["code"]))
