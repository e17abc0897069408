import pytest

from handlers.engine import Engine
from knowledge import load


@pytest.fixture(scope="session")
def knowledge():
    return load()


@pytest.fixture(scope="session")
def engine(knowledge):
    return Engine(knowledge)
