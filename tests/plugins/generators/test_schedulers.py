import pytest

from plugins.generators.choices import Scheduler, values
from plugins.generators.schedulers import class_name, make_scheduler


def _model_scheduler():
    diffusers = pytest.importorskip("diffusers")
    return diffusers.DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                   prediction_type="v_prediction")


@pytest.mark.parametrize("choice", values(Scheduler))
def test_every_choice_builds_a_fresh_scheduler_with_the_models_noise_schedule(choice):
    original = _model_scheduler()
    scheduler = make_scheduler(original, choice)
    assert scheduler is not original
    expected = class_name(choice) or "DDIMScheduler"
    assert type(scheduler).__name__ == expected
    assert scheduler.config.beta_schedule == "scaled_linear"
    assert scheduler.config.prediction_type == "v_prediction"


def test_dpm_plus_plus_is_the_multistep_2m_solver():
    scheduler = make_scheduler(_model_scheduler(), "dpm++")
    assert scheduler.config.algorithm_type == "dpmsolver++"
    assert scheduler.config.solver_order == 2
