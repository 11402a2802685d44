#!/usr/bin/env python3
"""A variational autoencoder of 8x8 handwritten digits, in numpy only, speaking collapse's
external-generator protocol 1 (docs/protocol.md) with `data: table`.

Each fit_sample trains a fresh VAE on the training file's pixel columns (values 0..16,
scaled to [0, 1]) and writes `count` images decoded from z ~ N(0, I):

  encoder  x (64) -> ReLU(hidden) -> mu, log sigma^2 (latent)
  decoder  z (latent) -> ReLU(hidden) -> sigmoid (64)
  loss     binary cross-entropy of the pixels + KL(q(z|x) || N(0, I)), per image
  training Adam (lr, beta 0.9/0.999), minibatches, the reparameterisation trick
           z = mu + sigma * eps (Kingma & Welling 2014)

After Shumailov et al. (2024), "AI models collapse when trained on recursively generated
data", whose VAE experiment this is at a small size. All randomness (initialisation,
shuffles, eps, the sampled z) comes from numpy's PCG64 seeded with the request's seed,
and BLAS runs on one thread, so a run is byte-reproducible.

options: latent (8), hidden (128), epochs (30), batch (64), lr (0.002).
Output pixels are the decoder means x 16, rounded to 3 decimals.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import json  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

SCALE = 16.0


def init(rng, shape):
    fan_in = shape[0]
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)


class VAE:
    def __init__(self, rng, d, hidden, latent):
        self.p = {
            "W1": init(rng, (d, hidden)), "b1": np.zeros(hidden),
            "Wm": init(rng, (hidden, latent)) * 0.1, "bm": np.zeros(latent),
            "Wv": init(rng, (hidden, latent)) * 0.1, "bv": np.zeros(latent),
            "W2": init(rng, (latent, hidden)), "b2": np.zeros(hidden),
            "W3": init(rng, (hidden, d)), "b3": np.zeros(d),
        }
        self.m = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.t = 0

    def decode(self, z):
        p = self.p
        h2 = np.maximum(z @ p["W2"] + p["b2"], 0)
        return 1.0 / (1.0 + np.exp(-(h2 @ p["W3"] + p["b3"])))

    def step(self, x, eps, lr):
        p = self.p
        B = x.shape[0]
        a1 = x @ p["W1"] + p["b1"]
        h1 = np.maximum(a1, 0)
        mu = h1 @ p["Wm"] + p["bm"]
        lv = np.clip(h1 @ p["Wv"] + p["bv"], -10, 10)
        sd = np.exp(0.5 * lv)
        z = mu + sd * eps
        a2 = z @ p["W2"] + p["b2"]
        h2 = np.maximum(a2, 0)
        logits = h2 @ p["W3"] + p["b3"]
        prob = 1.0 / (1.0 + np.exp(-logits))
        # Gradients of the mean (over the batch) loss.
        dlogits = (prob - x) / B
        g = {"W3": h2.T @ dlogits, "b3": dlogits.sum(0)}
        dh2 = (dlogits @ p["W3"].T) * (a2 > 0)
        g["W2"], g["b2"] = z.T @ dh2, dh2.sum(0)
        dz = dh2 @ p["W2"].T
        dmu = dz + mu / B
        dlv = dz * eps * 0.5 * sd + 0.5 * (np.exp(lv) - 1.0) / B
        g["Wm"], g["bm"] = h1.T @ dmu, dmu.sum(0)
        g["Wv"], g["bv"] = h1.T @ dlv, dlv.sum(0)
        dh1 = (dmu @ p["Wm"].T + dlv @ p["Wv"].T) * (a1 > 0)
        g["W1"], g["b1"] = x.T @ dh1, dh1.sum(0)
        self.t += 1
        b1, b2 = 0.9, 0.999
        for k in p:
            self.m[k] = b1 * self.m[k] + (1 - b1) * g[k]
            self.v[k] = b2 * self.v[k] + (1 - b2) * g[k] * g[k]
            mhat = self.m[k] / (1 - b1 ** self.t)
            vhat = self.v[k] / (1 - b2 ** self.t)
            p[k] -= lr * mhat / (np.sqrt(vhat) + 1e-8)


def fit_sample(req, options):
    with open(req["train"]) as f:
        header = f.readline().rstrip("\n")
    x = np.loadtxt(req["train"], delimiter=",", skiprows=1, ndmin=2) / SCALE
    x = np.clip(x, 0.0, 1.0)
    n, d = x.shape
    rng = np.random.Generator(np.random.PCG64(req["seed"]))
    latent = int(options.get("latent", 8))
    vae = VAE(rng, d, int(options.get("hidden", 128)), latent)
    batch = min(int(options.get("batch", 64)), n)
    lr = float(options.get("lr", 0.002))
    for _ in range(int(options.get("epochs", 30))):
        order = rng.permutation(n)
        for start in range(0, n - batch + 1, batch):
            xb = x[order[start:start + batch]]
            vae.step(xb, rng.standard_normal((xb.shape[0], latent)), lr)
    images = vae.decode(rng.standard_normal((req["count"], latent))) * SCALE
    np.savetxt(req["out"], images, delimiter=",", header=header, comments="", fmt="%.3f")


def main():
    options = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "hello":
            options = req.get("options", {})
            if req.get("data") != "table":
                reply = {"ok": False, "error": "vae_digits.py needs data: table (the pixel columns)"}
            else:
                reply = {"ok": True, "name": "vae_digits", "version": "1"}
        elif req["op"] == "fit_sample":
            try:
                fit_sample(req, options)
                reply = {"ok": True}
            except Exception as e:  # reported to collapse, which fails the chain
                reply = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        else:
            reply = {"ok": False, "error": "unknown op " + str(req.get("op"))}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
