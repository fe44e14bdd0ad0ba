// Line of Sight's service worker: keeps the app shell (the bundle's JS, CSS and main wasm, the
// chunk loader, the icon), every chunk of the bundle (the pages' code, split by scripts/lib.sh)
// and the pages a person has opened, so they open again without a connection, and a page never
// opened is reached offline from inside the app. Cache names carry the build (stamped by
// scripts/lib.sh), so a new build replaces the old caches. Server functions (/api/...) always go
// to the network: the app queues its changes itself (app/src/offline/client.rs). Pages hold the
// person's data: the app deletes the pages cache at sign-out.
const BUILD = '__BUILD__';
const ASSETS = `los-assets-${BUILD}`;
const PAGES = `los-pages-${BUILD}`;
// Listed by scripts/lib.sh (build_site): the shell (with the offline copy's code), then every
// chunk (hundreds of small files).
const SHELL = ['__SHELL__', '/favicon.svg'];
const CHUNKS = ['__CHUNKS__'];

// Installing waits for the shell only, so the worker takes over at once; the chunks follow.
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(ASSETS)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== ASSETS && n !== PAGES).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
  precacheChunks();
});

// Fetches the chunks not yet kept, six at a time (as a browser does from one server). A chunk
// that fails (the connection dropped, the worker was stopped) is fetched on a later run: every
// fetch event resumes the work until all are kept.
let precached = false;
let precaching = null;
function precacheChunks() {
  if (precached) return Promise.resolve();
  if (!precaching) {
    precaching = caches.open(ASSETS).then(async (cache) => {
      const kept = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
      const missing = CHUNKS.filter((url) => !kept.has(url));
      let failed = 0;
      for (let i = 0; i < missing.length; i += 6) {
        const results = await Promise.allSettled(missing.slice(i, i + 6).map((url) => cache.add(new Request(url, { cache: 'reload' }))));
        failed += results.filter((r) => r.status === 'rejected').length;
      }
      precached = failed === 0;
    }).finally(() => { precaching = null; });
  }
  return precaching;
}

const OFFLINE_PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Line of Sight</title>
<link rel="stylesheet" href="/pkg/line_of_sight.css"></head><body><main id="main">
<h1>You are offline</h1><p>This page has not been opened on this device before, so there is no copy of it here.
Pages you opened before, such as <a href="/inbox">your inbox</a>, <a href="/self-assessment">your self-assessment</a>,
<a href="/check-ins">check-ins</a> and <a href="/feedback">feedback</a>, work offline; your changes are sent when the connection is back.</p>
</main></body></html>`;

function keep(cacheName, request, response) {
  if (response.ok && !response.redirected) {
    const copy = response.clone();
    caches.open(cacheName).then((cache) => cache.put(request, copy));
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  if (!precached) event.waitUntil(precacheChunks().catch(() => {}));
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (request.mode === 'navigate') {
    // Pages: the network first (they change), the copy when there is no connection. The sign-in
    // page is not kept: it is where signing out lands, after the kept pages were deleted.
    event.respondWith(
      fetch(request)
        .then((response) => (url.pathname === '/sign-in' ? response : keep(PAGES, request, response)))
        .catch(() => caches.match(request, { cacheName: PAGES })
          .then((hit) => hit || new Response(OFFLINE_PAGE, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }))),
    );
    return;
  }
  // The shell and other assets: this build's copy first.
  event.respondWith(
    caches.match(request, { cacheName: ASSETS })
      .then((hit) => hit || fetch(request).then((response) => keep(ASSETS, request, response))),
  );
});
