"""An SDR's review as issue 34 asks for it: the whole email in view before deciding, undo of one's own
decision, a progress line that moves, a done state at the end, and a bulk reject that keeps its
selection when the reason is missing — with and without JavaScript, on a laptop and a phone."""
import re

from selenium.webdriver.common.by import By

from checks import page_checks
from conftest import SECOND_EMAIL, SECOND_PASSWORD, login
from test_journeys import click, click_and_load, press, status_of, wait, wait_for_card_focus

OPEN_CARD_SCRIPT = """
const cards = Array.from(document.querySelectorAll('#cards > .card'));
const shown = e => !!e && e.checkVisibility() && e.getBoundingClientRect().height > 0;
const open = cards.filter(c => shown(c.querySelector('.actions')));
return open.map(c => {
  const text = c.querySelector('.text');
  const copy = text.cloneNode(true);
  copy.querySelectorAll('.var-tag').forEach(t => t.remove());
  return {
    id: c.dataset.id,
    text: copy.textContent,
    clipped: text.scrollHeight > text.clientHeight + 2,
    tags: Array.from(c.querySelectorAll('.var-tag')).filter(shown).map(t => t.textContent.trim()),
    deductions: Array.from(c.querySelectorAll('.deductions li')).filter(shown).length,
    top: c.getBoundingClientRect().top,
  };
});
"""


def open_cards(browser):
    """The cards whose actions are shown: exactly one, the one being read."""
    return browser.execute_script(OPEN_CARD_SCRIPT)


def progress(browser):
    return (browser.find_element(By.ID, "done-today").text, browser.find_element(By.ID, "left").text)


def number(text):
    return int(text.replace(",", ""))


def assert_reads_whole_email(browser, server, message):
    """One card is open; it shows the email's whole text, its variables marked with their confidence in words."""
    cards = open_cards(browser)
    assert len(cards) == 1, f"{message}: one card shows its actions, not {[c['id'] for c in cards]}"
    card = cards[0]
    body = server.query("SELECT COALESCE(final_body, body) FROM generated_emails WHERE id = ?", int(card["id"]))[0][0]
    assert card["text"] == body, f"{message}: the open card shows the whole text of email {card['id']}"
    assert not card["clipped"], f"{message}: the open card's text is not cut"
    assert card["tags"] and all(re.fullmatch(r"[a-z_]+, (high|medium|low) confidence", t) for t in card["tags"]), \
        f"{message}: the filled variables are marked with their confidence in words: {card['tags']}"
    return card


def test_sdr_reads_undoes_and_finishes(browser, server):
    login(browser, server, SECOND_EMAIL, SECOND_PASSWORD)
    company = server.query("""SELECT company_name FROM generated_emails WHERE status = 'pending_review' AND client_id =
        (SELECT id FROM clients WHERE name = 'Northwind Ledger') GROUP BY company_name HAVING COUNT(*) = 2 ORDER BY company_name LIMIT 1""")[0][0]
    browser.get(server.base + "/review")
    first = assert_reads_whole_email(browser, server, "the queue opens")
    compact = browser.execute_script("return Array.from(document.querySelectorAll('#cards > .card')).filter(c => c.dataset.id !== arguments[0]).slice(0, 5)"
                                     ".map(c => c.querySelector('.text').scrollHeight > c.querySelector('.text').clientHeight + 2)", first["id"])
    assert compact and all(compact), "the other cards are compact: their text is cut to two lines"
    done, left = progress(browser)
    assert done == "0", f"nothing done yet today: {done}"
    page_checks(browser, "reading")

    # Approve what was read; progress moves; the next card opens near the top.
    if browser.javascript:
        wait_for_card_focus(browser, "the first card takes focus", expected=first["id"])
        press(browser, "a")
        wait(browser, lambda b: status_of(server, first["id"]) == "approved", "a approved the open card")
        line = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f'.card[data-id="{first["id"]}"] .done-line'), "the decided card shrinks to one line")[0]
        assert re.fullmatch(r"✓ Approved · .+ · Undo", " ".join(line.text.split())), line.text
        wait(browser, lambda b: progress(b) == ("1", f"{number(left) - 1:,}"), f"progress says 1 done, one fewer left: {progress(browser)}")
        following = assert_reads_whole_email(browser, server, "after approving")
        assert following["id"] != first["id"]
        assert following["top"] < 260, f"the next card sits near the top: {following['top']} px"
        page_checks(browser, "decided-in-place")
        press(browser, "z")
        wait(browser, lambda b: status_of(server, first["id"]) == "pending_review", "z undid the approval")
        wait(browser, lambda b: progress(b) == ("0", left), f"undo puts the progress back: {progress(browser)}")
        wait_for_card_focus(browser, "the undone card takes the focus again", expected=first["id"])
        assert_reads_whole_email(browser, server, "after undo")
    else:
        card = browser.find_element(By.CSS_SELECTOR, f'.card[data-id="{first["id"]}"]')
        click_and_load(browser, card.find_element(By.CSS_SELECTOR, ".approve-form button"), "Approve did not load the queue")
        assert status_of(server, first["id"]) == "approved"
        assert progress(browser) == ("1", f"{number(left) - 1:,}"), progress(browser)
        following = assert_reads_whole_email(browser, server, "after approving")
        assert following["id"] != first["id"]
        flash = browser.find_element(By.ID, "flash")
        assert f"Email #{first['id']} approved." in flash.text
        page_checks(browser, "decided-no-script")
        click_and_load(browser, flash.find_element(By.CSS_SELECTOR, "button"), "Undo did not load the queue")
        assert status_of(server, first["id"]) == "pending_review"
        assert "back in the queue" in browser.find_element(By.ID, "flash").text
        assert progress(browser) == ("0", left), progress(browser)

    # A company with two emails: decide both, and the queue says it is done.
    browser.get(server.base + "/review?q=" + company.replace(" ", "+"))
    ids = [c.get_attribute("data-id") for c in browser.find_elements(By.CSS_SELECTOR, "#cards > .card.actionable")]
    assert len(ids) == 2, ids
    for index, email_id in enumerate(ids):
        assert_reads_whole_email(browser, server, f"card {index + 1} of the company")
        if browser.javascript:
            wait_for_card_focus(browser, "the card to decide has the focus", expected=email_id)
            press(browser, "a")
            wait(browser, lambda b: status_of(server, email_id) == "approved", f"a approved email {email_id}")
        else:
            card = browser.find_element(By.CSS_SELECTOR, f'.card[data-id="{email_id}"]')
            click_and_load(browser, card.find_element(By.CSS_SELECTOR, ".approve-form button"), "Approve did not load the queue")
    done_state = wait(browser, lambda b: [e for e in b.find_elements(By.CSS_SELECTOR, ".done-state") if e.is_displayed()], "the queue says it is done")[0]
    assert done_state.text.startswith("All done."), done_state.text
    assert progress(browser)[0] == "2", f"two done today: {progress(browser)}"
    page_checks(browser, "all-done")


def test_bulk_reject_without_reason_keeps_the_selection(browser, server):
    login(browser, server, SECOND_EMAIL, SECOND_PASSWORD)
    boxes = browser.find_elements(By.CSS_SELECTOR, "#cards .card input.select")[:2]
    ids = [b.get_attribute("value") for b in boxes]
    for box in boxes:
        click(browser, box)
    if browser.javascript:
        wait(browser, lambda b: b.find_element(By.ID, "bulk-count").get_attribute("textContent") == "2 selected:", "the bulk bar counts the selection")
    url = browser.current_url
    click(browser, browser.find_element(By.CSS_SELECTOR, '#bulk button[value="reject"]'))
    valid = browser.execute_script("return document.getElementById('bulk-reason').validity.valid")
    assert not valid, "the reason is required for a bulk reject"
    assert browser.current_url == url, "nothing was sent"
    assert [b.is_selected() for b in boxes] == [True, True], "the selection stays"
    assert [status_of(server, i) for i in ids] == ["pending_review"] * 2
    if browser.javascript:
        message = wait(browser, lambda b: [e for e in b.find_elements(By.ID, "bulk-error") if e.is_displayed()], "the missing reason is said on the page")[0]
        assert "Choose a reject reason" in message.text
    # The bar stays at the top while the list scrolls (on a phone, where it takes three rows, while something is selected: with the script).
    if browser.size_name == "laptop" or browser.javascript:
        bar = browser.execute_script("window.scrollBy(0, 1500); return document.getElementById('bulk').getBoundingClientRect().top")
        assert 0 <= bar <= 2, f"the bulk bar stays at the top while the list scrolls: {bar}"
    page_checks(browser, "bulk-reason-missing")
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element(By.ID, "bulk-reason")).select_by_value("low_quality")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, '#bulk button[value="reject"]'), "bulk Reject did not load a page")
    assert [status_of(server, i) for i in ids] == ["rejected"] * 2
    assert "Rejected 2 emails." in browser.find_element(By.ID, "flash").text
