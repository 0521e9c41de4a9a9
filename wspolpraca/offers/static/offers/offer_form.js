// The draft offer's step form (offers/views.py). Without JavaScript the form is saved by its
// buttons. With it, htmx saves the step as it is typed (hx-trigger on the form, the
// autosave endpoint), and this script:
// - keeps a copy of what is typed in this browser (localStorage, per offer and step), so
//   that a lost session, a closed tab or a crashed browser loses nothing: when the page is
//   opened again and the copy differs from what the page shows, it offers to restore it;
// - lets htmx show the autosave's own answers when it is refused: signed out (401), the
//   offer submitted (403), saved by someone else meanwhile (409); and says so when the
//   connection or the site fails;
// - lets a button's ordinary submit wait for a save that is running, and stops further
//   autosaves once the page is being submitted (the button's save carries the newest
//   revision);
// - moves the focus to the first field of a row added with htmx.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form || !form.dataset.draftKey) { return; }
  var storageKey = "wspolpraca:" + form.dataset.draftKey;
  var status = document.getElementById("autosave-status");
  var notice = document.getElementById("restore-notice");
  var MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  var running = 0;
  var submitting = false;
  var waitingSubmitter = null;
  var sent = null;

  function typed() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "revision" ||
          MANAGEMENT.test(el.name) || el.type === "submit" || el.type === "button" ||
          el.type === "hidden") {
        return;
      }
      if (el.type === "checkbox") {
        values[el.name] = el.checked;
      } else if (el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function differs(copy, now) {
    return Object.keys(copy).some(function (name) {
      return Object.prototype.hasOwnProperty.call(now, name) && copy[name] !== now[name];
    });
  }

  function read() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)); } catch (e) { return null; }
  }

  function keep() {
    try {
      window.localStorage.setItem(
        storageKey, JSON.stringify({at: new Date().toISOString(), values: typed()}));
    } catch (e) { /* storage full or switched off: the server copy is all there is */ }
  }

  function forget() {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
  }

  function restore(values) {
    Object.keys(values).forEach(function (name) {
      var fields = form.elements[name];
      if (!fields) { return; }
      var list = fields.length !== undefined && !fields.tagName ? fields : [fields];
      Array.prototype.forEach.call(list, function (el) {
        if (el.type === "checkbox") {
          el.checked = !!values[name];
        } else if (el.type === "radio") {
          el.checked = el.value === values[name];
        } else {
          el.value = values[name];
        }
      });
    });
  }

  // A copy kept on an earlier visit that the page does not show: offer it back.
  var copy = read();
  if (copy && copy.values && notice) {
    if (differs(copy.values, typed())) {
      var time = notice.querySelector("[data-restore-time]");
      if (time && copy.at) {
        time.textContent = new Date(copy.at).toLocaleString(document.documentElement.lang);
      }
      notice.hidden = false;
      notice.querySelector("[data-restore]").addEventListener("click", function () {
        restore(copy.values);
        notice.hidden = true;
        keep();
        // Saves it at once (the form's "change" trigger), or waits for the button.
        form.dispatchEvent(new Event("change", {bubbles: true}));
        var first = form.querySelector("input:not([type=hidden]), textarea, select");
        if (first) { first.focus(); }
      });
      notice.querySelector("[data-discard]").addEventListener("click", function () {
        forget();
        notice.hidden = true;
      });
    } else {
      forget();
    }
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  function ours(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && (elt === form || form.contains(elt));
  }

  function say(message) {
    if (status && message) {
      status.innerHTML = "";
      var span = document.createElement("span");
      span.className = "autosave-problem";
      span.textContent = message;
      status.appendChild(span);
    }
  }

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (!ours(evt)) { return; }
    if (submitting) {
      evt.preventDefault();
      return;
    }
    running += 1;
    sent = JSON.stringify(typed());
  });

  document.body.addEventListener("htmx:afterRequest", function (evt) {
    if (!ours(evt)) { return; }
    running = Math.max(0, running - 1);
    if (running === 0 && waitingSubmitter !== null) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      submitWith(submitter);
    }
  });

  // The button may have been replaced meanwhile (the status line's "compare" button is
  // part of what a save sends back): its name and value then go along as a hidden input.
  function submitWith(submitter) {
    submitting = true;
    if (submitter && form.contains(submitter)) {
      form.requestSubmit(submitter);
      return;
    }
    if (submitter && submitter.name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.appendChild(input);
    }
    form.requestSubmit();
  }

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (!ours(evt)) { return; }
    var code = evt.detail.xhr.status;
    var body = evt.detail.xhr.responseText || "";
    // The autosave's own refusals are shown; any other error page is not.
    if ((code === 401 || code === 403 || code === 409) &&
        body.indexOf("data-autosave-state") !== -1) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target !== status) { return; }
    var state = status.querySelector("[data-autosave-state]");
    if (state && state.getAttribute("data-autosave-state") === "saved" &&
        sent === JSON.stringify(typed())) {
      forget();
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (evt) {
    if (!ours(evt)) { return; }
    var added = form.querySelector("[data-new-row]");
    if (added) {
      added.removeAttribute("data-new-row");
      var first = added.querySelector("input:not([type=hidden]), textarea, select");
      if (first) { first.focus(); }
    }
  });

  document.body.addEventListener("htmx:responseError", function (evt) {
    if (ours(evt) && status) { say(status.getAttribute("data-failed")); }
  });

  document.body.addEventListener("htmx:sendError", function (evt) {
    if (ours(evt) && status) { say(status.getAttribute("data-offline")); }
  });

  form.addEventListener("submit", function (evt) {
    if (submitting) { return; }
    if (running > 0) {
      // Let the running save finish first, then submit with the revision it produced.
      evt.preventDefault();
      waitingSubmitter = evt.submitter || false;
      return;
    }
    submitting = true;
  });
})();
