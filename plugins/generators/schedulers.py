"""Scheduler choices mapped to diffusers classes, built from the model's own scheduler config.

Every call gets a new scheduler object: schedulers keep per-run state (timesteps, step index),
so sharing one between two frames rendering at once would mix their denoising schedules.
"""

from __future__ import annotations

from typing import Any

from plugins.generators.choices import Scheduler

# Class names in diffusers; resolved lazily so importing this module never imports diffusers.
_CLASSES = {
    Scheduler.DDIM: ("DDIMScheduler", {}),
    Scheduler.EULER: ("EulerDiscreteScheduler", {}),
    Scheduler.EULER_A: ("EulerAncestralDiscreteScheduler", {}),
    Scheduler.DPM_PP: ("DPMSolverMultistepScheduler", {"algorithm_type": "dpmsolver++", "solver_order": 2}),
}


def class_name(choice: str) -> str | None:
    """The diffusers class a choice maps to (None for `default`: the model's own)."""
    entry = _CLASSES.get(Scheduler(choice))
    return entry[0] if entry else None


def make_scheduler(model_scheduler: Any, choice: str) -> Any:
    """A fresh scheduler for one generation.

    Args:
        model_scheduler: the scheduler loaded with the model (its config holds the noise
            schedule and prediction type the model was trained with).
        choice: a `Scheduler` value.

    Returns:
        A new scheduler instance of the chosen class, configured from the model's config.
    """
    import diffusers

    entry = _CLASSES.get(Scheduler(choice))
    if entry is None:
        return type(model_scheduler).from_config(model_scheduler.config)
    name, overrides = entry
    return getattr(diffusers, name).from_config(model_scheduler.config, **overrides)
