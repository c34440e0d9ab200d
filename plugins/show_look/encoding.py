"""ACEScct: the log encoding the look model, its LUT and on-set tools all work in.

Grades behave more evenly in a log encoding than in scene-linear light (a stop is a constant
step, so a curve has the same resolution in the shadows and the highlights), and ACEScct is the
log encoding colourists and on-set LUT boxes already use with an ACEScg working space. Written
for numpy or torch (`xp` is the array module) so training and inference share one definition.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_LIN_BREAK = 0.0078125
_CCT_BREAK = 0.155251141552511
_SLOPE = 10.5402377416545
_OFFSET = 0.0729055341958355


def lin_to_cct(values: Any, xp: Any = np) -> Any:
    """ACEScct code values from scene-linear ACEScg values (the linear toe keeps 0 and negatives finite)."""
    safe = xp.maximum(values, _LIN_BREAK) if xp is np else values.clamp(min=_LIN_BREAK)
    return xp.where(values <= _LIN_BREAK, _SLOPE * values + _OFFSET, (xp.log2(safe) + 9.72) / 17.52)


def cct_to_lin(values: Any, xp: Any = np) -> Any:
    """Scene-linear values from ACEScct code values; the inverse of `lin_to_cct`."""
    top = 17.52 * (xp.minimum(values, 1.6) if xp is np else values.clamp(max=1.6)) - 9.72
    return xp.where(values <= _CCT_BREAK, (values - _OFFSET) / _SLOPE, 2.0 ** top)
