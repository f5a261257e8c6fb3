// Greenlight review queue: keyboard shortcuts and in-place actions.
// Everything here also works without JavaScript through the plain forms; this only makes it faster.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var cardsRoot = document.getElementById("cards");
  if (!cardsRoot) return;
  var current = -1;
  var renewTimer = null;
  var pendingReject = false;
  // The cards decided on this page, last one last: `z` and each card's Undo take a decision back.
  var decided = [];
  var loading = false;
  // With JavaScript only the focused card is open (app.css); without it the first card that can be decided.
  cardsRoot.classList.add("live");

  function cards() { return Array.prototype.slice.call(cardsRoot.querySelectorAll(".card")); }
  function usable(card) {
    return card && !card.dataset.claimed && !card.classList.contains("done") && !card.classList.contains("stale") && !!card.querySelector(".actions");
  }

  function post(url, body, json) {
    var headers = { "Accept": "application/json", "X-CSRF-Token": csrf };
    var options = { method: "POST", headers: headers, credentials: "same-origin" };
    if (body) { options.body = body; }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    });
  }

  function claim(card) {
    if (!card || !card.querySelector(".actions")) return;
    post("/review/" + card.dataset.id + "/claim").then(function (result) {
      if (!result.ok && result.data.error) { showError(card, result.data.error.message); }
    }).catch(function () {});
  }

  function focusCard(index, quiet) {
    var list = cards();
    if (!list.length) return;
    index = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (card) { card.classList.remove("focused"); });
    current = index;
    var card = list[index];
    card.classList.add("focused");
    card.focus({ preventScroll: true });
    // The card being read sits near the top (below the sticky bulk bar: scroll-margin-top in app.css).
    if (!quiet) { card.scrollIntoView({ block: "start" }); }
    clearInterval(renewTimer);
    if (usable(card)) {
      claim(card);
      renewTimer = setInterval(function () { claim(card); }, 60000);
    }
  }

  function move(step) {
    var list = cards();
    var index = current;
    for (var tries = 0; tries < list.length; tries++) {
      index += step;
      if (index < 0 || index >= list.length) return;
      if (usable(list[index])) { focusCard(index); return; }
    }
  }

  function focusedCard() { return cards()[current]; }

  function showError(card, message) {
    if (/^already reviewed/.test(message)) {
      var actions = card.querySelector(".actions");
      if (actions) { actions.remove(); }
      card.classList.add("stale");
    }
    var box = card.querySelector(".card-error");
    if (box) { box.textContent = message.charAt(0).toUpperCase() + message.slice(1); box.hidden = false; }
  }

  var STATUS_WORDS = { approved: "Approved", approved_edited: "Approved with edits", rejected: "Rejected", pending_review: "Awaiting review" };

  function words(status) { return STATUS_WORDS[status] || String(status || "").replace(/_/g, " "); }

  // The progress line: what the viewer decided today and what is left, moved by `step` (1 decided, -1 undone).
  function progress(step) {
    var done = document.getElementById("done-today");
    var left = document.getElementById("left");
    if (done) { done.textContent = Math.max(0, Number(done.textContent.replace(/,/g, "")) + step).toLocaleString("en-US"); }
    if (left && !/\+$/.test(left.textContent)) {
      var count = Math.max(0, Number(left.dataset.count) - step);
      left.dataset.count = String(count);
      left.textContent = count.toLocaleString("en-US");
    }
  }

  // A decided card shrinks to one line: "✓ Approved · Oliver Ahmed · Undo".
  function finish(card, status) {
    card.classList.add("done");
    card.classList.remove("focused");
    var select = card.querySelector(".select");
    if (select) { select.checked = false; select.disabled = true; }
    var label = card.querySelector(".meta .status");
    if (label) { label.textContent = words(status).toLowerCase(); }
    var line = document.createElement("p");
    line.className = "done-line";
    line.setAttribute("role", "status");
    var name = card.querySelector("h2 a");
    line.textContent = (status === "rejected" ? "✗ " : "✓ ") + words(status) + " · " + (name ? name.textContent : "#" + card.dataset.id) + " · ";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "undo-button";
    undo.textContent = "Undo";
    undo.setAttribute("aria-label", "Undo: put the email to " + (name ? name.textContent : "#" + card.dataset.id) + " back in the queue");
    line.appendChild(undo);
    card.insertBefore(line, card.firstChild);
    decided.push(card.dataset.id);
    progress(1);
    updateCount();
    if (!nextUsable()) { loadMore(); }
  }

  // Focuses the next card that can be decided after the current one (or before it); false when none is left.
  function nextUsable() {
    var list = cards();
    for (var step = 1; step <= list.length; step++) {
      var index = (current + step) % list.length;
      if (usable(list[index])) { focusCard(index); return true; }
    }
    return false;
  }

  // Takes a decision back, through the same race-safe undo as a manager's.
  function undo(card) {
    var line = card.querySelector(".done-line");
    post("/review/" + card.dataset.id + "/undo").then(function (result) {
      if (!result.ok) {
        showError(card, (result.data.error && result.data.error.message) || "That did not work; reload the page.");
        return;
      }
      if (line) { line.remove(); }
      card.classList.remove("done");
      var select = card.querySelector(".select");
      if (select) { select.disabled = false; }
      var label = card.querySelector(".meta .status");
      if (label) { label.textContent = "awaiting review"; }
      var box = card.querySelector(".card-error");
      if (box) { box.hidden = true; }
      decided = decided.filter(function (id) { return id !== card.dataset.id; });
      var doneState = document.getElementById("done-state");
      if (doneState) { doneState.hidden = true; }
      progress(-1);
      focusCard(cards().indexOf(card));
    }).catch(function () { showError(card, "The undo did not reach the server; try again."); });
  }

  // The last card decided: the next emails are read from the same address (what was decided is no
  // longer on it) and added below, or the queue says it is done.
  function loadMore() {
    if (loading || !cardsRoot.dataset.awaiting) { return; }
    loading = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var known = {};
      cards().forEach(function (card) { known[card.dataset.id] = true; });
      var added = 0;
      page.querySelectorAll("#cards > .card").forEach(function (card) {
        if (known[card.dataset.id]) { return; }
        cardsRoot.appendChild(document.importNode(card, true));
        added += 1;
      });
      ["done-today", "left"].forEach(function (id) {
        var fresh = page.getElementById(id), here = document.getElementById(id);
        if (fresh && here) { here.textContent = fresh.textContent; if (fresh.dataset.count) { here.dataset.count = fresh.dataset.count; } }
      });
      loading = false;
      // Done when the address lists nothing more to decide (what is left is someone else's or filtered out).
      if ((!added || !nextUsable()) && !page.querySelector("#cards > .card")) {
        var doneState = document.getElementById("done-state");
        if (doneState) { doneState.hidden = false; doneState.focus(); }
      }
    }).catch(function () { loading = false; });
  }

  function updateCount() {
    var count = document.getElementById("bulk-count");
    if (!count) { return; }
    var n = cardsRoot.querySelectorAll(".select:checked").length;
    count.textContent = n ? n + " selected:" : "Selected emails:";
    count.closest("form").classList.toggle("has-selection", n > 0);
  }

  // The queue's cards carry the email text once; without JavaScript "Edit" opens the email's page.
  // Here the edit box is built in place from the card's text and the approve form's hidden fields.
  function buildEditor(card) {
    var id = card.dataset.id;
    var details = document.createElement("details");
    details.className = "edit";
    var summary = document.createElement("summary");
    summary.textContent = "Edit";
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/review/" + id + "/edit";
    form.className = "edit-form";
    card.querySelectorAll('.approve-form input[type="hidden"]').forEach(function (input) { form.appendChild(input.cloneNode()); });
    // A required field with its label, as the email page's form has them.
    function field(tag, name, words) {
      var label = document.createElement("label");
      label.htmlFor = name + "-" + id;
      label.textContent = words;
      var control = document.createElement(tag);
      control.id = name + "-" + id;
      control.name = name;
      control.required = true;
      return [label, control];
    }
    var subjectField = field("input", "subject", "Subject");
    var subject = subjectField[1];
    subject.maxLength = 300;
    subject.value = card.querySelector(".subject-text").textContent;
    var textField = field("textarea", "body", "Email text");
    var label = textField[0];
    var text = textField[1];
    text.rows = 14;
    // The text without the variables' labels the card shows in it.
    var shown = card.querySelector(".text").cloneNode(true);
    shown.querySelectorAll(".var-tag").forEach(function (tag) { tag.remove(); });
    text.value = shown.textContent;
    var save = document.createElement("button");
    save.type = "submit";
    save.className = "primary";
    save.textContent = "Save and approve";
    form.append(subjectField[0], subject, label, text, save);
    details.append(summary, form);
    var link = card.querySelector(".edit-link");
    link.replaceWith(details);
    return details;
  }

  function submitInPlace(form) {
    var card = form.closest(".card");
    post(form.action, new URLSearchParams(new FormData(form))).then(function (result) {
      if (result.ok) {
        finish(card, result.data.status);
      } else {
        showError(card, (result.data.error && result.data.error.message) || "That did not work; reload the page.");
      }
    }).catch(function () { form.submit(); });
  }

  cardsRoot.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest(".card")) return;
    event.preventDefault();
    submitInPlace(form);
  });

  cardsRoot.addEventListener("click", function (event) {
    var card = event.target.closest(".card");
    if (!card) return;
    if (event.target.closest(".undo-button")) { event.preventDefault(); undo(card); return; }
    var index = cards().indexOf(card);
    if (event.target.closest(".open-link") && usable(card)) { event.preventDefault(); }
    if (index !== current && usable(card)) { focusCard(index); }
  });

  cardsRoot.addEventListener("change", function (event) {
    if (event.target.classList.contains("select")) { updateCount(); }
  });

  // Bulk reject without a reason: the browser keeps the selection and says why, here in words too.
  var bulkReason = document.getElementById("bulk-reason");
  var bulkError = document.getElementById("bulk-error");
  if (bulkReason && bulkError) {
    bulkReason.addEventListener("invalid", function () {
      bulkError.textContent = "Choose a reject reason for the selected emails; they stay selected.";
      bulkError.hidden = false;
    });
    bulkReason.addEventListener("change", function () { bulkError.hidden = true; });
  }

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    var card = focusedCard();
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
      var form = event.target.closest("form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.key === "Escape") {
      document.querySelectorAll(".card details[open]").forEach(function (d) { d.open = false; });
      pendingReject = false;
      if (card) card.focus();
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (pendingReject && card && /^[1-7]$/.test(event.key)) {
      var reason = card.querySelector('.reject-form select[name="reason"]');
      if (reason && reason.options[Number(event.key)]) {
        reason.selectedIndex = Number(event.key);
        event.preventDefault();
        pendingReject = false;
        card.querySelector(".reject-form").requestSubmit();
      }
      return;
    }
    switch (event.key) {
      case "j": event.preventDefault(); if (current < 0) { move(1); } else { move(1); } break;
      case "k": event.preventDefault(); move(-1); break;
      case "o": case "Enter":
        if (card) { var why = card.querySelector("details.why"); if (why) { why.open = !why.open; event.preventDefault(); } }
        break;
      case "z":
        var last = decided.length ? cardsRoot.querySelector('.card[data-id="' + decided[decided.length - 1] + '"]') : null;
        if (last) { event.preventDefault(); undo(last); }
        break;
      case "a":
        if (card && card.querySelector(".approve-form")) { event.preventDefault(); card.querySelector(".approve-form").requestSubmit(); }
        break;
      case "e":
        if (card && card.querySelector(".approve-form")) {
          event.preventDefault();
          var edit = card.querySelector("details.edit") || buildEditor(card);
          edit.open = true;
          edit.querySelector("textarea").focus();
        }
        break;
      case "r":
        if (card && card.querySelector("details.reject")) {
          event.preventDefault();
          card.querySelector("details.reject").open = true;
          pendingReject = true;
        }
        break;
      case "x":
        if (card) { var box = card.querySelector(".select"); if (box && !box.disabled) { box.checked = !box.checked; updateCount(); event.preventDefault(); } }
        break;
      case "?":
        var help = document.getElementById("help");
        if (help) { help.open = !help.open; event.preventDefault(); }
        break;
      case "/":
        var search = document.getElementById("f-q");
        if (search) {
          event.preventDefault();
          var folded = search.closest("details");
          if (folded) folded.open = true;
          search.focus();
          search.select();
        }
        break;
    }
  });

  window.addEventListener("pagehide", function () {
    var card = focusedCard();
    if (card && usable(card) && navigator.sendBeacon) {
      var data = new FormData();
      data.append("_csrf", csrf);
      navigator.sendBeacon("/review/" + card.dataset.id + "/release", data);
    }
  });

  var first = cards().findIndex(usable);
  if (first >= 0) { focusCard(first, true); }
})();
