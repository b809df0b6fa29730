"""Prints the side-by-side table from the results run.sh collected: per round, each
client's CPU per call and calls/s as a ratio against the hand-written reqwest call of
the same round; the median over rounds. Usage: python3 report.py RESULTS"""
import statistics
import sys
from collections import defaultdict

LABELS = {
    "hand-written": "hand-written reqwest (format! URL, `.query()`, four headers, serde_json from bytes)",
    "token": "authing-rs, management token",
    "signature": "authing-rs, signature",
    "node": "official Node.js SDK 4.0.1",
    "python": "official Python SDK 5.1.0 (one thread per caller)",
}

# (client, concurrency) -> round -> (cpu ns per call, calls/s)
runs = defaultdict(dict)
for line in open(sys.argv[1]):
    client, concurrency, rnd, cpu, cps = line.split()
    runs[(client, int(concurrency))][int(rnd)] = (float(cpu), float(cps))


def ratio(client, concurrency, index):
    base = runs[("hand-written", concurrency)]
    mine = runs[(client, concurrency)]
    return statistics.median(mine[r][index] / base[r][index] for r in mine if r in base)


def absolute(client, concurrency, index):
    return statistics.median(v[index] for v in runs[(client, concurrency)].values())


print("| client | CPU per call, 1 at a time | CPU per call, 64 at a time | calls/s at 64 |")
print("| --- | --- | --- | --- |")
for client, label in LABELS.items():
    if (client, 1) not in runs:
        continue
    print(
        f"| {label} | {ratio(client, 1, 0):.2f} ({absolute(client, 1, 0) / 1000:.0f} µs) "
        f"| {ratio(client, 64, 0):.2f} ({absolute(client, 64, 0) / 1000:.0f} µs) "
        f"| {ratio(client, 64, 1):.2f} ({absolute(client, 64, 1):.0f}/s) |"
    )
rounds = len(runs[("hand-written", 1)])
print(f"\nratios: median over {rounds} rounds of each round's ratio against the hand-written call")
