"""Checks run on every page of a journey: no horizontal overflow, no console errors or CSP
violations, labelled controls, named buttons, visible focus, a score badge that is not colour alone,
no axe-core violation (WCAG 2.1 A and AA), and on a phone no tap target under 44 px."""
import importlib.resources
import json
import os
import re

from selenium.webdriver.common.by import By

from conftest import SCREENSHOTS

_shots = {"count": 0}


def page_checks(browser, name, refused=False):
    """Screenshot the page and assert the basics; returns the screenshot path. `refused`: the page is
    a form shown again with what was wrong (422), which Chrome logs as a failed resource."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    _shots["count"] += 1
    mode = "js" if browser.javascript else "nojs"
    path = os.path.join(SCREENSHOTS, f"{_shots['count']:02d}-{name}-{mode}-{browser.size_name}.png")
    browser.save_screenshot(path)
    overflow = browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: page is {overflow}px wider than the {browser.size_name} screen ({path})"
    assert_console_clean(browser, name, refused)
    assert_accessible(browser, name)
    assert_axe_clean(browser, name)
    if browser.size_name == "phone":
        assert_tap_targets(browser, name)
    return path


def assert_console_clean(browser, name, refused=False):
    problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")
                and not (refused and "status of 422" in entry["message"])]
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


# axe-core as the axe-playwright-python wheel ships it (installed with --no-deps by .ci/run: only the script is used).
AXE_SOURCE = (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")

AXE_RUN = """
return axe.run(document, {preload: false, runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))})))
  .catch(error => [{id: 'axe-error', help: String(error), nodes: []}]);
"""


def assert_axe_clean(browser, name):
    """axe-core finds no WCAG 2.1 A or AA violation on the page as it stands."""
    if not browser.execute_script("return typeof window.axe !== 'undefined'"):
        browser.execute_script(AXE_SOURCE)
    # With the page's scripts turned off Chrome runs no timer the page sets, and axe waits on
    # setTimeout between its checks: run those callbacks at once (the driver's own script still runs).
    shim = "" if browser.javascript else "window.setTimeout = function (f) { try { f(); } catch (e) {} return 0; };\n"
    violations = browser.execute_script(shim + AXE_RUN)
    assert not violations, f"{name}: axe: {json.dumps(violations, indent=1)}"


TAP_TARGET_SCRIPT = """
const small = [];
const shown = e => e.checkVisibility({visibilityProperty: true}) && e.getBoundingClientRect().width > 0;
for (const element of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
  if (!shown(element)) continue;
  const place = element.getBoundingClientRect();
  if (place.right <= 0 || place.bottom <= 0) continue;  // moved off screen until focused (the skip link)
  // A link inside a sentence is exempt (WCAG 2.5.8's inline exception): its line sets its height.
  if (element.tagName === 'A' && getComputedStyle(element).display === 'inline') {
    const block = element.parentElement;
    if (block && block.textContent.trim().length > element.textContent.trim().length + 2) continue;
  }
  // A checkbox or radio counts with the label around it.
  const target = (element.type === 'checkbox' || element.type === 'radio') && element.closest('label') ? element.closest('label') : element;
  const box = target.getBoundingClientRect();
  if (box.height < 43.5 || box.width < 43.5) small.push(`${Math.round(box.width)}x${Math.round(box.height)} ${target.outerHTML.slice(0, 120)}`);
}
return small;
"""


def assert_tap_targets(browser, name):
    """On a phone every tap target is at least 44 by 44 CSS pixels."""
    small = browser.execute_script(TAP_TARGET_SCRIPT)
    assert not small, f"{name}: {len(small)} tap targets under 44 px on a phone: {small[:8]}"
