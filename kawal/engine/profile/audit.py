"""Prequential audit: judge every post of one or more accounts against the posts before it.

Used by ``kawal audit`` and the benchmark; the Django app uses :class:`~.profile.Profile` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kawal.engine.profile.profile import Assessment, Profile
from kawal.engine.records import Post

ProfileFactory = Callable[[str], Profile]


@dataclass(slots=True)
class AccountAudit:
    """One account's posts, oldest first, each with its assessment, and the profile after the last one."""

    account: str
    profile: Profile
    posts: list[Post] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    baseline_posts: int = 0

    @property
    def flagged(self) -> list[tuple[Post, Assessment]]:
        return [(p, a) for p, a in zip(self.posts, self.assessments, strict=True) if a.flagged]


def group_by_account(posts: Iterable[Post]) -> dict[str, list[Post]]:
    groups: dict[str, list[Post]] = {}
    for post in posts:
        groups.setdefault(post.account, []).append(post)
    for items in groups.values():
        items.sort(key=lambda post: (post.created_at, post.id))
    return groups


def audit(posts: Iterable[Post], factory: ProfileFactory, *, baseline: Iterable[Post] = (),
          progress: Callable[[int], None] | None = None, hold_flagged: bool = False) -> list[AccountAudit]:
    """Score every post prequentially, per account; ``baseline`` posts are learned first, not scored.

    A baseline of a single account applies to a target of a single account even when the handles differ
    (an archive may not name its account the way a JSONL export does).
    """
    targets, bases = group_by_account(posts), group_by_account(baseline)
    results = []
    for account, items in targets.items():
        base = bases.get(account)
        if base is None and len(bases) == 1 and len(targets) == 1:
            base = next(iter(bases.values()))
        profile = factory(account)
        for post in base or ():
            profile.learn(post)
        result = AccountAudit(account, profile, baseline_posts=len(base or ()))
        for post in items:
            result.posts.append(post)
            result.assessments.append(profile.observe(post, hold_flagged=hold_flagged))
            if progress is not None:
                progress(1)
        results.append(result)
    return results
