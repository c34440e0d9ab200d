import numpy as np

from plugins.led_wall.mesh import wall_obj
from plugins.led_wall.plan import build_plan
from plugins.led_wall.schema import stage_from_dict
from tests.plugins.led_wall.conftest import tiny_dict


def _parse(text):
    vertices = np.array([list(map(float, line.split()[1:])) for line in text.splitlines() if line.startswith("v ")])
    uvs = np.array([list(map(float, line.split()[1:])) for line in text.splitlines() if line.startswith("vt ")])
    faces = [[int(part.split("/")[0]) for part in line.split()[1:]] for line in text.splitlines()
             if line.startswith("f ")]
    return vertices, uvs, faces


def test_curved_wall_mesh(plan_12x6):
    vertices, uvs, faces = _parse(wall_obj(plan_12x6))
    assert len(vertices) == len(uvs) == 25 * 13 and len(faces) == 288
    quad = vertices[np.array(faces[0]) - 1]
    widths = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])
    np.testing.assert_allclose(widths, 0.5, atol=1e-5)  # each cabinet a 500 mm chord
    np.testing.assert_allclose(np.linalg.norm(quad[3] - quad[0]), 0.5, atol=1e-5)
    assert vertices[:, 2].max() > 1.0  # concave: the ends come towards the audience
    np.testing.assert_allclose(uvs.min(axis=0), (0, 0)) and np.testing.assert_allclose(uvs.max(axis=0), (1, 1))


def test_missing_cabinets_have_no_face_and_faces_face_the_audience():
    data = tiny_dict()
    data["walls"][0]["missing"] = [[0, 0]]
    vertices, uvs, faces = _parse(wall_obj(build_plan(stage_from_dict(data))))
    assert len(faces) == 11
    a, b, c = (vertices[i - 1] for i in faces[0][:3])
    assert np.cross(b - a, c - a)[2] > 0  # counter-clockwise seen from +z
    # The first face is cabinet (1, 0): texture from canvas x 8..16 of 32, y 0..6 of 18 (v flipped).
    face_uv = uvs[np.array(faces[0]) - 1]
    np.testing.assert_allclose(face_uv.min(axis=0), (8 / 32, 1 - 6 / 18), atol=1e-6)  # 6 decimals
    np.testing.assert_allclose(face_uv.max(axis=0), (16 / 32, 1.0), atol=1e-6)
