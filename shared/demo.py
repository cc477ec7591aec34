"""Deterministic ids for demo data, so every service's seed refers to the same collectives and people."""

import uuid

DEMO_NAMESPACE = uuid.UUID("5f0c1a8e-6c1b-4e57-9d1e-0a7d3c2b1e90")


def demo_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{key}")
