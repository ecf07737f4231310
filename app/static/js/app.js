// The header's menu button: below 1024 px the sections fold behind it. The page works
// without this script (the sections then stay open), so it is shown only from here.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) { return; }
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      menu.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
});

// Print buttons (the minutes, a recommendation, a package): shown only where scripts run.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});

// The catalogue's filters fold into one line on a phone, so the results are in sight.
// A choice made inside them keeps them open across the swap that follows.
(function () {
  var narrow = window.matchMedia("(max-width: 900px)");
  var keepOpen = false;
  function fold() {
    if (narrow.matches && !keepOpen) {
      document.querySelectorAll("details[data-fold-narrow]").forEach(function (box) { box.open = false; });
    }
    keepOpen = false;
  }
  document.addEventListener("DOMContentLoaded", fold);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var box = elt && elt.closest ? elt.closest("details[data-fold-narrow]") : null;
    keepOpen = Boolean(box && box.open);
  });
  document.addEventListener("htmx:afterSettle", fold);
})();

// A refused form opens with its error summary in focus (it is read out first); a link
// in the summary takes the focus to its field, and shows the field's label with it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
  if (!link) { return; }
  var field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) { return; }
  event.preventDefault();
  var label = document.querySelector("label[for='" + field.id + "']");
  (label || field).scrollIntoView({block: "center"});
  field.focus({preventScroll: true});
});

// The language menu closes with Escape (the focus back on its button) and when the
// pointer or the focus goes elsewhere.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") { return; }
  var open = document.querySelector("details.lang-menu[open]");
  if (!open) { return; }
  open.open = false;
  open.querySelector("summary").focus();
});
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.lang-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) { menu.open = false; }
  });
});
document.addEventListener("focusin", function (event) {
  document.querySelectorAll("details.lang-menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) { menu.open = false; }
  });
});

// Sends the CSRF token with every htmx request (Flask-WTF reads X-CSRFToken).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
  }
});

// A refused htmx request (403, 404, 409 ...) is not swapped in; say so instead of doing
// nothing. The server's error fragment carries the message in the user's language.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-alert");
  if (!box) { return; }
  var holder = document.createElement("div");
  holder.innerHTML = event.detail.xhr.responseText;
  var text = holder.querySelector("[role=alert]");
  box.textContent = text ? text.textContent.trim() : event.detail.xhr.statusText;
});

document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("htmx-alert");
  if (box) { box.textContent = ""; }
});

// A form marked data-reset-on-send sends what was in it when it was sent, even when its
// request waits in the queue behind another one (htmx reads a form's values only when
// the request leaves, and by then the next entry may be typed in it), and it empties
// itself at once, so the next entry can be typed while this one is saved. The values
// are kept in order, one set per send; a queued request asks again for confirmation
// when it leaves, with the same triggering event, and that second ask is let through.
document.addEventListener("htmx:confirm", function (event) {
  var form = event.detail.elt;
  var sent = event.detail.triggeringEvent;
  if (!form || !form.hasAttribute || !form.hasAttribute("data-reset-on-send")) { return; }
  if (!sent || sent.wsValuesKept) { return; }
  sent.wsValuesKept = true;
  form.wsSent = form.wsSent || [];
  form.wsSent.push(new FormData(form));
  form.reset();
});

document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt;
  if (form && form.wsSent && form.wsSent.length) {
    event.detail.parameters = form.wsSent.shift();
  }
});

// Focus and announcements after a swap. If the swap took away the element that had the
// keyboard focus, the focus goes where the new content says (data-autofocus), else to
// the swapped part itself, never back to the top of the page. What happened is read out
// by the page's polite status region (data-announce on the new content).
var focusWasInSwap = false;
document.addEventListener("htmx:beforeSwap", function (event) {
  var active = document.activeElement;
  var target = event.detail.target;
  focusWasInSwap = !active || active === document.body || (target && target.contains(active));
});

document.addEventListener("htmx:afterSettle", function (event) {
  var status = document.getElementById("htmx-status");
  document.querySelectorAll("[data-announce]").forEach(function (element) {
    if (status) { status.textContent = element.getAttribute("data-announce"); }
    element.removeAttribute("data-announce");
  });
  var wanted = document.querySelector("[data-autofocus]");
  document.querySelectorAll("[data-autofocus]").forEach(function (element) {
    element.removeAttribute("data-autofocus");
  });
  var active = document.activeElement;
  var lost = !active || active === document.body || !document.body.contains(active);
  if (!(focusWasInSwap && lost) && !(wanted && lost)) { return; }
  var place = wanted;
  if (!place) {
    // A form sent back with errors: its first wrong field.
    place = document.querySelector("[aria-invalid=true]");
  }
  if (!place) {
    var swapped = event.detail.target;
    place = swapped && swapped.id ? document.getElementById(swapped.id) : null;
    if (place && !place.hasAttribute("tabindex")) { place.setAttribute("tabindex", "-1"); }
  }
  if (place) { place.focus(); }
});

// Mentions. While "@" and a few letters are typed in a comment box, the people who match
// are offered in a list under it (arrow keys or the mouse to choose, Enter or Tab to
// take, Escape to close). Taking one inserts their handle, which names that one
// person however many people share the name. The list is announced as a listbox of
// the text box (ARIA combobox pattern); the box keeps the focus throughout.
(function () {
  var TOKEN = /(^|[^\p{L}\p{N}_@.])@([\p{L}\p{N}_.\-]+(?: [\p{L}\p{N}_.\-]*)?)$/u;
  var state = null; // {box, list, people, active, start}
  var asked = 0;
  var timer = null;

  function close() {
    if (!state) { return; }
    state.list.remove();
    state.box.setAttribute("aria-expanded", "false");
    state.box.removeAttribute("aria-activedescendant");
    state = null;
  }

  function highlight(index) {
    state.active = index;
    Array.prototype.forEach.call(state.list.children, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      state.box.setAttribute("aria-activedescendant", state.list.children[index].id);
    } else {
      state.box.removeAttribute("aria-activedescendant");
    }
  }

  function take(index) {
    var person = state.people[index];
    var box = state.box;
    if (box.tagName === "INPUT") {
      // A field for one person (a co-author to invite): it holds the handle alone.
      box.value = "@" + person.handle;
      close();
      box.focus();
      return;
    }
    var end = box.selectionStart;
    var text = "@" + person.handle + " ";
    box.value = box.value.slice(0, state.start) + text + box.value.slice(end);
    var caret = state.start + text.length;
    close();
    box.focus();
    box.setSelectionRange(caret, caret);
  }

  function show(box, start, people) {
    close();
    if (!people.length) { return; }
    var list = document.createElement("ul");
    list.id = (box.id || "mention") + "-people";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.getAttribute("data-mention-label") || "");
    people.forEach(function (person, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var name = document.createElement("strong");
      name.textContent = person.name;
      var detail = document.createElement("span");
      detail.textContent = " @" + person.handle + (person.organisation ? " · " + person.organisation : "");
      option.appendChild(name);
      option.appendChild(detail);
      // mousedown, not click: the box must not lose the focus (and the list) first.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        take(i);
      });
      list.appendChild(option);
    });
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "true");
    state = {box: box, list: list, people: people, active: -1, start: start};
    highlight(0);
  }

  function lookUp(box) {
    var query, start;
    if (box.tagName === "INPUT") {
      // A field for one person: all of it is the query, with or without the "@".
      query = box.value.trim().replace(/^@/, "");
      start = 0;
      if (query.length < 2) { close(); return; }
    } else {
      var before = box.value.slice(0, box.selectionStart);
      var match = TOKEN.exec(before);
      if (!match) { close(); return; }
      query = match[2];
      start = before.length - query.length - 1;
    }
    var ticket = ++asked;
    var url = box.getAttribute("data-mention-source") + "?q=" + encodeURIComponent(query);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {people: []}; })
      .then(function (data) {
        // An older answer arriving late must not replace a newer one.
        if (ticket === asked && document.activeElement === box) { show(box, start, data.people); }
      })
      .catch(function () { close(); });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-mention-source]")) { return; }
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    clearTimeout(timer);
    timer = setTimeout(function () { lookUp(box); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!state || event.target !== state.box) { return; }
    var count = state.people.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((state.active + 1) % count);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((state.active - 1 + count) % count);
    } else if ((event.key === "Enter" || event.key === "Tab") && state.active >= 0) {
      event.preventDefault();
      take(state.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (state && event.target === state.box) { close(); }
  });
})();

// A link to a comment (#comment-12) that is among a long thread's earlier comments, not
// on the page: load the page again with the thread widened back to it (?comment=12).
// Links made since the window exists carry ?comment= already.
document.addEventListener("DOMContentLoaded", function () {
  var found = /^#comment-(\d+)$/.exec(window.location.hash);
  if (!found || document.getElementById("comment-" + found[1])) { return; }
  if (!document.querySelector(".thread-earlier")) { return; }
  var params = new URLSearchParams(window.location.search);
  if (params.has("comment")) { return; }
  params.set("comment", found[1]);
  window.location.replace(window.location.pathname + "?" + params.toString() + window.location.hash);
});

// Materials. A form marked data-upload shows a progress bar while its files go up
// (htmx reports the bytes sent); a drop zone takes files dragged onto it into its file
// field and names them. Choosing files with the field itself (keyboard included) needs
// neither; without scripts the form posts as a plain upload.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-upload]") : null;
  var bar = form ? form.querySelector(".upload-progress") : null;
  if (!bar || !event.detail.lengthComputable) { return; }
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});

document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-upload]") : null;
  if (!form) { return; }
  var button = form.querySelector("button[type=submit]");
  if (button) { button.setAttribute("aria-busy", "true"); button.disabled = true; }
});

document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-upload]") : null;
  if (!form) { return; }
  var button = form.querySelector("button[type=submit]");
  if (button) { button.removeAttribute("aria-busy"); button.disabled = false; }
});

(function () {
  function chosen(zone) {
    var input = zone.querySelector("input[type=file]");
    var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
    zone.querySelector(".drop-chosen").textContent = names.join(", ");
  }
  function wire(root) {
    root.querySelectorAll("[data-drop-zone]").forEach(function (zone) {
      if (zone.dataset.wired) { return; }
      zone.dataset.wired = "1";
      var hint = zone.querySelector(".drop-hint");
      if (hint) { hint.hidden = false; }
      var input = zone.querySelector("input[type=file]");
      input.addEventListener("change", function () { chosen(zone); });
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("drop-active");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("drop-active"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
        input.files = event.dataTransfer.files;
        chosen(zone);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document); });
  document.addEventListener("htmx:afterSettle", function (event) { wire(event.detail.target.parentNode || document); });
})();
