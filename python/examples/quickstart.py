# %% [markdown]
# # saorsa-nn from Python: a quick start
#
# Notebook-style (each `# %%` is a cell in Jupyter, VS Code or `jupytext`); also runs as a
# script: `python quickstart.py` (about half a minute on two cores; it writes `results/` and
# `claims/` in the working directory). Install first: `pip install ./python` from the repository
# (a Rust toolchain is all it needs), and `pip install pandas` for DataFrames.

# %%
import numpy as np

import saorsa_nn as sn

# %% [markdown]
# ## The data: the paper's two moons
# `make_moons` gives float32 features `(n, 2)` and int64 labels `(n,)`; `ceiling` is the best
# accuracy any classifier can reach on them (the noise makes the moons overlap).

# %%
X, y = sn.datasets.make_moons(1200, noise=0.18, seed=1)
print(X.shape, X.dtype, y.shape, y.dtype)
print("Bayes-optimal accuracy:", round(sn.datasets.ceiling("moons", noise=0.18), 4))

# The study's own split of that data: 900 to train, 300 to validate.
X_train, y_train, X_val, y_val = sn.datasets.paper_split()

# %% [markdown]
# ## One network
# The paper's 2-64-64-64-2 ReLU network, He-normal weights from model seed 0, trained with Adam
# (learning rate 0.001, full batch) for 250 epochs. `fit` returns the history: a dict of NumPy
# arrays, one entry per epoch.

# %%
net = sn.MLP("2-64-64-64-2", init="he", seed=0)  # or sn.MLP(hidden=(64, 64, 64), init="he")
hist = net.fit(X_train, y_train, epochs=250, learning_rate=1e-3, batch_size=None, validation_data=(X_val, y_val))
print(sorted(hist))
print("validation accuracy by epoch 1, 50, 250:", hist["val_accuracy"][[0, 49, 249]])

# %%
proba = net.predict_proba(X_val)  # (300, 2) float32
labels = net.predict(X_val)  # (300,) int64
print("score:", net.score(X_val, y_val), "agrees with predict:", np.mean(labels == y_val))
W1, b1 = net.weights[0]  # (2, 64), (64,): NumPy copies
print("first layer:", W1.shape, b1.shape)

# %% [markdown]
# Checkpoints are the SNN format of the core (and of every `.bin` of a study's folder).

# %%
net.save("final.bin")
same = sn.MLP.load("final.bin")
assert np.array_equal(same.predict_proba(X_val), proba)

# %% [markdown]
# ## Per-layer initializers
# `"he@1=glorot"` is He on every layer but Glorot on the first (layers counted from 1).

# %%
mixed = sn.MLP("2-64-64-64-2", init="he@1=glorot", seed=0)
print(mixed, mixed.fit(X_train, y_train, epochs=50)["loss"][-1])

# %% [markdown]
# ## The study
# Every (initializer, seed) run, the tables, the summary, the figures and `report.html` — the
# same files, byte for byte, as `cargo run --release -p harness -- --seeds 10 --out results`.
# Ctrl-C stops it at the next epoch (`KeyboardInterrupt`); the same call resumes.

# %%
res = sn.run_study(out="results", inits=["small", "glorot", "he"], seeds=10, threads=2)
print(res)
res.metrics, res.runs, res.summary  # pandas DataFrames when pandas is installed

# %%
runs = res.runs
spread = {}
for init in ["small", "glorot", "he"]:
    acc = np.asarray(runs["final_val_acc"])[np.asarray(runs["init"]) == init]
    spread[init] = (acc.mean().round(4), acc.std(ddof=1).round(4))
print("final validation accuracy (mean, SD) over 10 seeds:", spread)
print("the median He run, reloaded:", res.model("he", 3))

# %% [markdown]
# A folder written by the command line reads the same way:

# %%
again = sn.read_results("results")
assert np.array_equal(np.asarray(again.runs["final_val_acc"]), np.asarray(res.runs["final_val_acc"]))

# %% [markdown]
# ## The paper's claims
# Each checkable claim as a pre-registered experiment with a verdict (`"quick"`: fewer seeds and
# epochs, a minute or two; `"full"`: the pre-registered run).

# %%
claims = sn.run_claims(scale="quick", out="claims")
print(claims.table)
