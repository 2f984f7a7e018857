"""When is a spoken answer over? :class:`TurnPolicy` decides from voice activity and the words.

Pure and synchronous: no clock, no I/O, no transport. The caller (``api/ws.py``, a test, the
benchmark) feeds it what happens, each call stamped with ``now_ms`` on one clock (the answer's
audio clock in production), and asks :meth:`TurnPolicy.decide`:

* :meth:`voice` - the VAD's view after each chunk of audio: when voice was last heard, and
  whether speech is going on right now;
* :meth:`text` - transcript text as it comes (partials replace the previous partial; finals
  accumulate), with the stream time its speech ends at and whether the speech-to-text provider
  itself judged the turn over (AssemblyAI's ``end_of_turn``);
* :meth:`still_thinking` / :meth:`done` - the candidate's two buttons.

The rule: never end while speech continues, nor before any speech (the caller has its own
long-silence rule for that). Otherwise the silence needed depends on what the words say
(:func:`interviewer.live.cues.classify`): ``complete_ms`` for an answer that sounds finished,
``likely_ms`` / ``unsure_ms`` when the words are not conclusive, and ``patience_ms`` (the
company's setting) for an answer that stops mid-thought or whose last words are not transcribed
yet (a slow or failing speech-to-text never makes the interviewer interrupt); nothing waits
longer than ``patience_ms`` except an explicit request for time, which holds the turn open for
``thinking_ms`` of silence and doubles the patience for the rest of that answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cues import Cue, classify

DEFAULT_PATIENCE_MS = 3500
MIN_PATIENCE_MS, MAX_PATIENCE_MS = 1000, 15_000


@dataclass(frozen=True)
class TurnSettings:
    complete_ms: int = 650  # the words end a sentence
    likely_ms: int = 900  # unpunctuated, but the last word can end a sentence
    # the words say nothing conclusive (1500 until 2026-12-07; 1000 chosen on the dev and held-out sets and
    # checked once on a fresh one: bench/data/turn/fresh_set_preregistration.txt)
    unsure_ms: int = 1000
    held_ms: int = 1500  # after "wait, I'm still thinking", no quicker end than this in that answer
    patience_ms: int = DEFAULT_PATIENCE_MS  # the cap; what an answer that stops mid-thought gets
    thinking_ms: int = 20_000  # "wait, I'm still thinking": silence allowed after the request
    text_slack_ms: int = 300  # text covers the speech if it ends this close to the last voice (VAD hangover)

    @classmethod
    def for_patience(cls, seconds: float | None, **overrides: int) -> TurnSettings:
        """Settings with the company's patience (seconds), clamped to sane bounds."""
        patience = DEFAULT_PATIENCE_MS if seconds is None else round(float(seconds) * 1000)
        patience = min(MAX_PATIENCE_MS, max(MIN_PATIENCE_MS, patience))
        return cls(patience_ms=patience, **overrides)


@dataclass(frozen=True)
class Decision:
    end: bool
    reason: str = ""  # done | finished | complete | likely | unsure | pending | patience (incomplete) | hold
    cue: str = ""  # what the words said (or "pending": speech not transcribed yet)
    silence_ms: int = 0  # silence counted at the decision
    needed_ms: int = 0  # silence that this evidence requires


LISTEN = Decision(False)


@dataclass
class TurnPolicy:
    settings: TurnSettings = field(default_factory=TurnSettings)
    last_voice_ms: int | None = None
    speaking: bool = False
    finals: list[str] = field(default_factory=list)
    partial: str = ""
    text_end_ms: int | None = None
    provider_end: bool = False
    thinking_at_ms: int | None = None
    patience_factor: int = 1
    ended: Decision | None = None

    # -- events ---------------------------------------------------------------------------------
    def voice(self, now_ms: int, last_voice_ms: int | None, speaking: bool) -> None:
        """The VAD's state at ``now_ms``: when voice was last heard (None: not yet), and whether
        the speaker is talking now."""
        if last_voice_ms is not None and (self.last_voice_ms is None or last_voice_ms > self.last_voice_ms):
            if self.text_end_ms is not None and last_voice_ms > self.text_end_ms + self.settings.text_slack_ms:
                self.provider_end = False  # new speech after the provider's end of turn
            self.last_voice_ms = last_voice_ms
        self.speaking = bool(speaking)

    def text(self, text: str, *, end_ms: int | None, final: bool, provider_end_of_turn: bool = False) -> None:
        """Transcript text: a partial replaces the previous partial; a final is kept (and clears
        the partial). ``end_ms`` is where its speech ends on the caller's clock."""
        text = " ".join((text or "").split())
        if final:
            if text:
                self.finals.append(text)
            self.partial = ""
        else:
            self.partial = text
        if end_ms is not None:
            self.text_end_ms = max(end_ms, self.text_end_ms or end_ms)
        self.provider_end = bool(provider_end_of_turn and final)

    def still_thinking(self, now_ms: int) -> None:
        """The candidate asked for time: hold the turn open and be twice as patient afterwards."""
        self.thinking_at_ms, self.patience_factor = now_ms, 2

    def done(self, now_ms: int) -> Decision:
        """The candidate said they have finished: the turn ends now, whatever else holds."""
        if self.ended is None:
            self.ended = Decision(True, "done", "", self._silence(now_ms), 0)
        return self.ended

    # -- the decision ---------------------------------------------------------------------------
    @property
    def transcript(self) -> str:
        return " ".join([*self.finals, self.partial]).strip()

    def cue(self) -> str:
        """What the words say about the speech heard so far ("pending": not transcribed yet)."""
        if self.last_voice_ms is not None and (
                self.text_end_ms is None or self.text_end_ms + self.settings.text_slack_ms < self.last_voice_ms):
            return "pending"
        return classify(self.transcript)

    def needed_ms(self, cue: str) -> int:
        s = self.settings
        patience = s.patience_ms * self.patience_factor
        if cue == "hold":
            return s.thinking_ms
        by_cue: dict[str, int] = {"finished": s.complete_ms, "complete": s.complete_ms, "likely": s.likely_ms,
                                  "unsure": s.unsure_ms, "pending": patience, "incomplete": patience}
        needed = by_cue.get(cue, s.unsure_ms)
        if self.provider_end and cue in ("likely", "unsure"):
            needed = s.complete_ms  # the provider's own end-of-turn model agrees the turn is over
        if self.patience_factor > 1 and cue in ("complete", "likely", "unsure", "pending"):
            needed = max(needed, s.held_ms)  # they said they pause: no quick ends in this answer
        return min(needed, patience)

    def decide(self, now_ms: int) -> Decision:
        if self.ended is not None:
            return self.ended
        if self.last_voice_ms is None or self.speaking:
            return LISTEN  # nothing said yet, or speech goes on
        silence = self._silence(now_ms)
        if self.thinking_at_ms is not None and self.thinking_at_ms >= self.last_voice_ms:
            if silence >= self.settings.thinking_ms:  # silence counted from the request
                self.ended = Decision(True, "hold", "hold", silence, self.settings.thinking_ms)
                return self.ended
            return Decision(False, "", "hold", silence, self.settings.thinking_ms)
        cue: Cue | str = self.cue()
        needed = self.needed_ms(cue)
        if silence < needed:
            return Decision(False, "", cue, silence, needed)
        reason = "patience" if cue == "incomplete" else cue
        self.ended = Decision(True, reason, cue, silence, needed)
        return self.ended

    def _silence(self, now_ms: int) -> int:
        if self.last_voice_ms is None:
            return 0
        origin = self.last_voice_ms
        if self.thinking_at_ms is not None:
            origin = max(origin, self.thinking_at_ms)
        return max(0, now_ms - origin)
