"""The pure workflow rules: content hashing, approval policy, principal sign-off, diffs."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kawal.apps.publishing.content import content_hash, idempotency_key, media_hash
from kawal.apps.publishing.diff import line_diff, unified_diff
from kawal.apps.publishing.policy import (
    Approval,
    ApprovalRefused,
    Policy,
    PolicyError,
    Situation,
    Step,
    check_approval,
    check_sign_off,
    evaluate,
)

WHEN = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
H = content_hash("Selamat pagi", account=7, scheduled_at=WHEN)


def test_it_changes_the_hash_for_any_change_of_text_media_account_or_schedule():
    img = media_hash(b"\x89PNG...")
    base = content_hash("Selamat pagi", media_hashes=[img], account=7, scheduled_at=WHEN)
    assert content_hash("Selamat pagi", media_hashes=[img], account=7, scheduled_at=WHEN) == base
    variants = [
        content_hash("Selamat pagi ", media_hashes=[img], account=7, scheduled_at=WHEN),
        content_hash("Selamat pagi", media_hashes=[], account=7, scheduled_at=WHEN),
        content_hash("Selamat pagi", media_hashes=[media_hash(b"other")], account=7, scheduled_at=WHEN),
        content_hash("Selamat pagi", media_hashes=[img], account=8, scheduled_at=WHEN),
        content_hash("Selamat pagi", media_hashes=[img], account=7, scheduled_at=WHEN + timedelta(minutes=1)),
        content_hash("Selamat pagi", media_hashes=[img], account=7, scheduled_at=None),
    ]
    assert len({base, *variants}) == len(variants) + 1


def test_it_hashes_the_same_instant_the_same_in_any_timezone():
    jakarta = WHEN.astimezone(timezone(timedelta(hours=7)))
    assert content_hash("x", account=1, scheduled_at=jakarta) == content_hash("x", account=1, scheduled_at=WHEN)


def test_it_rejects_a_malformed_media_hash():
    with pytest.raises(ValueError, match="not a lower-case sha256"):
        content_hash("x", media_hashes=["abc"], account=1)


def test_it_derives_an_idempotency_key_from_draft_and_content():
    assert idempotency_key(3, H) == idempotency_key(3, H)
    assert idempotency_key(3, H) != idempotency_key(4, H)
    assert idempotency_key(3, H, break_glass=True) != idempotency_key(3, H)


def situation(**kw) -> Situation:
    policy = kw.pop("policy", Policy())
    verdict = kw.pop("verdict", "ok")
    eligible = kw.pop("eligible", None)
    if eligible is None:
        eligible = tuple(frozenset({2, 3, 4}) for _ in policy.steps_for(verdict))
    return Situation(content_hash=kw.pop("content_hash", H), verdict=verdict,
                     authors=kw.pop("authors", frozenset({1})), eligible=eligible, policy=policy, **kw)


def test_it_clears_a_version_after_one_approval_under_the_default_policy():
    s = situation()
    assert not evaluate(s).cleared
    assert check_approval(s, 2, H) == 0
    s = situation(approvals=(Approval(2, 0, H),))
    assert evaluate(s).cleared


def test_it_refuses_self_approval_even_by_a_ghostwriter_who_wrote_an_earlier_version():
    s = situation(authors=frozenset({1, 2}))
    with pytest.raises(ApprovalRefused, match="cannot approve") as err:
        check_approval(s, 2, H)
    assert err.value.code == "self"
    # and an approval row by an author, however it got there, does not count
    assert not evaluate(situation(authors=frozenset({1, 2}), approvals=(Approval(2, 0, H),))).cleared


def test_it_refuses_a_stale_version_and_ignores_approvals_of_older_hashes():
    old = content_hash("Selamat pagi!", account=7, scheduled_at=WHEN)
    with pytest.raises(ApprovalRefused, match="out of date") as err:
        check_approval(situation(), 2, old)
    assert err.value.code == "stale"
    assert not evaluate(situation(approvals=(Approval(2, 0, old),))).cleared


def test_it_refuses_a_second_approval_by_the_same_person():
    with pytest.raises(ApprovalRefused, match="already approved"):
        check_approval(situation(policy=Policy(steps=(Step("A", roles=("approver",), rule="n", count=2),)),
                                 approvals=(Approval(2, 0, H),)), 2, H)


def test_it_walks_ordered_steps_with_any_all_and_n_rules():
    policy = Policy(steps=(Step("Legal", roles=("reviewer",), rule="all"),
                           Step("Comms", roles=("approver",), rule="n", count=2)))
    eligible = (frozenset({2, 3}), frozenset({4, 5, 6}))
    s = situation(policy=policy, eligible=eligible)
    with pytest.raises(ApprovalRefused, match="Step 1 \\(Legal\\) must be completed before step 2") as err:
        check_approval(s, 4, H)
    assert err.value.code == "out_of_order"
    s = situation(policy=policy, eligible=eligible, approvals=(Approval(2, 0, H),))
    ev = evaluate(s)
    assert ev.current_step == 0 and ev.steps[0].needed == 1
    s = situation(policy=policy, eligible=eligible, approvals=(Approval(2, 0, H), Approval(3, 0, H)))
    assert evaluate(s).current_step == 1
    assert check_approval(s, 5, H) == 1
    with pytest.raises(ApprovalRefused, match="not an approver for step 2"):
        check_approval(s, 9, H)
    s = situation(policy=policy, eligible=eligible,
                  approvals=(Approval(2, 0, H), Approval(3, 0, H), Approval(4, 1, H), Approval(6, 1, H)))
    assert evaluate(s).cleared


def test_it_excludes_authors_from_an_all_step_and_reports_an_unsatisfiable_step():
    policy = Policy(steps=(Step("Board", roles=("approver",), rule="all"),))
    s = situation(policy=policy, eligible=(frozenset({1, 2}),), approvals=(Approval(2, 0, H),))
    assert evaluate(s).cleared  # author 1 holds the role but cannot and need not approve
    s = situation(policy=policy, eligible=(frozenset({1}),))
    assert "cannot be met" in evaluate(s).reasons[0]
    s = situation(policy=Policy(steps=(Step("Two", roles=("approver",), rule="n", count=2),)),
                  eligible=(frozenset({1, 2}),))
    assert not evaluate(s).steps[0].satisfiable


def test_it_adds_the_review_step_when_screening_says_review_and_stops_on_block():
    s = situation(verdict="review", approvals=(Approval(2, 0, H),),
                  eligible=(frozenset({2}), frozenset({3})))
    ev = evaluate(s)
    assert not ev.cleared and ev.current_step == 1 and "Screening review" in ev.reasons[0]
    assert check_approval(s, 3, H) == 1
    s = situation(verdict="block")
    assert evaluate(s).blocked and not evaluate(s).cleared
    with pytest.raises(ApprovalRefused, match="Screening blocked"):
        check_approval(s, 2, H)


def test_it_needs_the_principal_for_an_executive_account():
    base = {"executive": True, "principal_id": 9, "approvals": (Approval(2, 0, H),)}
    ev = evaluate(situation(**base))
    assert not ev.cleared and ev.principal_needed and "principal" in ev.reasons[0]
    assert evaluate(situation(**base, principal_signed_hash=H)).cleared
    old = content_hash("older", account=7)
    assert not evaluate(situation(**base, principal_signed_hash=old)).cleared
    assert evaluate(situation(**base, preauthorized=True)).cleared
    # the principal who wrote the text themselves has signed it by writing it
    assert evaluate(situation(**base, authors=frozenset({9}))).cleared


def test_it_refuses_a_sign_off_by_anyone_but_the_principal_or_of_a_stale_version():
    s = situation(executive=True, principal_id=9)
    check_sign_off(s, 9, H)
    with pytest.raises(ApprovalRefused, match="Only the account's principal"):
        check_sign_off(s, 2, H)
    with pytest.raises(ApprovalRefused, match="out of date"):
        check_sign_off(s, 9, "0" * 64)
    with pytest.raises(ApprovalRefused, match="not an executive account"):
        check_sign_off(situation(), 9, H)


def test_it_reads_a_policy_document_and_names_what_is_wrong():
    p = Policy.from_json({"steps": [{"name": "Legal", "groups": ["legal"], "rule": "n", "count": 2}],
                          "review_step": {"name": "Sec", "roles": ["security"]}})
    assert p.steps[0].groups == ("legal",) and p.steps[0].count == 2 and p.review_step.name == "Sec"
    assert Policy.from_json(p.to_json()) == p
    assert Policy.from_json(None) == Policy()
    for bad, message in [
        ({"steps": []}, "non-empty list"),
        ({"steps": [{"name": "A"}]}, "at least one role or group"),
        ({"steps": [{"name": "A", "roles": ["approver"], "rule": "most"}]}, "rule 'most'"),
        ({"steps": [{"name": "A", "roles": ["approver"], "rule": "n", "count": 0}]}, "count must be"),
        ({"steps": [{"roles": ["approver"]}]}, "needs a name"),
        ({"steps": [{"name": "A", "roles": "approver"}]}, "list of names"),
        ({"stepz": []}, "unknown field"),
        ({"steps": [{"name": "A", "roles": ["viewer"]}]}, "'viewer' cannot approve"),
    ]:
        with pytest.raises(PolicyError, match=message):
            Policy.from_json(bad)


def test_it_diffs_versions_line_by_line():
    old = "Selamat pagi\nJakarta\nSalam"
    new = "Selamat pagi\nIndonesia\nSalam"
    kinds = [(d.kind, d.text) for d in line_diff(old, new) if d.kind != "hunk"]
    assert kinds == [("same", "Selamat pagi"), ("remove", "Jakarta"), ("add", "Indonesia"), ("same", "Salam")]
    assert line_diff(old, old) == []
    assert "-Jakarta" in unified_diff(old, new) and "+Indonesia" in unified_diff(old, new)
