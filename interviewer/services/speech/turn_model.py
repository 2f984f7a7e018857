"""Whether the speaker's voice sounds finished: an audio end-of-turn model, offline.

Smart Turn v3.2 (Daily's pipecat project, BSD-2-Clause) is a small classifier trained on recordings
of people (and synthetic speech) to tell a finished turn from a pause mid-thought by the sound of
the last seconds of speech: pitch, lengthening, the words as heard. Its ONNX weights ship inside the
PyPI wheel ``pipecat-ai`` (installed without its dependencies; nothing of it is copied into this
project), and it runs with ``onnxruntime`` on the CPU.

:func:`probability` gives the model's probability that the turn is complete, from the last 8 s of
16 kHz PCM16 speech ending shortly after the last word. The input is Whisper's log-mel spectrogram
(80 bands, 10 ms hop) of the waveform normalised to zero mean and unit variance, left-padded with
silence to 8 s, as the model was trained; the features come from faster-whisper's extractor.
Without the wheel (or onnxruntime) nothing is known and the answer is None.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
import os
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
WINDOW_S = 8  # the model's input: the last 8 s
_MODEL_FILE = "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"
_lock = threading.Lock()


def model_path() -> Path | None:
    """The ONNX file (``TURN_MODEL_PATH``, else the one inside the installed ``pipecat-ai`` wheel)."""
    if env := os.environ.get("TURN_MODEL_PATH", "").strip():
        return Path(env) if Path(env).is_file() else None
    try:
        path = Path(str(importlib.metadata.distribution("pipecat-ai").locate_file(_MODEL_FILE)))
    except importlib.metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def _session():
    path = model_path()
    if path is None:
        log.info("the audio end-of-turn model is not installed (pip install --no-deps pipecat-ai)")
        return None
    try:
        import onnxruntime as ort
        from faster_whisper.feature_extractor import FeatureExtractor
    except ImportError as exc:
        log.info("the audio end-of-turn model cannot run (%s)", exc)
        return None
    options = ort.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1  # one core: the other serves speech-to-text
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    return session, FeatureExtractor(feature_size=80, sampling_rate=SAMPLE_RATE, chunk_length=WINDOW_S)


def available() -> bool:
    """Whether the model loads (loads it: about 0.2 s, once)."""
    with _lock:
        return _session() is not None


def features(pcm: bytes) -> np.ndarray:
    """The model's input for ``pcm`` (16 kHz mono PCM16): shape (1, 80, 800), float32."""
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    size = SAMPLE_RATE * WINDOW_S
    audio = audio[-size:] if len(audio) > size else np.pad(audio, (size - len(audio), 0))
    audio = (audio - audio.mean()) / np.sqrt(audio.var() + 1e-7)
    loaded = _session()
    extractor = loaded[1] if loaded is not None else None
    if extractor is None:
        from faster_whisper.feature_extractor import FeatureExtractor

        extractor = FeatureExtractor(feature_size=80, sampling_rate=SAMPLE_RATE, chunk_length=WINDOW_S)
    mel = extractor(audio, padding=0)
    return mel[np.newaxis, :, :800].astype(np.float32)


def probability(pcm: bytes) -> float | None:
    """The probability (0-1) that the speech in ``pcm`` is a finished turn; None without the model or
    without audio."""
    if not pcm:
        return None
    with _lock:
        loaded = _session()
        if loaded is None:
            return None
        session, _extractor = loaded
        out = session.run(None, {"input_features": features(pcm)})
    return float(np.asarray(out[0]).reshape(-1)[0])
