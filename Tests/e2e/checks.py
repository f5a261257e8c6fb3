"""Checks run on every page of a journey: no horizontal overflow, no console errors or CSP
violations, labelled controls, named buttons, visible focus, a score badge that is not colour alone."""
import os
import re

from selenium.webdriver.common.by import By

from conftest import SCREENSHOTS

_shots = {"count": 0}


def page_checks(browser, name):
    """Screenshot the page and assert the basics; returns the screenshot path."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    _shots["count"] += 1
    mode = "js" if browser.javascript else "nojs"
    path = os.path.join(SCREENSHOTS, f"{_shots['count']:02d}-{name}-{mode}-{browser.size_name}.png")
    browser.save_screenshot(path)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: page is {overflow}px wider than the {browser.size_name} screen ({path})"
    assert_console_clean(browser, name)
    assert_accessible(browser, name)
    return path


def assert_console_clean(browser, name):
    problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert not problems, f"{name}: browser console: {problems}"


ACCESSIBILITY_SCRIPT = """
const problems = [];
for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
  const labelled = control.getAttribute('aria-label') || control.getAttribute('aria-labelledby')
    || (control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]')) || control.closest('label');
  if (!labelled) problems.push('a form control has no label: ' + control.outerHTML.slice(0, 160));
}
for (const button of document.querySelectorAll('button, summary, a')) {
  if (!((button.textContent || '').trim() || button.getAttribute('aria-label'))) problems.push('an unnamed button or link: ' + button.outerHTML.slice(0, 160));
}
for (const badge of Array.from(document.querySelectorAll('.score')).slice(0, 5)) {
  if (!/\\d+\\s*(good|fair|poor)/.test(badge.textContent)) problems.push('the score badge relies on colour alone: ' + badge.textContent);
  if (!(badge.getAttribute('aria-label') || '').includes('Quality score')) problems.push('the score badge has no spoken label');
}
let focus = '';
for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) if (rule.selectorText && rule.selectorText.includes(':focus-visible')) focus = rule.cssText;
if (!/outline: \\d+px solid/.test(focus)) problems.push('no visible focus style: ' + focus);
return problems;
"""


def assert_accessible(browser, name):
    problems = browser.execute_script(ACCESSIBILITY_SCRIPT)
    assert not problems, f"{name}: {problems}"
