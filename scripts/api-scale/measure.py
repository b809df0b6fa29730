#!/usr/bin/env python3
"""Times from-scratch builds of the benchmark's user crates (see run.sh), interleaved so
that load on the machine hits each alike; keeps the best of each. Reports wall and CPU
time (user + system of cargo and rustc, which moves less with other load)."""

import argparse
import resource
import subprocess
import time

CRATES = {
    "one group (users), #[endpoint]": ("one-group", "authing-api"),
    "all groups, #[endpoint]": ("all-groups", "authing-api"),
    "all groups, written by hand": ("all-by-hand", "authing-api-by-hand"),
}


def build_once(crate, api):
    subprocess.run(["cargo", "clean", "--quiet", "-p", crate, "-p", api], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["cargo", "build", "--quiet", "-p", crate], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    best = {name: (float("inf"), float("inf")) for name in CRATES}
    for _ in range(a.runs):
        for name, (crate, api) in CRATES.items():
            wall, cpu = build_once(crate, api)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(f"best of {a.runs} clean `cargo build` of a user crate (dependencies prebuilt):")
    for name, (wall, cpu) in best.items():
        print(f"  {name:<32} wall {wall:7.2f}s   cpu {cpu:7.2f}s")
    hand = best["all groups, written by hand"]
    for name in ("one group (users), #[endpoint]", "all groups, #[endpoint]"):
        w, c = best[name]
        print(f"ratio {name} / all groups by hand: wall {w / hand[0]:.3f}, cpu {c / hand[1]:.3f}")
    w = best["all groups, #[endpoint]"][0] / hand[0]
    print("target all groups <= 1.15x by hand:", "ok" if w <= 1.15 else "OVER")


if __name__ == "__main__":
    main()
