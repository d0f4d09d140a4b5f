#!/usr/bin/env python3
"""json-schema.py: checks JSON Lines output against reports/JSON.md.

The schema document is the contract, so it is parsed rather than copied:
each "| `key` | type | meaning |" table gives the keys of one object, in
order. Every line must be valid JSON, every object must have exactly
those keys in that order, and values must have the documented type.
Usage: json-schema.py JSON.md FILE.jsonl...  (exit 1 on any mismatch)"""
import json
import re
import sys

SECTIONS = {"call": "top", "auth": "auth", "legs[]": "legs",
            "legs[].auth": "leg_auth", "legs[].auth.<request>": "leg_auth_req",
            "messages[]": "messages", "streams[]": "streams",
            "registrations[]": "registrations", "findings[]": "findings",
            "summary": "summary", "stream": "stream"}


def parse_doc(path):
    tables, cur = {}, None
    for line in open(path, encoding="utf-8"):
        h = re.match(r"^#+ `([^`]+)`", line)
        if h:
            cur = SECTIONS.get(h.group(1))
            continue
        row = re.match(r"^\| `([a-z_0-9]+)` \| ([^|]+) \|", line)
        if row and cur:
            tables.setdefault(cur, []).append((row.group(1), row.group(2).strip()))
    return tables


def type_ok(value, doc):
    kinds = {"number": (int, float), "string": str, "boolean": bool,
             "object": dict, "array": list}
    if value is None:
        return "null" in doc
    for word, t in kinds.items():
        if word in doc and isinstance(value, t) and not (
                word == "number" and isinstance(value, bool)):
            return True
    return False


def check(obj, table, where, errors):
    keys = [k for k, _ in table]
    if list(obj.keys()) != keys:
        errors.append(f"{where}: keys {list(obj.keys())} != documented {keys}")
        return
    for k, doc in table:
        if not type_ok(obj[k], doc):
            errors.append(f"{where}.{k}: {obj[k]!r} is not {doc}")


def main():
    tables = parse_doc(sys.argv[1])
    errors, n = [], 0
    for path in sys.argv[2:]:
        for i, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.startswith("exit ") or line.startswith("# ") or not line.strip():
                continue  # golden files end with the exit code and summary
            n += 1
            where = f"{path}:{i}"
            try:
                o = json.loads(line)
            except ValueError as e:
                errors.append(f"{where}: not JSON: {e}")
                continue
            if o.get("type") == "summary":
                check(o, tables["summary"], where, errors)
                continue
            if o.get("type") == "stream":
                # its own head keys, then exactly a streams[] item's keys
                check(o, tables["stream"] + tables["streams"], where, errors)
                continue
            check(o, tables["top"], where, errors)
            if isinstance(o.get("auth"), dict):
                check(o["auth"], tables["auth"], where + ".auth", errors)
            for sub in ("legs", "messages", "streams", "registrations", "findings"):
                for j, item in enumerate(o.get(sub) or []):
                    check(item, tables[sub], f"{where}.{sub}[{j}]", errors)
            for j, leg in enumerate(o.get("legs") or []):
                auth = leg.get("auth")
                if not isinstance(auth, dict):
                    continue
                at = f"{where}.legs[{j}].auth"
                check(auth, tables["leg_auth"], at, errors)
                for req, item in auth.items():
                    if isinstance(item, dict):
                        check(item, tables["leg_auth_req"], f"{at}.{req}", errors)
    for e in errors[:50]:
        print(e)
    print(f"{n} JSON lines checked, {len(errors)} problems")
    return 1 if errors or n == 0 else 0


sys.exit(main())
