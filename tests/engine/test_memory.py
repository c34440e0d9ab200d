import subprocess
import sys


def test_mmap_threshold_can_be_set_in_a_fresh_process():
    code = "from nodecomp.engine.memory import serve_large_buffers_from_mmap as f; f(); print(f())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() in ("True", "False")
    if sys.platform.startswith("linux"):
        assert out.stdout.strip() == "True"
