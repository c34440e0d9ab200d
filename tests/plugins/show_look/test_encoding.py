import numpy as np

from plugins.show_look.encoding import cct_to_lin, lin_to_cct


def test_mid_grey_and_white_have_their_published_acescct_values():
    np.testing.assert_allclose(lin_to_cct(np.array([0.18, 1.0, 0.0])), [0.4135884, 0.5547945, 0.0729055], atol=1e-6)


def test_round_trip_over_the_toe_and_the_log_part():
    values = np.array([-0.005, 0.0, 0.001, 0.0078125, 0.01, 0.18, 1.0, 16.0, 200.0])
    np.testing.assert_allclose(cct_to_lin(lin_to_cct(values)), values, rtol=1e-6, atol=1e-9)


def test_torch_and_numpy_agree():
    import torch

    values = np.array([-0.005, 0.003, 0.18, 5.0], np.float32)
    np.testing.assert_allclose(lin_to_cct(torch.from_numpy(values), torch).numpy(), lin_to_cct(values), rtol=1e-6)
