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
