#!/usr/bin/env python3
"""Writes the workspace of the authing-api compile-time benchmark (see run.sh): three user
crates, each calling one endpoint, on authing-api with one group, with all groups, and on
the by-hand variant with all groups."""

import argparse
import os
import re


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


USER_CODE = """//! A user crate of the authing-api compile-time benchmark.
pub async fn run(client: &authing_core::ManagementClient) -> Result<(), authing_core::Error> {
    let user = client.send(&authing_api::GetUser::new("USER_ID")).await?;
    println!("{:?}", user.username);
    Ok(())
}
"""


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", required=True)
    p.add_argument("--root", required=True)
    a = p.parse_args()
    root = a.root
    # The by-hand crate's manifest: renamed, no dev-dependencies (not built here).
    manifest = f"{a.out}/authing-api-by-hand/Cargo.toml"
    text = open(manifest).read()
    text = text.replace('name = "authing-api"', 'name = "authing-api-by-hand"', 1)
    text = re.sub(r"\[dev-dependencies\]\n(?:[^\[\n][^\n]*\n)*", "", text)
    write(manifest, text)
    deps = open(f"{root}/Cargo.toml").read()
    serde_json = re.search(r"^serde_json = .*$", deps, re.M).group(0)
    serde = re.search(r"^serde = .*$", deps, re.M).group(0)
    write(
        f"{a.out}/Cargo.toml",
        '[workspace]\nresolver = "3"\n'
        'members = ["authing-api-by-hand", "one-group", "all-groups", "all-by-hand"]\n\n'
        '[workspace.package]\nversion = "0.1.0"\nedition = "2024"\nrust-version = "1.88"\n'
        'license = "MIT OR Apache-2.0"\nrepository = "https://github.com/authing-rs/authing-rs"\n\n'
        f'[workspace.dependencies]\nauthing-core = {{ path = "{root}/authing-core" }}\n{serde}\n{serde_json}\n',
    )
    crates = {
        "one-group": f'authing-api = {{ path = "{root}/authing-api", features = ["users"] }}',
        "all-groups": f'authing-api = {{ path = "{root}/authing-api", features = ["full"] }}',
        "all-by-hand": 'authing-api = { package = "authing-api-by-hand", path = "../authing-api-by-hand", features = ["full"] }',
    }
    for name, dep in crates.items():
        write(
            f"{a.out}/{name}/Cargo.toml",
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
            f'[dependencies]\n{dep}\nauthing-core = {{ path = "{root}/authing-core" }}\n',
        )
        write(f"{a.out}/{name}/src/lib.rs", USER_CODE)


if __name__ == "__main__":
    main()
