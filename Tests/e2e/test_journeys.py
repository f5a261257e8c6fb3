"""The SDR's and the manager's day in a real browser, with and without JavaScript,
on a laptop and a phone screen."""
import os
import re
import time
import uuid

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from checks import assert_console_clean, page_checks
from conftest import SECOND_EMAIL, SECOND_PASSWORD, login


def wait(browser, condition, message="", timeout=30, ignored=()):
    """Waits for a condition; a timeout fails the test as an assertion with the message."""
    try:
        return WebDriverWait(browser, timeout, ignored_exceptions=ignored).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message or 'the condition did not come true'} (waited {timeout} s)") from None


def click_and_load(browser, element, message, pointer=False):
    """Clicks a link or a button that submits a plain form, and waits until the next page is loaded:
    the old page's window (marked here) is gone and the new document complete. Reading the page
    before that reads the old one. While the browser navigates, the driver may answer with errors
    about nodes or contexts that are going away: those mean "not yet"."""
    mark = uuid.uuid4().hex
    browser.execute_script("window.e2ePage = arguments[0]", mark)
    if pointer:
        pointer_click(browser, element)
    else:
        click(browser, element)
    wait(browser, lambda b: b.execute_script("return window.e2ePage !== arguments[0] && document.readyState === 'complete'", mark),
         message, ignored=(WebDriverException,))


def scores(browser):
    labels = browser.execute_script("return Array.from(document.querySelectorAll('.card .score')).map(b => b.getAttribute('aria-label'))")
    return [int(re.search(r"Quality score (\d+)", label).group(1)) for label in labels]


def pending_cards(browser):
    return browser.find_elements(By.CSS_SELECTOR, ".card:has(.approve-form)")


def status_of(server, email_id):
    return server.query("SELECT status FROM generated_emails WHERE id = ?", int(email_id))[0][0]


FOCUS_SCRIPT = """
const active = document.activeElement;
return {
  element: active ? active.tagName.toLowerCase() + (active.id ? '#' + active.id : '') + (active.className ? '.' + String(active.className).replace(/ +/g, '.') : '') : null,
  card: active && active.matches('.card') ? active.dataset.id : null,
  marked: Array.from(document.querySelectorAll('.card.focused')).map(c => c.dataset.id),
};
"""


def focus_state(browser):
    return browser.execute_script(FOCUS_SCRIPT)


def wait_for_card_focus(browser, message, expected=None):
    """Waits until the keyboard focus is on a card, that card alone is marked as focused, and it is
    the expected one (if given); returns its id. Fails with where the focus is instead."""
    def settled(b):
        state = focus_state(b)
        card = state["card"]
        return card if card and state["marked"] == [card] and expected in (None, card) else False
    try:
        return WebDriverWait(browser, 10).until(settled)
    except TimeoutException:
        raise AssertionError(f"{message}: expected focus on card {expected or '(any)'}, but after 10 s it is {focus_state(browser)}") from None


def wait_for_active(browser, css, message):
    """Waits until the focused element matches `css` and returns it."""
    try:
        wait(browser, lambda b: b.execute_script("return !!document.activeElement && document.activeElement.matches(arguments[0])", css))
    except TimeoutException:
        raise AssertionError(f"{message}: expected focus on {css}, but after 10 s it is {focus_state(browser)['element']}") from None
    return browser.switch_to.active_element


def next_usable(browser, after):
    """The id of the card the queue should move to after card `after`: the next one not claimed by someone else."""
    return browser.execute_script("""
        const cards = Array.from(document.querySelectorAll('#cards .card'));
        const start = cards.findIndex(c => c.dataset.id === arguments[0]);
        const next = cards.slice(start + 1).find(c => !c.dataset.claimed && !c.classList.contains('done'));
        return next ? next.dataset.id : null;""", after)


def press(browser, key):
    """Types a key into whatever has the focus, as a person at the keyboard does."""
    ActionChains(browser).send_keys(key).perform()


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def pointer_click(browser, element):
    """Clicks with the mouse at the element's place, as a person does, without Selenium's check that
    the element is displayed: that check counts everything in a closed <details> as hidden, even
    where the style shows it (the queue's filters on a laptop)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(browser).move_to_element(element).click().perform()


def type_into(browser, element, text):
    """Clicks into a field with the mouse and types, as a person does (see pointer_click)."""
    pointer_click(browser, element)
    press(browser, text)


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

    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".logout button"), "logging out did not load a page")
    assert "/login" in browser.current_url, f"logging out leads to the login page, not {browser.current_url}"
    page_checks(browser, "logged-out")
    browser.get(server.base + "/review")
    assert "/login" in browser.current_url, "the queue is unreachable after logout"


def review_with_keyboard(browser, server):
    first = wait_for_card_focus(browser, "the first card takes focus when the queue opens")
    second = next_usable(browser, first)
    press(browser, "j")
    wait_for_card_focus(browser, "j moves the focus to the next card", expected=second)
    press(browser, "k")
    wait_for_card_focus(browser, "k moves the focus back to the first card", expected=first)

    press(browser, "a")
    wait(browser, lambda b: status_of(server, first) == "approved", f"pressing a did not approve email {first}")
    editing = wait_for_card_focus(browser, "the next card takes focus after approving", expected=second)

    following = next_usable(browser, editing)
    press(browser, "e")
    textarea = wait_for_active(browser, f'.card[data-id="{editing}"] details.edit[open] textarea[name=body]', "e opens the editor with the cursor in it")
    textarea.send_keys(Keys.END, "\nP.S. Edited from the keyboard.")
    textarea.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda b: status_of(server, editing) == "approved_edited", f"e, typing and Ctrl+Enter did not save email {editing}")
    rejecting = wait_for_card_focus(browser, "the next card takes focus after editing", expected=following)

    following = next_usable(browser, rejecting)
    press(browser, "r")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f'.card[data-id="{rejecting}"] details.reject[open]'), "r opens the card's reasons")
    press(browser, "2")
    wait(browser, lambda b: status_of(server, rejecting) == "rejected", f"r then 2 did not reject email {rejecting}")
    assert server.query("SELECT rejection_reason FROM generated_emails WHERE id = ?", int(rejecting))[0][0] == "incorrect_competitor"
    wait_for_card_focus(browser, "the next card takes focus after rejecting", expected=following)
    assert server.query("SELECT COUNT(*) FROM style_corrections WHERE email_id = ?", int(editing))[0][0] == 1
    page_checks(browser, "after-keyboard")


def review_with_forms(browser, server):
    card = pending_cards(browser)[0]
    approved = card.get_attribute("data-id")
    click_and_load(browser, card.find_element(By.CSS_SELECTOR, ".approve-form button"), "Approve did not load the queue again")
    assert status_of(server, approved) == "approved"
    assert "approved" in browser.find_element(By.CSS_SELECTOR, ".notice").text

    card = pending_cards(browser)[0]
    edited = card.get_attribute("data-id")
    click_and_load(browser, card.find_element(By.CSS_SELECTOR, ".edit-link"), "Edit did not open the email's page")
    assert browser.find_elements(By.CSS_SELECTOR, "details.edit[open] textarea[name=body]"), "Edit without JavaScript opens the email's page with the editor"
    page_checks(browser, "edit-page")
    textarea = browser.find_element(By.CSS_SELECTOR, "textarea[name=body]")
    textarea.send_keys(Keys.END, "\nP.S. Edited without JavaScript.")
    subject = browser.find_element(By.CSS_SELECTOR, ".edit-form input[name=subject]")
    subject.clear()
    subject.send_keys("A subject edited without JavaScript")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".edit-form button"), "Save and approve did not load a page")
    assert status_of(server, edited) == "approved_edited"
    assert server.query("SELECT final_subject FROM generated_emails WHERE id = ?", int(edited))[0][0] == "A subject edited without JavaScript"
    assert browser.find_elements(By.CSS_SELECTOR, ".notice"), "saving shows a notice"
    assert re.search(r"/review(\?|$)", browser.current_url), f"saving goes back to the queue, not {browser.current_url}"

    card = pending_cards(browser)[0]
    rejected = card.get_attribute("data-id")
    click(browser, card.find_element(By.CSS_SELECTOR, "details.reject summary"))
    Select(card.find_element(By.CSS_SELECTOR, "select[name=reason]")).select_by_value("wrong_persona")
    card.find_element(By.CSS_SELECTOR, "textarea[name=details]").send_keys("not the buyer")
    click_and_load(browser, card.find_element(By.CSS_SELECTOR, ".reject-form button"), "Reject did not load the queue again")
    assert status_of(server, rejected) == "rejected"
    assert browser.find_elements(By.CSS_SELECTOR, ".notice"), "rejecting shows a notice"
    page_checks(browser, "after-forms")

    browser.get(server.base + f"/review/{edited}")
    assert browser.find_elements(By.CSS_SELECTOR, ".history .diff ins"), "the edit shows as a word diff in the history"
    shown_copies = browser.execute_script("return Array.from(document.querySelectorAll('.text, .card .diff, details.edit textarea')).filter(e => e.checkVisibility()).length")
    assert shown_copies == 1, f"the email's page shows its text once, not {shown_copies} times"
    page_checks(browser, "email-page")


def bulk_approve_five(browser, server):
    browser.get(server.base + "/review")
    cards = pending_cards(browser)[:5]
    ids = [c.get_attribute("data-id") for c in cards]
    for card in cards:
        click(browser, card.find_element(By.CSS_SELECTOR, "input.select"))
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, '#bulk button[value="approve"]'), "bulk Approve did not load a page")
    assert "Approved 5 emails." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert [status_of(server, i) for i in ids] == ["approved"] * 5
    page_checks(browser, "bulk-approved")


def filters_survive_reload(browser, server):
    company = server.query("SELECT company_name FROM generated_emails WHERE status = 'pending_review' ORDER BY id DESC LIMIT 1")[0][0]
    browser.get(server.base + "/review")
    if browser.size_name == "phone":
        click(browser, browser.find_element(By.CSS_SELECTOR, "#filters > summary"))  # folded on a phone while no filter is set
    type_into(browser, browser.find_element(By.ID, "f-q"), company)
    type_into(browser, browser.find_element(By.ID, "f-min"), "50")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".filters button[type=submit]"), "Filter did not load a page", pointer=True)
    assert "q=" in browser.current_url and "min_score=50" in browser.current_url, browser.current_url
    browser.refresh()
    assert browser.find_element(By.ID, "filters").get_attribute("open") is not None, "the filters are open when one is set"
    assert browser.find_element(By.ID, "f-q").get_attribute("value") == company
    assert browser.find_element(By.ID, "f-min").get_attribute("value") == "50"
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".card .company")]
    assert names and all(n == company for n in names), f"search narrows the list to {company}: {names}"
    expected = server.query("SELECT COUNT(*) FROM generated_emails WHERE status IN ('pending_review','sampled') AND company_name = ? AND quality_score >= 50", company)[0][0]
    assert len(names) == expected
    page_checks(browser, "filtered")


FIRST_SCREEN_SCRIPT = """
window.scrollTo(0, 0);
const heading = document.querySelector('#cards .card h2');
return {top: heading.closest('.card').getBoundingClientRect().top, bottom: heading.getBoundingClientRect().bottom, screen: window.innerHeight};
"""


def shown(browser, element):
    """Whether the element is rendered and takes room (Selenium's is_displayed: see pointer_click)."""
    return browser.execute_script("const e = arguments[0]; return e.checkVisibility({visibilityProperty: true}) && e.getBoundingClientRect().height > 0", element)


def test_queue_filters_fold_on_a_phone(browser, server):
    """On a phone the queue's filters fold behind "Filters", so the first card (its name and score)
    shows on the first screen, and a tap opens them; they are open when the address carries a filter.
    On a laptop they are shown as before, with no summary. No JavaScript needed."""
    login(browser, server)
    fold = browser.find_element(By.ID, "filters")
    summary = fold.find_element(By.CSS_SELECTOR, "summary")
    search = browser.find_element(By.ID, "f-q")
    if browser.size_name == "phone":
        assert fold.get_attribute("open") is None and shown(browser, summary) and not shown(browser, search), "no filter set: folded behind Filters"
        first = browser.execute_script(FIRST_SCREEN_SCRIPT)
        assert first["bottom"] <= first["screen"], f"the first card's name shows on the first screen: {first}"
        page_checks(browser, "queue-filters-folded")
        click(browser, summary)
        wait(browser, lambda b: shown(b, search), "a tap on Filters opens them")
    else:
        assert not shown(browser, summary) and shown(browser, search), "on a laptop the filters are shown, with no summary"
        assert browser.execute_script("arguments[0].focus(); return document.activeElement === arguments[0]", search), "and they take the focus"
        first = browser.execute_script(FIRST_SCREEN_SCRIPT)
        assert first["bottom"] <= first["screen"], f"the first card's name shows on the first screen: {first}"

    browser.get(server.base + "/review?min_score=50&status=all")
    fold = browser.find_element(By.ID, "filters")
    assert fold.get_attribute("open") is not None, "a filter in the address opens the filters"
    assert shown(browser, browser.find_element(By.ID, "f-min")) and browser.find_element(By.ID, "f-min").get_attribute("value") == "50"
    assert Select(browser.find_element(By.ID, "f-status")).first_selected_option.get_attribute("value") == "all"
    assert shown(browser, fold.find_element(By.CSS_SELECTOR, "summary")) == (browser.size_name == "phone")
    page_checks(browser, "queue-filters-open")


def import_through_upload_page(browser, server):
    path = os.path.join(server.folder, "new-contacts.csv")
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
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, ".upload button[type=submit]"), "the upload did not load a page")
    assert "/batches/" in browser.current_url, f"the upload leads to the batch's report, not {browser.current_url}"
    rows = browser.find_elements(By.CSS_SELECTOR, "table.skipped tbody tr")
    reasons = [r.text for r in rows]
    assert len(rows) == 3, reasons
    assert reasons[0].startswith("4") and "duplicate of row 2" in reasons[0]
    assert reasons[1].startswith("5") and "company_name is empty" in reasons[1]
    assert reasons[2].startswith("6") and "not a valid address" in reasons[2]
    assert "2 imported" in browser.find_element(By.CSS_SELECTOR, ".figures").text.replace("\n", " ")
    # The server's drafting workers take the queued batch; the page reloads itself (no script needed) until it is done.
    wait(browser, lambda b: "2 of 2 drafted" in b.find_element(By.ID, "job-count").text,
         "the batch page did not come to show its 2 drafts", timeout=30, ignored=(StaleElementReferenceException, NoSuchElementException))
    assert browser.find_element(By.ID, "job-heading").text == "Drafted"
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "2"
    page_checks(browser, "import-report")
    batch_page = browser.current_url
    browser.get(server.base + "/import")
    link = browser.find_element(By.CSS_SELECTOR, ".past-imports tbody tr:first-child a")
    assert "new-contacts.csv" in browser.find_element(By.CSS_SELECTOR, ".past-imports tbody tr:first-child").text
    click_and_load(browser, link, "the past import's link did not load its batch page")
    assert browser.current_url == batch_page, f"the import page leads back to the batch: {browser.current_url}"


REASON_KEYS = {"1": "wrong_persona", "2": "incorrect_competitor", "3": "grammar_issues", "4": "tone_too_corporate",
               "5": "incorrect_info", "6": "low_quality", "7": "other"}


def selected_ids(browser):
    return browser.execute_script("return Array.from(document.querySelectorAll('#cards .select:checked')).map(c => c.value)")


def rejected_count(server):
    return server.query("SELECT COUNT(*) FROM generated_emails WHERE status = 'rejected'")[0][0]


def test_keyboard_shortcuts(js_browser, server):
    """The shortcuts the review day does not use: `?` opens and closes their list, `/` goes to the
    search (typing there is text, not shortcuts), `x` selects the
    focused card for a bulk action and unselects it, and `r` then each digit 1–7 rejects the focused
    card with that reason and moves on. JavaScript only: without it these are the cards' forms."""
    browser = js_browser
    login(browser, server)
    first = wait_for_card_focus(browser, "the first card takes focus when the queue opens")

    help_open = "return document.getElementById('help').open"
    assert not browser.execute_script(help_open), "the shortcuts' list starts closed"
    press(browser, "?")
    wait(browser, lambda b: b.execute_script(help_open), "? opens the list of shortcuts")
    shortcuts = browser.find_element(By.CSS_SELECTOR, "#help dl")
    assert shortcuts.is_displayed() and "reject with a reason" in shortcuts.text, shortcuts.text
    page_checks(browser, "shortcuts-help")
    press(browser, "?")
    wait(browser, lambda b: not b.execute_script(help_open), "? again closes the list of shortcuts")
    wait_for_card_focus(browser, "? leaves the focus on the card", expected=first)

    # / goes to the search (opening the folded filters on a phone); typing there is text, not shortcuts; Escape comes back.
    press(browser, "/")
    wait(browser, lambda b: b.execute_script("return document.activeElement && document.activeElement.id") == "f-q", "/ focuses the search")
    assert browser.find_element(By.ID, "f-q").is_displayed(), "the search is visible once / focused it"
    ActionChains(browser).send_keys("ax").perform()
    assert browser.find_element(By.ID, "f-q").get_attribute("value") == "ax", "keys typed in the search are text, not shortcuts"
    assert status_of(server, first) == "pending_review" and selected_ids(browser) == [], "a and x in the search approve and select nothing"
    browser.find_element(By.ID, "f-q").clear()
    press(browser, Keys.ESCAPE)
    wait_for_card_focus(browser, "Escape brings the focus back to the card", expected=first)

    press(browser, "x")
    wait(browser, lambda b: selected_ids(b) == [first], "x selects the focused card")
    press(browser, "x")
    wait(browser, lambda b: selected_ids(b) == [], "x again unselects it")
    press(browser, "x")
    second = next_usable(browser, first)
    press(browser, "j")
    wait_for_card_focus(browser, "j moves to the next card", expected=second)
    press(browser, "x")
    wait(browser, lambda b: selected_ids(b) == [first, second], "x selects the second card too")
    press(browser, "x")
    third = next_usable(browser, second)
    press(browser, "j")
    wait_for_card_focus(browser, "j moves to the third card", expected=third)
    press(browser, "x")
    wait(browser, lambda b: selected_ids(b) == [first, third], "x unselected the second card and selected the third")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, '#bulk button[value="approve"]'), "bulk Approve did not load a page")
    assert "Approved 2 emails." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert [status_of(server, i) for i in (first, second, third)] == ["approved", "pending_review", "approved"], "the cards x selected, and only those, are approved"

    card = wait_for_card_focus(browser, "the first card takes focus after the bulk action")
    rejected_before = rejected_count(server)
    for digit, reason in REASON_KEYS.items():
        following = next_usable(browser, card)
        press(browser, "r")
        wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f'.card[data-id="{card}"] details.reject[open]'), f"r opens the reasons of card {card}")
        press(browser, digit)
        wait(browser, lambda b: status_of(server, card) == "rejected", f"r then {digit} did not reject email {card}")
        assert server.query("SELECT rejection_reason, reviewer_name FROM generated_emails WHERE id = ?", int(card))[0] == (reason, "Demo Reviewer"), \
            f"r then {digit} rejects with reason {digit}, {reason}"
        card = wait_for_card_focus(browser, f"the next card takes focus after r then {digit}", expected=following)
    assert rejected_count(server) == rejected_before + len(REASON_KEYS), "each r and digit rejected one email, and nothing else was rejected"
    page_checks(browser, "after-shortcuts")


def test_second_reviewer_sees_the_conflict(browser, server):
    """Kim opens a queue; meanwhile another reviewer approves one of its cards; Kim opens that stale
    card (with JavaScript) or approves it (without) and is told who decided it — in place with
    JavaScript, on the page the plain form leads to without — and the first decision stands."""
    from conftest import make_browser
    other = make_browser(javascript=False)
    try:
        company = server.query("SELECT company_name FROM generated_emails WHERE status = 'pending_review' GROUP BY company_name HAVING COUNT(*) >= 3 ORDER BY company_name LIMIT 1")[0][0]
        login(browser, server, SECOND_EMAIL, SECOND_PASSWORD)
        browser.get(server.base + "/review?q=" + company.replace(" ", "+"))
        page_checks(browser, "queue-second-reviewer")
        # Without JavaScript the first card is the open one; with it, the last one (the first is focused, and so claimed).
        stale = pending_cards(browser)[-1 if browser.javascript else 0]
        target = stale.get_attribute("data-id")

        login(other, server)
        other.get(server.base + f"/review/{target}")
        click(other, other.find_element(By.CSS_SELECTOR, ".approve-form button"))
        wait(other, lambda b: status_of(server, target) == "approved")
        decided_at = server.query("SELECT reviewed_at FROM generated_emails WHERE id = ?", int(target))[0][0]

        button = stale.find_element(By.CSS_SELECTOR, ".approve-form button")
        if browser.javascript:
            # Opening the stale card to read it tells at once who decided it.
            click(browser, stale.find_element(By.CSS_SELECTOR, ".subject"))
            message = wait(browser, EC.visibility_of(stale.find_element(By.CSS_SELECTOR, ".card-error")), "the conflict is not shown on the card").text
            assert not stale.find_elements(By.CSS_SELECTOR, ".approve-form"), "a decided card loses its actions"
        else:
            click_and_load(browser, button, "approving the stale card did not load a page")
            # The plain form's answer is the error page (409): the message, and a link back to the queue.
            message = browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
            assert browser.find_elements(By.LINK_TEXT, "Back to the review queue"), "the conflict page leads back to the queue"
        assert re.search(r"\b[Aa]lready reviewed by Demo Reviewer \(approved\)", message), message
        assert server.query("SELECT status, reviewer_name, reviewed_at FROM generated_emails WHERE id = ?", int(target))[0] == ("approved", "Demo Reviewer", decided_at), \
            "the first decision stands"
        assert_console_clean_except_conflict(browser)
        page_checks(browser, "conflict")
    finally:
        other.quit()


def assert_console_clean_except_conflict(browser):
    """The 409 answer itself is logged by Chrome as a failed resource; anything else is an error."""
    problems = [e["message"] for e in browser.get_log("browser")
                if e["level"] in ("SEVERE", "WARNING") and "409" not in e["message"]]
    assert not problems, problems


def test_manager_day(browser, server):
    """A manager reads the dashboard, downloads a CSV, promotes the demo client with a reason, pauses
    it (a banner on every page) and resumes it — with and without JavaScript, laptop and phone."""
    import urllib.request
    login(browser, server)
    browser.get(server.base + "/dashboard")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the dashboard did not load")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Approval rate (edits included)" in text and "Rubber-stamp alerts" in text and "Ana Reyes" in text
    charts = browser.find_elements(By.CSS_SELECTOR, "section:not(.converts) .chart img")
    assert len(charts) == 4 and all(chart.get_attribute("alt") for chart in charts), "four charts (weeks, reasons, scores, review times), each with a text alternative"
    wait(browser, lambda b: all(b.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", chart) for chart in charts),
         "the charts did not load as images")
    page_checks(browser, "dashboard")

    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(server.base + "/dashboard/csv?table=reviewers", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/csv")
        body = answer.read().decode("utf-8-sig")
    assert body.splitlines()[0].startswith("reviewer,decisions,approved") and "Ana Reyes" in body

    client_id = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]
    browser.get(f"{server.base}/clients/{client_id}/export")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the export page did not load")
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Export: Northwind Ledger" in text and "Next scheduled run:" in text and "A run now would send" in text
    page_checks(browser, "export")

    browser.get(f"{server.base}/clients/{client_id}")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the client page did not load")
    spend = browser.find_element(By.XPATH, "//section[@aria-labelledby='spend-title']").text
    assert "Model spend" in spend and "Budget: no limit an hour, no limit a day" in spend and "No model call in the last 7 days." in spend, spend
    page_checks(browser, "client")

    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Rollout"), "the rollout overview did not open")
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Northwind Ledger"), "the client's rollout page did not open")
    assert browser.find_elements(By.CSS_SELECTOR, "tr[data-criterion='approval_rate']"), "readiness lists its criteria"
    page_checks(browser, "rollout")
    forecast = browser.find_element(By.ID, "forecast").text
    assert forecast.startswith("Not yet:") or forecast.startswith("Ready for partial"), forecast
    browser.find_element(By.ID, "promote-reason").send_keys("pilot agreed with the client")
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Promote to partial…']"), "promoting did not answer")
    # A confirmation that says what the promotion changes; nothing has moved yet.
    consequence = browser.find_element(By.ID, "consequence").text
    assert re.match(r"Drafts scoring 90 or more — about \d+% of the drafts humans decided in the last 90 days — will skip review", consequence), consequence
    assert server.query("SELECT phase FROM clients WHERE name = 'Northwind Ledger'")[0][0] == "shadow"
    page_checks(browser, "promotion-confirm")
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Yes, promote to partial']"), "confirming did not answer")
    assert "promoted to partial" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert server.query("SELECT phase FROM clients WHERE name = 'Northwind Ledger'")[0][0] == "partial"
    # The audit log has it, with its reason.
    browser.get(server.base + "/audit")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")]
    assert any("rollout promote" in r and "Northwind Ledger" in r and "pilot agreed with the client" in r for r in rows), rows[:5]
    page_checks(browser, "audit")
    browser.get(f"{server.base}/clients/{client_id}/rollout")

    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Pause auto-approval and export']"), "pausing did not answer")
    browser.get(server.base + "/review")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the queue did not load")
    banner = browser.find_element(By.CSS_SELECTOR, ".banner").text
    assert "Auto-approval and export of Northwind Ledger are paused" in banner, banner
    page_checks(browser, "queue-paused-banner")
    browser.get(server.base + "/rollout")
    click_and_load(browser, browser.find_element(By.LINK_TEXT, "Northwind Ledger"), "the client's rollout page did not open")
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Resume Northwind Ledger']"), "resuming did not answer")
    assert server.query("SELECT paused_at FROM rollout_settings s JOIN clients c ON c.id = s.client_id WHERE c.name = 'Northwind Ledger'")[0][0] is None


def test_export_journey(browser, export_server):
    """A manager opens the export page, sees which approved emails a run would send to which
    campaign, connects Instantly with no shell (a refused key is said and nothing saved; the key is
    never shown back, only its last four characters), fixes the settings (a wrong time zone is
    refused with the reason, nothing saved), runs the export now against the fake Instantly — "Run
    now" disabled with who started it while it works — and follows it to the end in the history,
    each lead with its id; the queue shows the emails sent — with and without JavaScript, laptop and
    phone."""
    server = export_server
    fake = server.sequencer
    approved = [row[0].lower() for row in server.query(
        "SELECT contact_email FROM generated_emails e JOIN clients c ON c.id = e.client_id "
        "WHERE c.name = 'Northwind Ledger' AND e.status IN ('approved', 'approved_edited', 'approved_auto')")]
    assert approved, "the demo data has approved emails waiting for export"
    # The demo's history already went out in earlier weeks' runs (with their outcomes).
    sent_before = server.query("SELECT COUNT(*) FROM generated_emails WHERE status = 'sent'")[0][0]
    client_id = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]
    login(browser, server)
    browser.get(f"{server.base}/clients/{client_id}/export")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the export page did not load")
    preview = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
               for row in browser.find_elements(By.XPATH, "//section[@aria-labelledby='preview-title']//tbody/tr")]
    assert len(preview) == 1 and preview[0][0].startswith("Northwind Ledger - "), f"one campaign for the approved emails: {preview}"
    campaign, count = preview[0][:2]
    assert count == str(len(approved)), f"the campaign {campaign} would get {count} emails, not the {len(approved)} approved"
    # How the daily limit spreads them, and the first emails as they will go.
    spread = browser.find_element(By.ID, "spread").text
    assert spread.startswith(f"Uploads {len(approved)} lead") and "new leads a day" in spread, spread
    samples = browser.find_elements(By.CSS_SELECTOR, "details.sample")
    assert samples and all(" — " in s.find_element(By.TAG_NAME, "summary").text for s in samples), "subjects shown"
    first = samples[0]
    click(browser, first.find_element(By.TAG_NAME, "summary"))
    assert first.find_element(By.CSS_SELECTOR, ".text").text.strip(), "and the text"
    page_checks(browser, "export-preview")

    # Connect Instantly from the page: nothing to run before; a refused key is said, nothing saved, the field empty again.
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Run now']"), "no Run now without a key"
    assert "No sequencer key yet" in browser.find_element(By.XPATH, "//section[@aria-labelledby='connection-title']").text
    Select(browser.find_element(By.ID, "connection-sequencer")).select_by_value("instantly")
    browser.find_element(By.ID, "connection-key").send_keys("a-wrong-key-0000")
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Check and save the connection']"), "saving the connection did not answer")
    assert "nothing saved: the sequencer refused the API key (401)" in browser.find_element(By.ID, "connection-error").text
    assert browser.find_element(By.ID, "connection-key").get_attribute("value") == "", "a key is never shown back"
    assert server.query("SELECT sequencer_key_encrypted FROM clients WHERE id = ?", client_id)[0][0] is None
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING") and "status of 422" not in e["message"]]
    assert not problems, problems
    page_checks(browser, "export-connection-refused")
    Select(browser.find_element(By.ID, "connection-sequencer")).select_by_value("instantly")
    browser.find_element(By.ID, "connection-key").send_keys(fake.key)
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Check and save the connection']"), "saving the connection did not answer")
    assert "Connection of Northwind Ledger saved. The key works" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    connection = browser.find_element(By.XPATH, "//section[@aria-labelledby='connection-title']").text
    assert "Instantly key ending …3f9a, set " in connection and fake.key not in browser.page_source, connection
    assert server.query("SELECT sequencer_kind FROM clients WHERE id = ?", client_id)[0][0] == "instantly"

    # The time zone is chosen from a list; a wrong export hour is refused with the reason beside the form, the typed value kept, nothing saved.
    Select(browser.find_element(By.ID, "export-timezone")).select_by_value("Europe/Paris")
    hour = browser.find_element(By.ID, "export-hour")
    hour.clear()
    hour.send_keys("25")
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save export settings']"), "saving the settings did not answer")
    assert "the export hour must be 0 to 23, got 25" in browser.find_element(By.ID, "settings-error").text
    assert browser.find_element(By.ID, "export-hour").get_attribute("value") == "25"
    assert Select(browser.find_element(By.ID, "export-timezone")).first_selected_option.get_attribute("value") == "Europe/Paris", "the chosen zone is kept too"
    assert server.query("SELECT timezone FROM clients WHERE id = ?", client_id)[0][0] != "Europe/Paris"
    # The 422 answer itself is logged by Chrome as a failed resource; anything else is an error.
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING") and "status of 422" not in e["message"]]
    assert not problems, problems
    page_checks(browser, "export-settings-refused")
    hour = browser.find_element(By.ID, "export-hour")
    hour.clear()
    hour.send_keys("6")
    saturday = browser.find_element(By.NAME, "day_6")
    if not saturday.is_selected():
        click(browser, saturday)
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Save export settings']"), "saving the settings did not answer")
    assert "Export settings of Northwind Ledger saved." in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert server.query("SELECT timezone, schedule_days FROM clients WHERE id = ?", client_id)[0] == ("Europe/Paris", "1,2,3,4,5,6")
    # The campaign is named after the day in the client's zone: near midnight UTC, Paris is a day
    # ahead, so the preview now names the campaign the run will make.
    campaign = browser.find_element(By.XPATH, "//section[@aria-labelledby='preview-title']//tbody/tr/td").text
    assert campaign.startswith("Northwind Ledger - "), campaign

    # Run now: it answers at once and goes on in the background (a slow sequencer here), "Run now"
    # disabled meanwhile with who started it; the history follows it to the end.
    fake.latency = 1.0
    click_and_load(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Run now']"), "run now did not answer")
    notice = browser.find_element(By.CSS_SELECTOR, ".notice").text
    run_id = int(re.search(r"Export run (\d+) started", notice).group(1))
    assert browser.find_element(By.XPATH, "//button[normalize-space()='Run now']").get_attribute("disabled") is not None, "Run now is disabled while it runs"
    busy = browser.find_element(By.ID, "export-busy").text
    assert f"Export run {run_id} is running, started by " in busy, busy
    page_checks(browser, "export-running")
    fake.latency = 0.0

    def finished(b):
        b.get(f"{server.base}/clients/{client_id}/export")
        return any(f"Run {run_id} " in s.text and "finished" in s.text for s in b.find_elements(By.CSS_SELECTOR, "details.run summary"))
    wait(browser, finished, f"export run {run_id} did not finish", timeout=30)
    summary = next(s for s in browser.find_elements(By.CSS_SELECTOR, "details.run summary") if f"Run {run_id} " in s.text)
    assert f"{len(approved)} sent, 0 failed of {len(approved)}" in summary.text, summary.text
    click(browser, summary)
    rows = summary.find_elements(By.XPATH, "./following-sibling::table//tbody/tr")
    wait(browser, lambda b: rows[0].is_displayed(), "the run's leads did not open")
    assert len(rows) == len(approved) and all(re.search(r"\bsent\b.*\blead-\d+", row.text) for row in rows), [r.text for r in rows]
    assert "No approved email waits for export." in browser.find_element(By.XPATH, "//section[@aria-labelledby='preview-title']").text
    page_checks(browser, "export-history")
    with fake.lock:
        assert sorted(fake.received) == sorted(approved) and set(fake.received.values()) == {1}, fake.received
        assert len(fake.campaigns) == 1

    browser.get(server.base + "/review?status=sent")
    wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", "the sent emails did not load")
    sent_now = server.query("SELECT COUNT(*) FROM generated_emails WHERE status = 'sent'")[0][0]
    assert sent_now == sent_before + len(approved), "exactly the exported emails are sent, besides the demo's history"
    assert sorted(r[0].lower() for r in server.query("SELECT contact_email FROM generated_emails WHERE export_campaign_name = ?", campaign)) == sorted(approved)
    count = browser.find_element(By.CSS_SELECTOR, "h1 .count").text
    assert count == f"{sent_now:,} emails", f"the sent emails are counted as {count!r}, not the {sent_now} sent"
    cards = browser.find_elements(By.CSS_SELECTOR, "#cards .card")
    lines = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#cards .card .export")]
    range_text = browser.find_element(By.CSS_SELECTOR, ".range").text
    assert range_text == f"Showing {len(cards)} of {sent_now:,}, lowest score first.", range_text
    assert cards and len(lines) == len(cards), f"each of the {len(cards)} sent cards says where it went: {lines}"
    assert all(" (campaign " in line and ", lead " in line for line in lines), lines
    assert len(cards) == sent_now or browser.find_elements(By.CSS_SELECTOR, ".pager a[rel=next]"), "the rest of the sent emails are on the next page"
    page_checks(browser, "queue-sent")
