#!/usr/bin/env python3
"""Times n-gram training + generating the same number of tokens on a text corpus (by
default data/fortunes.txt), order 3, interpolated Kneser-Ney with discount 0.75, with
nltk.lm.KneserNeyInterpolated against `collapse bench --kernel ngram.fit --kernel
ngram.generate --text-data FILE`, one thread each.

Both sides read the corpus the same way (the fortunes experiments' real data): one
document per blank-line-separated paragraph, lower-cased, word tokens = runs of letters,
digits and apostrophes, every other non-space character a token of its own. Both pad a
document as <s> <s> w1 ... wL </s> and count every 1-, 2- and 3-gram of it. nltk fits
`KneserNeyInterpolated(3, discount=0.75)` on those everygrams; it then generates token
by token with `generate(1, text_seed=...)` (a document restarts after </s> or 200
tokens) until `--tokens` tokens are drawn. collapse's side is the fit rate of ngram.fit
and the generation rate of ngram.generate (no bias) on the same file: its time for the
same work is 1/fits_per_s + tokens/tokens_per_s.

nltk is installed into a virtual environment of its own (`--venv`, created on first use
with `pip install nltk`); nothing else on the machine changes.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

SI = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}
DEFAULT_VENV = os.path.join(os.path.expanduser("~"), ".cache", "collapse-benchmarks", "nltk")


def ensure_nltk(venv: str) -> None:
    """Re-runs this script under a virtual environment that has nltk, creating it first."""
    try:
        import nltk  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        sys.exit(f"error: nltk is still missing in {venv}")
    if not os.path.exists(python):
        print(f"creating {venv} and running pip install nltk there", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([python, "-m", "pip", "install", "--quiet", "nltk"])
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


def documents(path: str) -> list[list[str]]:
    """Paragraphs, lower-cased, as collapse's text kind with unit: paragraph, tokens: word."""
    text = open(path, encoding="utf-8").read().lower()
    paragraphs, current = [], []
    for line in re.split(r"\r\n|\n", text):
        if line.strip() == "":
            if current:
                paragraphs.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    token = re.compile(r"(?:[^\W_]|['’])+|\S")
    return [d for d in (token.findall(p) for p in paragraphs) if d]


def collapse_rates(binary: str, corpus: str, runs: int) -> tuple[float, float, list[str]]:
    cmd = [binary, "bench", "--kernel", "ngram.fit", "--kernel", "ngram.generate", "--text-data", corpus,
           "--runs", str(runs)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    fit = generate = None
    lines = []
    for line in out.splitlines():
        m = re.match(r"(ngram\.fit|ngram\.generate)\s+([0-9.eE+-]+)([kMG]?)\s+(fits|tokens)/s\s.*?(no bias|top_k = \d+|order)", line)
        if not m:
            continue
        rate = float(m.group(2)) * SI[m.group(3)]
        if m.group(1) == "ngram.fit":
            fit = rate
        elif m.group(5) == "no bias":
            generate = rate
        lines.append(line.strip())
    if fit is None or generate is None:
        raise ValueError(f"cannot parse the ngram rows of: {out}")
    return fit, generate, lines


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", default="data/fortunes.txt")
    p.add_argument("--tokens", type=int, default=20, help="tokens each side generates (nltk needs minutes per document)")
    p.add_argument("--runs", type=int, default=5, help="collapse bench runs (median)")
    p.add_argument("--collapse", default=".build/release/collapse")
    p.add_argument("--venv", default=DEFAULT_VENV)
    a = p.parse_args()
    if not (os.path.isfile(a.collapse) and os.access(a.collapse, os.X_OK)):
        sys.exit(f"error: collapse binary '{a.collapse}' not found; build it with: swift build -c release")
    if not os.path.isfile(a.corpus):
        sys.exit(f"error: no corpus at '{a.corpus}' (make data writes data/fortunes.txt)")
    ensure_nltk(a.venv)
    import nltk
    from nltk.lm import KneserNeyInterpolated
    from nltk.util import everygrams

    docs = documents(a.corpus)
    tokens = sum(map(len, docs))
    types = len({t for d in docs for t in d})

    t0 = time.perf_counter()
    lm = KneserNeyInterpolated(3, discount=0.75)
    lm.fit((everygrams(["<s>", "<s>"] + d + ["</s>"], max_len=3) for d in docs),
           (w for d in docs for w in ["<s>", "<s>"] + d + ["</s>"]))
    nltk_fit = time.perf_counter() - t0

    rng = random.Random(1)
    drawn, document = 0, []
    t0 = time.perf_counter()
    while drawn < a.tokens:
        w = lm.generate(1, text_seed=["<s>", "<s>"] + document, random_seed=rng)
        drawn += 1
        document.append(w)
        if w == "</s>" or len(document) >= 200:
            document = []
    nltk_generate = time.perf_counter() - t0

    fit_rate, generate_rate, lines = collapse_rates(a.collapse, a.corpus, a.runs)
    collapse_fit = 1 / fit_rate
    collapse_generate = a.tokens / generate_rate

    print(f"corpus {a.corpus}: {len(docs)} documents, {tokens} tokens, {types} types; order 3, Kneser-Ney D = 0.75")
    print(f"nltk {nltk.__version__} (Python {sys.version.split()[0]}), one thread; collapse bench --runs {a.runs}, one thread:")
    for line in lines:
        print(f"  {line}")
    print()
    print(f"{'side':<10} {'fit s':>10} {'generate s':>12} {'tokens':>7} {'total s':>10}")
    print(f"{'nltk':<10} {nltk_fit:>10.3f} {nltk_generate:>12.3f} {a.tokens:>7} {nltk_fit + nltk_generate:>10.3f}")
    print(f"{'collapse':<10} {collapse_fit:>10.4f} {collapse_generate:>12.7f} {a.tokens:>7} {collapse_fit + collapse_generate:>10.4f}")
    print(f"speed-up nltk / collapse (fit + generate): {(nltk_fit + nltk_generate) / (collapse_fit + collapse_generate):.0f}x")
    print(f"  fit alone: {nltk_fit / collapse_fit:.0f}x; generation alone: "
          f"{(nltk_generate / a.tokens) * generate_rate:.3g}x per token")


if __name__ == "__main__":
    main()
