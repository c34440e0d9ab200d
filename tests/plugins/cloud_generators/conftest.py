"""Fixtures: the HTTPS stand-in on 127.0.0.1, the SDKs pointed at it, an in-memory keyring, tiny media."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import cv2
import keyring
import keyring.backend
import keyring.errors
import numpy as np
import pytest

from plugins.cloud_generators import plugin
from tests.plugins.cloud_generators.standin import FAL_KEY, RUNWAY_KEY, StandIn

KEY_VARIABLES = ("RUNWAYML_API_SECRET", "FAL_KEY", "FAL_KEY_ID", "FAL_KEY_SECRET", "RUNWAYML_BASE_URL",
                 "NODECOMP_FAL_PLATFORM_URL")
FRAMES = 12
SIZE = (64, 36)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend keeping passwords in a dict: the tests never touch the OS keyring."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.passwords = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def isolated_keys(monkeypatch):
    """No key from the developer's environment or OS keyring leaks into a test."""
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def tls(tmp_path_factory):
    """A throw-away CA and a certificate for 127.0.0.1."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    path = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, cert, path


@pytest.fixture(scope="session")
def https_server(tls):
    """pytest-httpserver over TLS on 127.0.0.1 (an ephemeral port), shared by the session."""
    import ssl

    from pytest_httpserver import HTTPServer

    _, cert, _ = tls
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def _point_fal_at(host: str) -> None:
    """fal-client reads FAL_QUEUE_RUN_HOST when imported: (re)import it with the stand-in's host."""
    import fal_client
    import fal_client.auth
    import fal_client.client

    if fal_client.client.QUEUE_URL_FORMAT != f"https://{host}/":
        importlib.reload(fal_client.auth)
        importlib.reload(fal_client.client)
        importlib.reload(fal_client)


@pytest.fixture
def standin(https_server, tls, monkeypatch):
    """A fresh stand-in; both SDKs, the pricing API and downloads point at it, with valid keys set."""
    _, _, ca_path = tls
    https_server.clear()
    host = f"127.0.0.1:{https_server.port}"
    stand = StandIn(base=f"https://{host}")
    https_server.expect_request(re.compile("^/.*")).respond_with_handler(stand.dispatch)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_path))
    monkeypatch.setenv("RUNWAYML_BASE_URL", stand.base)
    monkeypatch.setenv("NODECOMP_FAL_PLATFORM_URL", f"{stand.base}/v1")
    monkeypatch.setenv("FAL_QUEUE_RUN_HOST", host)
    monkeypatch.setenv("RUNWAYML_API_SECRET", RUNWAY_KEY)
    monkeypatch.setenv("FAL_KEY", FAL_KEY)
    _point_fal_at(host)
    return stand


@pytest.fixture(scope="session")
def video_bytes(tmp_path_factory):
    """A 12-frame 64x36 MP4 at 24 fps made with PyAV; frame i has red = 20 * i (8-bit), green 128."""
    import av

    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=24)
        stream.width, stream.height = SIZE
        stream.pix_fmt = "yuv420p"
        stream.options = {"qscale": "1"}
        for index in range(FRAMES):
            rgb = np.zeros((SIZE[1], SIZE[0], 3), np.uint8)
            rgb[..., 0] = 20 * index
            rgb[..., 1] = 128
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


@pytest.fixture(scope="session")
def png_bytes():
    """A 32x18 PNG of sRGB (200, 100, 50)."""
    bgr = np.zeros((18, 32, 3), np.uint8)
    bgr[...] = (50, 100, 200)
    return cv2.imencode(".png", bgr)[1].tobytes()


@pytest.fixture
def shot(tmp_path):
    """A saved 64x36, 12-frame document knowing the plugin, with a grey source plate."""
    from nodecomp.testing import make_document, source

    doc = make_document(plugins=(plugin,), size=SIZE, frames=(1, FRAMES))
    plate = np.zeros((SIZE[1], SIZE[0], 4), np.float32)
    plate[...] = (0.18, 0.18, 0.18, 1.0)
    source(doc, plate, name="Plate")
    doc.save(str(tmp_path / "shot.ncomp"))
    return doc


def media_dir(doc) -> Path:
    """The document's generated-media folder."""
    return Path(doc.path).parent / "media" / "generated"
