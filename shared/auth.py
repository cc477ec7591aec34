"""Bearer JWTs: verification with pinned algorithms and `exp`/`iss`/`aud` checks, roles and scopes as dependencies.

Claims: `sub` (a contributor id for people), `roles` (contributor, collective_admin, funder, partner, operator),
`collectives` (ids a collective_admin may manage), `funders` (ids a funder may act for), `partner` (a partner id).
Production verifies an external OIDC provider's tokens through its JWKS URL; the local stack signs its own with a
generated RSA key (`onderop token`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, Request

from shared.http import Problem
from shared.settings import Settings

ROLES = ("contributor", "collective_admin", "funder", "partner", "operator")


@dataclass(frozen=True)
class Principal:
    sub: str
    roles: frozenset[str] = frozenset()
    collectives: frozenset[str] = frozenset()
    funders: frozenset[str] = frozenset()
    partner: str | None = None
    name: str | None = None
    claims: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_operator(self) -> bool:
        return "operator" in self.roles

    def has(self, role: str) -> bool:
        return role in self.roles

    @cached_property
    def contributor_id(self) -> uuid.UUID | None:
        """The person behind the token, when `sub` is a contributor id."""
        try:
            return uuid.UUID(self.sub)
        except ValueError:
            return None

    def manages_collective(self, collective_id: object) -> bool:
        return self.is_operator or ("collective_admin" in self.roles and str(collective_id) in self.collectives)

    def acts_for_funder(self, funder_id: object) -> bool:
        return self.is_operator or ("funder" in self.roles and str(funder_id) in self.funders)


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.algorithms = [a for a in settings.jwt_algorithms if a.lower() != "none"]
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True) if settings.jwks_url else None
        # Parsed once: handing PEM text to jwt.decode would parse the key on every request.
        pem = settings.jwt_public_key
        self._key = serialization.load_pem_public_key(pem.encode()) if pem else None
        self._verified: dict[str, tuple[Principal, float]] = {}

    # Verified tokens are remembered until they expire: an RS256 signature check is a tenth of a write's CPU, and a
    # client sends the same token with every request. The expiry is checked again on every use.
    CACHE_SIZE = 4096

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            principal, expires_at = cached
            if time.time() < expires_at:
                return principal
            del self._verified[token]
        principal = self._verify(token)
        if len(self._verified) >= self.CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # the oldest entry: dicts keep insertion order
        self._verified[token] = (principal, float(principal.claims["exp"]))
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            key = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._key
            if key is None:
                raise jwt.InvalidTokenError("no verification key configured")
            claims = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            # PyJWT's own words say what is wrong with a well-formed token (expired, audience, signature); for one
            # that does not even parse they quote decoder internals, which are of no use to a client.
            malformed = isinstance(exc, jwt.DecodeError | ValueError) and not isinstance(exc, jwt.InvalidSignatureError)
            raise Problem(
                401,
                "invalid-token",
                "Unauthorized",
                "the bearer token is not a well-formed JWT" if malformed else str(exc),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from exc
        roles = claims.get("roles") or []
        if isinstance(roles, str):
            roles = roles.split()
        return Principal(
            sub=str(claims["sub"]),
            roles=frozenset(r for r in roles if r in ROLES),
            collectives=frozenset(str(c) for c in claims.get("collectives") or []),
            funders=frozenset(str(f) for f in claims.get("funders") or []),
            partner=claims.get("partner"),
            name=claims.get("name"),
            claims=claims,
        )


def _verifier(request: Request) -> TokenVerifier:
    return request.app.state.runtime.verifier


# The dependencies are async on purpose: FastAPI runs a plain `def` dependency in its thread pool, and three thread
# hops per authenticated request cost about a third of a write's CPU.
async def optional_principal(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            "invalid-token",
            "Unauthorized",
            "use 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return _verifier(request).verify(token.strip())


async def required_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Problem(
            401,
            "unauthenticated",
            "Unauthorized",
            "this route needs a bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(required_principal)]


def require_role(*roles: str):
    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.is_operator and not any(principal.has(r) for r in roles):
            raise Problem(
                403,
                "forbidden",
                "Forbidden",
                f"needs one of the roles: {', '.join(dict.fromkeys([*roles, 'operator']))}",
            )
        return principal

    return Depends(check)


# --- the local stack's own keys and tokens ------------------------------------------------------------------------


def ensure_local_keys(keys_dir: Path) -> tuple[str, str]:
    """A generated RSA key pair under `.onderop/keys/`; (private PEM, public PEM)."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = keys_dir / "jwt-private.pem", keys_dir / "jwt-public.pem"
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        private_path.chmod(0o600)
        public_path.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    return private_path.read_text(), public_path.read_text()


def generate_key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def issue_token(
    private_key: object,
    *,
    sub: str,
    roles: list[str],
    issuer: str,
    audience: str,
    collectives: list[str] | None = None,
    funders: list[str] | None = None,
    partner: str | None = None,
    name: str | None = None,
    ttl: timedelta = timedelta(hours=12),
) -> str:
    now = datetime.now(UTC)
    claims: dict = {"sub": sub, "roles": roles, "iss": issuer, "aud": audience, "iat": now, "exp": now + ttl}
    if collectives:
        claims["collectives"] = collectives
    if funders:
        claims["funders"] = funders
    if partner:
        claims["partner"] = partner
    if name:
        claims["name"] = name
    return jwt.encode(claims, private_key, algorithm="RS256")
