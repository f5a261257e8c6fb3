"""What prospects answered (issue 30), with and without JavaScript, on a laptop and a phone: a manager
makes the client's webhook address on the export page; an unsubscribe delivered to it in Instantly's
shape puts the address on the client's suppression list; the manager marks a domain do-not-contact
(after a mistake that comes back beside the field) and takes it off again."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from checks import page_checks
from conftest import login
from test_journeys import click_and_load
from test_team import fill, submit


def deliver(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def test_webhook_unsubscribe_and_the_suppression_list(browser, server):
    login(browser, server)
    client_id = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]
    browser.get(f"{server.base}/clients/{client_id}/export")
    submit(browser, f"form[action='/clients/{client_id}/export/webhook']", "the webhook address was not made")
    address = browser.find_element(By.ID, "hook-instantly").get_attribute("value")
    assert "/hooks/instantly/" in address and browser.find_element(By.ID, "hook-secret").get_attribute("value")
    page_checks(browser, "export-webhook-made")

    lead = server.query("SELECT contact_email FROM generated_emails ORDER BY id LIMIT 1")[0][0]
    status, answer = deliver(server.base + address[address.index("/hooks/"):], {
        "timestamp": "2026-12-03T10:15:00.000Z", "event_type": "lead_unsubscribed", "workspace": "ws-1",
        "campaign_id": "cmp-outside", "campaign_name": "Made by hand", "lead_email": lead, "step": 1,
    })
    assert status == 200 and answer["stored"] is True

    browser.get(f"{server.base}/clients/{client_id}")
    table = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='suppression-title']").text
    assert lead.lower() in table and "unsubscribed on 3 Dec 2026" in table
    page_checks(browser, "client-suppression-list")

    fill(browser, "suppress-address", "not a domain")
    submit(browser, f"form[action='/clients/{client_id}/suppressions']", "the suppression form did not answer")
    assert "is neither an email address nor a domain" in browser.find_element(By.ID, "suppress-address-error").text
    assert browser.find_element(By.ID, "suppress-address").get_attribute("value") == "not a domain"
    page_checks(browser, "client-suppression-error", refused=True)

    fill(browser, "suppress-address", "competitor.example")
    fill(browser, "suppress-note", "their staff, never")
    submit(browser, f"form[action='/clients/{client_id}/suppressions']", "the domain was not added")
    assert "competitor.example is on Northwind Ledger's suppression list" in browser.find_element(By.TAG_NAME, "body").text
    assert server.query("SELECT COUNT(*) FROM suppressions WHERE kind = 'domain' AND address = 'competitor.example'")[0][0] == 1
    page_checks(browser, "client-suppression-added")
    remove = browser.find_element(By.XPATH, "//tr[contains(., 'competitor.example')]//button")
    click_and_load(browser, remove, "removing did not answer")
    assert server.query("SELECT COUNT(*) FROM suppressions WHERE address = 'competitor.example'")[0][0] == 0
    assert server.query("SELECT COUNT(*) FROM suppressions WHERE address = ?", lead.lower())[0][0] == 1, "the unsubscribe stays"


def test_what_converts_on_the_dashboard(browser, server):
    """The demo's outcomes on the dashboard: overall rates with intervals, one table per breakdown, the
    score-band chart as an image with its text alternative, and each table's CSV."""
    login(browser, server)
    browser.get(f"{server.base}/dashboard")
    section = browser.find_element(By.CSS_SELECTOR, "section.converts")
    text = section.get_attribute("textContent")  # on a phone the tables' headers are hidden, read as labels
    assert "What converts" in text and "Positive reply rate" in text and "Bounce rate" in text, text[:300]
    sent = int(section.find_element(By.CSS_SELECTOR, "table td[data-label='Sent']").get_attribute("textContent"))
    assert sent > 0, "the demo's sent emails are counted"
    for breakdown in ("score-band", "template", "approval", "week"):
        assert browser.find_elements(By.ID, f"converts-{breakdown}"), f"the {breakdown} breakdown"
    charts = section.find_elements(By.CSS_SELECTOR, ".chart img")
    assert charts and all(chart.get_attribute("alt") for chart in charts)
    page_checks(browser, "dashboard-what-converts")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(server.base + "/dashboard/csv?table=outcomes&by=score-band", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/csv")
        body = answer.read().decode("utf-8-sig")
    assert len(body.splitlines()) > 1, body
