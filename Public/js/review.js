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

  function cards() { return Array.prototype.slice.call(cardsRoot.querySelectorAll(".card")); }
  function usable(card) { return card && !card.dataset.claimed && !card.classList.contains("done"); }

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
    if (!quiet) { card.scrollIntoView({ block: "nearest" }); }
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
      card.classList.add("done");
    }
    var box = card.querySelector(".card-error");
    if (box) { box.textContent = message.charAt(0).toUpperCase() + message.slice(1); box.hidden = false; }
  }

  function finish(card, label) {
    card.classList.add("done");
    var box = card.querySelector(".actions");
    if (box) { box.remove(); }
    var select = card.querySelector(".select");
    if (select) { select.remove(); }
    var note = document.createElement("p");
    note.className = "decision";
    note.textContent = label;
    card.appendChild(note);
    move(1);
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
    var label = document.createElement("label");
    label.htmlFor = "body-" + id;
    label.textContent = "Email text";
    var text = document.createElement("textarea");
    text.id = "body-" + id;
    text.name = "body";
    text.rows = 14;
    text.required = true;
    text.value = card.querySelector(".text").textContent;
    var save = document.createElement("button");
    save.type = "submit";
    save.className = "primary";
    save.textContent = "Save and approve";
    form.append(label, text, save);
    details.append(summary, form);
    var link = card.querySelector(".edit-link");
    link.replaceWith(details);
    return details;
  }

  function submitInPlace(form) {
    var card = form.closest(".card");
    post(form.action, new URLSearchParams(new FormData(form))).then(function (result) {
      if (result.ok) {
        finish(card, "Done: " + String(result.data.status || "").replace(/_/g, " "));
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
    var index = cards().indexOf(card);
    if (index !== current && usable(card)) { focusCard(index); }
  });

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
      document.querySelectorAll(".card details[open]").forEach(function (d) { if (!d.classList.contains("body")) d.open = false; });
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
        if (card) { var body = card.querySelector("details.body"); if (body) { body.open = !body.open; event.preventDefault(); } }
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
        if (card) { var box = card.querySelector(".select"); if (box) { box.checked = !box.checked; event.preventDefault(); } }
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
