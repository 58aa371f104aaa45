"""The Katib ``Experiment`` that ``Client.tune`` submits, built from Katib's ``tune()`` arguments.

With a function objective the trial is a ``Command`` job (a ``batch/v1`` Job when an ``image`` is
given, as Katib's ``tune`` makes) that runs the function's source, taken with
``inspect.getsource`` as Katib does. Each tuned value reaches the trial through an environment
variable whose value is the placeholder ``${trialParameters.<name>}``, so no value, whatever it
holds, can break the program; the program turns it back into the type the search space gave
(float, int, or the list's own value) before calling ``objective(parameters)``. Metrics are pushed
(collector ``Push``): the function calls ``gantry.report_metrics``, or returns a number (the
objective metric's value) or a dict of metrics, which the program reports for it.

With ``trial_template`` (a job manifest with ``${trialParameters.<name>}`` placeholders, or a
whole Katib ``trialTemplate``) the template is used as written.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
import shlex
import textwrap
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from .search import ParameterSpec, format_number

__all__ = ["experiment", "function_trial", "parameter_specs", "GOALS", "TRIAL_CONTAINER"]

API_VERSION = "kubeflow.org/v1beta1"
GOALS = ("minimize", "maximize")
#: The container name Katib's ``tune`` gives its trials, used for the Job trial.
TRIAL_CONTAINER = "training-container"
#: The Command kind's one process, as its demand names it.
COMMAND_CONTAINER = "main"
_NAME = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_MAX_NAME = 40
_PLACEHOLDER = "${{trialParameters.{}}}"
_ENV_UNSAFE = re.compile(r"[^A-Za-z0-9_]")

EarlyStopping = Union[None, str, Mapping[str, Any]]


def parameter_specs(parameters: Mapping[str, Any]) -> tuple:
    """(tuned, constants): Katib parameter specs by name for the values that are search spaces
    (``gantry.search.*`` or a Katib spec dict with ``parameterType``), and the other values,
    which Katib's ``tune`` passes through to the objective unchanged."""
    if not isinstance(parameters, Mapping) or not parameters:
        raise ValueError("tune needs parameters: a dict of names to gantry.search.* spaces (and constants)")
    tuned: Dict[str, ParameterSpec] = {}
    constants: Dict[str, Any] = {}
    for name, value in parameters.items():
        if not isinstance(name, str) or not name or "{" in name or "}" in name:
            raise ValueError(f"parameter name {name!r} must be a non-empty string without braces")
        if isinstance(value, ParameterSpec):
            tuned[name] = value
        elif isinstance(value, Mapping) and "parameterType" in value:
            tuned[name] = ParameterSpec(copy.deepcopy(dict(value)))
        else:
            constants[name] = value
    if not tuned:
        raise ValueError("tune needs at least one parameter to search: use gantry.search.double/int/categorical/discrete")
    return tuned, constants


def experiment(
    *,
    objective: Optional[Callable[..., Any]] = None,
    trial_template: Optional[Mapping[str, Any]] = None,
    parameters: Mapping[str, Any],
    objective_metric: str = "loss",
    goal: str = "minimize",
    goal_value: Optional[float] = None,
    algorithm: str = "tpe",
    algorithm_settings: Optional[Mapping[str, Any]] = None,
    max_trials: int = 10,
    parallel_trials: int = 1,
    max_failed_trials: Optional[int] = None,
    early_stopping: EarlyStopping = None,
    additional_metrics: Sequence[str] = (),
    metrics_collector: Optional[str] = None,
    name: Optional[str] = None,
    image: Optional[str] = None,
    resources: Optional[Mapping[str, Any]] = None,
    env_per_trial: Optional[Mapping[str, Any]] = None,
    packages_to_install: Sequence[str] = (),
    primary_container_name: Optional[str] = None,
    resume_policy: Optional[str] = None,
) -> Dict[str, Any]:
    """The Experiment, checked on this side for what the arguments alone can get wrong."""
    if (objective is None) == (trial_template is None):
        raise ValueError("tune needs exactly one of objective (a Python function) and trial_template (a job manifest)")
    if goal not in GOALS:
        raise ValueError(f"goal must be 'minimize' or 'maximize', not {goal!r}")
    if not objective_metric:
        raise ValueError("objective_metric names the metric to optimise, e.g. 'loss'")
    if name is not None and (len(name) > _MAX_NAME or not _NAME.fullmatch(name)):
        raise ValueError(f"name {name!r} must be lower-case letters, digits and '-', start with a letter, at most {_MAX_NAME} characters")
    for label, value, least in (("max_trials", max_trials, 1), ("parallel_trials", parallel_trials, 1), ("max_failed_trials", max_failed_trials, 0)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < least):
            raise ValueError(f"{label} must be a whole number >= {least}, not {value!r}")
    if parallel_trials > max_trials:
        raise ValueError(f"parallel_trials ({parallel_trials}) must not be above max_trials ({max_trials})")
    tuned, constants = parameter_specs(parameters)
    if objective is not None:
        template = function_trial(objective, tuned, constants, objective_metric=objective_metric, image=image,
                                  resources=resources, env=env_per_trial, packages_to_install=packages_to_install)
        collector = metrics_collector or "Push"
    else:
        template = _template_trial(trial_template or {}, tuned, constants, primary_container_name)
        collector = metrics_collector or "StdOut"
    objective_spec: Dict[str, Any] = {"type": goal, "objectiveMetricName": objective_metric}
    if goal_value is not None:
        objective_spec["goal"] = float(goal_value)
    if additional_metrics:
        objective_spec["additionalMetricNames"] = [str(m) for m in additional_metrics]
    algorithm_spec: Dict[str, Any] = {"algorithmName": algorithm}
    if algorithm_settings:
        algorithm_spec["algorithmSettings"] = _settings(algorithm_settings)
    spec: Dict[str, Any] = {
        "objective": objective_spec,
        "algorithm": algorithm_spec,
        "parallelTrialCount": parallel_trials,
        "maxTrialCount": max_trials,
        "parameters": [{"name": n, **dict(s)} for n, s in tuned.items()],
        "metricsCollectorSpec": {"collector": {"kind": collector}},
        "trialTemplate": template,
    }
    if max_failed_trials is not None:
        spec["maxFailedTrialCount"] = max_failed_trials
    if resume_policy is not None:
        if resume_policy not in ("Never", "LongRunning", "FromVolume"):
            raise ValueError(f"resume_policy is Never, LongRunning or FromVolume, not {resume_policy!r}")
        spec["resumePolicy"] = resume_policy
    stopping = _early_stopping(early_stopping)
    if stopping is not None:
        spec["earlyStopping"] = stopping
    metadata = {"name": name} if name else {}
    return {"apiVersion": API_VERSION, "kind": "Experiment", "metadata": metadata, "spec": spec}


def function_trial(
    objective: Callable[..., Any],
    tuned: Mapping[str, ParameterSpec],
    constants: Mapping[str, Any],
    *,
    objective_metric: str,
    image: Optional[str] = None,
    resources: Optional[Mapping[str, Any]] = None,
    env: Optional[Mapping[str, Any]] = None,
    packages_to_install: Sequence[str] = (),
) -> Dict[str, Any]:
    """The trialTemplate that runs ``objective``'s source with each trial's parameters."""
    if not callable(objective) or not hasattr(objective, "__name__") or objective.__name__ == "<lambda>":
        raise ValueError("objective must be a function defined with def (its source is what the trial runs)")
    try:
        source = textwrap.dedent(inspect.getsource(objective))
    except (OSError, TypeError) as exc:
        raise ValueError(f"the source of {objective.__name__} cannot be read ({exc}); define it in a file or a notebook cell") from exc
    try:
        json.dumps(constants)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the constant parameters must be JSON values to reach the trial: {exc}") from exc
    variables = _env_names(tuned)
    plan = {
        "tuned": {n: {"env": variables[n], "type": s.type, "values": None if s.values is None else list(s.values)}
                  for n, s in tuned.items()},
        "constants": dict(constants),
        "metric": objective_metric,
    }
    try:
        plan_text = json.dumps(plan)
    except (TypeError, ValueError):
        # List values that are not JSON (objects of the user's own) go back as the strings the gateway assigns.
        for entry in plan["tuned"].values():
            entry["values"] = None
        plan_text = json.dumps(plan)
    program = _PROGRAM.format(source=source, plan=json.dumps(plan_text), function=objective.__name__)
    trial_env = {str(k): str(v) for k, v in (env or {}).items()}
    trial_env.update({variables[n]: _PLACEHOLDER.format(n) for n in tuned})
    if packages_to_install:
        # "$1" is the program: passed as an argument, it needs no quoting inside the shell script.
        install = "python3 -m pip install --quiet --user " + " ".join(shlex.quote(p) for p in packages_to_install)
        command: List[str] = ["sh", "-c", install + ' && exec python3 -u -c "$1"', "sh", program]
    else:
        command = ["python3", "-u", "-c", program]
    if image:
        trial_spec = _batch_job(image, command, trial_env, resources)
        container = TRIAL_CONTAINER
    else:
        spec: Dict[str, Any] = {"command": command, "env": trial_env}
        if resources:
            spec["resources"] = _command_resources(resources)
        trial_spec = {"kind": "Command", "spec": spec}
        container = COMMAND_CONTAINER
    return {
        "primaryContainerName": container,
        "trialParameters": [{"name": n, "reference": n} for n in tuned],
        "trialSpec": trial_spec,
    }


# The trial's program: the user's function, then the call. Names start with _gantry_ to stay out
# of the function's way; the plan is a JSON string literal (json.dumps of the JSON text).
_PROGRAM = """\
import json as _gantry_json
import os as _gantry_os

{source}

def _gantry_parameters():
    plan = _gantry_json.loads({plan})
    values = dict(plan["constants"])
    for name, entry in plan["tuned"].items():
        text = _gantry_os.environ[entry["env"]]
        if entry["type"] == "int":
            values[name] = int(float(text))
        elif entry["type"] == "double":
            values[name] = float(text)
        else:
            given = [v for v in (entry["values"] or ()) if _gantry_text(v) == text]
            values[name] = given[0] if given else text
    return plan, values

def _gantry_text(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(value) if isinstance(value, int) else repr(float(value))

_gantry_plan, _gantry_values = _gantry_parameters()
_gantry_result = {function}(_gantry_values)
if _gantry_result is not None:
    import gantry as _gantry
    if isinstance(_gantry_result, dict):
        _gantry.report_metrics(_gantry_result)
    else:
        _gantry.report_metrics({{_gantry_plan["metric"]: float(_gantry_result)}})
"""


def _env_names(tuned: Mapping[str, ParameterSpec]) -> Dict[str, str]:
    """GANTRY_PARAM_<NAME> per parameter (upper case, other characters as '_'); a clash gets its index."""
    names: Dict[str, str] = {}
    taken = set()
    for index, name in enumerate(tuned):
        variable = "GANTRY_PARAM_" + _ENV_UNSAFE.sub("_", name).upper()
        if variable in taken:
            variable = f"{variable}_{index}"
        taken.add(variable)
        names[name] = variable
    return names


def _command_resources(resources: Mapping[str, Any]) -> Dict[str, Any]:
    """Katib's ``resources_per_trial`` keys (cpu, memory, gpu) as a Command's resources."""
    unknown = set(resources) - {"cpu", "memory", "gpu"}
    if unknown:
        raise ValueError(f"resources takes cpu, memory and gpu, not {sorted(unknown)}")
    out: Dict[str, Any] = {}
    if resources.get("cpu") is not None:
        out["cpu"] = str(resources["cpu"])
    if resources.get("memory") is not None:
        out["memory"] = str(resources["memory"])
    if resources.get("gpu") is not None:
        out["gpu"] = int(resources["gpu"])
    return out


def _batch_job(image: str, command: List[str], env: Mapping[str, str], resources: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The batch/v1 Job Katib's ``tune`` makes: one pod, container ``training-container``, no restarts."""
    container: Dict[str, Any] = {
        "name": TRIAL_CONTAINER,
        "image": image,
        "command": command,
        "env": [{"name": k, "value": v} for k, v in env.items()],
    }
    if resources:
        amounts = {("nvidia.com/gpu" if k == "gpu" else str(k)): str(v) for k, v in resources.items() if v is not None}
        container["resources"] = {"requests": dict(amounts), "limits": dict(amounts)}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "spec": {"template": {"spec": {"containers": [container], "restartPolicy": "Never"}}},
    }


def _template_trial(
    template: Mapping[str, Any], tuned: Mapping[str, ParameterSpec], constants: Mapping[str, Any], primary: Optional[str]
) -> Dict[str, Any]:
    """A job manifest as the trialSpec, with a trial parameter for each tuned parameter it uses and
    the constants written in; a dict holding ``trialSpec`` is taken as the whole trialTemplate."""
    if not isinstance(template, Mapping):
        raise TypeError("trial_template is a job manifest (dict) with ${trialParameters.<name>} placeholders")
    if "trialSpec" in template:
        return copy.deepcopy(dict(template))
    manifest = _substitute(copy.deepcopy(dict(template)), {_PLACEHOLDER.format(n): _constant_text(v) for n, v in constants.items()})
    text = json.dumps(manifest)
    used = [n for n in tuned if _PLACEHOLDER.format(n) in text]
    if not used:
        raise ValueError("trial_template uses none of the parameters: write ${trialParameters.<name>} where each value goes")
    return {
        "primaryContainerName": primary or _first_container(manifest) or COMMAND_CONTAINER,
        "trialParameters": [{"name": n, "reference": n} for n in used],
        "trialSpec": manifest,
    }


def _substitute(node: Any, replacements: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        for placeholder, value in replacements.items():
            node = node.replace(placeholder, value)
        return node
    if isinstance(node, list):
        return [_substitute(v, replacements) for v in node]
    if isinstance(node, dict):
        return {k: _substitute(v, replacements) for k, v in node.items()}
    return node


def _constant_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _first_container(node: Any) -> Optional[str]:
    """The name of the first container in the manifest (depth first), as the primary container."""
    if isinstance(node, dict):
        containers = node.get("containers")
        if isinstance(containers, list) and containers and isinstance(containers[0], dict) and containers[0].get("name"):
            return str(containers[0]["name"])
        for value in node.values():
            found = _first_container(value)
            if found:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _first_container(value)
            if found:
                return found
    return None


def _settings(settings: Mapping[str, Any]) -> List[Dict[str, str]]:
    return [{"name": str(k), "value": _constant_text(v)} for k, v in settings.items()]


def _early_stopping(value: EarlyStopping) -> Optional[Dict[str, Any]]:
    """None; "medianstop"; {"algorithm": "medianstop", "min_trials_required": 3, "start_step": 4};
    or Katib's own {"algorithmName": ..., "algorithmSettings": [...]}, passed through."""
    if value is None:
        return None
    if isinstance(value, str):
        return {"algorithmName": value}
    if not isinstance(value, Mapping):
        raise TypeError("early_stopping is None, 'medianstop', or a dict of its settings")
    if "algorithmName" in value:
        return copy.deepcopy(dict(value))
    settings = dict(value)
    algorithm = str(settings.pop("algorithm", "medianstop"))
    spec: Dict[str, Any] = {"algorithmName": algorithm}
    if settings:
        spec["algorithmSettings"] = _settings(settings)
    return spec
