"""The SDR's and the manager's day in a real browser, with and without JavaScript,
on a laptop and a phone screen."""
import os
import re
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from checks import assert_console_clean, page_checks
from conftest import SECOND_EMAIL, SECOND_PASSWORD, login


def wait(browser, condition, message="", timeout=10):
    return WebDriverWait(browser, timeout).until(condition, message)


def scores(browser):
    labels = browser.execute_script("return Array.from(document.querySelectorAll('.card .score')).map(b => b.getAttribute('aria-label'))")
    return [int(re.search(r"Quality score (\d+)", label).group(1)) for label in labels]


def pending_cards(browser):
    return browser.find_elements(By.CSS_SELECTOR, ".card:has(.approve-form)")


def status_of(server, email_id):
    return server.query("SELECT status FROM generated_emails WHERE id = ?", int(email_id))[0][0]


def focused_id(browser):
    return browser.execute_script("var c = document.querySelector('.card.focused'); return c ? c.dataset.id : null")


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def test_review_day(browser, server):
    login(browser, server)
    page_checks(browser, "queue")
    listed = scores(browser)
    assert len(listed) == 50 and listed == sorted(listed), "worst score first"

    if browser.javascript:
        review_with_keyboard(browser, server)
    else:
        review_with_forms(browser, server)

    bulk_approve_five(browser, server)
    filters_survive_reload(browser, server)
    import_through_upload_page(browser, server)

    click(browser, browser.find_element(By.CSS_SELECTOR, ".logout button"))
    wait(browser, lambda b: "/login" in b.current_url)
    browser.get(server.base + "/review")
    assert "/login" in browser.current_url, "the queue is unreachable after logout"


def review_with_keyboard(browser, server):
    body = browser.find_element(By.TAG_NAME, "body")
    first = focused_id(browser)
    assert first, "the first card takes focus"
    body.send_keys("j")
    second = focused_id(browser)
    assert second and second != first
    body.send_keys("k")
    assert focused_id(browser) == first

    body.send_keys("a")
    wait(browser, lambda b: status_of(server, first) == "approved", f"pressing a did not approve email {first}")
    wait(browser, lambda b: focused_id(b) not in (None, first), "the next card did not take focus after approving")
    editing = focused_id(browser)

    body.send_keys("e")
    textarea = browser.switch_to.active_element
    assert textarea.tag_name == "textarea", "e opens the editor with the cursor in it"
    textarea.send_keys(Keys.END, "\nP.S. Edited from the keyboard.")
    textarea.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda b: status_of(server, editing) == "approved_edited", f"e, typing and Ctrl+Enter did not save email {editing}")
    wait(browser, lambda b: focused_id(b) not in (None, editing), "the next card did not take focus after editing")
    rejecting = focused_id(browser)

    browser.switch_to.active_element.send_keys("r")
    browser.switch_to.active_element.send_keys("2")
    wait(browser, lambda b: status_of(server, rejecting) == "rejected", f"r then 2 did not reject email {rejecting}")
    assert server.query("SELECT rejection_reason FROM generated_emails WHERE id = ?", int(rejecting))[0][0] == "incorrect_competitor"
    wait(browser, lambda b: focused_id(b) not in (None, rejecting), "the next card did not take focus after rejecting")
    assert server.query("SELECT COUNT(*) FROM style_corrections WHERE email_id = ?", int(editing))[0][0] == 1
    page_checks(browser, "after-keyboard")


def review_with_forms(browser, server):
    card = pending_cards(browser)[0]
    approved = card.get_attribute("data-id")
    click(browser, card.find_element(By.CSS_SELECTOR, ".approve-form button"))
    wait(browser, lambda b: status_of(server, approved) == "approved")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "approved" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    card = pending_cards(browser)[0]
    edited = card.get_attribute("data-id")
    click(browser, card.find_element(By.CSS_SELECTOR, ".edit-link"))
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "details.edit[open] textarea[name=body]"), "Edit without JavaScript opens the email's page with the editor")
    page_checks(browser, "edit-page")
    textarea = browser.find_element(By.CSS_SELECTOR, "textarea[name=body]")
    textarea.send_keys(Keys.END, "\nP.S. Edited without JavaScript.")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".edit-form button"))
    wait(browser, lambda b: status_of(server, edited) == "approved_edited")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
    assert re.search(r"/review(\?|$)", browser.current_url), f"saving goes back to the queue, not {browser.current_url}"

    card = pending_cards(browser)[0]
    rejected = card.get_attribute("data-id")
    click(browser, card.find_element(By.CSS_SELECTOR, "details.reject summary"))
    Select(card.find_element(By.CSS_SELECTOR, "select[name=reason]")).select_by_value("wrong_persona")
    card.find_element(By.CSS_SELECTOR, "textarea[name=details]").send_keys("not the buyer")
    click(browser, card.find_element(By.CSS_SELECTOR, ".reject-form button"))
    wait(browser, lambda b: status_of(server, rejected) == "rejected")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
    page_checks(browser, "after-forms")

    browser.get(server.base + f"/review/{edited}")
    assert browser.find_elements(By.CSS_SELECTOR, ".diff ins"), "the edit shows as a word diff"
    page_checks(browser, "email-page")


def bulk_approve_five(browser, server):
    browser.get(server.base + "/review")
    cards = pending_cards(browser)[:5]
    ids = [c.get_attribute("data-id") for c in cards]
    for card in cards:
        click(browser, card.find_element(By.CSS_SELECTOR, "input.select"))
    click(browser, browser.find_element(By.CSS_SELECTOR, '#bulk button[value="approve"]'))
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "Approved 5 emails." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert [status_of(server, i) for i in ids] == ["approved"] * 5


def filters_survive_reload(browser, server):
    company = server.query("SELECT company_name FROM generated_emails WHERE status = 'pending_review' ORDER BY id DESC LIMIT 1")[0][0]
    browser.get(server.base + "/review")
    browser.find_element(By.ID, "f-q").send_keys(company)
    browser.find_element(By.ID, "f-min").send_keys("50")
    click(browser, browser.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"))
    wait(browser, lambda b: "q=" in b.current_url)
    assert "min_score=50" in browser.current_url
    browser.refresh()
    assert browser.find_element(By.ID, "f-q").get_attribute("value") == company
    assert browser.find_element(By.ID, "f-min").get_attribute("value") == "50"
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".card .company")]
    assert names and all(n == company for n in names), f"search narrows the list to {company}: {names}"
    expected = server.query("SELECT COUNT(*) FROM generated_emails WHERE status IN ('pending_review','sampled') AND company_name = ? AND quality_score >= 50", company)[0][0]
    assert len(names) == expected
    page_checks(browser, "filtered")


def import_through_upload_page(browser, server):
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "new-contacts.csv")
    stamp = str(int(time.time() * 1000))
    with open(path, "w", encoding="utf-8") as f:
        f.write("First Name;Last Name;Email;Company;Industry;Job Title\n")
        f.write(f"Ada;Byron;ada.{stamp}@newco.example;NewCo;Logistics;CFO\n")
        f.write(f"Bob;Marley;bob.{stamp}@newco.example;NewCo;Retail;AP Manager\n")
        f.write(f"Dup;Case;ADA.{stamp}@NEWCO.EXAMPLE;NewCo;;\n")
        f.write("No;Company;nobody@newco.example;;;\n")
        f.write("Bad;Email;not-an-email;NewCo;;\n")
    browser.get(server.base + "/import")
    page_checks(browser, "import")
    select = browser.find_element(By.ID, "template")
    select.find_elements(By.TAG_NAME, "option")[1].click()
    browser.find_element(By.ID, "file").send_keys(path)
    click(browser, browser.find_element(By.CSS_SELECTOR, ".upload button[type=submit]"))
    wait(browser, lambda b: "/batches/" in b.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.skipped tbody tr")
    reasons = [r.text for r in rows]
    assert len(rows) == 3, reasons
    assert reasons[0].startswith("4") and "duplicate of row 2" in reasons[0]
    assert reasons[1].startswith("5") and "company_name is empty" in reasons[1]
    assert reasons[2].startswith("6") and "not a valid address" in reasons[2]
    assert "2 imported" in browser.find_element(By.CSS_SELECTOR, ".figures").text.replace("\n", " ")
    page_checks(browser, "import-report")


def test_second_reviewer_sees_the_conflict(server, second_browser):
    from conftest import make_browser
    first = make_browser(javascript=False)
    try:
        company = server.query("SELECT company_name FROM generated_emails WHERE status = 'pending_review' GROUP BY company_name HAVING COUNT(*) >= 3 ORDER BY company_name LIMIT 1")[0][0]
        login(second_browser, server, SECOND_EMAIL, SECOND_PASSWORD)
        second_browser.get(server.base + "/review?q=" + company.replace(" ", "+"))
        stale = pending_cards(second_browser)[-1]
        target = stale.get_attribute("data-id")

        login(first, server)
        first.get(server.base + f"/review/{target}")
        click(first, first.find_element(By.CSS_SELECTOR, ".approve-form button"))
        wait(first, lambda b: status_of(server, target) == "approved")

        button = stale.find_element(By.CSS_SELECTOR, ".approve-form button")
        second_browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        message = wait(second_browser, EC.visibility_of(stale.find_element(By.CSS_SELECTOR, ".card-error")))
        assert "Already reviewed by Demo Reviewer" in message.text
        assert not stale.find_elements(By.CSS_SELECTOR, ".approve-form"), "a decided card loses its actions"
        assert server.query("SELECT reviewer_name FROM generated_emails WHERE id = ?", int(target))[0][0] == "Demo Reviewer"
        assert_console_clean_except_conflict(second_browser)
        page_checks(second_browser, "conflict")
    finally:
        first.quit()


def assert_console_clean_except_conflict(browser):
    """The 409 answer itself is logged by Chrome as a failed resource; anything else is an error."""
    problems = [e["message"] for e in browser.get_log("browser")
                if e["level"] in ("SEVERE", "WARNING") and "409" not in e["message"]]
    assert not problems, problems
