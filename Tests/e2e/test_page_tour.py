"""Every page a user reaches, as an admin sees it, with and without JavaScript, on a laptop and a
phone: page_checks on each (no overflow, clean console, labelled controls, axe-core clean, and on a
phone no tap target under 44 px — tables stack into rows there)."""
from selenium.webdriver.common.by import By

from checks import page_checks
from conftest import login
from test_journeys import wait


def test_every_page(browser, server):
    client_id = server.query("SELECT id FROM clients WHERE name = 'Northwind Ledger'")[0][0]
    email_id = server.query("SELECT id FROM generated_emails WHERE status = 'pending_review' ORDER BY id LIMIT 1")[0][0]
    decided_id = server.query("SELECT id FROM generated_emails WHERE final_body IS NOT NULL ORDER BY id LIMIT 1")[0][0]
    batch_id = server.query("SELECT id FROM contact_batches ORDER BY id LIMIT 1")[0][0]
    template_id = server.query("SELECT id FROM templates ORDER BY id LIMIT 1")[0][0]
    kim_id = server.query("SELECT id FROM users WHERE email = 'kim@greenlight.example'")[0][0]
    browser.get(server.base + "/login")
    page_checks(browser, "tour-login")
    login(browser, server)
    pages = [
        ("tour-queue", "/review"),
        ("tour-queue-reviewed", "/review?status=reviewed"),
        ("tour-email", f"/review/{email_id}"),
        ("tour-email-edit", f"/review/{email_id}?edit=1"),
        ("tour-email-decided", f"/review/{decided_id}"),
        ("tour-dashboard", "/dashboard"),
        ("tour-clients", "/clients"),
        ("tour-client", f"/clients/{client_id}"),
        ("tour-import", "/import"),
        ("tour-batch", f"/batches/{batch_id}"),
        ("tour-rollout-index", "/rollout"),
        ("tour-rollout", f"/clients/{client_id}/rollout"),
        ("tour-export", f"/clients/{client_id}/export"),
        ("tour-audit", "/audit"),
        ("tour-client-edit", f"/clients/{client_id}/edit"),
        ("tour-template-edit", f"/clients/{client_id}/templates/{template_id}/edit"),
        ("tour-team", "/team"),
        ("tour-member", f"/team/users/{kim_id}"),
        ("tour-account", "/account"),
    ]
    for name, path in pages:
        browser.get(server.base + path)
        wait(browser, lambda b: b.execute_script("return document.readyState") == "complete", f"{path} did not load")
        assert browser.find_elements(By.TAG_NAME, "main"), f"{path} has a main landmark"
        page_checks(browser, name)
