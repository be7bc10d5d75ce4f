"""The researcher's workspace (/me/): saved searches, private notes and folders, each private to
its account; only records the account may see can be noted or filed; bulk export for accounts."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from opis.records import workspace
from opis.records.accounts import CURATOR, READER, RESEARCHER, set_role
from opis.records.models import Folder, FolderItem, ResearchNote, SavedSearch
from opis.records.publication import set_status

pytestmark = pytest.mark.django_db


def account(name: str, role: str = RESEARCHER) -> User:
    user = User.objects.create_user(name, password="not used")
    set_role(user, role, actor="test")
    return user


@pytest.fixture
def ada(client) -> User:
    user = account("ada")
    client.force_login(user)
    return user


@pytest.fixture
def published(archive) -> str:
    return archive.filter(status="published").order_by("pk").first().pk


def test_a_saved_search_is_listed_as_a_link_and_can_be_deleted(client, ada):
    response = client.post("/me/searches", {"q": "korea <b>jet</b>", "name": "Korean jets"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=ada)
    page = client.get("/me/").content.decode()
    assert "Korean jets" in page
    assert "/search?q=korea%20%3Cb%3Ejet%3C/b%3E" in page
    assert "<b>jet</b>" not in page  # escaped
    assert client.post(f"/me/searches/{saved.pk}/delete").status_code == 302
    assert not SavedSearch.objects.exists()


def test_the_search_page_offers_saving_and_export_to_researchers_only(client, archive):
    assert "Save this search" not in client.get("/search", {"q": "korea"}).content.decode()
    assert "/export/search.csv" not in client.get("/search", {"q": "korea"}).content.decode()
    client.force_login(account("bea"))
    page = client.get("/search", {"q": "korea"}).content.decode()
    assert "Save this search" in page and "/export/search.csv" in page


def test_a_note_is_kept_shown_replaced_and_removed(client, ada, published):
    assert (
        client.post(f"/documents/{published}/note", {"body": "see <i>also</i>"}).status_code == 302
    )
    assert ResearchNote.objects.get(user=ada, document_id=published).body == "see <i>also</i>"
    page = client.get(f"/documents/{published}").content.decode()
    assert "see &lt;i&gt;also&lt;/i&gt;" in page
    assert "see &lt;i&gt;also&lt;/i&gt;" in client.get("/me/").content.decode()
    client.post(f"/documents/{published}/note", {"body": "second thoughts"})
    assert ResearchNote.objects.get(user=ada).body == "second thoughts"
    client.post(f"/documents/{published}/note", {"body": ""})
    assert not ResearchNote.objects.exists()


def test_a_note_too_long_is_refused_with_a_message(client, ada, published):
    response = client.post(f"/documents/{published}/note", {"body": "x" * 20_001})
    assert response.status_code == 422
    assert "at most 20,000" in response.content.decode()
    assert not ResearchNote.objects.exists()


def test_folders_file_and_unfile_documents(client, ada, published):
    assert client.post("/me/folders", {"name": "Cables"}).status_code == 302
    folder = Folder.objects.get(user=ada)
    assert "Cables" in client.get(f"/documents/{published}").content.decode()
    response = client.post(f"/me/folders/{folder.pk}/add", {"document_id": published})
    assert response.status_code == 302
    client.post(f"/me/folders/{folder.pk}/add", {"document_id": published})  # again: no change
    assert FolderItem.objects.filter(folder=folder).count() == 1
    assert f"/documents/{published}" in client.get("/me/").content.decode()
    remove = client.post(f"/me/folders/{folder.pk}/remove", {"document_id": published})
    assert remove.status_code == 302
    assert not FolderItem.objects.exists()


def test_an_empty_folder_name_is_refused(client, ada):
    assert client.post("/me/folders", {"name": "  "}).status_code == 422
    assert client.post("/me/folders", {"name": "n" * 201}).status_code == 422
    assert not Folder.objects.exists()


def test_another_accounts_workspace_is_absent_even_to_a_curator(client, ada, published):
    search = workspace.save_search(ada, "korea", "Mine")
    folder = workspace.make_folder(ada, "Private folder")
    workspace.add_to_folder(ada, folder.pk, published)
    workspace.save_note(ada, published, "ada's secret note")
    for other in (account("bob"), account("cid", CURATOR)):
        client.force_login(other)
        assert client.post(f"/me/searches/{search.pk}/delete").status_code == 404
        assert (
            client.post(f"/me/folders/{folder.pk}/add", {"document_id": published}).status_code
            == 404
        )
        assert client.post(
            f"/me/folders/{folder.pk}/remove", {"document_id": published}
        ).status_code == 404  # fmt: skip
        mine = client.get("/me/").content.decode()
        assert "Mine" not in mine and "Private folder" not in mine and "secret" not in mine
        assert "secret" not in client.get(f"/documents/{published}").content.decode()
    assert SavedSearch.objects.count() == 1 and FolderItem.objects.count() == 1


def test_anonymous_people_are_sent_to_sign_in(client, published):
    for method, path in (
        ("get", "/me/"), ("post", "/me/searches"), ("post", "/me/folders"),
        ("post", f"/documents/{published}/note"), ("get", "/export/search.csv"),
        ("get", "/export/search.jsonl"),
    ):  # fmt: skip
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/")


def test_a_reader_account_is_refused(client, published):
    client.force_login(account("rex", READER))
    assert client.get("/me/").status_code == 403
    assert client.post("/me/searches", {"q": "korea"}).status_code == 403
    assert client.post(f"/documents/{published}/note", {"body": "x"}).status_code == 403
    assert client.get("/export/search.csv").status_code == 403
    assert not SavedSearch.objects.exists() and not ResearchNote.objects.exists()


def test_an_unpublished_record_cannot_be_noted_or_filed(client, ada, archive, published):
    draft = archive.exclude(pk=published).order_by("pk").first().pk
    folder = workspace.make_folder(ada, "Cables")
    workspace.add_to_folder(ada, folder.pk, draft)
    set_status(draft, "draft", reason="test")
    assert client.post(f"/documents/{draft}/note", {"body": "x"}).status_code == 404
    assert client.post(f"/me/folders/{folder.pk}/add", {"document_id": draft}).status_code == 404
    # filed while it was published: no longer shown in the workspace
    assert f'/documents/{draft}"' not in client.get("/me/").content.decode()
    assert not ResearchNote.objects.exists()


def test_writes_without_a_csrf_token_are_refused(ada, published):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ada)
    folder = workspace.make_folder(ada, "Cables")
    assert strict.post("/me/searches", {"q": "korea"}).status_code == 403
    assert strict.post("/me/folders", {"name": "x"}).status_code == 403
    assert strict.post(f"/documents/{published}/note", {"body": "x"}).status_code == 403
    assert (
        strict.post(f"/me/folders/{folder.pk}/add", {"document_id": published}).status_code == 403
    )
    assert not SavedSearch.objects.exists() and not ResearchNote.objects.exists()
    assert Folder.objects.count() == 1 and not FolderItem.objects.exists()


def test_workspace_operations_check_lengths(ada):
    with pytest.raises(Exception, match="empty"):
        workspace.save_search(ada, "   ")
    with pytest.raises(Exception, match="at most 2,000"):
        workspace.save_search(ada, "q" * 2001)
    assert workspace.save_search(ada, "korea").name == "korea"
    assert [s.query for s in workspace.searches(ada)] == ["korea"]
