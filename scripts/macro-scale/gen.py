#!/usr/bin/env python3
"""Generates the two crates of the #[endpoint] scale benchmark (see run.sh).

Both crates declare the same endpoints with the same behaviour: `with-macro` with
`#[endpoint]`, `by-hand` with a serde derive and the `Endpoint` impls written out. The
endpoints are a deterministic mix shaped like Authing's V3 API: GETs with two or three
query fields (some `Option`), POSTs with nested struct bodies, GETs with a path
parameter and a header, POSTs with a field moved to the query.
"""

import argparse
import os
import re

MODULES = 10
RESPONSES = 10


def camel(snake):
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def endpoint_spec(i):
    """One endpoint: method, path, fields (name, type, place) and helper structs."""
    kind = i % 10
    resp = f"crate::Resp{i % RESPONSES}"
    if kind <= 3:
        fields = [("user_id", "String", None), ("user_id_type", "Option<String>", None)]
        if i % 2:
            fields.append(("with_details", "Option<bool>", None))
        return ("GET", f"/api/v3/get-thing-{i}", resp, fields, [])
    if kind <= 7:
        item = f"ImportItem{i}"
        helper = (item, [("user_id", "String"), ("secret", "String"), ("recovery_code", "Option<String>")])
        fields = [
            ("list", f"Vec<{item}>", None),
            ("tenant_id", "Option<String>", None),
            ("notify", "Option<bool>", None),
        ]
        return ("POST", f"/api/v3/import-thing-{i}", resp, fields, [helper])
    if kind == 8:
        fields = [
            ("id", "String", "path"),
            ("page", "Option<u32>", None),
            ("app_id", "Option<String>", "header"),
        ]
        return ("GET", f"/api/v3/things-{i}/{{id}}", resp, fields, [])
    profile = f"Profile{i}"
    helper = (profile, [("phone_number", "Option<String>"), ("email", "Option<String>")])
    fields = [
        ("profile", profile, None),
        ("factor_type", "String", None),
        ("dry_run", "Option<bool>", "query"),
    ]
    return ("POST", f"/api/v3/enroll-thing-{i}", resp, fields, [helper])


def helper_struct(name, fields):
    lines = [
        "#[derive(Debug, Clone, serde::Serialize)]",
        '#[serde(rename_all = "camelCase")]',
        f"pub struct {name} {{",
    ]
    for fname, ftype in fields:
        if ftype.startswith("Option<"):
            lines.append('    #[serde(skip_serializing_if = "Option::is_none")]')
        lines.append(f"    pub {fname}: {ftype},")
    lines.append("}")
    return "\n".join(lines)


def with_macro(i, spec):
    method, path, resp, fields, _ = spec
    lines = [
        f"/// Endpoint number {i}.",
        f'#[endpoint({method}, "{path}", response = {resp})]',
        "#[derive(Debug, Clone)]",
        f"pub struct Endpoint{i} {{",
    ]
    for fname, ftype, place in fields:
        if place == "header":
            lines.append('    #[endpoint(header = "x-authing-app-id")]')
        elif place == "query":
            lines.append("    #[endpoint(query)]")
        lines.append(f"    pub {fname}: {ftype},")
    lines.append("}")
    return "\n".join(lines)


def by_hand(i, spec):
    method, path, resp, fields, _ = spec
    lines = [
        f"/// Endpoint number {i}.",
        "#[derive(Debug, Clone, serde::Serialize)]",
        '#[serde(rename_all = "camelCase")]',
        f"pub struct Endpoint{i} {{",
    ]
    calls = []
    for fname, ftype, place in fields:
        if place is not None:
            lines.append("    #[serde(skip)]")
            name, call = {
                "path": (fname, "path_param"),
                "header": ("x-authing-app-id", "header"),
                "query": (camel(fname), "query"),
            }[place]
            calls.append(f'        parts.{call}("{name}", &self.{fname})?;')
        elif ftype.startswith("Option<"):
            lines.append('    #[serde(skip_serializing_if = "Option::is_none")]')
        lines.append(f"    pub {fname}: {ftype},")
    lines.append("}")
    variant = method.capitalize()
    lines += [
        f"impl Endpoint for Endpoint{i} {{",
        f"    type Response = {resp};",
        f'    const METADATA: Metadata = Metadata::new(Method::{variant}, "{path}");',
    ]
    if calls:
        lines.append("    fn write_parts(&self, parts: &mut RequestParts) -> Result<(), Error> {")
        lines += calls
        lines += ["        Ok(())", "    }"]
    lines += ["}", f"impl ManagementEndpoint for Endpoint{i} {{}}"]
    return "\n".join(lines)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Leave unchanged files alone, so that cargo keeps what it built from them.
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def crate(out, name, core, count, render, prelude):
    write(
        f"{out}/{name}/Cargo.toml",
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
        f'[dependencies]\nauthing-core = {{ path = "{core}" }}\n'
        'serde = { version = "1", features = ["derive"] }\n',
    )
    responses = "\n".join(
        f"#[derive(Debug, serde::Deserialize)]\n#[serde(rename_all = \"camelCase\")]\n"
        f"pub struct Resp{r} {{\n    pub id: String,\n    pub status: Option<String>,\n}}"
        for r in range(RESPONSES)
    )
    mods = "\n".join(f"pub mod m{m};" for m in range(MODULES))
    write(f"{out}/{name}/src/lib.rs", f"//! Generated by scripts/macro-scale/gen.py.\n\n{mods}\n\n{responses}\n")
    for m in range(MODULES):
        parts = []
        for i in range(m, count, MODULES):
            spec = endpoint_spec(i)
            parts += [helper_struct(n, f) for n, f in spec[4]]
            parts.append(render(i, spec))
        body = "\n\n".join(parts)
        # Import only what the module uses: an unused-import warning would slow a build.
        used = [name for name in prelude if re.search(rf"\b{name}\b", body)]
        parts.insert(0, f"use authing_core::{{{', '.join(used)}}};")
        write(f"{out}/{name}/src/m{m}.rs", "\n\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--core", required=True, help="path of authing-core")
    parser.add_argument("--count", type=int, default=600)
    args = parser.parse_args()
    write(
        f"{args.out}/Cargo.toml",
        '[workspace]\nresolver = "3"\nmembers = ["with-macro", "by-hand"]\n',
    )
    crate(args.out, "with-macro", args.core, args.count, with_macro, ["endpoint"])
    hand_names = ["Endpoint", "Error", "ManagementEndpoint", "Metadata", "Method", "RequestParts"]
    crate(args.out, "by-hand", args.core, args.count, by_hand, hand_names)


if __name__ == "__main__":
    main()
