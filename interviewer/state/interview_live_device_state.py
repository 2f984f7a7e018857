"""The microphone check of the candidate's live interview page (``InterviewLiveState`` mixes
this in): record the test sentence, then the link is re-checked and the check counted against
the interview's own limit (``device_check.authorize``), the recording is transcribed (the speech
pool's low-priority path, with "busy, retrying") and judged: level and words, a verdict and what
to do (``services.device_check``). The state only shows it.

The handlers use the page state's ``phase``, ``link_token``, ``_link_ok``, ``notice`` and
``_error`` (declared there)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from typing import Any

import reflex as rx

from interviewer.core import errors as E
from interviewer.services import device_check
from interviewer.state import interview_live_calls_state as calls
from interviewer.state.auth_state import rate_limited
from interviewer.state.interview_live_calls_state import (
    MAX_TEST_AUDIO_B64,
    TEST_RECORD_MS,
)

log = logging.getLogger("interviewer.live.page")


class LiveDeviceCheck(rx.State, mixin=True):
    test_state: str = "idle"  # idle | recording | transcribing | busy | done | failed
    test_transcript: str = ""
    test_message: str = ""  # failed: why there is no verdict
    verdict_status: str = ""  # good | quiet | unclear | loud (services.device_check)
    verdict_title: str = ""
    verdict_advice: str = ""
    verdict_detail: str = ""

    @rx.event
    def record_test(self):
        self.test_state, self.test_transcript, self.test_message = "recording", "", ""
        self.verdict_status = self.verdict_title = self.verdict_advice = self.verdict_detail = ""
        return rx.call_script(f"window.InterviewPage.recordTest({TEST_RECORD_MS})",
                              callback=type(self).transcribe_test)

    @rx.event(background=True)
    async def transcribe_test(self, audio: Any):
        """The device check: the link is re-checked and the check counted per interview
        (``device_check.authorize``), the recording transcribed and judged (level, words)."""
        raw = audio if isinstance(audio, str) and len(audio) <= MAX_TEST_AUDIO_B64 else ""
        async with self:
            if self.phase != "device":  # speech-to-text only for a link load() accepted
                self.test_state = "idle"
                return
            # Speech-to-text is AI compute: the REST AI limit, same counter per client address.
            if message := rate_limited(self.router, "transcription"):
                self.test_state, self.notice = "idle", message
                return
            if not self._link_ok:
                self.test_state = "idle"
                return
            self.notice = ""
            self.test_state = "transcribing"
            token = self.link_token
        try:
            pcm = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            pcm = b""
        pcm = pcm[:len(pcm) // 2 * 2]
        try:  # the link again, and this interview's own limit
            await asyncio.to_thread(calls.authorize_device_check, token)
        except E.RateLimitedError as exc:
            async with self:
                self.test_state, self.notice = "idle", exc.message
            return
        except E.DomainError as exc:  # the link stopped being usable since the page opened
            async with self:
                self._link_ok = False
                self._error(calls.reason(exc))
            return
        retries: list[int] = []  # filled from the worker thread while the speech pool is busy
        job = asyncio.ensure_future(asyncio.to_thread(calls.transcribe, pcm, retries.append))
        while not job.done():
            await asyncio.wait({job}, timeout=0.25)
            if retries and not job.done():
                async with self:
                    self.test_state = "busy"
        try:
            text = job.result()
        except device_check.SpeechBusy as exc:
            async with self:
                self.test_state, self.test_message = "failed", exc.message
            return
        except (RuntimeError, OSError, E.DomainError):
            log.warning("device check transcription failed", exc_info=True)
            async with self:
                self.test_state = "failed"
                self.test_message = ("We could not check the words just now. If the level bar moves when you "
                                     "speak, you can start the interview, or try the test again.")
            return
        verdict = calls.assess(pcm, text)
        async with self:
            self.test_transcript = text
            self.verdict_status, self.verdict_title = verdict["status"], verdict["title"]
            self.verdict_advice = verdict["advice"]
            self.verdict_detail = (f"Words recognised: {verdict['words_found']} of {verdict['words_total']}. "
                                   f"Voice level {verdict['speech_dbfs']:.0f} dBFS, "
                                   f"peak {verdict['peak_dbfs']:.0f} dBFS.")
            self.test_state = "done"
