"""The acceptance suite's candidate: which questions each stage's session asks, and what is answered.

Everything is written from the bank's own data, so the scripts stay right when the bank changes:
a strong answer says the question's key points, a weak one is a short vague sentence, and a
misconception answer states a contrast from rubrics/claims.toml the wrong way round, checked here
with the offline judge so a script never silently stops recording a misconception. Questions are
chosen in bank order, so every run plays the same sessions.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Contrast, Question
from mockmle.core.grading.models import GradeRequest
from mockmle.core.grading.offline import OfflineGrader
from mockmle.core.text import content_terms

ROLES = ("strong", "weak", "misconception", "skip", "hint")
HINTS_ASKED = 2
WEAK = "I think it depends on the situation, so I would look into it and do what seems best."
FOLLOW_UP_REPLY = "I would start with the simplest version, measure it, and change it if the numbers say so."
STORY = ("At my last job our team had an unclear goal and competing constraints, and I was responsible for the work. "
         "My task was to get it into production before a deadline. {points} "
         "I built the first version myself, I convinced the stakeholders in a design review, and I shipped it on time. "
         "As a result, we reduced the error rate by 30% within 2 months, and I learned to write decisions down early.")


@dataclass(frozen=True)
class Step:
    question_id: str
    role: str
    answer: str | None = None  # None: skipped
    hints: int = 0
    contrast: Contrast | None = None  # the misconception this answer states


@dataclass(frozen=True)
class Script:
    stage: str
    steps: tuple[Step, ...]
    borrowed: bool = False  # the misconception question comes from another stage (none of this stage's applies)

    @property
    def question_ids(self) -> list[str]:
        return [s.question_id for s in self.steps]

    def step(self, role: str) -> Step:
        return next(s for s in self.steps if s.role == role)

    def position(self, role: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.role == role)

    def answers_file(self) -> str:
        """The `--answers-file` text: answers separated by `---`, with /hint and /skip as the CLI reads them."""
        chunks: list[str] = []
        for step in self.steps:
            if step.answer is None:
                chunks.append("/skip")
                continue
            chunks += ["/hint"] * step.hints + [step.answer]
        return "\n---\n".join(chunks) + "\n"


# ---- answers -----------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[0].upper() + text[1:] + "."


def strong_answer(question: Question) -> str:
    """Every key point, run together with "and" the way people talk (and transcripts read)."""
    points = [p.strip().rstrip(".") for p in question.key_points]
    said = _sentence(", and ".join([points[0], *(p[0].lower() + p[1:] for p in points[1:])]))
    return STORY.format(points=said) if question.behavioural else said


def partial_answer(question: Question) -> str:
    """What a candidate says after two hints: the first two key points."""
    return " ".join(_sentence(p) for p in question.key_points[:2])


def wrong_way_round(contrast: Contrast) -> list[str]:
    """Ways to state the contrast the wrong way round: its own words first, then one built from its lists."""
    built = (f"{_sentence(f'{contrast.a[0]} is mainly about {contrast.b_says[0]}')} "
             f"{_sentence(f'{contrast.b[0]} is mainly about {contrast.a_says[0]}')}")
    return [_sentence(contrast.misconception), built]


def misconception_answer(bank: Bank, question: Question) -> tuple[str, Contrast] | None:
    """A wrong-way-round statement the offline judge records as a misconception on `question`, if any."""
    grader = OfflineGrader(bank)
    for contrast in bank.contrasts.values():
        if not contrast.applies_to(question):
            continue
        for answer in wrong_way_round(contrast):
            grade = grader.grade(GradeRequest(question_text=question.prompt, question=question, answer=answer))
            if any(m.misconception == contrast.misconception for m in grade.misconceptions):
                return answer, contrast
    return None


# ---- sessions ----------------------------------------------------------------------------


def stage_ids(bank: Bank) -> list[str]:
    return [s.id for s in sorted(bank.stages.values(), key=lambda s: (s.order, s.id))]


def script_for(bank: Bank, stage: str) -> Script:
    """Five questions of `stage` in bank order: strong, weak, misconception, skip, hint.

    The misconception question is the stage's first one a contrast can be found on; when the stage has
    none, the first such question of the whole bank is borrowed (and the script says so).
    """
    own = [q for q in bank.questions.values() if q.stage == stage]
    found = next(((q, m) for q in own if (m := misconception_answer(bank, q))), None)
    borrowed = found is None
    if found is None:
        others = [q for s in stage_ids(bank) if s != stage for q in bank.questions.values() if q.stage == s]
        found = next(((q, m) for q in others if (m := misconception_answer(bank, q))), None)
    assert found is not None, "no question in the bank on which a contrast can be said the wrong way round"
    wrong_question, (wrong, contrast) = found
    rest = [q for q in own if q.id != wrong_question.id]
    # A plain question first for the strong answer; a closing question ("what would you ask me?") last.
    rest.sort(key=lambda q: (q.asked_last, q.behavioural))
    assert len(rest) >= 4, f"stage {stage} has fewer than five questions"
    strong, weak, skipped, hinted = rest[:4]
    steps = (
        Step(strong.id, "strong", strong_answer(strong)),
        Step(weak.id, "weak", WEAK),
        Step(wrong_question.id, "misconception", wrong, contrast=contrast),
        Step(skipped.id, "skip", None),
        Step(hinted.id, "hint", partial_answer(hinted), hints=HINTS_ASKED),
    )
    return Script(stage=stage, steps=steps, borrowed=borrowed)


# ---- what a hint may say -----------------------------------------------------------------


def bank_items(question: Question) -> list[str]:
    return [*question.hints, *question.areas, *question.key_points]


# Words that describe an answer rather than name its content ("basic ... explanation").
DESCRIBING = frozenset(content_terms(
    "hint think about consider cover covering mention worth one thing strong answer makes point specifically "
    "basic basics explain explanation define definition definitions describe description discuss discussion "
    "overview clear clearly accurate understanding knowledge awareness fundamental fundamentals concept concepts "
    "algorithm algorithms general overall relevant"))


def restates_question(hint: str, question: Question) -> bool:
    """The hint names no content word the question does not already say: it adds nothing to cover."""
    return not set(content_terms(hint)) - DESCRIBING - set(content_terms(question.prompt))


def mentions(text: str, phrases: list[str]) -> bool:
    lowered = text.lower()
    return any(p.lower() in lowered for p in phrases)


# ---- the command line, for module-scoped fixtures -----------------------------------------


def run_cli(home: Path, *args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real `python -m mockmle` with `home` as its data home and no model configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKMLE_", "OPENAI_"))}
    env["MOCKMLE_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "mockmle", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or home.parent, timeout=timeout)


def ok(result: subprocess.CompletedProcess) -> str:
    """The output of a command that must succeed: exit 0 and no traceback."""
    assert result.returncode == 0 and "Traceback" not in result.stderr, (
        f"`mockmle {' '.join(result.args[3:])}` exited {result.returncode}\n{result.stderr[-3000:]}")
    return result.stdout


# A hiring verdict: "Hiring recommendation: 1 · Strong No Hire", "too little evidence for a hire". The bank's own
# texts say "a new hire" in lower case, so the labels are matched as written.
HIRING = re.compile(r"[Hh]iring recommendation|\b(Strong )?(No )?Hire\b|evidence for a hire")
