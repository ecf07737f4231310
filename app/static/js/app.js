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
