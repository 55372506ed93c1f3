"""`mockmle doctor`: is the setup sound? Endpoint, model, streaming, structured output, tokens, the offline judge's
meaning model, voice.

Each check is one line with a status. Without a model configured, the model checks say how to set
one up and the rest still run: offline is a working mode, not an error.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import asdict, dataclass

from mockmle.app.services import Services
from mockmle.settings import DEFAULT_OPENAI_MODEL

_TINY_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
                "additionalProperties": False}


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok, warn, fail, info
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def run_checks(services: Services) -> list[Check]:
    settings = services.settings
    llm = settings.llm
    config_file = settings.config_path
    checks = [
        Check("config", "info", f"{config_file}" + ("" if config_file.is_file() else " (not present; defaults in use)")),
        Check("judge", "info", f"{settings.judge}; interviewer: {settings.interviewer}"),
    ]
    if not llm.configured:
        checks.append(Check("endpoint", "info", "no model configured: offline interviewer and judge. Set OPENAI_API_KEY "
                                                "or OPENAI_BASE_URL to use a model"))
    else:
        checks.extend(_model_checks(services))
    checks.append(_token_check(services))
    checks.append(_meaning_check() if settings.meaning else Check(
        "meaning model", "info", "off (MOCKMLE_MEANING=off): the offline judge matches the rubric's words only"))
    checks.extend(_voice_checks(settings))
    return checks


def _model_checks(services: Services) -> list[Check]:
    from mockmle.llm.client import ChatClient, ChatRequest
    from mockmle.llm.faults import LLMError

    llm = services.settings.llm
    key = "set (hidden)" if llm.api_key else "not set (fine for a local server)"
    checks = [Check("endpoint", "info", f"{llm.endpoint}; API key {key}")]
    client = ChatClient(llm, services.counter)  # doctor's own calls are not logged with the sessions
    try:
        listed = client.list_models()
    except LLMError as error:
        return [*checks, Check("server", "fail", error.line)]
    checks.append(Check("server", "ok", f"answers; lists {len(listed)} model(s): {', '.join(listed[:5]) or 'none'}"))
    models = dict.fromkeys([client.model_for("interviewer"), client.model_for("judge")])
    for model in models:
        if listed and model not in listed:
            checks.append(Check("model", "warn", f"{model} is not in the server's list (some servers accept it anyway)"))
        hello = [{"role": "user", "content": "Reply with the single word OK."}]
        try:
            result = client.complete(ChatRequest("doctor", hello, "doctor", model=model, max_tokens=8, retries=0))
        except LLMError as error:
            checks.append(Check("model", "fail", f"{model}: {error.line}"))
            continue
        checks.append(Check("model", "ok", f"{model} answers in {result.latency * 1000:.0f} ms"))
        pieces: list[str] = []
        try:
            client.stream(ChatRequest("doctor", hello, "doctor", model=model, max_tokens=8, retries=0), pieces.append)
            checks.append(Check("streaming", "ok" if pieces else "warn", f"{model}: {len(pieces)} piece(s) streamed"))
        except LLMError as error:
            checks.append(Check("streaming", "warn", f"{model}: {error.line}; follow-ups will appear whole"))
        checks.append(_structured_check(client, model))
    return checks


def _structured_check(client, model: str) -> Check:
    from mockmle.llm.client import ChatRequest
    from mockmle.llm.faults import LLMError

    ask = [{"role": "user", "content": 'Answer with the JSON object {"ok": true} and nothing else.'}]
    formats: dict[str, dict] = {
        "json_schema": {"type": "json_schema", "json_schema": {"name": "check", "schema": _TINY_SCHEMA}},
        "json_object_schema": {"type": "json_object", "schema": _TINY_SCHEMA},
        "json_object": {"type": "json_object"}}
    for name, response_format in formats.items():
        try:
            client.complete(ChatRequest("doctor", ask, "doctor", model=model, max_tokens=16, retries=0,
                                        response_format=response_format))
        except LLMError as error:
            if error.kind in ("bad_request", "server", "not_found"):
                continue
            return Check("structured output", "warn", f"{model}: {error.line}")
        detail = {"json_schema": "json_schema",
                  "json_object_schema": "json_object with a schema (the server enforces the judge's schema)",
                  }.get(name, "json_object only (the judge puts the schema in the prompt)")
        return Check("structured output", "ok", f"{model}: {detail}")
    return Check("structured output", "warn", f"{model}: neither json_schema nor json_object; the judge parses plain text")


def _token_check(services: Services) -> Check:
    model = services.settings.llm.judge_model or DEFAULT_OPENAI_MODEL
    if services.llm is not None:
        try:
            model = services.llm.model_for("judge")
        except Exception:  # noqa: BLE001 - an unreachable server is reported above; count for the named model
            pass
    encoding = services.counter.encoding_for(model)
    try:
        count = services.counter.count("Explain bagging versus boosting.", model)
    except Exception as exc:  # noqa: BLE001 - a broken tokenizer file is reported, not raised
        return Check("tokens", "fail", f"{encoding.name}: cannot load ({exc})")
    how = "exact" if encoding.exact else f"approximate for {model} (its own tokenizer differs)"
    return Check("tokens", "ok", f"{encoding.name}, works offline, {how} ({count} tokens in a test sentence)")


def _meaning_check() -> Check:
    """Loads the sentence-embedding model the offline judge matches meaning with, and times it."""
    from mockmle.semantic import SemanticUnavailable
    from mockmle.semantic.encoder import Encoder

    encoder = Encoder()
    try:
        started = time.perf_counter()
        encoder.load()  # includes importing onnxruntime, as on the app's first grade
        loaded = time.perf_counter()
        encoder.encode(["Bagging trains each model independently on a bootstrap sample."])
    except SemanticUnavailable as error:
        return Check("meaning model", "warn", f"{error.line}; the offline judge matches words only")
    took = (time.perf_counter() - loaded) * 1000
    return Check("meaning model", "ok", f"{encoder.label}, works offline ({encoder.threads} threads): loaded in "
                                        f"{(loaded - started) * 1000:.0f} ms, a test sentence in {took:.0f} ms")


def _voice_checks(settings) -> list[Check]:
    return [_recording_check(), _transcription_check(settings), _reading_check(settings)]


def _recording_check() -> Check:
    from mockmle.audio import VoiceUnavailable
    from mockmle.audio.recorder import Recorder

    if importlib.util.find_spec("sounddevice") is None:
        return Check("recording", "info", "sounddevice is not installed (pip install sounddevice): answers are typed")
    try:
        return Check("recording", "ok", Recorder.check())
    except VoiceUnavailable as error:
        return Check("recording", "warn", error.line)


def _transcription_check(settings) -> Check:
    """Whether the configured backend could transcribe; never loads, downloads or calls a model."""
    from mockmle.audio.transcribe import TranscriptionError, transcriber_for

    try:
        where = transcriber_for(settings).check()
    except TranscriptionError as error:
        status = "info" if "pip install" in error.line else "warn"  # faster-whisper is an optional extra
        return Check("transcription", status, error.line)
    return Check("transcription", "info" if where.startswith("api") else "ok",
                 where + (" (not called here)" if where.startswith("api") else ""))


def _reading_check(settings) -> Check:
    from mockmle.audio import VoiceUnavailable
    from mockmle.audio.speaker import decode_wav, speaker_for

    speaker = speaker_for(settings)
    if speaker is None:
        return Check("reading aloud", "info", 'off; to hear the questions set speak = "espeak" or "api" under '
                                              "[voice] (or MOCKMLE_SPEAK)")
    try:
        where = speaker.check()
        started = time.perf_counter()
        seconds = decode_wav(speaker.synthesise("OK.")).seconds  # one tiny request when speak = "api"
    except VoiceUnavailable as error:
        return Check("reading aloud", "warn", error.line)
    took = (time.perf_counter() - started) * 1000
    return Check("reading aloud", "ok", f"{where}; a test word: {seconds:.1f} s of audio in {took:.0f} ms")
