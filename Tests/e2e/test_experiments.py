"""Outcome evidence and prompt experiments (issue 30), with and without JavaScript, on a laptop and a
phone, on the demo's second client (in partial, an experiment running): the rollout page shows the
reply criterion and each score band's reply rate; the prompts page compares the two versions; the
manager keeps the variant, is refused a start with a share of 0% (the message beside the field, what
was typed kept, nothing started), then starts the next experiment; the dashboard compares it too."""
from selenium.webdriver.common.by import By

from checks import page_checks
from conftest import login
from test_team import fill, submit

NORDICS = "Northwind Ledger Nordics"


def test_reply_criterion_and_a_prompt_experiment(browser, server):
    login(browser, server)
    client_id = server.query("SELECT id FROM clients WHERE name = ?", NORDICS)[0][0]
    assert server.query("SELECT phase FROM clients WHERE id = ?", client_id)[0][0] == "partial"

    browser.get(f"{server.base}/clients/{client_id}/rollout")
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-criterion='reply_difference']")
    text = row.get_attribute("textContent")
    assert "Positive reply rate, auto-approved minus human-reviewed" in text and " pt" in text, text
    headers = [h.get_attribute("textContent") for h in browser.find_elements(By.CSS_SELECTOR, "table th")]
    assert "Replied" in headers, headers
    page_checks(browser, "rollout-partial-replies")

    browser.get(f"{server.base}/clients/{client_id}/prompts")
    assert "Running: Standard against Question opener" in browser.find_element(By.ID, "experiment-title").text
    rates = [r.get_attribute("data-rate") for r in browser.find_elements(By.CSS_SELECTOR, "#experiment-title ~ .table-scroll tr[data-rate]")]
    assert rates == ["approval_rate", "edit_rate", "rejection_rate", "reply_rate", "positive_reply_rate"], rates
    page_checks(browser, "prompts-running")

    submit(browser, f"form[action='/clients/{client_id}/prompts/experiment/end']", "keeping a version did not answer")
    # The form's first button keeps the control; the variant is the other one.
    assert server.query("SELECT winner FROM prompt_experiments WHERE client_id = ?", client_id)[0][0] == "control"
    assert f"Standard is now {NORDICS}'s only prompt version" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    fill(browser, "experiment-name", "Shorter")
    fill(browser, "experiment-instructions", "Keep the whole email under 70 words.")
    fill(browser, "experiment-share", "0")
    submit(browser, f"form[action='/clients/{client_id}/prompts/experiment']", "starting did not answer")
    assert "share must be a percentage of the contacts above 0 and below 100" in browser.find_element(By.ID, "experiment-error").text
    assert browser.find_element(By.ID, "experiment-name").get_attribute("value") == "Shorter"
    assert server.query("SELECT COUNT(*) FROM prompt_experiments WHERE client_id = ? AND ended_at IS NULL", client_id)[0][0] == 0
    page_checks(browser, "prompts-refused", refused=True)

    fill(browser, "experiment-share", "30")
    submit(browser, f"form[action='/clients/{client_id}/prompts/experiment']", "starting did not answer")
    assert "Running: Standard against Shorter" in browser.find_element(By.ID, "experiment-title").text
    assert server.query("SELECT variant_share_bp FROM prompt_experiments WHERE client_id = ? AND ended_at IS NULL", client_id)[0][0] == 3000
    page_checks(browser, "prompts-started")

    browser.get(f"{server.base}/dashboard")
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='experiments-title']").get_attribute("textContent")
    assert f"{NORDICS}: Standard against Shorter" in section and f"{NORDICS}: Standard against Question opener" in section, section[:400]
