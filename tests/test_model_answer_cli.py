"""`mockmle bank show` with the question's model answer, as text and as JSON (the real command, a temporary home)."""

from __future__ import annotations

import json

from mockmle.core.bank import load_bank
from mockmle.core.model_answer import model_answer
from mockmle.core.phrasebook import Phrasebook
from mockmle.resources import data_dir
from test_bank_loader import RUBRICS, run_mockmle

QUESTION = "applied-ml.beyond-model-file"


def guide_text() -> str:
    phrasebook = Phrasebook.load(data_dir("prompts") / "offline_interviewer.toml")
    return model_answer(load_bank(RUBRICS).question(QUESTION), phrasebook).text


def test_bank_show_ends_with_the_guide_answer_marked_as_such(tmp_path):
    result = run_mockmle(tmp_path, "bank", "show", QUESTION)
    assert result.returncode == 0, result.stderr
    shown = result.stdout.split("\nModel answer (Built from the interview guide):\n", 1)
    assert len(shown) == 2 and "Key points of a strong answer:" in shown[0]
    said = " ".join(shown[1].split())
    assert said == " ".join(guide_text().split())  # the same words, wrapped and indented
    assert not any(line.lstrip().startswith("- ") for line in shown[1].splitlines())


def test_bank_show_json_has_the_model_answer(tmp_path):
    result = run_mockmle(tmp_path, "bank", "show", QUESTION, "--json", "--guide")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)["model_answer"]
    assert answer == {"text": guide_text(), "source": "guide", "label": "Built from the interview guide",
                      "model": None, "judge": None, "band": None, "note": ""}


def test_bank_show_with_a_model_prints_its_answer_once_the_judge_grades_it_4(tmp_path):
    from openai_stub import OpenAIStub
    from test_model_answer_use_case import QUESTION as JUDGED
    from test_model_answer_use_case import WRITTEN, judged

    stub = OpenAIStub(models=("stub-model",)).start()
    try:
        judged(stub, 4)
        env = {"OPENAI_BASE_URL": stub.base_url, "MOCKMLE_MODEL": "stub-model", "MOCKMLE_JUDGE": "llm"}
        result = run_mockmle(tmp_path, "bank", "show", JUDGED, env=env)
        assert result.returncode == 0, result.stderr
        assert "\nModel answer (Written by stub-model, graded 4/4 by the model judge):\n" in result.stdout
        assert " ".join(WRITTEN.split()) in " ".join(result.stdout.split())
        judged(stub, 2)
        result = run_mockmle(tmp_path, "bank", "show", JUDGED, env=env)
        assert "\nModel answer (Built from the interview guide):\n  (The model's answer graded 2/4" in result.stdout
    finally:
        stub.stop()
