import json

from plugins.led_wall.report import build_report, capacity_table, summary_text


def test_report_of_the_12x6_wall(plan_12x6):
    report = build_report(plan_12x6, wall_file="stage_12x6.json")
    json.dumps(report)  # JSON-ready
    assert report["canvas"] == {"width": 4608, "height": 2304}
    assert report["cabinets"] == {"installed": 288, "missing": 0, "driven": 288}
    assert report["processors_used"] == 2 and report["processors_needed"] == 2
    wall = report["walls"][0]
    assert wall["size_m"] == {"width": 12.0, "height": 6.0}
    assert wall["arc"]["cabinet_angle_deg"] == round(2.387496874282157, 6)
    proc = report["processors"][0]
    assert proc["raster"] == {"width": 4096, "height": 2160}
    ports = proc["ports"]
    # 12 cabinets of 36,864 px = 442,368 px on each port, against 524,288 at 10-bit 60 Hz.
    assert (ports["needed"], ports["available"], ports["pixels_per_port_used_max"]) == (12, 16, 442_368)
    assert ports["usage"][0] == {"port": 1, "cabinets": 12, "pixels": 442_368, "fraction": 0.8438}
    assert report["warnings"] == [] and report["frames"] == {}


def test_capacity_table_ports_at_8_10_12_bit_and_60_120_hz(plan_12x6):
    # Per processor: 24 columns of 6 cabinets. Cabinets per port (see test_capacity): 17, 14, 11 at
    # 60 Hz -> 2, 2, 1 columns per port; 8, 7, 5 at 120 Hz -> 1, 1, and 5 < 6 so each column
    # needs 2 ports.
    table = capacity_table(plan_12x6, plan_12x6.processors[0])
    assert {k: v["ports_needed"] for k, v in table.items()} == {
        "8bit_60hz": 12, "10bit_60hz": 12, "12bit_60hz": 24,
        "8bit_120hz": 24, "10bit_120hz": 24, "12bit_120hz": 48,
    }
    assert table["10bit_120hz"]["pixels_per_port"] == 262_144


def test_summary_text(plan_12x6):
    report = build_report(plan_12x6, frames={"1": {"clipped_pixels": 5, "clipped_fraction": 5 / 10_616_832,
                                                   "out_of_gamut_pixels": 0, "max_nits": 1600.0}})
    text = summary_text(report)
    assert text.startswith("LED wall stage_12x6: canvas 4608 x 2304 px, 288 cabinets")
    assert "concave arc R 12000 mm: 2.387 deg per cabinet, 57.30 deg in all" in text
    assert "PROC_A" in text and "ports 12/16, up to 442368 of 524288 px per port (14 cabinets)" in text
    assert "processors: 2 used, 2 needed at least" in text
    assert "frames: 1 exported, 5 pixels clipped above the peak in all" in text
    assert "warnings: 1\n  - light above the wall's peak of 1500 nits was clipped on 1 of 1 exported frames" in text


def test_clipped_frames_become_a_warning(plan_12x6):
    frames = {
        "1": {"clipped_pixels": 0, "clipped_fraction": 0.0, "out_of_gamut_pixels": 0, "max_nits": 900.0},
        "2": {"clipped_pixels": 10, "clipped_fraction": 0.0012, "out_of_gamut_pixels": 4, "max_nits": 2574.0},
    }
    warnings = build_report(plan_12x6, frames=frames)["warnings"]
    assert warnings == [
        "light above the wall's peak of 1500 nits was clipped on 1 of 2 exported frames (2); up to 0.12% of the "
        "pixels, brightest 2574 nits",
        "colours outside the wall's gamut were clipped on 1 of 2 exported frames (up to 4 pixels)",
    ]
