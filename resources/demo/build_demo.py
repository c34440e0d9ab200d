"""Rebuild `demo.ncomp` with the scripting API: `.venv/bin/python resources/demo/build_demo.py`."""

from pathlib import Path

import nodecomp as nc
from nodecomp.core.format import Format

HERE = Path(__file__).resolve().parent


def build() -> nc.Document:
    """The demo comp: a graded, softened, moving element over a plate, written as half EXR."""
    doc = nc.Document(name="demo")
    doc.format = Format(960, 540, 1.0, "HD_half")
    doc.frame_range = (1, 48)
    doc.fps = 24.0
    bg = doc.add("Read", file="media/bg.####.exr", name="BG_plate")
    fg = doc.add("Read", file="media/fg.####.exr", name="FG_element")
    graded = doc.add("Grade", fg, multiply=(1.1, 1.05, 0.95, 1.0), gamma=(1.1, 1.1, 1.1, 1.0))
    graded.set_key("multiply", 1, (0.9, 0.9, 0.9, 1.0), interp="smooth")
    graded.set_key("multiply", 48, (1.3, 1.2, 1.0, 1.0), interp="smooth")
    soft = doc.add("Blur", graded, size=(1.5, 1.5))
    moved = doc.add("Transform", soft)
    moved.set_expression("translate", "20 * sin(frame / 8)", component=1)
    comp = doc.add("Merge", moved, bg, operation="over")
    doc.add("Write", comp, file="render/demo_comp.####.exr", datatype="half", compression="zip")
    column = {"FG_element": 0, "Grade1": 1, "Blur1": 2, "Transform1": 3, "Merge1": 4, "Write1": 5}
    for name, row in column.items():
        doc.set_ui(doc[name], "pos", [0.0, row * 100.0])
    doc.set_ui(bg, "pos", [320.0, 200.0])
    doc.add("Backdrop", name="FG_prep", label="FG element", note="grade, soften, move",
            colour=(0.33, 0.42, 0.3, 1.0), width=290.0, height=432.0)
    doc.set_ui(doc["FG_prep"], "pos", [-30.0, -62.0])
    return doc


if __name__ == "__main__":
    document = build()
    document.save(str(HERE / "demo.ncomp"))
