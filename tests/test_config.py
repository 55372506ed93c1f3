"""Model configuration: config.toml < environment < flags, offline by default, keys never shown."""

from __future__ import annotations

import pytest

from mockmle.errors import UsageError
from mockmle.settings import resolve_settings


def load_llm(home, **flags):
    """The model settings config.toml, the environment and `flags` resolve to: (llm, judge, interviewer)."""
    settings = resolve_settings(home=str(home), **flags)
    return settings.llm, settings.judge, settings.interviewer


def write_config(home, text):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_nothing_configured_means_offline(tmp_path):
    config, judge, interviewer = load_llm(tmp_path)
    assert not config.configured and judge == "offline" and interviewer == "offline"


def test_a_base_url_turns_the_model_on_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/")
    config, judge, interviewer = load_llm(tmp_path)
    assert config.base_url == "http://127.0.0.1:11434/v1" and judge == interviewer == "llm"
    assert config.judge_model is None  # ask the server which model it serves


def test_file_then_environment_then_flags(tmp_path, monkeypatch):
    write_config(tmp_path, '[llm]\nbase_url = "http://127.0.0.1:1/v1"\nmodel = "from-file"\njudge_model = "judge-file"\n'
                           'temperature = 0.7\n[prices."from-file"]\ninput = 1\noutput = 2\n')
    config, _, _ = load_llm(tmp_path)
    assert (config.interviewer_model, config.judge_model, config.temperature) == ("from-file", "judge-file", 0.7)
    assert config.prices == {"from-file": (1.0, 2.0)}
    monkeypatch.setenv("MOCKMLE_MODEL", "from-env")
    monkeypatch.setenv("MOCKMLE_JUDGE_MODEL", "judge-env")
    monkeypatch.setenv("MOCKMLE_TEMPERATURE", "0")
    config, _, _ = load_llm(tmp_path)
    assert (config.interviewer_model, config.judge_model, config.temperature) == ("from-env", "judge-env", 0.0)
    config, judge, _ = load_llm(tmp_path, model="from-flag", judge="offline")
    assert (config.interviewer_model, config.judge_model, judge) == ("from-flag", "from-flag", "offline")


def test_asking_for_the_llm_judge_without_a_model_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        resolve_settings(home=str(tmp_path), judge="llm")


@pytest.mark.parametrize("text, message", [
    ("[llm\n", "not valid TOML"),
    ("[llm]\ntemperature = 9\n", "llm.temperature"),
    ("[llm]\ncolour = 'blue'\n", "llm.colour"),
    ('judge = "gpt"\n', "judge"),
])
def test_a_bad_config_file_is_one_line(tmp_path, text, message):
    write_config(tmp_path, text)
    with pytest.raises(UsageError, match=message) as caught:
        load_llm(tmp_path)
    assert "\n" not in str(caught.value)


def test_the_key_stays_out_of_reprs_and_messages(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-live-abcdef123456")
    settings = resolve_settings(home=str(tmp_path))
    assert settings.llm.api_key == "sk-live-abcdef123456"
    assert "sk-live" not in repr(settings)
    assert settings.llm.redact("rejected key sk-live-abcdef123456") == "rejected key [key hidden]"


def test_cli_reports_a_bad_config_without_a_traceback(cli):
    write_config(cli.home, "[llm]\ntimeout = -1\n")
    result = cli("doctor")
    assert result.returncode == 2
    assert result.stderr.startswith("mockmle: error:") and "Traceback" not in result.stderr


def test_doctor_offline_is_healthy(cli):
    result = cli("doctor", "--json")
    assert result.returncode == 0, result.stderr
    import json

    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["judge"]["detail"].startswith("offline")
    assert checks["tokens"]["status"] == "ok" and "o200k_base" in checks["tokens"]["detail"]
    assert "no model configured" in checks["endpoint"]["detail"]


def test_credentials_inside_the_base_url_are_redacted_with_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://bob:pa%40ss-word@llm.example/v1?api-key=AK-123456&api-version=2024-02-01")
    llm = resolve_settings(home=str(tmp_path)).llm
    assert llm.endpoint == "https://[hidden]@llm.example/v1?api-key=[hidden]&api-version=[hidden]"
    line = llm.redact(f"could not reach {llm.base_url}; password pa@ss-word, key AK-123456, on 2024-02-01")
    assert line == f"could not reach {llm.endpoint}; password [hidden], key [hidden], on 2024-02-01"


def test_no_config_file_means_the_schemas_defaults(tmp_path, monkeypatch):
    """Without config.toml nothing is validated (pydantic is not even loaded); the settings must be the ones an empty
    file, checked against the schema, gives."""
    for name in ("MOCKMLE_TRANSCRIBER", "MOCKMLE_SPEAK", "MOCKMLE_WHISPER_MODEL", "MOCKMLE_TRANSCRIBE_MODEL"):
        monkeypatch.delenv(name, raising=False)
    without = resolve_settings(home=str(tmp_path / "none"))
    write_config(tmp_path / "empty", "")
    empty = resolve_settings(home=str(tmp_path / "empty"))
    assert (without.llm, without.voice, without.judge, without.interviewer) == \
           (empty.llm, empty.voice, empty.judge, empty.interviewer)
    monkeypatch.setenv("MOCKMLE_TIMEOUT", "7")  # an override alone is validated, on top of the same defaults
    assert resolve_settings(home=str(tmp_path / "none")).llm == resolve_settings(home=str(tmp_path / "empty")).llm


def test_settings_start_without_pydantic_when_there_is_nothing_to_check(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    probe = ("import sys; from mockmle.settings import resolve_settings; resolve_settings(home=sys.argv[1]); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    write_config(tmp_path, "[llm]\ntemperature = 0.5\n")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], env=env, capture_output=True, text=True, check=True)
    assert "pydantic" in out.stdout
