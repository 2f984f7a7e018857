"""Speech-to-text providers: AssemblyAI streaming v3 with a key, local Whisper without one."""

from __future__ import annotations

from .base import EventStream, SpeechEvent, SpeechSession, SpeechToText


def get_stt() -> SpeechToText:
    """AssemblyAI when ``ASSEMBLYAI_API_KEY`` is set, else the local Whisper model."""
    from interviewer.core.config import get_settings

    key = get_settings().ASSEMBLYAI_API_KEY
    if key:
        from .assemblyai_stream import AssemblyAIStreaming

        return AssemblyAIStreaming(api_key=key)
    from .whisper_local import WhisperLocal

    return WhisperLocal()


__all__ = ["EventStream", "SpeechEvent", "SpeechSession", "SpeechToText", "get_stt"]
