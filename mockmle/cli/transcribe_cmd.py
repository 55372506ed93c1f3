"""`mockmle transcribe FILE.wav`: a recording's transcript, word timings and delivery feedback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mockmle.cli.options import common
from mockmle.errors import UsageError


def add_parser(commands) -> None:
    spoken = commands.add_parser("transcribe", help="transcribe a WAV recording and comment on its delivery "
                                 "(pace, filler words, pauses)")
    spoken.set_defaults(func=transcribe)
    spoken.add_argument("file", metavar="FILE.wav", help="the recording (PCM WAV)")
    spoken.add_argument("--time-limit", type=float, metavar="SECONDS", help="also check the talk time against this limit")
    spoken.add_argument("--json", action="store_true", help="print the text, each word's timing and the delivery as JSON")
    spoken.epilog = ("Transcribes with faster-whisper on this machine (pip install 'mockmle[voice]'; model: "
                     "$MOCKMLE_WHISPER_MODEL, a folder or a name in its cache) or, when OPENAI_API_KEY or "
                     "OPENAI_BASE_URL is set, with that endpoint's /audio/transcriptions. "
                     "MOCKMLE_TRANSCRIBER=local or api chooses.")
    common(spoken)


def transcribe(args: argparse.Namespace) -> int:
    from mockmle.app.services import Services
    from mockmle.app.transcription import transcribe_recording
    from mockmle.core.delivery import delivery_lines
    from mockmle.settings import resolve_settings

    if args.time_limit is not None and args.time_limit <= 0:
        raise UsageError("--time-limit must be more than 0 seconds")
    services = Services(resolve_settings(home=args.home, bank_dir=args.bank_dir))
    # a bad file is exit 2 (UnreadableAudio), a failure exit 1
    transcript = transcribe_recording(services, Path(args.file), time_limit=args.time_limit)
    spoken, delivery = transcript.spoken, transcript.delivery
    if transcript.fallback:
        print(f"mockmle: {transcript.fallback}; transcribed with faster-whisper instead", file=sys.stderr)
    if args.json:
        from mockmle.cli.commands import print_json

        print_json({"text": spoken.text, "duration": round(spoken.duration, 3), "language": spoken.language,
                    "backend": spoken.backend, "model": spoken.model,
                    "words": [{"word": w.text, "start": round(w.start, 3), "end": round(w.end, 3)}
                              for w in spoken.words],
                    "delivery": delivery.model_dump(mode="json")})
        return 0
    print(spoken.text or "(no speech heard)")
    print()
    language = f", {spoken.language}" if spoken.language else ""
    print(f"{spoken.duration:.1f} s, {len(spoken.words)} words{language}; {spoken.backend} ({spoken.model})")
    for line in delivery_lines(delivery):
        print(line)
    return 0

