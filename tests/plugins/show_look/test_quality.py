"""Measured quality: a known synthetic look, learned from 20 pairs, checked on 10 unseen frames.

The error is CIE Delta E 2000 (see plugins/show_look/colour_error.py). Thresholds and why:

- the learned model, whole look (vignette included): mean < 2.0, median < 1.3. Below 2 a
  difference is seen only side by side on flat patches; the same frames without any look are
  at about 9.6, so the model must have learned most of it.
- the 33^3 LUT on the global part (the look without its vignette): mean < 2.0 against the true
  global look. The LUT is sampled from the network, so this bounds network + LUT error together.
- the LUT against the network's colour part: mean < 0.25 (its own lattice interpolation error).
- the LUT against the whole network: larger (it cannot hold the vignette), reported, and must
  be above the colour-part error, which shows the report separates the two.
"""

import logging

import numpy as np

from plugins.show_look.apply import apply_look
from plugins.show_look.colour_error import image_delta_e
from plugins.show_look.lut import apply_lut, fit_lut, lut_error
from plugins.show_look.synthetic import global_look

log = logging.getLogger(__name__)


def test_the_learned_model_reproduces_the_look_on_unseen_frames(trained_look):
    model, held_out = trained_look
    errors = np.concatenate([image_delta_e(apply_look(model, before), after).ravel() for before, after in held_out])
    untouched = np.concatenate([image_delta_e(before, after).ravel() for before, after in held_out])
    log.warning("learned look: mean dE2000 %.2f, median %.2f, p95 %.2f (no look: %.2f)", errors.mean(),
                np.median(errors), np.percentile(errors, 95), untouched.mean())
    assert untouched.mean() > 5.0
    assert errors.mean() < 2.0
    assert np.median(errors) < 1.3


def test_the_lut_holds_the_global_part_and_reports_what_it_cannot_hold(trained_look):
    model, held_out = trained_look
    table = fit_lut(model, 33)
    frames = [before for before, _ in held_out]
    errors = np.concatenate([image_delta_e(apply_lut(table, f), global_look(f)).ravel() for f in frames])
    report = lut_error(model, table, frames)
    log.warning("LUT vs true global look: mean %.2f p95 %.2f; vs network %.2f/%.2f; vs colour part %.2f/%.2f",
                errors.mean(), np.percentile(errors, 95), *report.vs_network, *report.vs_network_colour)
    assert errors.mean() < 2.0
    assert report.frames == 10
    assert report.vs_network_colour[0] < 0.25
    assert report.vs_network[0] > report.vs_network_colour[0]
