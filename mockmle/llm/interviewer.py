"""The model-backed interviewer: words follow-ups, plays the company in the reverse stage, writes the debrief.

It never decides *whether* to follow up (the engine does, see core/interview.py) and every
failure is an `LLMError`, so the caller keeps the offline text. Replies stream: `on_delta`
gets each piece as it arrives, with a leading label ("Interviewer:"), wrapping quotes and
trailing whitespace held back, so the pieces join to the returned text in the usual case.
When a reply is trimmed or rejected after streaming, the returned text (or the offline
prompt) is what counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mockmle.core.follow_up import FollowUpContext, is_repeat
from mockmle.llm.client import ChatClient, ChatRequest
from mockmle.llm.faults import LLMError
from mockmle.llm.prompts import PromptTemplate, candidate_block, load_prompt

MAX_FOLLOW_UP_CHARS = 360  # two sentences, generously
MAX_COMPANY_CHARS = 1200  # six sentences
MAX_DEBRIEF_CHARS = 2400
MAX_MODEL_ANSWER_CHARS = 2400  # about 300 words
RUNAWAY = 3  # a stream this many times over its limit is cut off instead of read to the end
THINKING_ALLOWANCE = 10  # a local reasoning model's <think> block may run this many times longer again

_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:interviewer|company|hiring manager|manager|follow[- ]?up(?: question)?|question|assistant|"
    r"answer|response|reply)(?:\*\*)?\s*:\s*(?:\*\*)?\s*", re.IGNORECASE)
_THINK = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)
_QUOTES = "\"'“”‘’`"
_HOLD = 40  # characters held back at the start, enough to see and drop a label or a <think> block
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def clean(text: str) -> str:
    """Drop a reasoning block, a leading speaker label and wrapping quotes."""
    text = _THINK.sub("", text)
    text = _LABEL.sub("", text.strip(), count=1).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


class _Stream:
    """Passes streamed pieces on as `clean` would leave them, holding back only what it might drop."""

    def __init__(self, on_delta: Callable[[str], None], limit: int, messages: list[dict] | None = None):
        self.on_delta = on_delta
        self.limit = limit
        self.messages = messages or []
        self.raw = ""
        self.sent = ""  # what has been passed on so far: always a prefix of the cleaned text

    def __call__(self, piece: str) -> None:
        self.raw += piece
        head = self.raw.lstrip()
        thinking = head.startswith("<think>") and "</think>" not in head
        visible = "" if thinking else _THINK.sub("", self.raw).lstrip()
        if len(visible) > self.limit * RUNAWAY or len(self.raw) > self.limit * RUNAWAY * THINKING_ALLOWANCE:
            raise LLMError("too_large", "the model's reply ran far past its length limit")  # counts as a server fault
        if piece.endswith(("\n", ".", "?", ":")) and echoes_instructions(visible, self.messages):
            raise LLMError("invalid_output", ECHO_LINE)  # stop at once rather than stream the echo to the end
        if not self.sent and (thinking or len(visible) < _HOLD):
            return
        text = _LABEL.sub("", visible, count=1)
        text = text[1:] if text[:1] in _QUOTES else text
        self._send(text.rstrip(_QUOTES + " \n\t"))

    def finish(self) -> None:
        self._send(clean(self.raw))

    def _send(self, text: str) -> None:
        if len(text) > len(self.sent) and text.startswith(self.sent):
            self.on_delta(text[len(self.sent):])
            self.sent = text


class LLMInterviewer:
    def __init__(self, client: ChatClient):
        self.client = client

    @property
    def model(self) -> str:
        """The model the interviewer role uses: pass it as `Reword.source`."""
        return self.client.model_for("interviewer")

    # -- follow-ups and the company's answers

    def follow_up_messages(self, context: FollowUpContext) -> tuple[PromptTemplate, list[dict]]:
        """The template and messages for one follow-up (or company answer), without calling the model."""
        history = "\n".join(context.history) or "(this is the first question)"
        if context.history_omitted:
            history = f"({context.history_omitted} earlier question(s) not shown)\n" + history
        if context.reason == "company":
            template = load_prompt("company")
            rule = (template.part("with-red-flag", red_flag=context.red_flag) if context.red_flag
                    else template.part("without-red-flag"))
            dialogue = _dialogue(context, asker="Topic given to the candidate", speaker="The candidate asked you")
            return template, template.render(topic=context.question, history=history, dialogue=dialogue,
                                             red_flag_rule=rule)
        template = load_prompt("interviewer")
        persona_key = f"persona-{context.stage_id}"
        persona = template.part(persona_key if persona_key in template.extra else "persona-default")
        task_key = f"task-{context.reason}"
        area = context.target_area or (context.missed_areas[0] if context.missed_areas else "the part of the question they skipped")
        if context.reason == "misconception" and context.statement:
            task_key = "task-misconception" if context.misconception else "task-imprecise"
        task = template.part(task_key if task_key in template.extra else "task-default", area=area,
                             statement=candidate_block(context.statement or ""), misconception=context.misconception or "")
        asked = "\n".join(f"- {prompt}" for prompt in _recent_asked(context)) or "(none)"
        return template, template.render(
            persona=persona, stage_title=context.stage_title, history=history, question=context.question,
            dialogue=_dialogue(context, asker="You asked", speaker="The candidate answered"),
            missed=", ".join(context.missed_areas) or "(none)", asked=asked, task=task)

    def follow_up(self, context: FollowUpContext, on_delta: Callable[[str], None] | None = None,
                  session_id: str | None = None, position: int | None = None) -> str:
        """The model's wording of the open follow-up, or its company answer in the reverse stage.

        Raises LLMError (kind "invalid_output" when the reply is empty, too long or repeats an
        earlier question): keep the offline prompt then.
        """
        company = context.reason == "company"
        template, messages = self.follow_up_messages(context)
        limit = MAX_COMPANY_CHARS if company else MAX_FOLLOW_UP_CHARS
        request = ChatRequest(purpose="company" if company else "follow_up", messages=messages,
                              prompt_version=template.version, role="interviewer", session_id=session_id,
                              max_tokens=_tokens_for(limit),
                              position=context.position if position is None else position)
        text = self._call(request, on_delta, limit)
        if len(text) > limit:
            text = _trim_to_sentence(text, limit) if company else ""
            if not text:
                raise LLMError("invalid_output", "the model's follow-up was too long")
        if not company and is_repeat(text, context.asked):
            raise LLMError("invalid_output", "the model repeated an earlier question")
        return text

    # -- debrief

    def debrief(self, facts: str, on_delta: Callable[[str], None] | None = None,
                session_id: str | None = None) -> str:
        """A short debrief written from `facts` (see core/debrief.py `debrief_facts`)."""
        template = load_prompt("debrief")
        request = ChatRequest(purpose="debrief", messages=template.render(facts=facts.strip()),
                              prompt_version=template.version, role="interviewer", session_id=session_id,
                              max_tokens=_tokens_for(MAX_DEBRIEF_CHARS))
        text = self._call(request, on_delta, MAX_DEBRIEF_CHARS)
        if len(text) > MAX_DEBRIEF_CHARS:
            text = _trim_to_sentence(text, MAX_DEBRIEF_CHARS)
        return text

    # -- a model answer to a bank question

    def model_answer(self, stage: str, question: str, areas: list[str], key_points: list[str]) -> str:
        """A strong answer written from the question's areas and key points (prompts/model_answer.toml); the caller
        has it graded before it is shown."""
        template = load_prompt("model_answer")
        messages = template.render(stage=stage, question=question, areas="\n".join(f"- {a}" for a in areas),
                                   key_points="\n".join(f"- {k}" for k in key_points))
        request = ChatRequest(purpose="model_answer", messages=messages, prompt_version=template.version,
                              role="interviewer", max_tokens=_tokens_for(MAX_MODEL_ANSWER_CHARS))
        text = self._call(request, None, MAX_MODEL_ANSWER_CHARS)
        if len(text) > MAX_MODEL_ANSWER_CHARS:
            text = _trim_to_sentence(text, MAX_MODEL_ANSWER_CHARS)
        return text

    def _call(self, request: ChatRequest, on_delta: Callable[[str], None] | None, limit: int) -> str:
        if on_delta is None:
            raw = self.client.complete(request).text
        else:
            stream = _Stream(on_delta, limit, request.messages)
            raw = self.client.stream(request, stream).text
            stream.finish()
        text = clean(raw)
        if not text:
            raise LLMError("invalid_output", "the model sent an empty reply")
        if echoes_instructions(text, request.messages):
            raise LLMError("invalid_output", ECHO_LINE)
        return text


ECHO_LINE = "the model repeated its instructions instead of answering"
_FENCED = re.compile(r"<candidate>.*?</candidate>", re.DOTALL)
_ECHO_MIN = 30  # characters: a prompt line this long found in the reply is an echo, not a coincidence


def echoes_instructions(text: str, messages: list[dict]) -> bool:
    """True when the reply copies a line of the prompt's own wording (small base models often do).
    The candidate's fenced words are left out: quoting them back is fair."""
    reply = " ".join(text.split()).lower()
    for message in messages:
        scaffold = _FENCED.sub("\n", str(message.get("content") or ""))
        for line in scaffold.splitlines():
            line = " ".join(line.split()).lower()
            if len(line) >= _ECHO_MIN and line in reply:
                return True
    return False


def _tokens_for(chars: int) -> int:
    """A reply cap with room to spare (about four characters a token), so a rambling model stops early."""
    return chars // 3 + 16


def _dialogue(context: FollowUpContext, asker: str, speaker: str) -> str:
    parts = []
    for prompt, answer in context.dialogue:
        parts.append(f"{asker}: {prompt}\n{speaker}:\n{candidate_block(answer)}")
    return "\n\n".join(parts)


def _recent_asked(context: FollowUpContext, limit: int = 12) -> list[str]:
    """The prompts of this question plus the most recent others: the prompt stays bounded, and
    `is_repeat` checks the reply against every prompt of the session anyway."""
    this_turn = [prompt for prompt, _ in context.dialogue]
    others = [p for p in context.asked if p not in this_turn]
    return others[-limit:] + this_turn


def _trim_to_sentence(text: str, limit: int) -> str:
    """Cut at the last sentence end within `limit`; empty when there is none."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text[:limit + 1])]
    return text[:ends[-1]].strip() if ends else ""
