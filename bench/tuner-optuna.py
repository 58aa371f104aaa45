#!/usr/bin/env python3
"""Optuna's figures for `gantry-bench tuner`'s table, to compare in the same setting.

Needs Optuna (Debian: `apt-get install python3-optuna`, 3.1.0 on bookworm; run it with that
python, /usr/bin/python3). Same functions, domains, targets and statistics as the C# benchmark;
each seed is passed to the sampler, 100 trials one at a time.

    /usr/bin/python3 bench/tuner-optuna.py branin tpe 100 --first-seed 100
"""
import argparse
import math
import time

import numpy as np
import optuna

A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def branin(trial):
    x1, x2 = trial.suggest_float("x1", -5, 10), trial.suggest_float("x2", 0, 15)
    inner = x2 - 5.1 / (4 * math.pi ** 2) * x1 * x1 + 5 / math.pi * x1 - 6
    return inner * inner + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


def hartmann6(trial):
    x = np.array([trial.suggest_float(f"x{i}", 0, 1) for i in range(1, 7)])
    return float(-np.sum(ALPHA * np.exp(-np.sum(A * (x - P) ** 2, axis=1))))


FUNCTIONS = {"branin": (branin, 0.397887357729739, 0.1), "hartmann6": (hartmann6, -3.32237, 0.5)}
SAMPLERS = {
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "multivariate-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("function", choices=FUNCTIONS)
    parser.add_argument("sampler", choices=SAMPLERS)
    parser.add_argument("seeds", type=int)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=100)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    objective, optimum, target = FUNCTIONS[args.function]
    to_target, halfway, end = [], [], []
    start = time.time()
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        study = optuna.create_study(sampler=SAMPLERS[args.sampler](seed))
        study.optimize(objective, n_trials=args.trials)
        regrets = np.minimum.accumulate([t.value for t in study.trials]) - optimum
        hits = np.nonzero(regrets <= target)[0]
        if len(hits):
            to_target.append(hits[0] + 1)
        halfway.append(regrets[(args.trials - 1) // 2])
        end.append(regrets[-1])
    median = f"{np.median(to_target):.1f}" if to_target else f"> {args.trials}"
    print(f"optuna {optuna.__version__} {args.function} {args.sampler}: reached {len(to_target)}/{args.seeds}, median trials {median}, "
          f"median regret@{(args.trials - 1) // 2 + 1} {np.median(halfway):.4f}, @{args.trials} {np.median(end):.4f}, {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
