"""Who may do what on the exchange. Named predicates, checked with user.has_perm.

A post speaks for its *side*: every member of the organization that posted it, or, for a
business post, the person who posted it. A conversation is read by the post's side and by
the one person who started it; moderators (platform admins) hide posts but read no
conversation.
"""

from dataclasses import dataclass

import rules

from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.rules import is_platform_admin


@dataclass(frozen=True)
class Conversation:
    """A post and the person on the other side of it (see Message)."""

    post: object
    correspondent_id: int


def speaks_for(user, post):
    if not user.is_authenticated or post is None:
        return False
    if post.organization_id:
        return Membership.objects.filter(organization_id=post.organization_id, user=user).exists()
    return post.created_by_id == user.pk


@rules.predicate
def is_posts_side(user, post):
    return speaks_for(user, post)


@rules.predicate
def is_on_posts_side(user, conversation):
    return conversation is not None and speaks_for(user, conversation.post)


@rules.predicate
def is_the_correspondent(user, conversation):
    return (
        user.is_authenticated
        and conversation is not None
        and conversation.correspondent_id == user.pk
    )


rules.add_perm("exchange.change_post", is_posts_side)
rules.add_perm("exchange.moderate_post", is_platform_admin)
# A hidden post stays readable to its own side (with the reason) and to moderators.
rules.add_perm("exchange.see_hidden_post", is_posts_side | is_platform_admin)
rules.add_perm("exchange.read_conversation", is_on_posts_side | is_the_correspondent)


def may(user, perm, obj=None):
    """Whether the exchange's own rule allows it. Unlike user.has_perm, a superuser is not
    let through every rule: nobody reads a conversation they are not part of, and posts
    are changed by their own side only."""
    return rules.has_perm(perm, user, obj)
