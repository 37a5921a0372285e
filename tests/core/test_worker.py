"""Background work: with a broker, tasks go to Redis and a real Celery worker runs them."""

import os
import subprocess
import sys
import uuid

import pytest
import redis

BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture
def worker_env():
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (start it: see .ci/run)")
    queue = f"test-{uuid.uuid4().hex}"
    return {
        **os.environ,
        "MAILLAGE_MODE": "embedded",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
    }, queue


def test_a_task_sent_to_redis_runs_on_a_real_worker(worker_env):
    env, queue = worker_env
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "maillage",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = subprocess.run(
            [
                sys.executable,
                "-m",
                "maillage",
                "shell",
                "-c",
                "from maillage.core.tasks import ping; "
                f"r = ping.apply_async(queue={queue!r}); print(r.id); print(r.get(timeout=60)['pong'])",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        worker.terminate()
        log, _ = worker.communicate(timeout=30)
    assert client.returncode == 0, client.stderr + log
    task_id, pong = client.stdout.split()[-2:]
    assert uuid.UUID(task_id)
    assert pong == os.uname().nodename
    assert f"Task maillage.core.tasks.ping[{task_id}] succeeded" in log
