"""Approval policy: ordered steps, who may approve, and whether a version is cleared to publish.

Pure Python (no Django) so the rules are tested on their own. The app turns database rows into a
:class:`Situation` and asks :func:`evaluate` and :func:`check_approval`; it never decides elsewhere.

A policy is a list of steps, approved in order. Each step names roles and/or groups and a rule:

- ``any``: one eligible person;
- ``all``: every eligible person (other than the draft's authors);
- ``n``: ``count`` distinct eligible people.

When screening says ``review`` the policy's ``review_step`` is appended; ``block`` stops the draft outright.
Executive accounts also need the principal's own sign-off, or a standing pre-authorisation the principal
can revoke. Nobody approves a draft they wrote any version of (a ghostwriter included); a principal who
wrote the text themselves has signed it off by writing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RULES = ("any", "all", "n")
# Roles a step may name; viewers only read, so a policy can never make them approvers.
APPROVING_ROLES = ("author", "reviewer", "approver", "publisher", "security", "admin")
VERDICTS = ("ok", "review", "block")


class PolicyError(ValueError):
    """A policy document that cannot be used; the message names the problem."""


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the app translates it when it shows it (this module
    stays free of Django)."""
    return message


class ApprovalRefused(Exception):
    """An approval or sign-off that the rules refuse; the message is shown to the person.

    ``template`` (English, with ``%(name)s`` placeholders) and ``params`` let the app show it translated.
    """

    def __init__(self, template: str, *, code: str, params: dict[str, Any] | None = None) -> None:
        self.template, self.params = template, params or {}
        super().__init__(template % self.params if self.params else template)
        self.code = code  # "stale", "self", "blocked", "not_eligible", "out_of_order", "duplicate", ...


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    rule: str = "any"
    count: int = 1

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, where: str = "step") -> Step:
        if not isinstance(data, Mapping):
            raise PolicyError(f"{where}: expected an object, got {type(data).__name__}")
        unknown = set(data) - {"name", "roles", "groups", "rule", "count"}
        if unknown:
            raise PolicyError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        name = str(data.get("name") or "").strip()
        if not name:
            raise PolicyError(f"{where}: a step needs a name")
        roles = _names(data.get("roles", ()), f"{where}.roles")
        groups = _names(data.get("groups", ()), f"{where}.groups")
        bad = [r for r in roles if r not in APPROVING_ROLES]
        if bad:
            raise PolicyError(f"{where} ({name}): role {bad[0]!r} cannot approve; use one of "
                              f"{', '.join(APPROVING_ROLES)}")
        if not roles and not groups:
            raise PolicyError(f"{where} ({name}): name at least one role or group that may approve")
        rule = data.get("rule", "any")
        if rule not in RULES:
            raise PolicyError(f"{where} ({name}): rule {rule!r} is not one of {', '.join(RULES)}")
        count = data.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise PolicyError(f"{where} ({name}): count must be a whole number of at least 1, got {count!r}")
        return cls(name=name, roles=roles, groups=groups, rule=rule, count=count if rule == "n" else 1)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "roles": list(self.roles), "groups": list(self.groups),
                                "rule": self.rule}
        if self.rule == "n":
            data["count"] = self.count
        return data

    def describe(self) -> str:
        who = ", ".join([*self.roles, *(f"group {g}" for g in self.groups)])
        if self.rule == "all":
            return f"all of {who}"
        if self.rule == "n":
            return f"{self.count} of {who}"
        return f"any {who}"


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise PolicyError(f"{where}: expected a list of names, got {value!r}")
    names = tuple(str(v).strip() for v in value)
    if any(not n for n in names):
        raise PolicyError(f"{where}: empty name in {list(value)!r}")
    return names


DEFAULT_STEPS = (Step(name="Approval", roles=("approver", "admin")),)
DEFAULT_REVIEW_STEP = Step(name="Screening review", roles=("security", "admin"))


@dataclass(frozen=True, slots=True)
class Policy:
    steps: tuple[Step, ...] = DEFAULT_STEPS
    review_step: Step = DEFAULT_REVIEW_STEP

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Policy:
        if not data:
            return cls()
        if not isinstance(data, Mapping):
            raise PolicyError(f"policy: expected an object, got {type(data).__name__}")
        unknown = set(data) - {"steps", "review_step"}
        if unknown:
            raise PolicyError(f"policy: unknown field(s) {', '.join(sorted(unknown))}")
        raw_steps = data.get("steps")
        if raw_steps is None:
            steps = DEFAULT_STEPS
        else:
            if isinstance(raw_steps, str | bytes) or not isinstance(raw_steps, Sequence) or not raw_steps:
                raise PolicyError("policy.steps: expected a non-empty list of steps")
            steps = tuple(Step.from_json(s, where=f"policy.steps[{i}]") for i, s in enumerate(raw_steps))
        review = data.get("review_step")
        review_step = Step.from_json(review, where="policy.review_step") if review else DEFAULT_REVIEW_STEP
        return cls(steps=steps, review_step=review_step)

    def to_json(self) -> dict[str, Any]:
        return {"steps": [s.to_json() for s in self.steps], "review_step": self.review_step.to_json()}

    def steps_for(self, verdict: str) -> tuple[Step, ...]:
        """The steps a version with this screening verdict must pass, in order."""
        _check_verdict(verdict)
        return (*self.steps, self.review_step) if verdict == "review" else self.steps


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"unknown screening verdict {verdict!r}; expected one of {', '.join(VERDICTS)}")


@dataclass(frozen=True, slots=True)
class Approval:
    """One recorded approval: who, for which step, bound to which content hash."""

    user_id: int
    step: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything the rules need about one version of one draft."""

    content_hash: str
    verdict: str
    authors: frozenset[int]                 # everyone who wrote any version of the draft
    eligible: tuple[frozenset[int], ...]    # per step of policy.steps_for(verdict): who holds the role/group
    approvals: tuple[Approval, ...] = ()
    executive: bool = False
    principal_id: int | None = None
    principal_signed_hash: str | None = None  # the content hash the principal signed, if any
    preauthorized: bool = False             # a standing, unrevoked pre-authorisation by the principal
    policy: Policy = field(default_factory=Policy)

    def __post_init__(self) -> None:
        _check_verdict(self.verdict)
        if len(self.eligible) != len(self.steps):
            raise ValueError(f"eligible has {len(self.eligible)} entries for {len(self.steps)} steps")

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.policy.steps_for(self.verdict)


@dataclass(frozen=True, slots=True)
class StepState:
    index: int
    step: Step
    approvers: frozenset[int]
    needed: int            # approvals still needed (0 when done)
    done: bool
    satisfiable: bool      # False when too few people other than the authors may approve


@dataclass(frozen=True, slots=True)
class Evaluation:
    steps: tuple[StepState, ...]
    principal_ok: bool
    principal_needed: bool
    blocked: bool
    current_step: int | None      # index of the first step not yet done
    reasons: tuple[str, ...]      # why it is not cleared (empty when cleared)

    @property
    def cleared(self) -> bool:
        return not self.reasons


def _valid_approvals(s: Situation) -> list[Approval]:
    """Approvals that count: bound to this exact hash, not by an author, in a known step."""
    return [a for a in s.approvals if a.content_hash == s.content_hash and a.user_id not in s.authors
            and 0 <= a.step < len(s.steps)]


def _step_state(s: Situation, index: int, approvals: list[Approval]) -> StepState:
    step = s.steps[index]
    pool = s.eligible[index] - s.authors
    approvers = frozenset(a.user_id for a in approvals if a.step == index and a.user_id in s.eligible[index])
    if step.rule == "all":
        required = len(pool)
        satisfiable = required > 0
        done = satisfiable and pool <= approvers
        needed = len(pool - approvers)
    else:
        required = step.count
        satisfiable = len(pool) >= required
        done = len(approvers) >= required
        needed = max(0, required - len(approvers))
    return StepState(index=index, step=step, approvers=approvers, needed=0 if done else max(needed, 1),
                     done=done, satisfiable=satisfiable or done)


def principal_ok(s: Situation) -> bool:
    if not s.executive:
        return True
    if s.preauthorized:
        return True
    if s.principal_id is not None and s.principal_id in s.authors:
        return True  # the principal wrote it: their words, their sign-off
    return s.principal_signed_hash == s.content_hash


def evaluate(s: Situation) -> Evaluation:
    """Where the version stands against the policy, with reasons a person reads."""
    approvals = _valid_approvals(s)
    states = tuple(_step_state(s, i, approvals) for i in range(len(s.steps)))
    reasons: list[str] = []
    blocked = s.verdict == "block"
    if blocked:
        reasons.append("screening blocked this text; edit it before it can be approved")
    for st in states:
        if not st.done:
            if not st.satisfiable:
                reasons.append(f"step {st.index + 1} ({st.step.name}) cannot be met: too few people other "
                               f"than the authors hold {st.step.describe().removeprefix('any ')}")
            else:
                reasons.append(f"step {st.index + 1} ({st.step.name}) needs {st.needed} more approval(s): "
                               f"{st.step.describe()}")
    p_ok = principal_ok(s)
    if not p_ok:
        reasons.append("the principal has not signed off this version and has no standing pre-authorisation")
    current = next((st.index for st in states if not st.done), None)
    return Evaluation(steps=states, principal_ok=p_ok, principal_needed=s.executive, blocked=blocked,
                      current_step=current, reasons=tuple(reasons))


def check_approval(s: Situation, user_id: int, approved_hash: str) -> int:
    """The step index an approval by ``user_id`` of ``approved_hash`` counts for, or ApprovalRefused."""
    if approved_hash != s.content_hash:
        raise ApprovalRefused(gettext_noop("This version is out of date: the draft was edited after you opened "
                                           "it. Review the current version and approve that."), code="stale")
    if s.verdict == "block":
        raise ApprovalRefused(gettext_noop("Screening blocked this text; it cannot be approved until it is "
                                           "edited."), code="blocked")
    if user_id in s.authors:
        raise ApprovalRefused(gettext_noop("You wrote (a version of) this draft, so you cannot approve it."),
                              code="self")
    if any(a.user_id == user_id and a.content_hash == s.content_hash for a in s.approvals):
        raise ApprovalRefused(gettext_noop("You have already approved this version."), code="duplicate")
    ev = evaluate(s)
    if ev.current_step is None:
        raise ApprovalRefused(gettext_noop("Every approval step of this version is already complete."),
                              code="complete")
    if user_id in s.eligible[ev.current_step]:
        return ev.current_step
    later = [i for i in range(ev.current_step + 1, len(s.steps)) if user_id in s.eligible[i]]
    step = s.steps[ev.current_step]
    if later:
        raise ApprovalRefused(gettext_noop("Step %(n)s (%(name)s) must be completed before step %(later)s "
                                           "(%(later_name)s)."), code="out_of_order",
                              params={"n": ev.current_step + 1, "name": step.name, "later": later[0] + 1,
                                      "later_name": s.steps[later[0]].name})
    raise ApprovalRefused(gettext_noop("You are not an approver for step %(n)s (%(name)s: %(who)s)."),
                          code="not_eligible",
                          params={"n": ev.current_step + 1, "name": step.name, "who": step.describe()})


def check_sign_off(s: Situation, user_id: int, signed_hash: str) -> None:
    """Refuse a principal sign-off that is not the principal's own, or of a stale version."""
    if not s.executive:
        raise ApprovalRefused(gettext_noop("This account is not an executive account; it needs no principal "
                                           "sign-off."), code="not_executive")
    if s.principal_id is None or user_id != s.principal_id:
        raise ApprovalRefused(gettext_noop("Only the account's principal can sign off in their own name."),
                              code="not_principal")
    if signed_hash != s.content_hash:
        raise ApprovalRefused(gettext_noop("This version is out of date: the draft was edited after you opened "
                                           "it. Read the current version and sign that off."), code="stale")
    if s.verdict == "block":
        raise ApprovalRefused(gettext_noop("Screening blocked this text; it cannot be signed off until it is "
                                           "edited."), code="blocked")
