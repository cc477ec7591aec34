"""Runs a KitConsumer in its own process until killed; the SIGKILL test kills it mid-batch."""

import asyncio
import json
import os
import sys

from redis.asyncio import Redis

from shared.settings import Settings
from tests.shared.kit import KitConsumer


async def main() -> None:
    settings = Settings.model_validate(json.loads(os.environ["KIT_SETTINGS"]))
    redis = Redis.from_url(settings.redis_url)
    consumer = KitConsumer(settings, redis, batch_size=int(os.environ.get("KIT_BATCH", "10")), claim_idle_ms=60_000)
    await consumer.start()
    print("started", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
