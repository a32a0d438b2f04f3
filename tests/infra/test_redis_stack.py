from __future__ import annotations

import socket

import numpy as np
import pytest
import redis
from redis.commands.search.field import TagField, VectorField
from redis.commands.search.index_definition import IndexDefinition, IndexType
from redis.commands.search.query import Query

from tests.infra.redis_stack import RedisStack


def test_server_answers_ping(redis_client: redis.Redis) -> None:
    assert redis_client.ping() is True


def test_search_json_and_bloom_modules_are_loaded(redis_client: redis.Redis) -> None:
    names = {module[b"name"].decode() for module in redis_client.module_list()}
    assert {"search", "ReJSON", "bf"} <= names


@pytest.mark.parametrize("algorithm", ["HNSW", "FLAT"])
def test_vector_knn_returns_nearest_in_order(redis_client: redis.Redis, algorithm: str) -> None:
    index = redis_client.ft("idx:vec")
    index.create_index(
        [
            TagField("kind"),
            VectorField(
                "embedding", algorithm, {"TYPE": "FLOAT32", "DIM": 4, "DISTANCE_METRIC": "L2"}
            ),
        ],
        definition=IndexDefinition(prefix=["doc:"], index_type=IndexType.HASH),
    )
    vectors = {
        "doc:far": [9.0, 9.0, 9.0, 9.0],
        "doc:near": [1.0, 0.0, 0.0, 0.0],
        "doc:nearest": [0.1, 0.0, 0.0, 0.0],
        "doc:middle": [3.0, 3.0, 0.0, 0.0],
    }
    for key, vector in vectors.items():
        redis_client.hset(
            key,
            mapping={"kind": "test", "embedding": np.array(vector, dtype=np.float32).tobytes()},
        )

    query = (
        Query("*=>[KNN 2 @embedding $vec AS distance]")
        .sort_by("distance")
        .return_fields("distance")
        .dialect(2)
    )
    result = index.search(query, {"vec": np.zeros(4, dtype=np.float32).tobytes()})

    assert [doc.id for doc in result.docs] == ["doc:nearest", "doc:near"]
    assert float(result.docs[0].distance) == pytest.approx(0.01, abs=1e-6)


def test_json_and_bloom_commands_work(redis_client: redis.Redis) -> None:
    redis_client.json().set("cfg", "$", {"model": "gpt-4o", "max_tokens": 16})
    assert redis_client.json().get("cfg", "$.model") == ["gpt-4o"]

    redis_client.bf().create("seen", 0.01, 1000)
    redis_client.bf().add("seen", "prompt-1")
    assert redis_client.bf().exists("seen", "prompt-1") == 1
    assert redis_client.bf().exists("seen", "prompt-2") == 0


def test_stop_ends_the_server_process() -> None:
    server = RedisStack().start()
    process, port, workdir = server.process, server.port, server.workdir
    assert process is not None and port is not None and workdir is not None
    assert redis.Redis.from_url(server.url).ping()

    server.stop()

    assert process.poll() is not None
    assert not workdir.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_context_manager_stops_on_exit() -> None:
    with RedisStack() as server:
        process = server.process
        assert process is not None
        assert redis.Redis.from_url(server.url).ping()
    assert process.poll() is not None
