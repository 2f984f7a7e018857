"""Test audio: synthetic tones and espeak-ng speech as PCM16 16 kHz mono, and word error rate."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

SR = 16_000


def tone(ms: int, amp: int = 8000, freq: float = 220.0) -> bytes:
    t = np.arange(SR * ms // 1000) / SR
    return (amp * np.sin(2 * np.pi * freq * t)).astype("<i2").tobytes()


def noise(ms: int, amp: float = 30.0, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).normal(0, amp, SR * ms // 1000).astype("<i2").tobytes()


def require_tools(*tools: str) -> None:
    """Skip when a command-line tool is missing: a failure under `make test` (tests/conftest.py)."""
    if not all(shutil.which(tool) for tool in tools):
        pytest.skip(f"{' and '.join(tools)} {'is' if len(tools) == 1 else 'are'} needed "
                    f"(apt-get install {' '.join(tools)})")


def speech_pcm(text: str, workdir: Path, name: str = "speech") -> bytes:
    """``espeak-ng -w x.wav TEXT`` then ``sox x.wav -r 16000 -c 1 -b 16 y.wav``: the PCM frames."""
    require_tools("espeak-ng", "sox")
    raw, out = workdir / f"{name}-raw.wav", workdir / f"{name}.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, capture_output=True, timeout=60)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True,
                   capture_output=True, timeout=60)
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SR, 1, 2)
        return wav.readframes(wav.getnframes())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words (Levenshtein on words)."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)] / max(1, len(ref))


def chunks(pcm: bytes, ms: int = 100) -> list[bytes]:
    size = ms * 32
    return [pcm[i:i + size] for i in range(0, len(pcm), size)]
