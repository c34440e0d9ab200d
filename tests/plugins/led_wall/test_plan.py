from plugins.led_wall.plan import build_plan
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def test_the_12x6_wall_on_two_processors(plan_12x6):
    # Each processor drives 6 rows x 24 columns = 144 cabinets of 36,864 px = 5,308,416 px,
    # through one 4096 x 2160 raster (a 4032 x 1152 block and a 1152 x 576 block turned 90 degrees).
    assert plan_12x6.canvas == (4608, 2304)
    assert [u.processor.name for u in plan_12x6.processors] == ["PROC_A", "PROC_B"]
    for use in plan_12x6.processors:
        assert (use.processor.input_width, use.processor.input_height) == (4096, 2160)
        assert use.cabinets == 144 and use.pixels == 144 * 36_864
        # 10-bit 60 Hz: 524,288 px per port = 14 cabinets; columns of 6 -> 2 columns (12) per port;
        # 24 columns -> 12 ports of the 16.
        assert use.port_capacity == 524_288 and use.cabinets_per_port == 14
        assert use.ports_needed == 12 and [p.cabinets for p in use.ports] == [12] * 12
    assert plan_12x6.processors_needed == 2
    assert plan_12x6.warnings == []


def test_every_cabinet_has_a_raster_position_port_and_chain(plan_12x6):
    first = plan_12x6.placement("main_C00_R05")  # PROC_A's bottom-left: where its port 1 starts
    assert (first.processor, first.port, first.chain_index, first.raster_box) == ("PROC_A", 1, 1,
                                                                                   (0, 960, 192, 1152))
    # Serpentine: up column 0 (rows 5..0), then down column 1.
    assert plan_12x6.placement("main_C00_R00").chain_index == 6
    assert plan_12x6.placement("main_C01_R00").chain_index == 7
    assert plan_12x6.placement("main_C01_R05").chain_index == 12
    assert plan_12x6.placement("main_C02_R05").port == 2
    # Column 21 is the first of the turned block: canvas (4032, 0) lands at the raster's top-right of it.
    turned = plan_12x6.placement("main_C21_R00")
    assert turned.raster_box == (1152 - 192, 1152, 1152, 1152 + 192)
    bottom = plan_12x6.placement("main_C23_R11")
    assert (bottom.processor, bottom.port, bottom.chain_index) == ("PROC_B", 12, 12)


def test_split_and_undriven_cabinets_are_reported():
    data = tiny_dict()
    data["raster_maps"][0]["mappings"][0]["wall_segment_u_end"] = 12  # P1 stops mid-way through column 1
    plan = build_plan(stage_from_dict(data))
    assert "cabinet w_C01_R00 is split across raster segments (P1)" in plan.warnings
    assert plan.placement("w_C01_R00").split and plan.placement("w_C01_R00").raster_box == (8, 0, 12, 6)
    del data["raster_maps"][1]
    plan = build_plan(stage_from_dict(data))
    assert any(w.startswith("6 cabinets are on no raster map and are not driven: w_C02_R00") for w in plan.warnings)
    assert plan.placement("w_C03_R02").processor is None


def test_ports_over_what_the_processor_has():
    data = tiny_dict()
    data["processors"][0]["ports"] = 1
    plan = build_plan(stage_from_dict(data))
    assert "P1 needs 2 ports and has 1" in plan.warnings


def test_bit_depth_and_refresh_change_the_port_count(tiny_stage):
    # 180 px per port at 8-bit 60 Hz; cabinets are 48 px, columns 3 cabinets.
    assert [u.ports_needed for u in build_plan(tiny_stage, bit_depth=8).processors] == [2, 2]   # 180 px: 3 fit
    plan = build_plan(tiny_stage, bit_depth=12)  # 120 px: 2 cabinets, each column splits over 2 ports
    assert [u.ports_needed for u in plan.processors] == [4, 4]
    assert sum("over the port capacity of 2" in w for w in plan.warnings) == 4


def test_input_over_capacity_at_120_hz():
    data = tiny_dict()
    data["processors"][0]["max_input_pixels"] = 500  # 40 x 20 = 800 px raster
    plan = build_plan(stage_from_dict(data))
    assert any("raster of P1 is over its input capacity at 60 Hz (500 px per frame)" in w for w in plan.warnings)


def test_missing_cabinets_black_out_their_raster_area():
    data = tiny_dict()
    data["walls"][0]["missing"] = [[3, 0]]
    plan = build_plan(stage_from_dict(data))
    # Cabinet (3, 0) is canvas (24, 0)-(32, 6), local (8, 0)-(16, 6) in the 16 x 18 segment; turned 90
    # degrees: (18 - 6, 8)-(18 - 0, 16) = (12, 8)-(18, 16), plus the segment origin (2, 1).
    assert plan.blackouts == {"P1": [], "P2": [(14, 9, 20, 17)]}
    assert len(plan.placements) == 11


def test_pitch_and_peak_inconsistencies_are_warned():
    data = tiny_dict(colour={"peak_nits": 2000})
    data["panels"][0]["pixel_pitch"] = 2.6
    warnings = build_plan(stage_from_dict(data)).warnings
    assert any("8 px at 2.6 mm pitch is 20.8 mm, but its width is 500 mm" in w for w in warnings)
    assert "the signal peak 2000 nits is above panel p8x6's peak of 1500 nits" in warnings
