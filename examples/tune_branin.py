# %% [markdown]
# # Tuning with Gantry: the Branin function
#
# `client.tune()` takes a Python function and a search space, as Katib's `KatibClient.tune()`
# does, and runs one Gantry job per trial: the function's source is the trial's program, the
# trial's values reach it as a dict, and it reports its objective with `gantry.report_metrics`.
# The gateway chooses the next values (TPE here), queues the trials like any job, and keeps the
# best trial so far.
#
# Branin has three global minima, all worth 0.397887. Cells are marked `# %%`: run them one by
# one in Jupyter / VS Code, or the whole file with `python3 examples/tune_branin.py` (GANTRY_URL
# and GANTRY_TOKEN, or `gantry login`, say which gateway).

# %%
import os
from pathlib import Path

import gantry

client = gantry.Client()
BRANIN_MINIMUM = 0.397887


# %% [markdown]
# The objective is self-contained (imports inside): only its source travels to the trial. It
# receives typed values (floats here) and pushes `loss`; returning the value would do too.

# %%
def branin(params):
    import math

    import gantry

    x1, x2 = params["x1"], params["x2"]
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    loss = (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10
    print(f"x1={x1:.4f} x2={x2:.4f} loss={loss:.6f}")
    gantry.report_metrics({"loss": loss})


# %% [markdown]
# The trial's Python must import `gantry`. When the gateway runs trials on this machine (the
# `local` cluster) pointing `PYTHONPATH` at this SDK is enough; elsewhere install the SDK where the
# trials run (or pass `packages_to_install`).

# %%
sdk = str(Path(gantry.__file__).resolve().parent.parent)
experiment = client.tune(
    branin,
    parameters={"x1": gantry.search.double(-5, 10), "x2": gantry.search.double(0, 15)},
    objective_metric="loss",
    goal="minimize",
    algorithm="tpe",
    algorithm_settings={"random_state": 7},
    max_trials=int(os.environ.get("BRANIN_MAX_TRIALS", "60")),
    parallel_trials=int(os.environ.get("BRANIN_PARALLEL_TRIALS", "3")),
    resources={"cpu": "100m", "memory": "64Mi"},
    env_per_trial={"PYTHONPATH": sdk},
    name="branin",
)
print(experiment)

# %% [markdown]
# `wait(progress=True)` shows a live table of the trials in Jupyter, and a line per change elsewhere.

# %%
experiment.wait(progress=True)
best = experiment.best
print(f"{experiment.state} ({experiment.reason}): best loss {best.objective:.6f} at {best.parameters} "
      f"in trial {best.name}; regret {best.objective - BRANIN_MINIMUM:.4f}")

# %% [markdown]
# Every trial as plain rows (`pandas.DataFrame(rows)` if pandas is around), and the best so far
# after each trial: the optimisation history.

# %%
rows = experiment.to_rows()
best_so_far = float("inf")
for row in rows:
    if row["objective"] is not None:
        best_so_far = min(best_so_far, row["objective"])
    print(f"{row['trial']:<20} {row['state']:<12} x1={row['x1']!s:<22} x2={row['x2']!s:<22} "
          f"loss={row['objective']!s:<22} best={best_so_far:.6f}")
