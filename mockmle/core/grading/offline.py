"""The offline judge: deterministic, network-free, and hard to game cheaply.

The band starts from how much of the rubric the answer covers (areas to cover and key
points, quoted as evidence). Then caps apply, each written into `explanation` in plain
words: statements said the wrong way round, red-flag rule checks, and answer-level signals
(keyword salad, the question echoed back, instructions to the grader, buzzwords without an
example, hedging that never answers, "we" without "I"). Length alone never raises the band:
coverage counts distinct ideas, not words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise

from mockmle.core.bank import Bank
from mockmle.core.bank_models import Question
from mockmle.core.coverage import TermWeights, cover, credit
from mockmle.core.grading.caps import Cap, CapLedger
from mockmle.core.grading.checks import action_share, run_checks
from mockmle.core.grading.combiner import Evidence, Verdict, combine
from mockmle.core.grading.main_answer import bound_by_main, main_answer_request
from mockmle.core.grading.meaning import Meaning, MeaningUnavailable
from mockmle.core.grading.misconceptions import find_misconceptions
from mockmle.core.grading.models import AreaResult, CheckResult, Grade, GradeRequest, MisconceptionFound, Provenance
from mockmle.core.grading.semantic_cover import best_matches, clauses_of, lexical_credits, merge
from mockmle.core.grading.signals import Signals, asks_for_example, read_signals
from mockmle.core.grading.story import HYPOTHETICAL_CHECK, hypothetical
from mockmle.core.grading.topicality import Topicality
from mockmle.core.text import content_terms, sentences

JUDGE_VERSION = "offline-7"  # 7: a pack's plain wordings of its areas and key points are matched beside them

_NO_ANSWER = re.compile(
    r"^\s*(i\s*(do\s*n[o']?t|dont)\s*know|no idea|not sure|pass|skip|n/?a|idk|no clue|\?+|nothing|no comment)\W*$",
    re.IGNORECASE,
)
_ADMITS_NOT_KNOWING = re.compile(
    r"\b(not (really |totally |entirely )?sure|no idea|(don'?t|do not) (really )?know|no clue|couldn'?t (really )?tell|"
    r"can'?t (really )?(think of|remember|say)|(haven'?t|have not|never) (really |actually )?(done|used|had|shipped|deployed|"
    r"worked|seen|tried|built)|(isn'?t|is not|not) something i'?ve (done|used)|(don'?t|do not) have any questions)\b",
    re.IGNORECASE,
)
_LIST_BREAK = re.compile(r"[,;:()\n\u2022]|(?<=[.!?])\s|\s-\s|\band\b")  # where one listed heading ends
HEADING_COPY = 0.75  # share of an answer's word pairs copied from the area headings that makes it a copy of them
AICE = ("ambiguity", "influence", "complexity", "execution")
FILLER_TERMS = frozenset(content_terms(
    "great good interesting question basically yes yeah okay ok well so actually really honestly thanks right sure "
    "obviously definitely course mean say know"))


def _targets(request: GradeRequest) -> tuple[list[str], list[str], str]:
    """Areas and key points to grade against, and a note on where they came from."""
    if request.question is not None:
        return list(request.question.areas), list(request.question.key_points), ""
    if request.reference:
        points = [s.text for s in sentences(request.reference)] or [request.reference]
        return points, [], "question not in the bank: graded against the reference you gave"
    return [request.question_text], [], "question not in the bank and no reference: graded against the question alone"


class OfflineGrader:
    """`meaning` (a sentence-embedding model behind the core's protocol) lets answers in the candidate's own words
    earn credit; without it, or when it fails to load, the judge matches the rubric's words only and says so in
    each grade's provenance."""

    name = "offline"

    def __init__(self, bank: Bank, meaning: Meaning | None = None):
        self.bank = bank
        self.rules = bank.grading
        self.ceilings = bank.grading.ceilings
        self.topicality = Topicality(bank)
        self.meaning = meaning
        self.meaning_unavailable: str | None = None  # set once the model has failed: not tried again

    def _provenance(self, used_meaning: bool = False) -> Provenance:
        combiner = self.bank.combiner
        return Provenance.model_construct(
            judge="offline", judge_version=JUDGE_VERSION, rubric_version=self.bank.rubric_version,
            meaning=self.meaning.label if used_meaning and self.meaning is not None else None,
            meaning_unavailable=self.meaning_unavailable, combiner=combiner.version if combiner is not None else None)

    def grade(self, request: GradeRequest) -> Grade:
        whole = self._grade(request)
        main = main_answer_request(request)
        return bound_by_main(whole, self._grade(main).band) if main is not None else whole

    def _grade(self, request: GradeRequest) -> Grade:
        question = request.question
        answer = request.answer.strip()
        areas_text, key_points_text, note = _targets(request)
        explanation = [note] if note else []
        competency_ids = list(question.competencies) if question else []
        if not content_terms(answer) or _NO_ANSWER.match(answer):
            return Grade.model_construct(
                band=0, competencies={c: 0 for c in competency_ids},
                areas=[AreaResult.model_construct(area=a, status="missed") for a in areas_text],
                key_points=[AreaResult.model_construct(area=k, status="missed") for k in key_points_text],
                improvement="Give an answer, even a partial one: say what you do know and how you would find out the rest.",
                explanation=[*explanation, "band 0: no usable answer"], provenance=self._provenance(),
            )

        weights = self.bank.weights
        areas = cover(areas_text, answer, weights)
        key_points = cover(key_points_text, answer, weights)
        copied = question is not None and _copies_headings(answer, question, weights)
        if copied and question is not None:
            areas = _headings_are_not_content(areas, question, answer, weights)
            key_points = _headings_are_not_content(key_points, question, answer, weights)
        signals = read_signals(answer)
        outcomes = run_checks(list(self.bank.checks.values()), question, answer)
        results = {o.result.id: o.result for o in outcomes}
        behavioural = bool(question and question.behavioural)
        signs = cover(question.red_flags, answer, weights) if question is not None and question.stage == "reverse" else []
        words = _share(lexical_credits(areas), lexical_credits(key_points))
        if signs and key_points:
            words = _with_signs(areas, key_points, signs)
        wrong = find_misconceptions(self.bank, question, answer)
        meant = either = aligned = None
        # Meaning is credited only where nothing says it is wrong: headings copied as a list name topics without
        # saying anything, and a stated misconception reads, to an embedding model, much like the right statement.
        combiner = self.bank.combiner
        if not copied and not wrong and combiner is not None and combiner.reference is not None and _reference_mode(request):
            # Read first: it reads the answer's clauses in the same model call, for the meaning match below.
            aligned = self._word_recall(request.reference or "", answer, request.question_text)
        if (not copied and not wrong and combiner is not None
                and (matched := self._match_meaning([*areas_text, *key_points_text], answer,
                                                    question.plain_wordings() if question else [])) is not None):
            areas, area_meaning, area_either = merge(areas, matched[:len(areas)], combiner)
            key_points, point_meaning, point_either = merge(key_points, matched[len(areas):], combiner)
            meant, either = _share(area_meaning, point_meaning), max(words, _share(area_either, point_either))
        aligned = aligned if meant is not None else None
        what = (("the areas and key points", "the rubric's") if question is not None else
                ("the reference", "the reference's") if request.reference else ("the question", "the question's"))
        if behavioural:
            story = _story_strength(results.get("star-structure"), signals)
            explanation.append(f"covers {_shares(words, meant, either, what)}; the story scores "
                               f"{story:.0%} (STAR parts, specifics, your own actions)")
            words = 0.45 * words + 0.55 * story
            if meant is not None and either is not None:
                meant, either = 0.45 * meant + 0.55 * story, 0.45 * either + 0.55 * story
        coverage = words if either is None else either  # what the caps below read as "how much was answered"
        verdict = self._verdict(Evidence(words=words, meaning=meant, both=coverage, aligned=aligned), signals.word_count)
        band = verdict.band
        explanation.append(f"overall {coverage:.0%}: band {band}" if behavioural
                           else f"covers {_shares(words, meant, either, what)}: band {band}")
        if aligned is not None:
            explanation.append(f"word by word the answer's closest words match the reference's at {aligned:.0%} on "
                               "average (the question's own words left out)")
        caps = CapLedger(band, explanation)
        nothing_covered = coverage < self.rules.nothing_covered
        if nothing_covered and (admits := _ADMITS_NOT_KNOWING.search(answer)):
            caps.apply(_plain(self.ceilings.nothing_said,
                              f'no usable information: covers nothing asked and says "{admits.group(0)}"'))
        if nothing_covered and signals.injection:
            caps.apply(_plain(self.ceilings.nothing_said, "no usable information: only instructions to the grader"))
        expected = set().union(*(weights.terms(t) for t in (*areas_text, *key_points_text)))
        signal_checks = self._signal_checks(caps, signals, request, behavioural, coverage, answer, expected)
        if question is not None:
            signal_checks.append(self._topicality_check(caps, question.id, answer, coverage))
        if request.red_flag:
            signal_checks.append(self._red_flag_check(request.red_flag, request.red_flag_reply))
        if signs:
            named = [s for s in signs if s.status != "missed"]
            signal_checks.append(CheckResult.model_construct(
                id="names-warning-signs", description="Says which warning signs in the company's answers would worry them",
                passed=bool(named), evidence=named[0].evidence if named else "", parts_found=[s.area for s in named]))
        star = results.get("star-structure")
        if star is not None and len(star.parts_found) <= 1 and signals.numbers == 0:
            caps.apply(_plain(self.ceilings.no_example, "no concrete example, though the question asks for one"))

        misconceptions = []
        for found in wrong:
            misconceptions.append(MisconceptionFound.model_construct(misconception=found.misconception, evidence=found.evidence))
            caps.apply(_plain(found.cap, found.reason))

        for outcome in outcomes:
            if outcome.cap is not None:
                caps.apply(_plain(outcome.cap, outcome.reason))

        aice = results.get("aice-signals")
        competencies = {}
        for competency_id in competency_ids:
            score = caps.band
            if competency_id in AICE and aice is not None and not aice.passed and competency_id not in aice.parts_found:
                score = min(score, 2)
            if competency_id == "star-structure" and not (star is not None and star.passed):
                score = min(score, 2)
            competencies[competency_id] = score

        covered = [a for a in (*areas, *key_points) if a.status == "covered"]
        missed = [a.area for a in areas if a.status == "missed"]
        if question is not None and not question.probe_areas:  # areas are the interviewer's notes: point at key points
            missed = [k.area for k in key_points if k.status == "missed"]
        if caps.first_reason:
            improvement = f"Fix this first: {caps.first_reason}."
        elif missed:
            improvement = f"Cover this next time: {missed[0]}"
        else:
            improvement = "Add a concrete example with a measured result."
        unsure = verdict.unsure if caps.band == verdict.band else ""  # a cap is a finding, not a near miss
        return Grade.model_construct(
            band=caps.band, competencies=competencies, areas=areas, key_points=key_points,
            checks=[*(o.result for o in outcomes), *signal_checks], misconceptions=misconceptions,
            strength=f"Covered well: {covered[0].area}" if covered and caps.band >= 2 else "",
            improvement=improvement, explanation=caps.explanation, provenance=self._provenance(meant is not None),
            confidence=None if self.bank.combiner is None else "low" if unsure else "high", confidence_reason=unsure,
        )

    def grade_many(self, requests: Iterable[GradeRequest], chunk: int = 256) -> Iterator[Grade]:
        """Grade many answers in order; their clauses go through the meaning model in shared batches, which is
        several times faster than one answer at a time (the grades are the same either way)."""
        pending = list(requests)
        for start in range(0, len(pending), chunk):
            part = pending[start:start + chunk]
            self._prefetch([clauses_of(r.answer.strip()) for r in part], words=any(map(_reference_mode, part)))
            yield from (self.grade(request) for request in part)

    def _prefetch(self, groups: list[list[str]], words: bool) -> None:
        prefetch = getattr(self.meaning, "prefetch", None)  # an optional capability of a Meaning
        if prefetch is None or self.bank.combiner is None or self.meaning_unavailable is not None:
            return
        try:
            done = 0
            while done < len(groups):
                done += max(1, prefetch(groups[done:], words=words))
        except MeaningUnavailable as exc:
            self.meaning_unavailable = exc.line

    def _match_meaning(self, targets: list[str], answer: str, alternates: list[list[str]]):
        """Each target's best clause by meaning, or None without a working model (the failure is kept: the
        model is not tried again, and every later grade's provenance says why)."""
        if self.meaning is None or self.bank.combiner is None or self.meaning_unavailable is not None or not targets:
            return None
        try:
            return best_matches(targets, answer, self.meaning, self.rules.quote_reuse, alternates)
        except MeaningUnavailable as exc:
            self.meaning_unavailable = exc.line
            return None

    def _word_recall(self, reference: str, answer: str, question_text: str) -> float | None:
        """Reference-answer mode: how much of the reference the answer says word by word, in any words (None without
        a working model; a failure is kept as in `_match_meaning`)."""
        if self.meaning is None or self.meaning_unavailable is not None:
            return None
        try:
            (recall,) = self.meaning.word_recall([reference], answer, frozenset(content_terms(question_text)))
        except MeaningUnavailable as exc:
            self.meaning_unavailable = exc.line
            return None
        return recall

    def _verdict(self, evidence: Evidence, answer_words: int) -> Verdict:
        combiner = self.bank.combiner
        if combiner is None:  # a rubric folder without fitted coefficients: the hand thresholds of grading.toml
            band = next((b for threshold, b in self.rules.bands if evidence.words >= threshold), 1 if evidence.words > 0 else 0)
            return Verdict(band=band, score=float(band), unsure="")
        return combine(evidence, combiner, answer_words)

    def _topicality_check(self, caps: CapLedger, question_id: str, answer: str, coverage: float) -> CheckResult:
        """An answer to another question gets at most 1, and 0 when it covers nothing of this one."""
        off = self.topicality.off_topic(question_id, answer)
        if off is not None:
            other = self.bank.question(off.other_question_id).prompt
            ceiling = self.ceilings.nothing_said if coverage < self.rules.nothing_covered else self.ceilings.off_topic
            caps.apply(_plain(ceiling, f'off topic: it answers another question ("{other}") far more than this one'))
        return CheckResult.model_construct(id="on-topic", description="Answers the question asked", passed=off is None,
                                           evidence=answer[:120] if off else "")

    def _red_flag_check(self, red_flag: str, reply: str | None) -> CheckResult:
        """Reverse stage: did the reply to the company's answer pick up the warning sign it hinted at?"""
        (result,) = cover([red_flag], reply or "", self.bank.weights)
        return CheckResult.model_construct(id="spotted-red-flag", description=f"Noticed the warning sign: {red_flag}",
                                           passed=result.status != "missed", evidence=result.evidence)

    def _signal_checks(self, caps: CapLedger, signals: Signals, request: GradeRequest, behavioural: bool, coverage: float,
                       answer: str, expected: set[str]) -> list[CheckResult]:
        """Answer-level red flags, reported as named checks and applied as caps."""
        results: list[CheckResult] = []

        def check(check_id: str, description: str, failed: bool, cap: int, reason: str, evidence: str = "") -> None:
            results.append(CheckResult.model_construct(id=check_id, description=description, passed=not failed,
                                                       evidence=evidence if failed else ""))
            if failed:
                caps.apply(_plain(cap, reason))

        weights = self.bank.weights
        question_terms = weights.terms(request.question_text)
        answer_terms = weights.terms(answer) - FILLER_TERMS
        # An echo adds (almost) nothing to the question: at most a quarter of its content words are new, and none of
        # them is a word the areas, key points or reference expect. "Arrays are passed to functions by reference"
        # restates the question and adds the one word that answers it: that is an answer, however short.
        new = answer_terms - question_terms
        echo = bool(answer_terms) and len(new) <= len(answer_terms) // 4 and not new & (expected - question_terms)
        check("not-an-echo", "Says more than the question itself", echo, self.ceilings.echo,
              "no usable information: the answer mostly repeats the question", answer[:120])
        check("no-grader-instructions", "Does not try to instruct the grader", bool(signals.injection),
              self.ceilings.grader_instructions, f'the answer tries to instruct the grader ("{signals.injection}")',
              signals.injection or "")
        check("not-keyword-salad", "Makes statements, not a list of terms", signals.keyword_salad, self.ceilings.keyword_salad,
              "a list of terms, not statements about them", answer[:120])
        buzz = len(signals.buzzwords)
        empty_buzz = buzz >= 3 and (buzz * 6 >= len(answer_terms) or coverage < 0.42)
        no_example = (buzz >= 2 and asks_for_example(request.question_text, behavioural)
                      and signals.numbers == 0 and signals.first_person < 3)
        check("substance-over-buzzwords", "Backs claims with substance, not buzzwords", empty_buzz or no_example,
              self.ceilings.buzzwords if empty_buzz else self.ceilings.no_example,
              "buzzwords without substance" if empty_buzz else "buzzwords where a concrete example was asked for",
              ", ".join(dict.fromkeys(signals.buzzwords)))
        check("commits-to-an-answer", "Commits to an answer instead of hedging", signals.hedge_density >= 1.5 and coverage < 0.42,
              self.ceilings.hedging, "hedging that never commits to an answer", ", ".join(dict.fromkeys(signals.hedges)))
        check("stays-on-point", "Stays on the question", signals.word_count > 250 and coverage < 0.3, self.ceilings.rambling,
              "a long answer that covers little of what was asked")
        if behavioural:
            check("ownership", 'Says what "I" did, not only "we"', signals.we >= 3 and signals.first_person == 0,
                  self.ceilings.we_not_i, 'only "we": your own contribution is never said',
                  f'"we" or "our" {signals.we} times, "I" never')
            imagined = hypothetical(answer)
            check(HYPOTHETICAL_CHECK, "Tells what happened, not what they would do", imagined is not None,
                  self.ceilings.no_example, "a hypothetical: what you would do, not what you did", imagined or "")
            share = action_share(self.bank.checks.get("star-structure"), answer)
            check("star-in-proportion", "Spends the story on what you did, not only the setting",
                  share is not None and share < 0.2, self.ceilings.star_proportion,
                  "mostly setting: little about what you did (STAR out of proportion)")
        return results


def _reference_mode(request: GradeRequest) -> bool:
    """A question outside the bank graded against a reference answer."""
    return request.question is None and bool(request.reference)


def _share(area_credits: list[float], point_credits: list[float]) -> float:
    """How much of the rubric is covered: areas weigh 0.6 and key points 0.4 when a question has both."""
    areas = sum(area_credits) / len(area_credits) if area_credits else 0.0
    if not point_credits:
        return areas
    return 0.6 * areas + 0.4 * sum(point_credits) / len(point_credits)


def _shares(words: float, meant: float | None, either: float | None, what: tuple[str, str]) -> str:
    """"58% of the areas and key points", and with meaning matched, how much of that each kind of evidence shows."""
    if meant is None or either is None:
        return f"{words:.0%} of {what[0]}"
    return f"{either:.0%} of {what[0]} ({words:.0%} in {what[1]} words, {meant:.0%} by meaning)"


def _copies_headings(answer: str, question: Question, weights: TermWeights) -> bool:
    """An area is a heading in the interviewer's notes ("Definition of bias and variance"). An answer that copies the
    headings (most of its word pairs are theirs, in their order) names topics without saying anything about them."""
    return bool(question.areas) and _pairs_copied(answer, question.areas, weights) >= HEADING_COPY


def _headings_are_not_content(results: list[AreaResult], question: Question, answer: str,
                              weights: TermWeights) -> list[AreaResult]:
    """In an answer that copies the headings, what it covers only with the headings' own words counts as missed.
    A statement in the rubric's vocabulary ("Bagging trains its models independently...") puts the words in its own
    order and keeps its credit."""
    asked = weights.terms(question.prompt)
    headings = set().union(*(weights.terms(area) for area in question.areas))
    return [r if r.status == "missed" or weights.terms(r.evidence) - headings - asked
            else r.model_copy(update={"status": "missed", "evidence": ""}) for r in results]


def _pairs_copied(answer: str, headings: list[str], weights: TermWeights) -> float:
    """Share of the answer's neighbouring content-word pairs that are neighbours in one of the headings."""
    theirs = _heading_pairs(tuple(headings), weights)
    ours = [pair for piece in _LIST_BREAK.split(answer) for pair in _pairs(piece, weights)]
    return sum(pair in theirs for pair in ours) / len(ours) if ours else 0.0


def _pairs(text: str, weights: TermWeights) -> list[tuple[str, str]]:
    terms = [weights.canonical.get(t, t) for t in content_terms(text)]
    return list(pairwise(terms))


@lru_cache(maxsize=256)
def _heading_pairs(headings: tuple[str, ...], weights: TermWeights) -> frozenset[tuple[str, str]]:
    return frozenset(pair for heading in headings for pair in _pairs(heading, weights))


def _with_signs(areas: list[AreaResult], key_points: list[AreaResult], signs: list[AreaResult]) -> float:
    """Reverse stage: each warning sign the candidate says they would look for counts as one more key point made.

    A candidate shows what they want to find out by the question they ask ("why is the role open?") or by the
    answer that would worry them ("if several people left it within a year"); both are the skill the stage grades.
    """
    made = credit(key_points) * len(key_points) + credit(signs) * len(signs)
    return 0.6 * credit(areas) + 0.4 * min(1.0, made / max(1, len(key_points)))


def _story_strength(star: CheckResult | None, signals: Signals) -> float:
    """How much of a real story a behavioural answer tells: STAR parts, numbers, first-person actions."""
    parts = len(star.parts_found) / 4 if star is not None else 0.0
    specifics = min(1.0, signals.numbers / 2)
    ownership = min(1.0, signals.first_person / 6)
    return 0.6 * parts + 0.15 * specifics + 0.25 * ownership


def _plain(ceiling: int, reason: str) -> Cap:
    """The offline judge's caps say what they found in one line, with no source in front."""
    return Cap(ceiling, "", reason)
