#!/usr/bin/env python3
"""How typical is each seed's chain in `collapse demo`? (How its default --seed was chosen.)

Runs the demo's two one-chain experiments (the YAML `collapse demo` builds in
Sources/collapse/Demo.swift, default flags, 60 generations) for seeds 1..N with
`collapse run`, and scores every seed against the median chain over all N seeds:

  gaussian     mean |log σ²_t − median_t| over t = 0..60, and over t = 0..8 (the
               first frames, and the golden test's)
  categorical  mean |support_t − median_t| over t = 0..60, and how far the Spearman
               correlation between a category's rank (1 = most common) and the
               generation it was lost is from the median correlation

Each score is ranked among the N seeds (0 = most typical); a seed's worst rank over
the four is printed, best first, then seed 1's for comparison. Standard library only.

    scripts/demo-seed.py [--seeds 500] [--binary .build/debug/collapse]
"""
import argparse, csv, math, os, statistics, subprocess, sys, tempfile

G = 60

def yaml(kind, seed):
    if kind == "gaussian":
        n, family = 25, "model: { family: gaussian }\nreal: { distribution: normal }\nmetrics: [variance]"
    else:
        n, family = 200, ("model: { family: categorical }\nreal: { distribution: zipf, categories: 30, exponent: 1.1 }\n"
                          "metrics: [support_size, lost_mass]")
    snapshots = ", ".join(str(t) for t in range(G + 1))
    return (f"name: demo\nseed: {seed}\nreplicates: 1\ngenerations: {G}\nsamples: {n}\n"
            f"policy: {{ kind: replace }}\n{family}\noutput: {{ snapshots: [{snapshots}] }}\n")

def run(binary, tmp, kind, seed):
    config = os.path.join(tmp, f"{kind}-{seed}.yaml")
    out = os.path.join(tmp, f"{kind}-{seed}")
    with open(config, "w") as f:
        f.write(yaml(kind, seed))
    subprocess.run([binary, "run", config, "--out", out, "--quiet"], check=True)
    metrics = {}
    with open(os.path.join(out, "metrics.csv")) as f:
        for row in csv.DictReader(f):
            metrics.setdefault(row["metric"], []).append(float(row["value"]))
    drawn = {}
    if kind == "categorical":
        with open(os.path.join(out, "samples.csv")) as f:
            for row in csv.DictReader(f):
                drawn.setdefault(int(row["generation"]), set()).add(int(float(row["value"])))
    return metrics, drawn

def ranks(xs):
    """Ranks 1..n, ties averaged."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out

def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=500)
    ap.add_argument("--binary", default=".build/debug/collapse")
    args = ap.parse_args()
    seeds = list(range(1, args.seeds + 1))
    logvar, support, rho = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for s in seeds:
            m, _ = run(args.binary, tmp, "gaussian", s)
            logvar[s] = [math.log(v) for v in m["variance"]]
            m, drawn = run(args.binary, tmp, "categorical", s)
            support[s] = m["support_size"]
            # Category k is lost at t + 1 when generation t's sample has none of it.
            lost_at = [next((t + 1 for t in range(G + 1) if k not in drawn.get(t, set())), G + 2) for k in range(30)]
            rho[s] = spearman(list(range(30)), lost_at)
    med_lv = [statistics.median(logvar[s][t] for s in seeds) for t in range(G + 1)]
    med_sp = [statistics.median(support[s][t] for s in seeds) for t in range(G + 1)]
    med_rho = statistics.median(rho.values())
    score = {
        "gaussian 0-60": {s: statistics.fmean(abs(a - b) for a, b in zip(logvar[s], med_lv)) for s in seeds},
        "gaussian 0-8": {s: statistics.fmean(abs(a - b) for a, b in zip(logvar[s][:9], med_lv[:9])) for s in seeds},
        "support 0-60": {s: statistics.fmean(abs(a - b) for a, b in zip(support[s], med_sp)) for s in seeds},
        "loss order": {s: abs(rho[s] - med_rho) for s in seeds},
    }
    rank = {name: {s: r for r, s in enumerate(sorted(seeds, key=lambda s: sc[s]))} for name, sc in score.items()}
    worst = {s: max(rank[name][s] for name in score) for s in seeds}
    fmt = lambda xs: " ".join(f"{x:.3g}" for x in xs)
    print(f"median over {len(seeds)} seeds: variance at t = 0, 8, 30, 60: {fmt(math.exp(med_lv[t]) for t in (0, 8, 30, 60))}; "
          f"support_size: {fmt(med_sp[t] for t in (0, 8, 30, 60))}; Spearman(rank, generation lost): {med_rho:.3f}")
    for s in sorted(seeds, key=lambda s: worst[s])[:5] + ([1] if 1 in seeds else []):
        print(f"seed {s}: worst rank {worst[s]} of {len(seeds)}; variance t = 0..8: {fmt(math.exp(x) for x in logvar[s][:9])}, "
              f"t = 60: {math.exp(logvar[s][60]):.3g}; support t = 0, 8, 30, 60: {fmt(support[s][t] for t in (0, 8, 30, 60))}; "
              f"Spearman {rho[s]:.3f}")

if __name__ == "__main__":
    sys.exit(main())
