"""API keys: from an environment variable or the OS keyring, and never from (or into) a comp file.

A key is looked up when a node submits or a command checks an account, and is only handed to
the service's client. Nothing in a document, a record beside the generated media, an image's
metadata or an error message ever holds it. The environment wins over the keyring, so a farm
or CI job can override a workstation's stored key.

| service | environment variable(s) | keyring entry (service, user) |
|---|---|---|
| runway | `RUNWAYML_API_SECRET` (the SDK's own) | (`nodecomp`, `runway`) |
| kling | `FAL_KEY`, or `FAL_KEY_ID` + `FAL_KEY_SECRET` (fal-client's own) | (`nodecomp`, `fal`) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from plugins.cloud_generators.errors import CloudError, Failure

KEYRING_SERVICE = "nodecomp"


@dataclass(frozen=True)
class KeySpec:
    """Where one service's key may come from."""

    service: str
    label: str
    env: str
    keyring_user: str
    env_pair: tuple[str, str] | None = None


SPECS: dict[str, KeySpec] = {
    "runway": KeySpec("runway", "Runway", "RUNWAYML_API_SECRET", "runway"),
    "kling": KeySpec("kling", "Kling (fal.ai)", "FAL_KEY", "fal", env_pair=("FAL_KEY_ID", "FAL_KEY_SECRET")),
}


@dataclass(frozen=True)
class FoundKey:
    """A key and where it came from; the key itself never shows in repr or str."""

    value: str = field(repr=False)
    source: str

    def __str__(self) -> str:
        return f"key from {self.source}"


@dataclass(frozen=True)
class KeyLookup:
    """The result of looking a key up: the key (or None) and notes on what was tried."""

    key: FoundKey | None
    notes: tuple[str, ...] = ()


def spec(service: str) -> KeySpec:
    """The key spec of `service`; ValueError naming the known services otherwise."""
    try:
        return SPECS[service]
    except KeyError:
        raise ValueError(f"unknown service {service!r} (known: {', '.join(SPECS)})") from None


def lookup(service: str) -> KeyLookup:
    """Find `service`'s key: its environment variable(s) first, then the OS keyring."""
    key_spec = spec(service)
    value = os.environ.get(key_spec.env, "").strip()
    if value:
        return KeyLookup(FoundKey(value, f"environment variable {key_spec.env}"))
    if key_spec.env_pair is not None:
        key_id, secret = (os.environ.get(name, "").strip() for name in key_spec.env_pair)
        if key_id and secret:
            return KeyLookup(FoundKey(f"{key_id}:{secret}", "environment variables " + " + ".join(key_spec.env_pair)))
    notes: list[str] = []
    try:
        import keyring
        import keyring.errors
    except ImportError:
        return KeyLookup(None, ("the keyring package is not installed",))
    try:
        stored = keyring.get_password(KEYRING_SERVICE, key_spec.keyring_user)
    except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
        notes.append(f"the OS keyring cannot be read ({type(exc).__name__}: {exc})")
        stored = None
    if stored:
        return KeyLookup(FoundKey(stored.strip(), f"OS keyring ({KEYRING_SERVICE}/{key_spec.keyring_user})"))
    return KeyLookup(None, tuple(notes))


def require(service: str) -> FoundKey:
    """`service`'s key, or a CloudError telling the user how to add one."""
    found = lookup(service)
    if found.key is not None:
        return found.key
    key_spec = spec(service)
    extra = f" ({'; '.join(found.notes)})" if found.notes else ""
    raise CloudError(
        Failure.NO_KEY,
        f"no {key_spec.label} API key found{extra}",
        hint=f"set {key_spec.env} or run `nodecomp cloud set-key {service}`; see docs/cloud-generators.md",
    )


def store(service: str, value: str) -> str:
    """Save a key in the OS keyring; returns where it went.

    Raises:
        CloudError: keyring missing, or no usable keyring backend on this machine.
    """
    key_spec = spec(service)
    value = value.strip()
    if not value:
        raise CloudError(Failure.NO_KEY, "the key is empty")
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise CloudError(Failure.MISSING_PACKAGE, "the keyring package is not installed",
                         hint=f"pip install keyring, or set {key_spec.env} instead") from None
    try:
        keyring.set_password(KEYRING_SERVICE, key_spec.keyring_user, value)
    except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
        raise CloudError(Failure.NO_KEY, f"the OS keyring cannot store the key ({type(exc).__name__}: {exc})",
                         hint=f"set {key_spec.env} in the environment instead") from None
    return f"OS keyring ({KEYRING_SERVICE}/{key_spec.keyring_user})"


def delete(service: str) -> bool:
    """Remove a stored key; False when there was none (or no keyring)."""
    key_spec = spec(service)
    try:
        import keyring
        import keyring.errors
    except ImportError:
        return False
    try:
        keyring.delete_password(KEYRING_SERVICE, key_spec.keyring_user)
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        return False
    return True
