"""Voice: recording answers (`recorder`), transcribing them (`transcribe`), reading questions aloud
(`speaker`), and small WAV helpers (`wav`).

Imported lazily by the shells: nothing here loads sounddevice until a recording is checked or started,
so a machine without PortAudio still runs everything else and the user only loses voice.
"""

from __future__ import annotations

from mockmle.errors import VoiceError


class VoiceUnavailable(VoiceError):
    """Voice input cannot be used here; `line` says why and how to fix it, in one line."""


def one_line(error: object) -> str:
    """An error's text on one line; an exception with no text gives its type's name."""
    text = " ".join(str(error).split())
    return text or (type(error).__name__ if isinstance(error, BaseException) else "")


def load_sounddevice(no_package: str, no_portaudio: str):
    """The sounddevice module, or VoiceUnavailable with the line for what is missing."""
    try:
        import sounddevice
    except ImportError:
        raise VoiceUnavailable(no_package) from None
    except OSError:  # sounddevice raises this on import when it cannot load the PortAudio library
        raise VoiceUnavailable(no_portaudio) from None
    return sounddevice


def endpoint_error(exc: Exception, config, failed: str, route: str, otherwise: str) -> str:
    """One line for a failed call to an audio endpoint of `config` (an LLMConfig), never with the key:
    "<failed>: <why>", and for a 404 "does the server offer <route>? Else <otherwise>"."""
    from mockmle.llm.faults import classify

    try:
        line = classify(exc, config.endpoint).line
    except Exception:  # noqa: BLE001 - classify re-raises what is not an SDK error
        line = f"the request failed ({type(exc).__name__})"
    if " 404)" in line:
        line += f"; does the server offer {route}? Else {otherwise}"
    return config.redact(f"{failed}: {line}")
