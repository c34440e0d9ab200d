"""Shared fixtures: one small trained look for the tests that need a trained model."""

import numpy as np
import pytest

from plugins.show_look.synthetic import synthetic_pairs


@pytest.fixture(scope="session")
def trained_look():
    """A look trained on 20 synthetic 64x64 pairs (about 15 s on a busy 2-core machine), and 10 unseen pairs."""
    from plugins.show_look.training import train_look

    train = synthetic_pairs(20, seed=1)
    held_out = synthetic_pairs(10, seed=2)
    model = train_look(train, steps=1200, batch_size=4096, seed=0)
    return model, held_out


@pytest.fixture
def tiny_pairs():
    return synthetic_pairs(3, size=(24, 16), seed=5)


def random_rgb(shape, seed=0):
    return (2.0 ** np.random.default_rng(seed).uniform(-6, 1, size=(*shape, 3))).astype(np.float32)


def write_plates(folder, count=4, size=(24, 16), seed=3):
    """Frames 1..count of synthetic pairs as before.####.exr and after.####.exr (the show look) in `folder`."""
    from plugins.show_look.images import write_rgb

    folder.mkdir(parents=True, exist_ok=True)
    pairs = synthetic_pairs(count, size=size, seed=seed)
    for frame, (before, after) in enumerate(pairs, start=1):
        write_rgb(folder / f"before.{frame:04d}.exr", before)
        write_rgb(folder / f"after.{frame:04d}.exr", after)
    return pairs


def look_comp(folder, size=(24, 16), registry=None, **train_params):
    """A comp: Read before -> LookTrain (graded from Read after), 4 frames, the model beside the plates.

    Training defaults are tiny (frames 1-3, batch 256: 5 steps an epoch, 3 epochs).
    """
    import nodecomp as nc
    from nodecomp.api import Format

    write_plates(folder / "plates", size=size)
    doc = nc.Document(registry)
    doc.format = Format(*size)
    doc.frame_range = (1, 4)
    plate = doc.add("Read", file=str(folder / "plates" / "before.####.exr"), name="Plate")
    graded = doc.add("Read", file=str(folder / "plates" / "after.####.exr"), name="Graded")
    params = {"model": str(folder / "show.nclook"), "frames": "1-3", "epochs": 3, "batch_size": 256,
              "device": "cpu", **train_params}
    doc.add("show_look.LookTrain", plate, graded, name="LookTrain1", **params)
    doc.undo_stack.clear()
    return doc
