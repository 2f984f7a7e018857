"""Speech-to-text providers: AssemblyAI streaming v3 with a key, local Whisper without one.

Live answers stream through :meth:`SpeechToText.open` sessions; :attr:`SpeechSession.busy` tells the
live transport that the session's audio is waiting for a saturated speech-to-text (say "busy,
retrying"). A device check goes through :func:`transcribe_device_check`, after every live answer,
and is refused with :class:`SpeechBusyError` rather than queued when speech-to-text is saturated.
"""

from __future__ import annotations

from .base import BUSY_AFTER_S, EventStream, SpeechBusyError, SpeechEvent, SpeechSession, SpeechToText


def get_stt() -> SpeechToText:
    """AssemblyAI when ``ASSEMBLYAI_API_KEY`` is set, else the local Whisper model."""
    from interviewer.core.config import get_settings

    key = get_settings().ASSEMBLYAI_API_KEY
    if key:
        from .assemblyai_stream import AssemblyAIStreaming

        return AssemblyAIStreaming(api_key=key)
    from .whisper_local import WhisperLocal

    return WhisperLocal()


def transcribe_device_check(pcm16: bytes, prompt: str | None = None, timeout: float = 30.0) -> str:
    """The words of a device-check recording (PCM16 16 kHz mono), through the configured
    speech-to-text (blocking: call from a thread). Local Whisper runs it at the lowest priority,
    after every live answer, and raises :class:`SpeechBusyError` when its pool is saturated (or
    when live work kept it waiting ``timeout`` seconds); AssemblyAI streams it like an answer."""
    return get_stt().transcribe_device_check(pcm16, prompt=prompt, timeout=timeout)


__all__ = ["BUSY_AFTER_S", "EventStream", "SpeechBusyError", "SpeechEvent", "SpeechSession", "SpeechToText",
           "get_stt", "transcribe_device_check"]
