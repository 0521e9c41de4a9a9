"""Conversations through the platform: nobody sees an address, nobody else reads them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from wspolpraca.accounts.tests.factories import UserFactory
from wspolpraca.core.models import OutgoingEmail
from wspolpraca.exchange.models import Message, Post
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory, OrganizationFactory

from .factories import MessageFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def post(organization, org_member):
    return PostFactory(organization=organization, created_by=org_member, title="Rzutnik")


@pytest.fixture
def writer(db):
    return UserFactory(full_name="Jan Kowalski", email="jan.kowalski@example.org")


def _write(client, post, body="Czy rzutnik jest wolny w sobotę?", **extra):
    return client.post(reverse("exchange:write", args=[post.pk]), {"body": body, **extra})


def _conversation(post, user):
    return reverse("exchange:conversation", args=[post.pk, user.pk])


def test_a_message_is_emailed_to_the_post_side_without_the_senders_address(
    client, post, org_member, org_admin, writer, django_capture_on_commit_callbacks
):
    login(client, writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = _write(client, post)
    assert response.url == _conversation(post, writer)
    message = Message.objects.get()
    assert message.correspondent == writer and not message.from_author
    emails = OutgoingEmail.objects.filter(template="exchange/email/message.txt")
    assert {e.to for e in emails} == {org_member.email, org_admin.email}
    for email in emails:
        assert "Czy rzutnik jest wolny w sobotę?" in email.body
        assert "Jan Kowalski" in email.body
        assert writer.email not in email.body
        assert writer.email not in email.subject
        assert "Reply-To" not in email.headers
        assert f"/gielda/{post.pk}/rozmowy/{writer.pk}/" in email.body
        assert "Nie odpowiadaj na ten e-mail" in email.body  # in the recipient's language


def test_the_author_answers_in_the_conversation_and_the_writer_is_emailed(
    client, post, org_member, writer, django_capture_on_commit_callbacks
):
    MessageFactory(post=post, correspondent=writer)
    login(client, org_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_conversation(post, writer), {"body": "Tak, zapraszamy."})
    answer = Message.objects.get(body="Tak, zapraszamy.")
    assert answer.from_author and answer.correspondent == writer and answer.sender == org_member
    email = OutgoingEmail.objects.get(to=writer.email)
    assert "Tak, zapraszamy." in email.body
    assert org_member.email not in email.body


def test_any_member_of_the_organization_reads_and_answers_the_conversations(
    client, post, organization, writer
):
    MessageFactory(post=post, correspondent=writer, body="Pytanie o rzutnik")
    colleague = MembershipFactory(organization=organization).user
    login(client, colleague)
    assert "Pytanie o rzutnik" in client.get(_conversation(post, writer)).content.decode()
    client.post(_conversation(post, writer), {"body": "Odpowiedź koleżanki"})
    assert Message.objects.filter(body="Odpowiedź koleżanki", from_author=True).exists()


def test_the_post_page_lists_the_conversations_for_its_side(client, post, org_member, writer):
    MessageFactory(post=post, correspondent=writer)
    login(client, org_member)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'href="{_conversation(post, writer)}"' in page
    assert "Jan Kowalski" in page


def test_a_stranger_cannot_read_a_conversation(client, post, writer, outsider):
    MessageFactory(post=post, correspondent=writer, body="Prywatna wiadomość")
    login(client, outsider)
    response = client.get(_conversation(post, writer))
    assert response.status_code == 404
    assert client.post(_conversation(post, writer), {"body": "Wtrącam się"}).status_code == 404
    assert not Message.objects.filter(body="Wtrącam się").exists()


def test_an_anonymous_visitor_cannot_read_a_conversation(client, post, writer):
    MessageFactory(post=post, correspondent=writer)
    response = client.get(_conversation(post, writer))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_member_of_another_organization_cannot_read_the_conversation(
    client, post, writer, other_organization
):
    MessageFactory(post=post, correspondent=writer)
    stranger = MembershipFactory(organization=other_organization).user
    login(client, stranger)
    assert client.get(_conversation(post, writer)).status_code == 404


def test_one_writer_cannot_read_another_writers_conversation(client, post, writer):
    MessageFactory(post=post, correspondent=writer, body="Moje pytanie")
    second = UserFactory()
    MessageFactory(post=post, correspondent=second)
    login(client, second)
    assert client.get(_conversation(post, writer)).status_code == 404
    page = client.get(_conversation(post, second)).content.decode()
    assert "Moje pytanie" not in page


def test_a_moderator_does_not_read_conversations(client, post, writer, platform_admin):
    MessageFactory(post=post, correspondent=writer)
    login(client, platform_admin)
    assert client.get(_conversation(post, writer)).status_code == 404


def test_a_member_cannot_write_to_the_own_organizations_post(client, post, org_member):
    login(client, org_member)
    _write(client, post)
    assert not Message.objects.exists()


def test_a_closed_post_takes_no_new_conversation(client, post, writer):
    post.status = Post.Status.CLOSED
    post.save()
    login(client, writer)
    assert client.get(reverse("exchange:write", args=[post.pk])).status_code == 403
    assert _write(client, post).status_code == 403
    assert not Message.objects.exists()


def test_an_expired_post_takes_no_new_conversation(client, post, writer):
    post.expires_on = timezone.localdate() - timedelta(days=1)
    post.save()
    login(client, writer)
    assert _write(client, post).status_code == 403


def test_a_started_conversation_goes_on_after_the_post_closes(client, post, writer):
    MessageFactory(post=post, correspondent=writer)
    post.status = Post.Status.CLOSED
    post.save()
    login(client, writer)
    client.post(_conversation(post, writer), {"body": "Dziękuję!"})
    assert Message.objects.filter(body="Dziękuję!").exists()


def test_an_empty_message_is_refused_next_to_the_field(client, post, writer):
    login(client, writer)
    response = _write(client, post, body="  ")
    assert response.context["form"].errors["body"] == ["Write your message."]


def test_writing_on_behalf_of_an_organization_signs_with_its_name(
    client, post, writer, django_capture_on_commit_callbacks
):
    theirs = OrganizationFactory(name="Stowarzyszenie Sąsiedzi")
    Membership.objects.create(organization=theirs, user=writer)
    login(client, writer)
    with django_capture_on_commit_callbacks(execute=True):
        _write(client, post, organization=theirs.pk)
    assert Message.objects.get().sender_organization == theirs
    assert "Stowarzyszenie Sąsiedzi" in OutgoingEmail.objects.first().body


def test_messages_beyond_the_hourly_limit_are_refused(client, post, writer, rate_limits):
    rate_limits.EXCHANGE_MESSAGES_PER_HOUR = 2
    login(client, writer)
    _write(client, post, body="Pierwsza")
    client.post(_conversation(post, writer), {"body": "Druga"})
    response = client.post(_conversation(post, writer), {"body": "Trzecia"})
    assert "many messages" in response.context["form"].errors["body"][0]
    assert Message.objects.count() == 2


def test_no_exchange_page_shows_an_email_address(
    client, organization, org_member, org_admin, writer, platform_admin
):
    """Every page of the exchange, seen by every side, holds no person's address."""
    post = PostFactory(organization=organization, created_by=org_member)
    company = PostFactory(business=True, created_by=UserFactory(full_name=""))
    MessageFactory(post=post, correspondent=writer)
    MessageFactory(post=post, correspondent=writer, sender=org_member, from_author=True)
    addresses = [org_member.email, org_admin.email, writer.email, company.created_by.email]
    pages = {
        writer: [
            reverse("exchange:list"),
            post.get_absolute_url(),
            company.get_absolute_url(),
            _conversation(post, writer),
            reverse("exchange:write", args=[post.pk]),
            reverse("exchange:conversations"),
            reverse("exchange:report", args=[post.pk]),
            reverse("exchange:create"),
        ],
        org_member: [
            post.get_absolute_url(),
            _conversation(post, writer),
            reverse("exchange:mine"),
            reverse("exchange:edit", args=[post.pk]),
            reverse("exchange:close", args=[post.pk]),
            reverse("exchange:extend", args=[post.pk]),
        ],
        company.created_by: [company.get_absolute_url(), reverse("exchange:mine")],
        platform_admin: [post.get_absolute_url(), reverse("exchange:hide", args=[post.pk])],
    }
    for user, urls in pages.items():
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            for address in addresses:
                assert address not in page, (url, address)
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert not any(address in page for address in addresses)


def test_the_post_page_makes_the_same_queries_for_3_and_30_conversations(client, post, org_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(3):
        MessageFactory(post=post)
    login(client, org_member)
    client.get(post.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(post.get_absolute_url())
    for _n in range(27):
        MessageFactory(post=post)
    with CaptureQueriesContext(connection) as many:
        response = client.get(post.get_absolute_url())
    assert len(response.context["conversations"].object_list) == 25
    assert len(many) == len(few)


def test_a_conversation_makes_the_same_queries_for_3_and_60_messages(client, post, writer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(3):
        MessageFactory(post=post, correspondent=writer)
    login(client, writer)
    url = _conversation(post, writer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(57):
        MessageFactory(post=post, correspondent=writer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 10  # the last page: the newest messages
    assert len(many) == len(few)
