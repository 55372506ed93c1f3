"""Reading questions aloud: espeak-ng and a real local speech endpoint synthesise WAVs, which play through
sounddevice (into a fake stream, and through real PortAudio into a file-backed ALSA device); doctor says
what voice can do here. Nothing reaches the network; no API key is needed.

With MOCKMLE_REQUIRE_AUDIO=1 a missing espeak-ng or PortAudio fails the tests instead of skipping them.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import threading
import time
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mockmle.audio import VoiceUnavailable
from mockmle.audio.speaker import (
    NO_ENDPOINT,
    NO_ESPEAK,
    NO_OUTPUT,
    NO_PACKAGE,
    ApiSpeaker,
    EspeakSpeaker,
    decode_wav,
    play_wav,
    speaker_for,
)
from mockmle.settings import LLMConfig, Settings, VoiceConfig

KEY = "sk-test-speaker-0123456789"
QUESTION = "technical.bias-variance"


def _missing(reason: str) -> None:
    if os.environ.get("MOCKMLE_REQUIRE_AUDIO") == "1":
        pytest.fail(f"MOCKMLE_REQUIRE_AUDIO=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def espeak():
    if shutil.which("espeak-ng") is None:
        _missing("espeak-ng is not installed")


@pytest.fixture
def sd():
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        _missing(f"sounddevice cannot load PortAudio ({exc})")
    return sounddevice


def sine_wav(seconds: float = 0.5, rate: int = 16000, placeholder_sizes: bool = False) -> bytes:
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    data = buffer.getvalue()
    if placeholder_sizes:  # what a stream that cannot seek back writes (espeak-ng --stdout, streamed TTS)
        data = data[:4] + b"\xff\xff\xff\xff" + data[8:40] + b"\xff\xff\xff\xff" + data[44:]
    return data


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def frames_of(data: bytes) -> bytes:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.readframes(reader.getnframes())


class FakeStream:
    """Stands in for sounddevice.RawOutputStream: keeps what is written instead of sending it to a device."""

    made: list[FakeStream] = []

    def __init__(self, delay: float = 0.0, **kwargs):
        self.kwargs, self.delay = kwargs, delay
        self.written: list[bytes] = []
        self.events: list[str] = []
        FakeStream.made.append(self)

    def start(self):
        self.events.append("start")

    def write(self, data):
        self.written.append(bytes(data))
        time.sleep(self.delay)
        return False

    def stop(self):
        self.events.append("stop")

    def abort(self):
        self.events.append("abort")

    def close(self):
        self.events.append("close")

    @property
    def played(self) -> bytes:
        return b"".join(self.written)


@pytest.fixture
def fake_output(sd, monkeypatch):
    FakeStream.made = []
    delay = {"seconds": 0.0}
    monkeypatch.setattr(sd, "RawOutputStream", lambda **kwargs: FakeStream(delay["seconds"], **kwargs))
    return delay


# -- synthesis


def test_espeak_synthesises_a_wav_of_a_question(espeak, bank):
    text = bank.question(QUESTION).text
    data = EspeakSpeaker().synthesise(text)
    with wave.open(io.BytesIO(data), "rb") as reader:
        assert reader.getnchannels() == 1 and reader.getsampwidth() == 2
        assert 8000 <= reader.getframerate() <= 48000
        seconds = reader.getnframes() / reader.getframerate()
    assert seconds > 0.5
    assert decode_wav(data).seconds == pytest.approx(seconds)  # the header's sizes are the real ones


def test_without_espeak_the_line_says_how_to_get_it():
    with pytest.raises(VoiceUnavailable) as caught:
        EspeakSpeaker(program="espeak-ng-not-installed-here").synthesise("Hello.")
    assert caught.value.line == NO_ESPEAK and "apt-get install espeak-ng" in NO_ESPEAK and "\n" not in NO_ESPEAK


def test_a_header_with_placeholder_sizes_still_decodes():
    data = sine_wav(0.3, placeholder_sizes=True)
    pcm = decode_wav(data)
    assert (pcm.rate, pcm.channels, pcm.width) == (16000, 1, 2) and pcm.seconds == pytest.approx(0.3)


@pytest.mark.parametrize("data", [b"", b"ID3\x04\x00 an mp3, not a wav", sine_wav()[:30]])
def test_audio_that_is_not_a_wav_is_one_line(data):
    with pytest.raises(VoiceUnavailable) as caught:
        decode_wav(data)
    assert "not a PCM WAV" in caught.value.line and "\n" not in caught.value.line


# -- playback through sounddevice, into a fake stream


def test_playback_writes_exactly_the_wavs_frames(fake_output):
    data = sine_wav(0.55, rate=22050)
    play_wav(data)
    [stream] = FakeStream.made
    assert stream.kwargs == {"samplerate": 22050, "channels": 1, "dtype": "int16"}
    assert stream.played == frames_of(data)
    assert len(stream.written) == 6  # 0.1 s chunks, so stop() is heard within one
    assert stream.events == ["start", "stop", "close"]


def test_stop_ends_playback_within_a_chunk(fake_output):
    fake_output["seconds"] = 0.02
    speaker = EspeakSpeaker()
    speaker.synthesise = lambda text: sine_wav(5.0)  # 50 chunks: about a second with the fake's delay
    worker = threading.Thread(target=speaker.say, args=("a long question",))
    worker.start()
    wait_for(lambda: FakeStream.made and len(FakeStream.made[0].written) >= 3)
    speaker.stop()
    worker.join(timeout=2)
    assert not worker.is_alive()
    [stream] = FakeStream.made
    assert 3 <= len(stream.written) < 50 and stream.events[-2:] == ["abort", "close"]


def test_the_next_question_interrupts_the_one_being_read(fake_output):
    fake_output["seconds"] = 0.02
    speaker = EspeakSpeaker()
    texts = {"first": sine_wav(5.0), "second": sine_wav(0.3)}
    speaker.synthesise = texts.get
    first = threading.Thread(target=speaker.say, args=("first",))
    first.start()
    wait_for(lambda: FakeStream.made and FakeStream.made[0].written)
    speaker.say("second")
    first.join(timeout=2)
    assert [s.events[-2] for s in FakeStream.made] == ["abort", "stop"]
    assert FakeStream.made[1].played == frames_of(texts["second"])


def test_no_output_device_is_one_line(sd, monkeypatch):
    def no_device(*args, **kwargs):
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "RawOutputStream", no_device)
    monkeypatch.setattr(sd, "query_devices", no_device)
    with pytest.raises(VoiceUnavailable) as caught:
        play_wav(sine_wav(0.1))
    assert caught.value.line == NO_OUTPUT


def test_without_sounddevice_the_line_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # makes `import sounddevice` fail
    with pytest.raises(VoiceUnavailable) as caught:
        play_wav(sine_wav(0.1))
    assert caught.value.line == NO_PACKAGE


# -- playback through real PortAudio and ALSA, into a file


def alsa_config(tmp_path, default: str) -> dict:
    # ALSA_CONFIG_PATH replaces the system's alsa.conf, so everything the default device needs is here.
    config = tmp_path / "asound.conf"
    config.write_text(default + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    env["ALSA_CONFIG_PATH"] = str(config)
    return env


def file_device(tmp_path) -> tuple[dict, object]:
    out = tmp_path / "out.raw"
    default = (f'pcm.!default {{\n  type file\n  slave.pcm "nullsink"\n  file "{out}"\n  format "raw"\n}}\n'
               'pcm.nullsink {\n  type null\n}')
    return alsa_config(tmp_path, default), out


PLAY = ("import sys\nfrom mockmle.audio import VoiceUnavailable\nfrom mockmle.audio.speaker import play_wav\n"
        "try:\n    play_wav(open(sys.argv[1], 'rb').read())\nexcept VoiceUnavailable as e:\n    print(e.line)\n"
        "    sys.exit(3)\n")


def test_playback_through_portaudio_into_an_alsa_file(sd, tmp_path):
    env, out = file_device(tmp_path)
    wav = tmp_path / "question.wav"
    wav.write_bytes(sine_wav(1.0, rate=22050))
    done = subprocess.run([sys.executable, "-c", PLAY, str(wav)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    played, expected = out.read_bytes(), frames_of(wav.read_bytes())
    assert abs(len(played) - len(expected)) <= 0.05 * len(expected)
    assert expected[: len(expected) // 2] in played  # the samples themselves, not just the right amount of noise


def test_a_real_missing_output_device_is_one_line(sd, tmp_path):
    env = alsa_config(tmp_path, "pcm.!default {\n  type hw\n  card 99\n}")  # a sound card that is not there
    wav = tmp_path / "question.wav"
    wav.write_bytes(sine_wav(0.2))
    done = subprocess.run([sys.executable, "-c", PLAY, str(wav)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and done.stdout.strip() == NO_OUTPUT, done.stderr
    assert "Traceback" not in done.stderr


# -- a real local speech endpoint


class SpeechServer:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        self.audio = sine_wav(0.4, rate=24000)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                        "json": json.loads(body)})
                if server.status != 200:
                    payload = json.dumps({"error": {"message": f"failed for key {KEY}"}}).encode()
                    kind = "application/json"
                else:
                    payload, kind = server.audio, "audio/wav"
                self.send_response(server.status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.config = LLMConfig(api_key=KEY, base_url=self.base_url, timeout=10, max_retries=0)


@pytest.fixture
def speech_server():
    server = SpeechServer()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def test_api_speaker_asks_the_endpoint_for_a_wav(speech_server, bank):
    text = bank.question(QUESTION).text
    speaker = ApiSpeaker(speech_server.config, model="tts-test", voice="verse")
    assert speaker.synthesise(text) == speech_server.audio
    [request] = speech_server.requests
    assert request["path"] == "/v1/audio/speech" and request["auth"] == f"Bearer {KEY}"
    assert request["json"] == {"model": "tts-test", "voice": "verse", "input": text, "response_format": "wav"}


def test_api_speaker_plays_what_the_endpoint_sent(speech_server, fake_output):
    ApiSpeaker(speech_server.config).say("Tell me about a model you shipped.")
    assert FakeStream.made[0].played == frames_of(speech_server.audio)
    assert FakeStream.made[0].kwargs["samplerate"] == 24000


@pytest.mark.parametrize("status, words", [(500, "had an error (HTTP 500)"), (404, "offer /audio/speech")])
def test_an_endpoint_error_is_one_line_without_the_key(speech_server, status, words):
    speech_server.status = status
    with pytest.raises(VoiceUnavailable) as caught:
        ApiSpeaker(speech_server.config).synthesise("Why do we hold out a test set?")
    line = caught.value.line
    assert words in line and speech_server.base_url in line
    assert KEY not in line and "\n" not in line and KEY not in str(caught.value)


def test_api_speaker_without_an_endpoint_says_what_to_set():
    with pytest.raises(VoiceUnavailable) as caught:
        ApiSpeaker(LLMConfig()).synthesise("Hello.")
    assert caught.value.line == NO_ENDPOINT


# -- choosing a speaker, and doctor


def test_speaker_for_follows_the_speak_setting(tmp_path):
    def settings(**voice):
        return Settings(home=tmp_path, llm=LLMConfig(api_key=KEY), voice=VoiceConfig(**voice))

    assert speaker_for(settings()) is None  # off by default
    assert speaker_for(settings(speak="off")) is None
    assert isinstance(speaker_for(settings(speak="espeak")), EspeakSpeaker)
    api = speaker_for(settings(speak="api", speech_model="tts-x", speech_voice="verse"))
    assert isinstance(api, ApiSpeaker) and (api.model, api.voice, api.config.api_key) == ("tts-x", "verse", KEY)


def test_doctor_names_the_three_voice_checks(cli):
    result = cli("doctor")
    assert result.returncode == 0, result.stderr
    lines = {line[6:24].strip(): line for line in result.stdout.splitlines()}
    assert {"recording", "transcription", "reading aloud"} <= lines.keys()
    assert "off; to hear the questions" in lines["reading aloud"]
    assert "audio" not in lines  # the old check, replaced by these three


def test_doctor_reads_a_test_word_with_espeak(cli, espeak, sd, tmp_path):
    env, _ = file_device(tmp_path)
    result = cli("doctor", "--json", env={**env, "MOCKMLE_SPEAK": "espeak"})
    assert result.returncode == 0, result.stderr
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["reading aloud"]["status"] == "ok" and "espeak-ng" in checks["reading aloud"]["detail"]
    assert checks["recording"]["status"] == "ok"  # the file device is also an input, so recording can open it


def test_doctor_tries_the_speech_endpoint(speech_server, tmp_path, sd, monkeypatch):
    from mockmle.app.doctor import _reading_check

    monkeypatch.setattr(sd, "query_devices", lambda *a, **k: {"name": "fake speakers", "max_output_channels": 2})
    settings = Settings(home=tmp_path, llm=speech_server.config, voice=VoiceConfig(speak="api", speech_model="tts-test"))
    check = _reading_check(settings)
    assert check.status == "ok" and "tts-test" in check.detail and speech_server.base_url in check.detail
    speech_server.status = 500
    check = _reading_check(settings)
    assert check.status == "warn" and "HTTP 500" in check.detail and KEY not in check.detail
