"""Transcription with a real Whisper model (faster-whisper-base, offline), through faster-whisper directly
and through the real OpenAI SDK talking to a small OpenAI-compatible server on 127.0.0.1; and the CLI."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import pytest

from mockmle.audio.transcribe import (
    ApiTranscriber,
    FallbackTranscriber,
    LocalWhisper,
    TranscriptionError,
    UnreadableAudio,
    recording_seconds,
    transcriber_for,
)
from mockmle.settings import LLMConfig, Settings, VoiceConfig
from whisper_model import word_error_rate

VOICE = Path(__file__).parent / "data" / "voice"
CLIP = VOICE / "answer.wav"
REFERENCE = (VOICE / "answer.txt").read_text(encoding="utf-8")
KEY = "sk-test-NEVER-SHOWN-4b3a2c"
# faster-whisper-base hears the espeak-ng clip as "maze line" for "baseline", "hell-out" for "held out" and
# "And" for "Then": 4 errors in 39 words, WER 0.10 (measured). 0.3 leaves room for a different CPU or
# faster-whisper release while still failing if the audio, the prompt or the decoding goes wrong.
MAX_WER = 0.3


@pytest.fixture(scope="module")
def whisper(whisper_model_dir):
    return LocalWhisper(str(whisper_model_dir))


@pytest.fixture(scope="module")
def spoken(whisper):
    return whisper.transcribe(CLIP)


# -- faster-whisper on this machine


def test_local_transcript_is_close_to_what_was_said(spoken):
    assert word_error_rate(REFERENCE, spoken.text) < MAX_WER, spoken.text
    assert word_error_rate(REFERENCE, " ".join(w.text for w in spoken.words)) < MAX_WER
    assert (spoken.backend, spoken.model, spoken.language) == ("faster-whisper", "whisper-base", "en")


def test_local_words_are_timed_in_order_within_the_recording(spoken):
    assert spoken.duration == pytest.approx(recording_seconds(CLIP), abs=0.05)
    assert len(spoken.words) >= 30
    starts = [w.start for w in spoken.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start <= w.end <= spoken.duration for w in spoken.words)


def test_local_keeps_the_pause_between_the_sentences(spoken):
    gaps = [(b.start - a.end, a.text) for a, b in pairwise(spoken.words)]
    longest, before = max(gaps)
    assert 2.3 <= longest <= 3.2  # 2.5 s of silence in the clip, plus the trailing edge of "set."
    assert before.rstrip(".").lower() == "set"


def test_local_keeps_the_filler_words(spoken):
    bare = [w.text.strip(",.").lower() for w in spoken.words]
    assert any(word.startswith("um") for word in bare)
    assert "uh" in bare
    assert any(a == "you" and b == "know" for a, b in pairwise(bare))


def test_word_error_rate():
    assert word_error_rate("a held-out set", "A held out set.") == 0
    assert word_error_rate("one two three four", "one too three") == 0.5


def test_missing_or_wrong_audio_is_one_line(tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    for path, says in ((tmp_path / "gone.wav", "no such file"), (text, "not a 16-bit PCM WAV file")):
        with pytest.raises(UnreadableAudio) as caught:
            LocalWhisper("never-loaded").transcribe(path)
        assert says in caught.value.line and "\n" not in caught.value.line


def test_a_missing_model_says_where_it_looked(tmp_path):
    pytest.importorskip("faster_whisper")
    with pytest.raises(TranscriptionError) as caught:
        LocalWhisper(str(tmp_path / "no-model")).transcribe(CLIP)
    assert str(tmp_path / "no-model") in caught.value.line and "MOCKMLE_WHISPER_MODEL" in caught.value.line


# -- the API backend, against a real OpenAI-compatible server on 127.0.0.1


class TranscriptionServer:
    """POST /v1/audio/transcriptions: runs `whisper` on the upload and answers verbose_json, or sends `reply`."""

    def __init__(self, whisper: LocalWhisper | None = None):
        self.whisper = whisper
        self.reply: tuple[int, dict] | None = None
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fields, upload = _multipart(self.headers["Content-Type"], body)
                server.requests.append({"path": self.path, "fields": fields, "upload": upload,
                                        "authorization": self.headers.get("Authorization")})
                status, answer = server.reply or (200, server.transcribe(upload[1]))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def transcribe(self, audio: bytes) -> dict:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.wav"
            path.write_bytes(audio)
            spoken = self.whisper.transcribe(path)
        return {"text": spoken.text, "duration": spoken.duration, "language": "english",
                "words": [{"word": w.text, "start": w.start, "end": w.end} for w in spoken.words]}

    def __enter__(self):
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._http.shutdown()
        self._http.server_close()


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], tuple[str, bytes]]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, list[str]] = {}
    upload = ("", b"")
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename():
            upload = (part.get_filename(), part.get_payload(decode=True))
        else:
            fields.setdefault(name, []).append(part.get_content())
    return fields, upload


def _api(base_url: str) -> ApiTranscriber:
    return ApiTranscriber(LLMConfig(api_key=KEY, base_url=base_url, max_retries=0), model="whisper-1")


def test_api_returns_the_servers_words_and_asks_for_word_timestamps(whisper, spoken):
    with TranscriptionServer(whisper) as server:
        result = _api(server.base_url).transcribe(CLIP)
    assert [w.text for w in result.words] == [w.text for w in spoken.words]
    assert [w.start for w in result.words] == pytest.approx([w.start for w in spoken.words], abs=0.01)
    assert result.text == spoken.text
    assert result.duration == pytest.approx(spoken.duration)
    assert (result.backend, result.model, result.language) == ("api", "whisper-1", "english")
    request = server.requests[0]
    assert request["path"] == "/v1/audio/transcriptions"
    assert request["fields"]["model"] == ["whisper-1"]
    assert request["fields"]["response_format"] == ["verbose_json"]
    assert request["fields"]["timestamp_granularities[]"] == ["word"]
    assert "um" in request["fields"]["prompt"][0].lower()
    assert request["upload"] == ("answer.wav", CLIP.read_bytes())
    assert request["authorization"] == f"Bearer {KEY}"


def test_api_without_words_spreads_each_segments_words_over_it():
    with TranscriptionServer() as server:
        server.reply = (200, {"text": "Um I think so.", "duration": 5.0, "language": "english", "segments": [
            {"id": 0, "seek": 0, "start": 0.0, "end": 1.5, "text": " Um I think"},
            {"id": 1, "seek": 0, "start": 4.0, "end": 5.0, "text": " so."}]})
        result = _api(server.base_url).transcribe(CLIP)
    assert [(w.text, w.start, w.end) for w in result.words] == [
        ("Um", 0.0, 0.5), ("I", 0.5, 1.0), ("think", 1.0, 1.5), ("so.", 4.0, 5.0)]


def test_api_with_text_only_has_no_words_and_the_recordings_duration():
    with TranscriptionServer() as server:
        server.reply = (200, {"text": " Just text. "})
        result = _api(server.base_url).transcribe(CLIP)
    assert (result.text, result.words) == ("Just text.", [])
    assert result.duration == pytest.approx(recording_seconds(CLIP))


def test_api_errors_are_one_line_without_the_key():
    with TranscriptionServer() as server:
        server.reply = (500, {"error": {"message": f"boom {KEY}", "type": "server_error"}})
        with pytest.raises(TranscriptionError) as server_error:
            _api(server.base_url).transcribe(CLIP)
    with pytest.raises(TranscriptionError) as refused:
        _api(f"http://127.0.0.1:{_closed_port()}/v1").transcribe(CLIP)
    assert "HTTP 500" in server_error.value.line
    assert "could not reach" in refused.value.line
    for error in (server_error.value, refused.value):
        assert KEY not in error.line and "\n" not in error.line and error.line.startswith("transcription failed")


def test_api_failure_falls_back_to_faster_whisper(whisper):
    fallback = FallbackTranscriber(_api(f"http://127.0.0.1:{_closed_port()}/v1"), whisper)
    result = fallback.transcribe(CLIP)
    assert result.backend == "faster-whisper"
    assert "could not reach" in fallback.last_error


def test_a_bad_recording_does_not_fall_back(tmp_path):
    class Never:
        name = "never"

        def transcribe(self, path):
            raise AssertionError("the fallback should not run for a bad recording")

    with pytest.raises(UnreadableAudio):
        FallbackTranscriber(_api("http://127.0.0.1:9/v1"), Never()).transcribe(tmp_path / "gone.wav")


def test_transcriber_for_follows_the_voice_settings(tmp_path):
    local = transcriber_for(Settings(home=tmp_path, voice=VoiceConfig(transcriber="local", whisper_model="tiny")))
    assert isinstance(local, LocalWhisper) and local.model == "tiny"
    api = transcriber_for(Settings(home=tmp_path, llm=LLMConfig(base_url="http://127.0.0.1:9/v1"),
                                   voice=VoiceConfig(transcriber="api", transcribe_model="whisper-large")))
    primary = api.primary if isinstance(api, FallbackTranscriber) else api
    assert isinstance(primary, ApiTranscriber) and primary.model == "whisper-large"


def test_importing_the_module_loads_neither_sdk():
    code = ("import sys, mockmle.audio.transcribe; "
            "print(','.join(m for m in ('openai', 'faster_whisper', 'sounddevice') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- mockmle transcribe


def _offline(tmp_path, model: str) -> dict:
    # An empty Hugging Face cache, and no way to reach the Hub even if something tried.
    return {"MOCKMLE_WHISPER_MODEL": model, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}


def test_cli_json(cli, tmp_path, whisper_model_dir):
    result = cli("transcribe", str(CLIP), "--json", "--time-limit", "60", env=_offline(tmp_path, str(whisper_model_dir)))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["backend"] == "faster-whisper" and data["language"] == "en"
    assert data["duration"] == pytest.approx(18.5, abs=0.1)
    assert word_error_rate(REFERENCE, data["text"]) < MAX_WER
    assert set(data["words"][0]) == {"word", "start", "end"} and len(data["words"]) >= 30
    assert data["delivery"]["time_limit"] == 60 and data["delivery"]["wpm"] > 0


def test_cli_text_ends_with_the_delivery(cli, tmp_path, whisper_model_dir):
    result = cli("transcribe", str(CLIP), env=_offline(tmp_path, str(whisper_model_dir)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "logistic regression" in lines[0]
    assert "faster-whisper (whisper-base)" in result.stdout
    assert "wpm" in result.stdout and "Filler words" in result.stdout


@pytest.mark.parametrize("name, content, says", [("gone.wav", None, "no such file"),
                                                 ("notes.wav", "not audio", "not a 16-bit PCM WAV file")])
def test_cli_bad_recording_exits_2(cli, tmp_path, name, content, says):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = cli("transcribe", str(path), env=_offline(tmp_path, "/nonexistent/folder"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and says in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("model", ["/nonexistent/folder", "base"])
def test_cli_without_a_model_exits_1(cli, tmp_path, model):
    result = cli("transcribe", str(CLIP), env=_offline(tmp_path, model))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert result.stdout == ""
