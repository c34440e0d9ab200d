import pytest

from plugins.generators.seeds import MAX_SEED, effective_seed


def test_fixed_seed_is_the_same_on_every_frame():
    assert {effective_seed(42, "fixed", frame) for frame in (1, 2, 100.5)} == {42}


def test_frame_offset_adds_the_whole_frame_number():
    assert effective_seed(42, "frame_offset", 1) == 43
    assert effective_seed(42, "frame_offset", 10.75) == 52
    assert effective_seed(0, "frame_offset", -3) == MAX_SEED - 2  # wraps instead of going negative


def test_variations_are_distinct_stable_and_not_neighbouring_seeds():
    seeds = [effective_seed(7, "fixed", 1, variation) for variation in range(5)]
    assert seeds[0] == 7
    assert len(set(seeds)) == 5
    assert 8 not in seeds
    assert seeds == [effective_seed(7, "fixed", 1, variation) for variation in range(5)]
    assert all(0 <= s <= MAX_SEED for s in seeds)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError):
        effective_seed(1, "random", 1)
