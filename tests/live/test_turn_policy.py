"""The end-of-turn policy on scripted voice/word sequences with a fake clock (milliseconds)."""

from __future__ import annotations

from interviewer.live.turn_policy import DEFAULT_PATIENCE_MS, TurnPolicy, TurnSettings

FRAME = 20


class Script:
    """A fake clock and a scripted stream: speech and silence frames, words as they arrive."""

    def __init__(self, policy: TurnPolicy | None = None) -> None:
        self.policy = policy or TurnPolicy()
        self.now = 0
        self.last_voice: int | None = None

    def speak(self, ms: int) -> None:
        for _ in range(ms // FRAME):
            self.now += FRAME
            self.last_voice = self.now
            self.policy.voice(self.now, self.last_voice, True)
            assert not self.policy.decide(self.now).end, f"ended during speech at {self.now} ms"

    def say(self, text: str, ms: int = 1500, *, final: bool = True, provider_end: bool = False) -> None:
        self.speak(ms)
        self.policy.voice(self.now, self.last_voice, False)
        self.policy.text(text, end_ms=self.now + 150, final=final, provider_end_of_turn=provider_end)

    def silence_until_end(self, limit_ms: int = 60_000) -> int | None:
        """Silent frames until the policy ends the turn: the silence it waited (None: never)."""
        start = self.now
        while self.now - start < limit_ms:
            self.now += FRAME
            self.policy.voice(self.now, self.last_voice, False)
            if self.policy.decide(self.now).end:
                return self.now - start
        return None

    def silence(self, ms: int) -> bool:
        """``ms`` of silence; True if the turn ended within it."""
        ended = self.silence_until_end(ms)
        return ended is not None


def test_a_complete_sentence_ends_fast():
    s = Script()
    s.say("I would use a hash map keyed by the word, then sort the counts.")
    waited = s.silence_until_end()
    assert waited is not None and 600 <= waited <= 800, waited
    assert s.policy.decide(s.now).reason == "complete"


def test_a_trailing_conjunction_or_filler_waits_for_the_patience_limit():
    for tail in ("and", "so", "because", "um", "uh", "let me think"):
        s = Script()
        s.say(f"I would use a hash map {tail}")
        waited = s.silence_until_end()
        assert waited is not None and DEFAULT_PATIENCE_MS <= waited <= DEFAULT_PATIENCE_MS + 40, (tail, waited)
        assert s.policy.decide(s.now).reason == "patience"


def test_a_thinking_pause_is_not_cut_off_and_the_answer_then_ends_fast():
    s = Script()
    s.say("A hash map gives constant time lookups and, um")
    assert not s.silence(2500)  # a 2.5 s thinking pause: still listening
    s.say("the counts can then be sorted at the end.")
    waited = s.silence_until_end()
    assert waited is not None and waited <= 800


def test_speech_that_continues_never_ends_the_turn():
    s = Script()
    s.say("First the complete sentence.")
    s.speak(30_000)  # 30 s more speech, untranscribed: Script.speak asserts no end on every frame
    assert not s.policy.decide(s.now).end


def test_words_not_transcribed_yet_are_waited_for_up_to_the_patience():
    s = Script()
    s.speak(1000)
    waited = s.silence_until_end()  # no text ever comes (speech-to-text slow or down)
    assert waited == DEFAULT_PATIENCE_MS
    assert s.policy.decide(s.now).cue == "pending"


def test_late_text_decides_when_it_arrives():
    s = Script()
    s.speak(1500)
    assert not s.silence(400)
    s.policy.text("It runs in linear time overall.", end_ms=s.last_voice + 100, final=True)
    waited = s.silence_until_end()
    assert waited is not None and 200 <= waited <= 300  # 650 ms of silence in all


def test_the_patience_setting_caps_every_wait():
    s = Script(TurnPolicy(TurnSettings.for_patience(2.0)))
    s.say("and then we would")
    assert s.silence_until_end() == 2000
    assert TurnSettings.for_patience(100).patience_ms == 15_000 and TurnSettings.for_patience(0).patience_ms == 1000
    assert TurnSettings.for_patience(None).patience_ms == DEFAULT_PATIENCE_MS


def test_still_thinking_holds_the_turn_and_doubles_patience_for_that_answer():
    s = Script()
    s.say("I would use a hash map.")
    assert not s.silence(300)
    s.policy.still_thinking(s.now)
    assert not s.silence(15_000)  # far beyond patience: held
    s.say("and then sort them by", ms=800, final=False)
    assert not s.silence(DEFAULT_PATIENCE_MS + 100)  # an open ending now waits twice the patience
    assert s.silence_until_end() is not None
    assert s.policy.decide(s.now).reason == "patience"
    assert s.policy.decide(s.now).silence_ms >= 2 * DEFAULT_PATIENCE_MS


def test_still_thinking_without_more_speech_ends_after_the_hold():
    s = Script()
    s.say("Hmm.")
    s.policy.still_thinking(s.now + 200)
    waited = s.silence_until_end()
    assert waited is not None and 20_000 <= waited <= 20_300


def test_saying_give_me_a_second_holds_like_the_button():
    s = Script()
    s.say("Give me a second.")
    assert not s.silence(10_000)


def test_done_ends_at_once_even_mid_thought_or_mid_speech():
    s = Script()
    s.say("and so", final=False)
    s.speak(200)
    decision = s.policy.done(s.now)
    assert decision.end and decision.reason == "done"
    assert s.policy.decide(s.now).reason == "done"


def test_saying_that_is_it_ends_fast():
    s = Script()
    s.say("I'd shard by user id. That's it.")
    assert s.silence_until_end() <= 700


def test_no_speech_never_ends_the_turn():
    s = Script()
    assert not s.silence(30_000)


def test_unformatted_partials_end_fast_with_the_providers_end_of_turn():
    s = Script()
    s.say("i would use a hash map to count the words", final=False)
    assert 880 <= s.silence_until_end() <= 920  # "likely"
    s = Script()
    s.say("I would use a hash map.", final=True, provider_end=True)
    assert s.silence_until_end() <= 700
    s = Script()  # the provider's end of turn does not override an open ending
    s.say("I would use a hash map and", final=True, provider_end=True)
    assert not s.silence(3000)


def test_words_that_say_nothing_conclusive_wait_the_unsure_time_not_the_patience():
    s = Script()
    s.say("For the sessions we need to store")  # a verb after "to": may end the sentence or wait for an object
    assert s.policy.decide(s.now).reason in ("", "unsure")
    waited = s.silence_until_end()
    settings = TurnSettings()
    assert waited is not None and settings.unsure_ms <= waited <= settings.unsure_ms + 2 * FRAME
    assert s.policy.decide(s.now).reason == "unsure"
    assert settings.complete_ms < settings.unsure_ms < settings.patience_ms


def test_after_asking_for_time_no_end_is_quicker_than_the_held_wait():
    s = Script()
    s.say("I would use a hash map.")
    s.policy.still_thinking(s.now)
    s.say("That covers the lookups.")  # a complete sentence, which otherwise ends in 0.65 s
    waited = s.silence_until_end()
    settings = TurnSettings()
    assert waited is not None and settings.held_ms <= waited <= settings.held_ms + 2 * FRAME
    assert settings.held_ms > settings.unsure_ms  # the request for time is honoured beyond an unsure ending
