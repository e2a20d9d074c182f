from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from lianxin.intake.extract import Gazetteer, load_gazetteer
from lianxin.intake.extract.times import TZ

FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer_small.json"
# Monday 2 March 2026, 10:00 Asia/Shanghai
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer(FIXTURE)


@pytest.fixture(scope="session")
def city() -> Gazetteer:
    """The real Zhoushan reference data (the small fixture lacks the 新城 towns, roads, islands)."""
    return load_gazetteer()
