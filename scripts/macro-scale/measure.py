#!/usr/bin/env python3
"""Times from-scratch builds of the generated crates (see run.sh).

Runs are interleaved (hand, macro, hand, macro, ...) so that a burst of load on the
machine hits both alike, and the best of each is kept. Wall time is what a developer
waits for; CPU time (user + system of cargo and rustc) moves less with other load on the
machine, so both are reported.
"""

import argparse
import resource
import subprocess
import time


def build_once(command, crate):
    """(wall, cpu) seconds of `cargo <command>` of `crate` after removing what was built
    of it."""
    subprocess.run(["cargo", "clean", "--quiet", "-p", crate], check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["cargo", command, "--quiet", "-p", crate], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--command", default="build", choices=["build", "check"])
    args = parser.parse_args()
    crates = {"by hand": "by-hand", "#[endpoint]": "with-macro"}
    best = {name: (float("inf"), float("inf")) for name in crates}
    for _ in range(args.runs):
        for name, crate in crates.items():
            wall, cpu = build_once(args.command, crate)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(f"{args.count} endpoints, best of {args.runs} from-scratch `cargo {args.command}` of each crate:")
    for name, (wall, cpu) in best.items():
        print(f"  {name:<12} wall {wall:6.3f}s   cpu {cpu:6.3f}s")
    wall_ratio = best["#[endpoint]"][0] / best["by hand"][0]
    cpu_ratio = best["#[endpoint]"][1] / best["by hand"][1]
    verdict = "ok" if wall_ratio <= 1.15 else "OVER the 1.15 target"
    print(f"ratio #[endpoint] / by hand: wall {wall_ratio:.3f} ({verdict}), cpu {cpu_ratio:.3f}")


if __name__ == "__main__":
    main()
