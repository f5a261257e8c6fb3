"""Running the team from the browser (issue 31), with and without JavaScript, on a laptop and a
phone: an admin invites an SDR, who follows the one-time link, chooses her password and sees only
her client's queue; a manager makes an API key that the API then accepts, and sets the budgets."""
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from checks import page_checks
from conftest import ROOT, Server, login, run_command, serving
from test_journeys import click_and_load, wait

MANAGER_EMAIL = "mona@greenlight.example"
MANAGER_PASSWORD = "mona-manages-it"
SECOND_CLIENT = "Southwind Supply"


@pytest.fixture
def team_server(demo_template, request):
    """A server whose data has a second client with drafts of its own (the invited SDR must not see
    them) and a manager of Northwind Ledger."""

    def prepare(instance):
        scratch = tempfile.mkdtemp(prefix="greenlight-e2e-southwind-")
        try:
            add_second_client(instance, scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def add_second_client(instance, scratch):
        pack = os.path.join(scratch, "southwind")
        shutil.copytree(os.path.join(ROOT, "Sources/GreenlightWork/Demo/Data/pack"), pack)
        with open(os.path.join(pack, "client.json")) as f:
            profile = json.load(f)
        profile["name"] = SECOND_CLIENT
        with open(os.path.join(pack, "client.json"), "w") as f:
            json.dump(profile, f)
        contacts = os.path.join(scratch, "southwind.csv")
        with open(os.path.join(ROOT, "Sources/GreenlightWork/Demo/Data/contacts.csv")) as f:
            lines = f.read().splitlines()
        with open(contacts, "w") as f:
            f.write("\n".join([lines[0]] + [line.replace("@", "@south.") for line in lines[1:4]]) + "\n")
        database = ["--database", instance.database]
        run_command("client", "add", pack, *database, cwd=instance.folder)
        run_command("template", "add", os.path.join(ROOT, "Sources/GreenlightWork/Demo/Data/template.md"), "--client", SECOND_CLIENT,
                    *database, cwd=instance.folder)
        run_command("import", contacts, "--client", SECOND_CLIENT, "--template", "Northwind intro EN", *database, cwd=instance.folder)
        run_command("user", "add", "--email", MANAGER_EMAIL, "--password", MANAGER_PASSWORD, "--role", "manager", "--name", "Mona Manager",
                    "--client", "Northwind Ledger", *database, cwd=instance.folder)

    yield from serving(Server(demo_template, request.node.name, prepare=prepare), request)


def submit(browser, form_selector, message):
    form = browser.find_element(By.CSS_SELECTOR, form_selector)
    click_and_load(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), message)


def test_admin_invites_an_sdr_who_sees_only_her_client(browser, team_server):
    server = team_server
    south_pending = server.query("SELECT COUNT(*) FROM generated_emails e JOIN clients c ON c.id = e.client_id "
                                 "WHERE c.name = ? AND e.status = 'pending_review'", SECOND_CLIENT)[0][0]
    assert south_pending > 0, "the second client has drafts waiting"
    login(browser, server)
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Team"), "the Team link did not open the team page")
    page_checks(browser, "team")
    north = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]

    # A mistake comes back with what was typed and the message beside the field.
    browser.find_element(By.ID, "invite-email").send_keys("sia@")
    browser.find_element(By.NAME, f"client_{north}").click()
    submit(browser, "form[action='/team/invitations']", "the invitation form did not answer")
    error = browser.find_element(By.ID, "invite-email-error")
    assert "is not a valid email address" in error.text
    assert browser.find_element(By.ID, "invite-email").get_attribute("value") == "sia@"
    assert browser.find_element(By.NAME, f"client_{north}").is_selected(), "the client stays checked"
    page_checks(browser, "team-invite-error", refused=True)
    assert server.query("SELECT COUNT(*) FROM user_links")[0][0] == 0

    field = browser.find_element(By.ID, "invite-email")
    field.clear()
    field.send_keys("sia@greenlight.example")
    Select(browser.find_element(By.ID, "invite-role")).select_by_value("sdr")
    submit(browser, "form[action='/team/invitations']", "the invitation was not made")
    link = browser.find_element(By.ID, "made-link-url").get_attribute("value")
    assert "/set-password/" in link
    page_checks(browser, "team-link")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".logout button"), "logging out did not load a page")

    browser.get(link.replace("http://localhost:8080", server.base))
    wait(browser, lambda b: b.find_elements(By.ID, "set-password"), "the link did not open the password page")
    assert "sia@greenlight.example" in browser.find_element(By.TAG_NAME, "main").text
    page_checks(browser, "set-password")
    browser.find_element(By.ID, "set-name").send_keys("Sia Lee")
    browser.find_element(By.ID, "set-password").send_keys("short")
    browser.find_element(By.ID, "set-confirmation").send_keys("short")
    submit(browser, "main form", "the password form did not answer")
    assert "at least 8 characters" in browser.find_element(By.ID, "set-password-error").text
    assert browser.find_element(By.ID, "set-name").get_attribute("value") == "Sia Lee"
    page_checks(browser, "set-password-error", refused=True)
    browser.find_element(By.ID, "set-password").send_keys("sia-reviews-now")
    browser.find_element(By.ID, "set-confirmation").send_keys("sia-reviews-now")
    submit(browser, "main form", "the account was not made")
    wait(browser, lambda b: "/review" in b.current_url, "the new SDR did not land on the queue")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Northwind Ledger" in main or browser.find_elements(By.CSS_SELECTOR, ".card"), "her client's queue"
    assert SECOND_CLIENT not in browser.page_source, "no email of a client she does not work on"
    assert not browser.find_elements(By.LINK_TEXT, "Team"), "an SDR has no team page"
    page_checks(browser, "sdr-first-queue")
    browser.get(server.base + "/account")
    page_checks(browser, "account")


def test_manager_makes_an_api_key_the_api_accepts(browser, team_server):
    server = team_server
    login(browser, server, MANAGER_EMAIL, MANAGER_PASSWORD)
    north = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]
    browser.get(f"{server.base}/clients/{north}")
    page_checks(browser, "client-keys")
    browser.find_element(By.ID, "key-name").send_keys("clay")
    Select(browser.find_element(By.ID, "key-role")).select_by_value("reviewer")
    submit(browser, f"form[action='/clients/{north}/keys']", "the key was not made")
    key = browser.find_element(By.ID, "new-key").get_attribute("value")
    assert key.startswith("gl_")
    page_checks(browser, "client-key-made")
    request = urllib.request.Request(server.base + "/api/v1/emails?limit=1", headers={"Authorization": f"Bearer {key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        assert "emails" in json.loads(answer.read())
    browser.get(f"{server.base}/clients/{north}")
    assert key not in browser.page_source and "…" + key[-4:] in browser.page_source, "only the last four characters, ever after"
    submit(browser, f"form[action$='/revoke']", "revoking did not answer")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401

    budget = browser.find_element(By.ID, "budget-hourly")
    budget.clear()
    budget.send_keys("lots")
    submit(browser, f"form[action='/clients/{north}/budgets']", "the budget form did not answer")
    assert "is not a dollar amount" in browser.find_element(By.ID, "budget-hourly-error").text
    page_checks(browser, "client-budget-error", refused=True)
    budget = browser.find_element(By.ID, "budget-hourly")
    budget.clear()
    budget.send_keys("5")
    submit(browser, f"form[action='/clients/{north}/budgets']", "the budget was not saved")
    assert "$5.00 an hour" in browser.find_element(By.TAG_NAME, "body").text


def fill(browser, element_id, text):
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_manager_sets_up_a_client_from_the_browser(browser, team_server):
    """From the demo to a second client with its own template, drafts, API key and SDR, without a
    shell: the client from the form (previewed first), a template (previewed), an import, a review, a
    key the API accepts, and an SDR invited by the manager who sees only this client's queue."""
    server = team_server
    login(browser, server, MANAGER_EMAIL, MANAGER_PASSWORD)
    browser.get(server.base + "/clients")
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "New client"), "New client did not open the form")
    page_checks(browser, "client-new")
    fill(browser, "client-name", "Eastwind Freight")
    fill(browser, "client-website", "https://eastwind.example")
    fill(browser, "client-sender-name", "Mona Manager")
    fill(browser, "client-sender-email", "mona@eastwind.example")
    Select(browser.find_element(By.ID, "client-timezone")).select_by_value("Europe/Oslo")
    fill(browser, "client-export-hour", "9")
    fill(browser, "client-pci", "Freight forwarders in the Nordics with 50 to 500 staff.")
    fill(browser, "client-personas", "## Head of Operations\n\nRuns the depots.\n\n## CFO\n\nOwns the cost of every late load.")
    fill(browser, "client-pain-points", "1. **Late loads** — trucks leave half empty when paperwork lags.\n2. **Manual invoices** — keyed in by hand.")
    fill(browser, "client-competitors", "## Haulwise\n\nA dispatch app for small fleets.")
    fill(browser, "client-case-studies", "## Fjord Cargo — 20% fuller trucks\n\nFjord Cargo filled its trucks 20% fuller in a quarter.")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "button[value=preview]"), "the client preview did not load")
    preview = browser.find_element(By.ID, "preview-title").find_element(By.XPATH, "..").text
    assert "Head of Operations" in preview and "Late loads" in preview and "Haulwise" in preview
    assert server.query("SELECT COUNT(*) FROM clients WHERE name = 'Eastwind Freight'")[0][0] == 0, "a preview saves nothing"
    page_checks(browser, "client-preview")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"), "the client was not created")
    client_id = server.query("SELECT id FROM clients WHERE name = 'Eastwind Freight'")[0][0]
    assert browser.current_url.endswith(f"/clients/{client_id}")

    click_and_load(browser, browser.find_element(By.LINK_TEXT, "New template"), "New template did not open the form")
    page_checks(browser, "template-new")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "button[value=preview]"), "the template preview did not load")
    preview = browser.find_element(By.ID, "preview-title").find_element(By.XPATH, "..").text
    assert "Alex Sample" in preview, "a client with no contact yet previews with a made-up one"
    assert browser.find_elements(By.CSS_SELECTOR, ".made-link .score"), "the preview shows the score"
    assert server.query("SELECT COUNT(*) FROM templates WHERE client_id = ?", client_id)[0][0] == 0, "a preview saves nothing"
    page_checks(browser, "template-preview")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"), "the template was not added")
    assert server.query("SELECT COUNT(*) FROM templates WHERE client_id = ?", client_id)[0][0] == 1

    path = os.path.join(server.folder, "eastwind.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("First Name,Last Name,Email,Company,Industry,Job Title\n")
        f.write("Ada,Berg,ada@nordfrakt.example,Nordfrakt,Logistics,Head of Operations\n")
        f.write("Ole,Dahl,ole@vestlast.example,Vestlast,Logistics,CFO\n")
    browser.get(server.base + "/import")
    options = browser.find_element(By.ID, "template").find_elements(By.TAG_NAME, "option")
    next(o for o in options if "Eastwind Freight" in o.text).click()
    browser.find_element(By.ID, "file").send_keys(path)
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".upload button[type=submit]"), "the upload did not load a page")
    wait(browser, lambda b: "2 of 2 drafted" in b.find_element(By.ID, "job-count").text, "the two contacts were not drafted", timeout=30,
         ignored=(Exception,))

    browser.get(f"{server.base}/review?client={client_id}")
    cards = browser.find_elements(By.CSS_SELECTOR, ".card:has(.approve-form)")
    assert len(cards) == 2, "the new client's two drafts wait for review"
    email_id = cards[0].get_attribute("data-id")
    button = cards[0].find_element(By.CSS_SELECTOR, ".approve-form button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()  # with JavaScript the card is decided in place; without, the form posts and the queue loads again
    wait(browser, lambda b: server.query("SELECT status FROM generated_emails WHERE id = ?", int(email_id))[0][0] == "approved",
         "approving the new client's first draft did not approve it")

    # The new client's own API key: the API answers with its emails, and only its emails.
    browser.get(f"{server.base}/clients/{client_id}")
    fill(browser, "key-name", "make")
    submit(browser, f"form[action='/clients/{client_id}/keys']", "the new client's key was not made")
    key = browser.find_element(By.ID, "new-key").get_attribute("value")
    request = urllib.request.Request(server.base + "/api/v1/emails?limit=100", headers={"Authorization": f"Bearer {key}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        emails = json.loads(answer.read())["emails"]
    assert len(emails) == 1 and emails[0]["client"] == "Eastwind Freight", f"the key sees its client's draft still waiting, no other: {emails}"

    # Its own SDR: invited by the manager, she follows the link and sees only this client's queue.
    browser.get(server.base + "/team")
    fill(browser, "invite-email", "eve@greenlight.example")
    Select(browser.find_element(By.ID, "invite-role")).select_by_value("sdr")
    browser.find_element(By.NAME, f"client_{client_id}").click()
    submit(browser, "form[action='/team/invitations']", "the invitation was not made")
    link = browser.find_element(By.ID, "made-link-url").get_attribute("value")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".logout button"), "logging out did not load a page")
    browser.get(link)
    fill(browser, "set-name", "Eve Lind")
    fill(browser, "set-password", "eve-reviews-eastwind")
    fill(browser, "set-confirmation", "eve-reviews-eastwind")
    submit(browser, "main form", "Eve's account was not made")
    wait(browser, lambda b: "/review" in b.current_url, "Eve did not land on her queue")
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert cards and all("Eastwind Freight" in card.text or "Nordfrakt" in card.text or "Vestlast" in card.text for card in cards), \
        "only the new client's drafts"
    assert "Northwind Ledger" not in browser.find_element(By.TAG_NAME, "main").text
    page_checks(browser, "new-sdr-queue")
