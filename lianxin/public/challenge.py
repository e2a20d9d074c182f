"""An arithmetic CAPTCHA that needs no internet and no server state: the question is signed.

The signed blob also carries the form token, which becomes the order's idempotency key, so one solved
question yields at most one order (a replay of the same token returns the same order). It stops generic
form-spamming bots; it does not stop a bot written for this page, which the per-IP rate limit bounds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing

SALT = "lianxin.public.challenge"
MAX_AGE_SECONDS = 2 * 3600


@dataclass(frozen=True)
class Challenge:
    a: int
    b: int
    op: str
    token: str

    @property
    def answer(self) -> int:
        return self.a + self.b if self.op == "+" else self.a - self.b

    @property
    def question(self) -> str:
        return f"{self.a} {'+' if self.op == '+' else '−'} {self.b} = ?"

    def sign(self) -> str:
        return signing.dumps({"a": self.a, "b": self.b, "op": self.op, "t": self.token}, salt=SALT, compress=True)


class ChallengeExpired(Exception):
    pass


class ChallengeInvalid(Exception):
    pass


def new(token: str | None = None, unlike: Challenge | None = None) -> Challenge:
    """A fresh question; after a wrong answer it is never the same question again."""
    while True:
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        op = secrets.choice(["+", "-"])
        if op == "-" and b > a:
            a, b = b, a
        if unlike is None or (a, b, op) != (unlike.a, unlike.b, unlike.op):
            return Challenge(a, b, op, token or secrets.token_urlsafe(18))


def load(signed: str) -> Challenge:
    try:
        data = signing.loads(signed, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise ChallengeExpired from exc
    except signing.BadSignature as exc:
        raise ChallengeInvalid from exc
    try:
        return Challenge(int(data["a"]), int(data["b"]), str(data["op"]), str(data["t"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ChallengeInvalid from exc


def token_from(signed: str) -> str | None:
    """The form token of a challenge even when it has expired (a late double submit still finds its order)."""
    try:
        data = signing.loads(signed, salt=SALT)
    except signing.BadSignature:
        return None
    token = data.get("t") if isinstance(data, dict) else None
    return str(token) if token else None
