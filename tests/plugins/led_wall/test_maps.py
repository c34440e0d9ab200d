import csv
import io
import json
import xml.etree.ElementTree as ET

from plugins.led_wall.maps import CSV_COLUMNS, cabinets_csv, ndisplay_json, resolume_xml


def test_cabinet_table(plan_12x6):
    rows = list(csv.DictReader(io.StringIO(cabinets_csv(plan_12x6))))
    assert len(rows) == 288
    assert tuple(rows[0]) == CSV_COLUMNS
    first = rows[0]
    assert first["id"] == "main_C00_R00" and first["canvas_w"] == "192" and first["processor"] == "PROC_A"
    assert (first["raster_x"], first["raster_y"], first["port"], first["chain_index"]) == ("0", "0", "1", "6")
    by_id = {row["id"]: row for row in rows}
    turned = by_id["main_C21_R00"]  # in PROC_A's turned segment
    assert (turned["canvas_x"], turned["raster_x"], turned["raster_y"]) == ("4032", "960", "1152")
    assert by_id["main_C23_R11"]["processor"] == "PROC_B"
    assert all(row["split"] == "" for row in rows)


def test_undriven_cabinets_have_empty_processor_fields(tiny_stage):
    from plugins.led_wall.plan import build_plan
    from plugins.led_wall.schema import stage_from_dict
    from tests.plugins.led_wall.conftest import tiny_dict

    data = tiny_dict()
    del data["raster_maps"][1]
    rows = list(csv.DictReader(io.StringIO(cabinets_csv(build_plan(stage_from_dict(data))))))
    undriven = [row for row in rows if row["col"] in ("2", "3")]
    assert len(undriven) == 6 and all(row["processor"] == row["port"] == "" for row in undriven)


def test_ndisplay_layout(plan_12x6):
    data = json.loads(ndisplay_json(plan_12x6, "stage_12x6.obj"))["nDisplay"]
    nodes = data["cluster"]["nodes"]
    assert sorted(nodes) == ["PROC_A", "PROC_B"]
    assert nodes["PROC_A"]["window"] == {"x": 0, "y": 0, "w": 4096, "h": 2160}
    turned = nodes["PROC_A"]["viewports"]["PROC_A_1"]
    assert turned["region"] == {"x": 0, "y": 1152, "w": 1152, "h": 576}
    assert turned["canvas"] == {"x": 4032, "y": 0, "w": 576, "h": 1152} and turned["rotation"] == 90
    assert turned["projectionPolicy"] == {"type": "mesh", "parameters": {"component": "main"}}
    assert data["scene"]["components"]["main"]["file"] == "stage_12x6.obj"
    assert data["cluster"]["sync"] == {"fps": 24.0, "refreshHz": 60.0}


def test_resolume_slices(plan_12x6):
    root = ET.fromstring(resolume_xml(plan_12x6))
    size = root.find("ScreenSetup/CurrentCompositionTextureSize")
    assert (size.get("width"), size.get("height")) == ("4608", "2304")
    screens = root.findall("ScreenSetup/screens/Screen")
    assert [s.get("name") for s in screens] == ["PROC_A", "PROC_B"]
    slices = screens[0].findall("layers/Slice")
    assert len(slices) == 2
    flat_in = [(int(v.get("x")), int(v.get("y"))) for v in slices[0].findall("InputRect/v")]
    assert flat_in == [(0, 0), (4032, 0), (4032, 1152), (0, 1152)]
    turned_out = [(int(v.get("x")), int(v.get("y"))) for v in slices[1].findall("OutputRect/v")]
    # Input corners TL, TR, BR, BL turned 90 degrees clockwise land on the output's TR, BR, BL, TL.
    assert turned_out == [(1152, 1152), (1152, 1728), (0, 1728), (0, 1152)]
    assert slices[1].find("OutputRect").get("orientation") == "90"
    device = screens[1].find("OutputDevice/OutputDeviceVirtual")
    assert (device.get("width"), device.get("height")) == ("4096", "2160")
    unique = [e.get("uniqueId") for e in root.iter() if e.get("uniqueId")]
    assert len(unique) == len(set(unique))
