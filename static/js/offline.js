/* KK Portal without signal. An aspiration or a member form is kept on the phone as a draft
   (IndexedDB, with its submission token and its photos scaled down to 1600 px) before it is
   sent; a draft is sent when the form is saved, when the connection returns and by "Send
   now". The server makes one row per token, so a resend, a second tab or a send cut off
   after the server saved it leave one row. A draft the server refuses stays, with the
   server's message beside each field, until it is corrected. Drafts belong to the signed-in
   user; logging out deletes them (after asking) and the kept pages once the server has
   signed the user out. */
(function () {
  "use strict";
  var PAGE_CACHE = "kk-pages";
  var MAX_SIDE = 1600;
  var net = document.getElementById("net");
  if (!net) {
    /* Signed out: the pages kept for the last user go, to be kept again after signing in. */
    sessionStorage.removeItem("kk-kept");
    if (window.caches) { caches.delete(PAGE_CACHE); }
    return;
  }
  var user = net.dataset.user;

  var opened;
  function db() {
    opened = opened || new Promise(function (ok, fail) {
      var request = indexedDB.open("kk-drafts", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("drafts", { keyPath: "token" }).createIndex("user", "user");
      };
      request.onsuccess = function () { ok(request.result); };
      request.onerror = function () { fail(request.error); };
    });
    return opened;
  }
  /* Run work(store) in one transaction; resolves with the result of the request it returns. */
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var t = d.transaction("drafts", mode);
        var request = work(t.objectStore("drafts"));
        t.oncomplete = function () { ok(request ? request.result : undefined); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  /* The signed-in user's drafts, oldest first. */
  function drafts() {
    return tx("readonly", function (s) { return s.index("user").getAll(user); }).then(function (list) {
      return list.sort(function (a, b) { return a.saved - b.saved; });
    });
  }
  function draft(token) { return tx("readonly", function (s) { return s.get(token); }); }
  function put(d) { return tx("readwrite", function (s) { return s.put(d); }); }
  function drop(token) { return tx("readwrite", function (s) { return s.delete(token); }); }

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function refuse(d, errors, html, keep, links) {
    d.state = "refused";
    d.errors = errors;
    d.html = html;
    d.links = links || {};
    var outcome = { state: "refused", draft: d };
    return keep ? put(d).then(function () { return outcome; }) : Promise.resolve(outcome);
  }

  /* Send one draft: {state: "sent", url}, {state: "refused", errors} or {state: "waiting"}
     (no signal, signed out, a server error: it is tried again later). A refused draft is
     kept on the phone only when keep is true: a form the server answered while the user
     watched is just that form, with its messages. */
  function send(d, keep) {
    var body = new FormData();
    d.fields.forEach(function (f) { body.append(f[0], f[1]); });
    d.files.forEach(function (f) { body.append(f.field, f.blob, f.name); });
    return fetch(d.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf() }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      /* The session ended (the page was the phone's copy): sent after signing in again. */
      if (response.redirected) { return { state: "signed-out" }; }
      /* 404: the account may no longer write for the group; kept, not sent again. */
      if (response.status === 404) { return refuse(d, { __all__: [net.dataset.notFound] }, {}, keep); }
      if (type.indexOf("application/json") !== 0) { return { state: "waiting" }; }
      return response.json().then(function (data) {
        if (response.ok) {
          return drop(d.token).then(function () { return { state: "sent", url: data.url }; });
        }
        return refuse(d, data.errors || {}, data.fields || {}, keep, data.links);
      });
    }).catch(function () { return { state: "waiting" }; });
  }

  /* Send every waiting draft, one at a time; one tab at a time where the browser can. */
  function sendAll() {
    if (!navigator.onLine) { return Promise.resolve(); }
    function run() {
      return drafts().then(function (list) {
        return list.reduce(function (done, d) {
          return done.then(function (last) {
            if (last && last.state === "signed-out") { return last; }
            return draft(d.token).then(function (now) {
              if (now && now.state === "waiting") { return send(now, true); }
            });
          });
        }, Promise.resolve()).then(function (last) {
          net.querySelector(".sign-in").hidden = !(last && last.state === "signed-out");
        });
      });
    }
    var done = navigator.locks ? navigator.locks.request("kk-send", run) : run();
    return done.then(refresh, refresh);
  }

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text) { e.textContent = text; }
    return e;
  }

  /* The list of drafts on the page saying what the phone keeps. */
  function showList(list) {
    var ul = document.getElementById("drafts");
    if (!ul) { return; }
    ul.textContent = "";
    /* Until the phone's drafts are read, the page's "nothing waiting" is only a guess. */
    ul.removeAttribute("aria-busy");
    if (!list.length) { ul.appendChild(element("li", "muted", ul.dataset.empty)); }
    list.forEach(function (d) {
      var li = element("li", "draft-" + d.state);
      li.appendChild(element("b", "", ul.dataset[d.kind]));
      li.appendChild(document.createTextNode(" " + (d.label || "") + " "));
      li.appendChild(element("span", "muted", ul.dataset[d.state]));
      if (d.state === "refused") {
        var messages = [];
        Object.keys(d.errors).forEach(function (k) { messages = messages.concat(d.errors[k]); });
        li.appendChild(element("span", "errorlist", " " + messages.join(" ")));
        var fix = element("a", "button", ul.dataset.correct);
        fix.href = d.action + "?draft=" + encodeURIComponent(d.token);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(fix);
        var remove = element("button", "delete-draft", ul.dataset.delete);
        remove.type = "button";
        remove.dataset.token = d.token;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(remove);
      }
      ul.appendChild(li);
    });
  }

  function refresh() {
    return drafts().then(function (list) {
      net.querySelector(".waiting-count").textContent = list.length;
      net.querySelector(".waiting").hidden = !list.length;
      showList(list);
    });
  }

  function banner() { net.querySelector(".offline-banner").hidden = navigator.onLine; }

  /* A photo longer than 1600 px is scaled down on the phone before it is kept and sent, as
     the server would store it; other files go as they are. */
  function scaled(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file.blob).then(function (bitmap) {
      var k = MAX_SIDE / Math.max(bitmap.width, bitmap.height);
      if (k >= 1) { return file; }
      var canvas = element("canvas");
      canvas.width = Math.round(bitmap.width * k);
      canvas.height = Math.round(bitmap.height * k);
      var paint = canvas.getContext("2d");
      paint.fillStyle = "#fff";
      paint.fillRect(0, 0, canvas.width, canvas.height);
      paint.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (ok) {
        canvas.toBlob(function (blob) {
          ok(blob ? {
            field: file.field, name: file.name.replace(/\.[^.]*$/, "") + ".jpg",
            type: "image/jpeg", blob: blob
          } : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function clearErrors(form) {
    document.querySelectorAll(".js-errors").forEach(function (e) { e.remove(); });
    form.querySelectorAll(".has-error").forEach(function (e) { e.classList.remove("has-error"); });
  }
  function errorList(messages) {
    var ul = element("ul", "errorlist js-errors");
    messages.forEach(function (m) { ul.appendChild(element("li", "", m)); });
    return ul;
  }
  /* The server's messages beside their fields. A field the page did not show (a question
     asked only then) comes drawn by the server, with its message, before the fields it is
     about; the form's own messages on top. */
  function showErrors(form, d) {
    clearErrors(form);
    var general = [];
    Object.keys(d.errors).forEach(function (name) {
      var box = form.querySelector(".field-" + name);
      var html = (d.html || {})[name];
      if (!box && html) {
        var holder = element("div", "js-errors");
        holder.innerHTML = html;
        form.insertBefore(holder, form.querySelector(".field"));
        return;
      }
      if (!box) { general = general.concat(d.errors[name]); return; }
      box.classList.add("has-error");
      var list = errorList(d.errors[name]);
      /* A taken value (a NIK) links to the existing row where the user may see it. */
      var link = (d.links || {})[name];
      if (link && link.charAt(0) === "/") {
        var a = element("a", "", net.dataset.existing);
        a.href = link;
        list.lastChild.appendChild(document.createTextNode(" "));
        list.lastChild.appendChild(a);
      }
      box.appendChild(list);
    });
    if (general.length) { form.insertBefore(errorList(general), form.firstChild); }
    var head = element("p", "msg-error js-errors", net.dataset.refused);
    form.parentNode.insertBefore(head, form);
    head.scrollIntoView();
  }
  function notice(form, text) {
    var p = element("p", "notice saved js-errors", text);
    form.parentNode.insertBefore(p, form);
    p.scrollIntoView();
  }

  /* Put a draft back into its form, to be corrected. */
  function fill(form, d) {
    var values = {};
    d.fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name || e.name === "csrfmiddlewaretoken" || e.type === "file") { return; }
      var v = values[e.name] || [];
      if (e.type === "checkbox" || e.type === "radio") { e.checked = v.indexOf(e.value) >= 0; }
      else { e.value = v.length ? v[0] : ""; }
    });
    form.keptFiles = d.files;
    showErrors(form, d);
    if (d.files.length) { notice(form, net.dataset.filesKept.replace("{n}", d.files.length)); }
  }

  function newToken(form) { form.elements.submission_token.value = crypto.randomUUID(); }

  function saveDraft(form) {
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (typeof value === "string") { fields.push([name, value]); }
      else if (value.size) { files.push({ field: name, name: value.name, type: value.type, blob: value }); }
    });
    if (!files.length && form.keptFiles) { files = form.keptFiles; }
    var label = form.elements[form.dataset.label];
    return Promise.all(files.map(scaled)).then(function (ready) {
      var d = {
        token: form.elements.submission_token.value, user: user, kind: form.dataset.draft,
        action: location.pathname, label: label ? label.value : "", fields: fields,
        files: ready, state: "waiting", errors: {}, saved: Date.now()
      };
      if (!navigator.onLine) { return put(d).then(function () { return { state: "waiting" }; }); }
      /* Online the form is sent first and kept only when the send did not reach the server
         (or the session ended); a draft being corrected stays kept until it is saved. */
      return draft(d.token).then(function (kept) {
        return send(d, Boolean(kept));
      }).then(function (outcome) {
        if (outcome.state !== "waiting" && outcome.state !== "signed-out") { return outcome; }
        return put(d).then(function () { return outcome; });
      });
    });
  }

  function submitDraft(event, form) {
    event.preventDefault();
    event.stopPropagation();
    if (form.dataset.busy) { return; }
    form.dataset.busy = "1";
    saveDraft(form).then(function (outcome) {
      if (outcome.state === "sent") { location.assign(outcome.url); return; }
      delete form.dataset.busy;
      if (outcome.state === "refused") {
        showErrors(form, outcome.draft);
      } else {
        /* Kept on the phone: the form is free for the next entry, with a new token. */
        form.reset();
        clearErrors(form);
        form.keptFiles = null;
        newToken(form);
        if (location.search) { history.replaceState(null, "", location.pathname); }
        notice(form, net.dataset.saved);
        net.querySelector(".sign-in").hidden = outcome.state !== "signed-out";
      }
      return refresh();
    });
  }

  /* Drafts and kept pages are deleted only once the server has signed the user out: with
     no signal the session stays open on the server, and the user is told so. */
  function logOut(event, form) {
    event.preventDefault();
    event.stopPropagation();
    if (form.dataset.busy) { return; }
    if (!navigator.onLine) { window.alert(net.dataset.notSignedOut); return; }
    drafts().then(function (list) {
      if (list.length && !window.confirm(net.dataset.logout.replace("{n}", list.length))) { return; }
      form.dataset.busy = "1";
      return fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return tx("readwrite", function (s) {
          list.forEach(function (d) { s.delete(d.token); });
        }).then(function () {
          return window.caches ? caches.delete(PAGE_CACHE) : null;
        }).then(function () { location.assign(response.url); });
      }).catch(function () {
        delete form.dataset.busy;
        window.alert(net.dataset.notSignedOut);
      });
    });
  }

  /* Before app.js's once-only guard: a draft form guards itself. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("logout")) { logOut(event, form); }
    else if (form.dataset.draft) { submitDraft(event, form); }
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest(".send-now")) { sendAll(); }
    /* Only the user deletes a refused draft, after confirming. */
    var remove = event.target.closest(".delete-draft");
    if (remove && window.confirm(document.getElementById("drafts").dataset.deleteConfirm)) {
      drop(remove.dataset.token).then(refresh);
    }
  });
  window.addEventListener("online", function () { banner(); sendAll(); });
  window.addEventListener("offline", banner);

  var form = document.querySelector("form[data-draft]");
  if (form) {
    /* A form opened from the phone's copy carries an old token: every entry gets its own. */
    newToken(form);
    var asked = /[?&]draft=([^&]+)/.exec(location.search);
    if (asked) {
      draft(decodeURIComponent(asked[1])).then(function (d) { if (d && d.user === user) { fill(form, d); } });
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(net.dataset.sw).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      /* Once a session per user: keep the officer's pages for use without signal. */
      if (navigator.onLine && sessionStorage.getItem("kk-kept") !== user) {
        sessionStorage.setItem("kk-kept", user);
        registration.active.postMessage("warm");
      }
    }).catch(function () {});
  }
  banner();
  refresh().then(sendAll);
})();
