"""The data home's config.toml: the commented example, and reading it (checked against config_schema) as one clear
line on error. pydantic loads only when there is a file to check: most runs have none, and start without it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mockmle.errors import UsageError
from mockmle.files import tighten

if TYPE_CHECKING:
    from mockmle.settings.config_schema import ConfigFile

CONFIG_NAME = "config.toml"

EXAMPLE = """\
# mockmle configuration. Environment variables override these; command-line flags override both.
[llm]
# base_url = "http://127.0.0.1:11434/v1"   # Ollama; vLLM, llama.cpp's server and LM Studio work too
# api_key = "sk-..."                         # better kept in OPENAI_API_KEY
# model = "gpt-4o-mini"                      # both roles; or set the two below
# interviewer_model = ""
# judge_model = ""
# temperature = 0.2
# timeout = 30                               # seconds to wait for the server to start answering
# deadline = 120                             # seconds for a whole reply, retries included (default 4 x timeout)
# max_retries = 2
# judge_samples = 1                          # >1: grade n times, report the median band and the spread
# judge_max_tokens = 1500                    # caps on each reply, so a slow local model cannot run away
# interviewer_max_tokens = 400

# judge = "llm"          # or "offline"; default: llm when a key or base URL is set
# interviewer = "llm"    # or "offline"

# [voice]                 # spoken answers (the Interview screen's ctrl+o; `mockmle transcribe`)
# transcriber = "auto"    # "api" (the endpoint above), "local" (faster-whisper: pip install 'mockmle[voice]');
#                         # auto: api when a key or base URL is set, else local
# whisper_model = "base"  # local: a faster-whisper model folder, or a model name in faster-whisper's cache
# transcribe_model = "whisper-1"
# speak = "off"           # read questions aloud: "espeak" (espeak-ng) or "api" (the speech endpoint)
# speech_model = "gpt-4o-mini-tts"
# speech_voice = "alloy"

# [prices."my-model"]     # US$ per million tokens, for the cost estimate
# input = 0.5
# output = 1.5
"""


def read_config_file(path: Path) -> ConfigFile | None:
    """The file's settings, checked; None when there is no file (the defaults)."""
    if not path.exists():
        return None
    if not path.is_file():
        raise UsageError(f"{path}: not a regular file (move it away to use the defaults)")
    import tomllib

    from pydantic import ValidationError

    from mockmle.settings.config_schema import ConfigFile

    tighten(path)  # it may hold the API key
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
        return ConfigFile.model_validate(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except RecursionError:
        raise UsageError(f"{path}: not valid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{path}: {where}: {first['msg']}") from None
