{% autoescape off %}/* KK Portal service worker: keeps the static files and the officer's pages (home, the
   group's lists, the aspiration and member forms) so that they open without signal.
   Pages: from the network first, the kept copy when there is none. Static files: the kept
   copy first (their names change with their content). Posts are never touched: the page's
   script keeps drafts and sends them itself (static/js/offline.js). */
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "kk-static-" + VERSION;
var PAGE_CACHE = "kk-pages";
var STATIC_PREFIX = "{{ static_prefix }}";
var PRECACHE = {{ precache }};
var PAGES = {{ pages }};
var FALLBACK = {{ fallback }};

function keepable(response) {
  return response.ok && !response.redirected && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

function keep(url, response) {
  return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(url, response); });
}

/* Fetch the officer's pages once after signing in (asked by the page), one after the
   other: a weak signal and the server carry one request at a time. */
function warm() {
  return PAGES.reduce(function (done, url) {
    return done.then(function () {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (keepable(response)) { return keep(url, response); }
      }).catch(function () {});
    });
  }, Promise.resolve());
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(PRECACHE);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("kk-static-") === 0 && key !== STATIC_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "warm") { event.waitUntil(warm()); }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
    }));
    return;
  }
  if (request.mode !== "navigate" || PAGES.indexOf(url.pathname) < 0) { return; }
  event.respondWith(fetch(request).then(function (response) {
    /* A filtered list or a form opened for a draft is not kept: the plain page is. */
    if (!url.search && keepable(response)) { keep(url.pathname, response.clone()); }
    return response;
  }).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        return hit || cache.match(FALLBACK);
      });
    });
  }));
});
{% endautoescape %}
