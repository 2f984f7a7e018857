"""Energy-based utterance segmentation of 16 kHz mono PCM16 (little-endian).

The audio is cut into 20 ms frames; a frame is *voiced* when its RMS level (dBFS) is above an
adaptive noise floor by ``margin_db`` (and above ``min_speech_dbfs``). Speech starts after
``start_ms`` of voiced frames (``preroll_ms`` of audio before it is kept so soft onsets are not
clipped) and ends once ``silence_ms`` pass without a voiced frame; ``hangover_ms`` of the
trailing silence stays in the utterance. Utterances longer than ``max_utterance_ms`` are cut
(Whisper reads at most 30 s at a time). Pure numpy, O(frame): cheap enough for any thread.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
BYTES_PER_MS = SAMPLE_RATE * 2 // 1000  # 32 bytes of PCM16 per millisecond
VOICE_OVER_FLOOR_DB = 3.0  # a frame the neural VAD hears as voice is speech when this far over the floor
SILENCE_DBFS = -100.0


def rms_dbfs(samples: np.ndarray) -> float:
    """RMS level of int16 samples in dBFS (-100 for digital silence)."""
    if samples.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float32) / 32768.0))))
    return max(SILENCE_DBFS, 20.0 * math.log10(rms)) if rms > 0 else SILENCE_DBFS


@dataclass(frozen=True)
class Utterance:
    start_ms: int  # offsets in the stream (plus the segmenter's ``offset_ms``)
    end_ms: int
    pcm: bytes
    voiced_ms: int

    @property
    def speech_ratio(self) -> float:
        """Share of the utterance that was voiced (a quality signal: low = mostly noise)."""
        return round(self.voiced_ms / max(1, self.end_ms - self.start_ms), 3)


class Segmenter:
    """Feed PCM16 in chunks of any size; get finished :class:`Utterance` objects back."""

    def __init__(self, *, offset_ms: int = 0, frame_ms: int = 20, silence_ms: int = 700, start_ms: int = 60,
                 min_speech_ms: int = 150, preroll_ms: int = 200, hangover_ms: int = 150,
                 max_utterance_ms: int = 20_000, margin_db: float = 12.0, min_speech_dbfs: float = -50.0,
                 initial_floor_dbfs: float = -50.0, floor_window_ms: int = 2000) -> None:
        self.frame_ms, self.silence_ms, self.start_ms = frame_ms, silence_ms, start_ms
        self.min_speech_ms, self.hangover_ms, self.max_utterance_ms = min_speech_ms, hangover_ms, max_utterance_ms
        self.margin_db, self.min_speech_dbfs = margin_db, min_speech_dbfs
        self.noise_floor = self._initial_floor = initial_floor_dbfs
        self._levels: deque[float] = deque(maxlen=max(1, floor_window_ms // frame_ms))
        self.level_dbfs = SILENCE_DBFS
        self._frame_bytes = frame_ms * BYTES_PER_MS
        self._pending = b""  # bytes not yet forming a whole frame
        self._clock = offset_ms  # stream time at the start of the next frame
        self._preroll: deque[bytes] = deque(maxlen=max(1, preroll_ms // frame_ms))
        self._run = 0  # consecutive voiced frames while not in speech
        self._speech: list[bytes] | None = None  # frames of the utterance in progress
        self._speech_start = 0
        self._voiced = 0
        self._since_voice = 0  # ms of unvoiced frames since the last voiced frame (in speech)
        self.last_voice_ms: int | None = None  # stream time of the last voiced frame

    # -- state visible to callers ---------------------------------------------------------------
    @property
    def clock_ms(self) -> int:
        return self._clock

    @property
    def in_speech(self) -> bool:
        return self._speech is not None

    @property
    def voiced_ms(self) -> int:
        """Voiced time of the utterance in progress (0 when none)."""
        return self._voiced if self._speech is not None else 0

    @property
    def since_voice_ms(self) -> int:
        """Unvoiced time since the last voiced frame of the utterance in progress (0 when none)."""
        return self._since_voice if self._speech is not None else 0

    def current(self) -> tuple[int, bytes] | None:
        """The utterance in progress (start ms, audio so far), for partial transcripts."""
        return (self._speech_start, b"".join(self._speech)) if self._speech is not None else None

    def threshold(self) -> float:
        return max(self.noise_floor + self.margin_db, self.min_speech_dbfs)

    # -- feeding --------------------------------------------------------------------------------
    def feed(self, pcm: bytes, voice: list[tuple[int, int]] | None = None) -> list[Utterance]:
        """``voice``: spans (start, end ms) that a better detector heard as voice (the neural VAD): a
        frame inside one that is at least ``VOICE_OVER_FLOOR_DB`` over the noise floor is voiced, so
        quiet speech in loud steady noise, below the energy threshold, is still cut into utterances
        and transcribed, not dropped."""
        data = self._pending + pcm
        whole = len(data) - len(data) % self._frame_bytes
        self._pending = data[whole:]
        done: list[Utterance] = []
        for pos in range(0, whole, self._frame_bytes):
            start = self._clock
            heard = bool(voice) and any(s < start + self.frame_ms and e > start for s, e in voice)
            utterance = self._frame(data[pos:pos + self._frame_bytes], heard)
            if utterance is not None:
                done.append(utterance)
        return done

    def flush(self) -> list[Utterance]:
        """End of stream: close the utterance in progress (the partial frame is padded)."""
        if self._pending:
            self.feed(b"\0" * (self._frame_bytes - len(self._pending)))
        utterance = self._close(self._clock) if self._speech is not None else None
        return [utterance] if utterance is not None else []

    def _frame(self, frame: bytes, heard: bool = False) -> Utterance | None:
        level = rms_dbfs(np.frombuffer(frame, dtype="<i2"))
        self.level_dbfs = level
        # the neural VAD's voice counts where the frame is also above the room's floor: its windows lag the
        # end of speech by a few, and the silence after an answer must stay silence
        voiced = level >= self.threshold() or (heard and level >= self.noise_floor + VOICE_OVER_FLOOR_DB)
        self._clock += self.frame_ms
        self._update_floor(level)
        if voiced:
            self.last_voice_ms = self._clock
        if self._speech is None:
            self._preroll.append(frame)
            self._run = self._run + 1 if voiced else 0
            if self._run * self.frame_ms >= self.start_ms:
                frames = list(self._preroll)
                self._speech, self._speech_start = frames, self._clock - len(frames) * self.frame_ms
                self._voiced, self._since_voice, self._run = self._run * self.frame_ms, 0, 0
                self._preroll.clear()
            return None
        self._speech.append(frame)
        if voiced:
            self._voiced += self.frame_ms
            self._since_voice = 0
        else:
            self._since_voice += self.frame_ms
        if self._since_voice >= self.silence_ms:
            trailing = max(0, self._since_voice - self.hangover_ms) // self.frame_ms * self.frame_ms
            return self._close(self._clock - trailing, drop_ms=trailing)
        if self._clock - self._speech_start >= self.max_utterance_ms:
            return self._close(self._clock)
        return None

    def _close(self, end_ms: int, drop_ms: int = 0) -> Utterance | None:
        frames, start = self._speech or [], self._speech_start
        keep = len(frames) - drop_ms // self.frame_ms
        self._speech, self._since_voice = None, 0
        if self._voiced < self.min_speech_ms:
            return None  # a click or a cough: not an utterance
        return Utterance(start, end_ms, b"".join(frames[:keep]), self._voiced)

    def _update_floor(self, level: float) -> None:
        """The floor is the 10th percentile of the last ``floor_window_ms`` of levels: the pauses
        between words, not the speech; it rises when the room gets louder for good. Until 300
        ms of audio are seen, the initial floor caps it (speech may start with the stream)."""
        self._levels.append(level)
        floor = float(np.percentile(np.fromiter(self._levels, dtype=np.float32), 10))
        if len(self._levels) < 300 // self.frame_ms:
            floor = min(floor, self._initial_floor)
        self.noise_floor = floor
