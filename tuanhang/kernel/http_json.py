"""One JSON POST over HTTP(S), with the three ways it can fail told apart (issue 18).

A message gateway either has the request or not, and the sender must know which:
- NotSent: connecting failed, or the body did not get out whole; nothing can have been sent,
  so the caller may say "it failed, try again";
- Unconfirmed: the request is out and no answer came (timeout, reset, a gateway's 504); the
  message may well be on its way, so the caller must not send a second one by itself;
- otherwise the status and the decoded JSON answer (a body that is not JSON object: NotSent,
  since the gateway did not say it accepted anything).
"""

import http.client
import json
import urllib.parse
from dataclasses import dataclass


class NotSent(Exception):
    """Nothing went out, or the gateway refused it."""


class Unconfirmed(Exception):
    """The request went out; whether the gateway acted on it is unknown."""


@dataclass(frozen=True)
class Answer:
    status: int
    data: dict


def post_json(url: str, payload: dict, *, headers: dict | None = None, timeout: float = 10) -> Answer:
    """POST `payload` as JSON to `url` with a timeout on connecting and on each read."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise NotSent(f"not an http(s) address: {url!r}")
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    body = json.dumps(payload, ensure_ascii=False).encode()
    try:
        try:
            connection.connect()
        except OSError as exc:  # refused, DNS, TLS handshake, connect timeout
            raise NotSent(f"cannot connect: {type(exc).__name__}: {exc}") from exc
        try:
            connection.request("POST", path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        except OSError as exc:  # an incomplete body is nothing the gateway can act on
            raise NotSent(f"request not sent: {type(exc).__name__}: {exc}") from exc
        try:
            response = connection.getresponse()
            status, raw = response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise Unconfirmed(f"no answer after the request: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    if status == 504:  # a proxy gave up waiting for the gateway, which may have sent it meanwhile
        raise Unconfirmed(f"HTTP {status} from a gateway")
    try:
        data = json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise NotSent(f"HTTP {status}, not JSON: {raw[:200]!r}") from exc
    if not isinstance(data, dict):
        raise NotSent(f"HTTP {status}: {data!r}"[:500])
    return Answer(status, data)
