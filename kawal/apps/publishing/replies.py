"""What a draft answers: the post id (or URL) a reply goes under, in the form the account's connector takes.

A person pastes either the platform's id or the address they see in the browser; this turns it into the
id the connector's ``publish(..., reply_to=...)`` expects (X and Mastodon: the numeric status id; Bluesky:
the ``at://`` URI of the post), or says exactly what is wrong with it. Pure Python: no Django.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

X_HOSTS = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com", "mobile.x.com"}
BLUESKY_HOSTS = {"bsky.app", "www.bsky.app"}
X_PATH = re.compile(r"^/(?:[A-Za-z0-9_]{1,15}|i/web)/status/(\d{1,20})/?$")
MASTODON_PATH = re.compile(r"^/@[^/]+/(\d{1,20})/?$")
BLUESKY_PATH = re.compile(r"^/profile/([^/]+)/post/([A-Za-z0-9._:~-]{1,512})/?$")
AT_URI = re.compile(r"^at://[^/\s]+/app\.bsky\.feed\.post/[A-Za-z0-9._:~-]{1,512}$")
DIGITS = re.compile(r"^\d{1,20}$")
EXAMPLES = {
    "x": "https://x.com/<user>/status/<id> or the numeric id",
    "mastodon": "https://<your server>/@<user>/<id> or the numeric id",
    "bluesky": "https://bsky.app/profile/<handle>/post/<id> or an at://…/app.bsky.feed.post/… URI",
}


class ReplyTargetError(ValueError):
    """The "in reply to" value cannot be the post a reply answers; the message says why."""


def parse_reply_target(value: str, platform: str, *, account_host: str | None = None) -> str:
    """The connector's id of the post ``value`` names, for an account on ``platform``.

    ``account_host`` (the Mastodon server of the account) is checked against a pasted Mastodon URL: the
    id in another server's address is that server's number for the post, not the account's server's.
    """
    value = value.strip()
    if not value:
        raise ReplyTargetError("the post answered is empty")
    if "://" not in value or value.startswith("at://"):
        return _bare_id(value, platform)
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ReplyTargetError(f"{value!r} is not a web address of a post")
    parser = {"x": _x_url, "mastodon": _mastodon_url, "bluesky": _bluesky_url}.get(platform)
    if parser is None:
        raise ReplyTargetError(f"a {platform} account answers a post by its id, not by a web address ({value!r})")
    return parser(value, host, parts.path, account_host)


def _bare_id(value: str, platform: str) -> str:
    if platform == "bluesky":
        if AT_URI.match(value):
            return value
        raise ReplyTargetError(f"{value!r} is not a Bluesky post; give {EXAMPLES['bluesky']}")
    if platform in ("x", "mastodon"):
        if DIGITS.match(value):
            return value
        raise ReplyTargetError(f"{value!r} is not a {_name(platform)} post id; give {EXAMPLES[platform]}")
    if any(c.isspace() for c in value) or len(value) > 200:
        raise ReplyTargetError(f"{value!r} is not a post id (no spaces, at most 200 characters)")
    return value


def _x_url(value: str, host: str, path: str, _: str | None) -> str:
    if host not in X_HOSTS:
        raise ReplyTargetError(f"{value!r} is not an X post address; give {EXAMPLES['x']}")
    match = X_PATH.match(path)
    if not match:
        raise ReplyTargetError(f"{value!r} is an X address but not of one post; give {EXAMPLES['x']}")
    return match.group(1)


def _mastodon_url(value: str, host: str, path: str, account_host: str | None) -> str:
    if host in X_HOSTS or host in BLUESKY_HOSTS:
        raise ReplyTargetError(f"{value!r} is not a Mastodon post; this account is on Mastodon")
    match = MASTODON_PATH.match(path)
    if not match:
        raise ReplyTargetError(f"{value!r} is not the address of a Mastodon post; give {EXAMPLES['mastodon']}")
    if account_host and host != account_host.lower():
        raise ReplyTargetError(f"{value!r} is on {host}, but the account is on {account_host.lower()}: post ids "
                               f"differ between servers; open the post on {account_host.lower()} and paste "
                               f"that address")
    return match.group(1)


def _bluesky_url(value: str, host: str, path: str, _: str | None) -> str:
    if host not in BLUESKY_HOSTS:
        raise ReplyTargetError(f"{value!r} is not a Bluesky post address; give {EXAMPLES['bluesky']}")
    match = BLUESKY_PATH.match(path)
    if not match:
        raise ReplyTargetError(f"{value!r} is a Bluesky address but not of one post; give {EXAMPLES['bluesky']}")
    return f"at://{match.group(1)}/app.bsky.feed.post/{match.group(2)}"


def _name(platform: str) -> str:
    return {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}.get(platform, platform)


def reply_url(target: str, platform: str, *, base_url: str = "") -> str | None:
    """A web address a reviewer can open to see the answered post, when the id allows one."""
    if platform == "x" and DIGITS.match(target):
        return f"https://x.com/i/web/status/{target}"
    if platform == "mastodon" and DIGITS.match(target) and base_url:
        return f"{base_url.rstrip('/')}/web/statuses/{target}"
    match = re.match(r"^at://([^/]+)/app\.bsky\.feed\.post/([^/]+)$", target)
    if platform == "bluesky" and match:
        return f"https://bsky.app/profile/{match.group(1)}/post/{match.group(2)}"
    return None
