"""Seeded random identifiers and pictures for the privacy scanner's tests: text that holds digit
runs and must not be read as personal data (tests/unit/test_privacy.py,
tests/integration/test_privacy_corpora.py)."""

from __future__ import annotations

import io
import random
import uuid

import pytest


def random_guids(n, seed=2311):
    rng = random.Random(seed)
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]


def random_pngs(n, seed=2311):
    """``n`` small PNG pictures of random pixels (base64), seeded."""
    image = pytest.importorskip("PIL.Image")
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        width, height = rng.randint(2, 24), rng.randint(2, 24)
        picture = image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG")
        out.append(buffer.getvalue())
    return out
