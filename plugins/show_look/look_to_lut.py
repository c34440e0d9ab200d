"""LookToLUT: the look model's colour part as a 3D LUT, shown on the input and exported for the stage."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from nodecomp.api import (
    RGB,
    Action,
    ActionContext,
    Choice,
    EvalContext,
    EvaluationError,
    Image,
    Input,
    NodeType,
    Path,
    String,
    conform,
    file_fingerprint,
    resources,
)
from plugins.show_look.look_apply import LOOK_FILE, cached_model
from plugins.show_look.look_model import LookModel

SIZES = ("33", "65")


def fitted_lut(path: str, size: int) -> tuple[LookModel, np.ndarray]:
    """The model in `path` and its LUT of `size`^3, each made once per file version and shared.

    Raises:
        EvaluationError: naming the file when it is missing or not a look model.
    """
    from plugins.show_look.lut import fit_lut

    model = cached_model(path)
    table = resources.get(("show_look.LookToLUT", file_fingerprint(path), size), lambda: fit_lut(model, size),
                          nbytes=lambda t: t.nbytes)
    return model, table


class LookToLUT(NodeType):
    """Shows what a 3D LUT can hold of a learned look, and exports it (.cube and CLF) for the stage.

    The image is the input with the LUT fitted to the model's colour part applied (sampled
    on an ACEScct lattice of size^3 with the neutral context, as `nodecomp look-to-lut` does):
    view it beside a LookApply of the same model to see what the LUT leaves out (the vignette,
    local contrast). Export LUT writes `lut` (.cube, ACEScct in and out) and a CLF beside it
    (same name, .clf, ACEScg in and out), each atomically, then measures the LUT against the
    network on the input at check_frames and reports the CIE Delta E 2000 (mean and 95th
    percentile, for the whole look and for its colour part).
    """

    type_id = "show_look.LookToLUT"
    version = 1
    category = "Color"
    inputs = (Input("source", doc="The image to show the LUT on, and to measure it with (scene-linear)."),)
    params = (
        Path("model", default="", doc="The look model file (.nclook) written by LookTrain or `nodecomp train-look`."),
        Choice("size", choices=SIZES, doc="LUT lattice points per axis: 33 (on-set boxes) or 65 (finer)."),
        Path("lut", default="", doc="The .cube file Export LUT writes (a .clf goes beside it); empty: beside the "
                                    "model, with its name."),
        String("check_frames", default="", doc="Frames of the input Export LUT measures the LUT on (use frames "
                                               "the model was not trained on); empty: the current frame."),
    )
    actions = (
        Action("export", "Export LUT", doc="Write the .cube and the CLF, then report the LUT's error against the "
                                           "network on check_frames."),
    )

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The model file's path, size and modification time (the LUT size is a param)."""
        return ctx.file_fingerprint(params["model"], **LOOK_FILE)

    @staticmethod
    def compute(ctx: EvalContext, source: Image, model: str, size: str, **_export: Any) -> Image:
        """The LUT on R, G and B; alpha and other channels are copied."""
        from plugins.show_look.lut import apply_lut

        path = ctx.required_path(model, **LOOK_FILE)
        try:
            _, table = fitted_lut(path, int(size))
        except EvaluationError as exc:
            raise ctx.error(exc.reason, path=exc.path or path, hint=exc.hint) from None
        if not all(source.has(name) for name in RGB):
            raise ctx.error(f"the input has no R, G and B (channels {', '.join(source.channels)})",
                            hint="connect a colour image")
        indices = [source.index(name) for name in RGB]
        out = np.array(source.pixels, dtype=np.float32)
        out[..., indices] = apply_lut(table, out[..., indices])
        return source.with_pixels(out)

    @classmethod
    def run_action(cls, ctx: ActionContext, action: str) -> str | None:
        """Export LUT: fit, write both files atomically, measure on the check frames."""
        from plugins.show_look.lut import lut_error, write_clf, write_cube

        params = ctx.params
        path = ctx.eval_context().required_path(params["model"], **LOOK_FILE)
        size = int(params["size"])
        cube = ctx.resolve_path(params["lut"]) if params["lut"].strip() else os.path.splitext(path)[0] + ".cube"
        clf = os.path.splitext(cube)[0] + ".clf"
        ctx.progress(0.05, f"fitting a {size}^3 LUT")
        model, table = fitted_lut(path, size)
        ctx.progress(0.2, f"writing {cube}")
        os.makedirs(os.path.dirname(cube) or ".", exist_ok=True)
        write_cube(cube, table, title=f"nodecomp look {os.path.basename(path)}")
        write_clf(clf, cube)
        frames = ctx.frames(params["check_frames"]) if params["check_frames"].strip() else [round(ctx.frame)]
        images = []
        for index, frame in enumerate(frames):
            ctx.progress(0.3 + 0.4 * index / len(frames), f"reading frame {frame}", frame=frame)
            plate = ctx.input("source", frame)
            images.append(conform(plate, plate.display_window, RGB))
        ctx.progress(0.7, f"measuring the LUT on {len(frames)} frames")
        error = lut_error(model, table, images)
        ctx.progress(1.0, "done", delta_e_mean=error.vs_network[0], delta_e_p95=error.vs_network[1],
                     colour_delta_e_mean=error.vs_network_colour[0])
        return (f"wrote {cube} and {clf}; LUT vs network on {error.frames} frames, Delta E 2000 mean / p95: "
                f"{error.vs_network[0]:.2f} / {error.vs_network[1]:.2f} (whole look), "
                f"{error.vs_network_colour[0]:.2f} / {error.vs_network_colour[1]:.2f} (colour part)")
