"""The event and replay store, both kinds, as the web workers use it: several processes, one answer."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from bot.store import RedisStore, SqliteStore, StoreError, open_store
from tests.servers import redis_server


@pytest.fixture(params=["sqlite", "redis"])
def store_spec(request, tmp_path):
    if request.param == "sqlite":
        yield (None, str(tmp_path))
    else:
        with redis_server(tmp_path) as url:
            yield (url, str(tmp_path))


def _claim(spec: tuple[str | None, str], keys: list[str], out) -> None:
    store = open_store(*spec)
    out.put([k for k in keys if store.first_time(k, 60)])


def test_each_key_is_won_once_across_processes(store_spec):
    keys = [f"event:Ev{i:04d}" for i in range(300)]
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_claim, args=(store_spec, keys, out)) for _ in range(3)]
    for p in procs:
        p.start()
    won = [k for _ in procs for k in out.get(timeout=60)]
    for p in procs:
        p.join(timeout=30)
    assert sorted(won) == sorted(keys)  # every key claimed, none twice


def test_a_key_is_free_again_after_its_time(store_spec):
    store = open_store(*store_spec)
    assert store.first_time("sig:abc", 1) and not store.first_time("sig:abc", 1)
    time.sleep(1.1)  # the TTL and a margin: both stores expire a key on time to the millisecond
    assert store.first_time("sig:abc", 1)


def test_an_unusable_store_stops_start_up(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(StoreError, match="PNET_DATA_DIR"):
        open_store(None, str(tmp_path / "file" / "sub"))
    with pytest.raises(StoreError, match="REDIS_URL"):
        open_store("redis://127.0.0.1:1/0", str(tmp_path))
    assert isinstance(open_store(None, str(tmp_path)), SqliteStore) and RedisStore.PREFIX == "pnet:"
