// Zoomable scan pages with the searched words marked on the image (web/iiif.py, _scan_pages.html).
//
// Without this script each page is a plain image beside its text. With it, each page becomes an
// OpenSeadragon viewer (vendored under static/vendor, no CDN: the CSP allows only our own files),
// which the mouse and the keyboard can zoom and pan. The words of the search that led here
// (?q=… on the page's URL, or the search results page it was opened from) are looked up in the page's word boxes
// (words.json, fractions of the page's width: OpenSeadragon's viewport units) and outlined.
"use strict";

(function () {
  const FIELD = /^[a-z_]+:/i;
  const OPERATORS = new Set(["and", "or", "not"]);

  // The plain words of a query: no field filters (year:1950), operators or quotes.
  function searchedWords(query) {
    const words = [];
    for (const raw of (query || "").split(/\s+/)) {
      if (!raw || FIELD.test(raw) || raw.startsWith("-")) continue;
      const word = raw.replace(/^[("]+|[)"]+$/g, "").toLowerCase();
      if (word && !OPERATORS.has(word)) words.push(word);
    }
    return words;
  }

  function matches(text, words) {
    const plain = text.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    return plain && words.some((w) => (w.endsWith("*") ? plain.startsWith(w.slice(0, -1)) : plain === w));
  }

  function showPage(figure, words) {
    const holder = document.createElement("div");
    holder.className = "scan-viewer";
    holder.id = `scan-viewer-${figure.dataset.page}`;
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", `Zoomable scan of page ${figure.dataset.page}`);
    const fallback = figure.querySelector("a");
    figure.insertBefore(holder, fallback);
    fallback.hidden = true;
    const viewer = OpenSeadragon({
      element: holder,
      prefixUrl: "/static/vendor/openseadragon/images/",
      tileSources: { type: "image", url: figure.dataset.image },
      showNavigator: false,
      gestureSettingsMouse: { clickToZoom: false },
      crossOriginPolicy: false,
    });
    if (!words.length || !figure.dataset.words) return;
    const status = figure.querySelector(".scan-page__hits");
    fetch(figure.dataset.words, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { words: [] }))
      .then((data) => {
        const hits = data.words.filter(([text]) => matches(text, words));
        const place = () => {
          for (const [text, x, y, w, h] of hits) {
            const mark = document.createElement("div");
            mark.className = "scan-hit";
            mark.title = text;
            viewer.addOverlay({ element: mark, location: new OpenSeadragon.Rect(x, y, w, h) });
          }
        };
        if (viewer.world.getItemCount()) place();
        else viewer.addOnceHandler("open", place);
        figure.dataset.hits = String(hits.length);
        if (status && hits.length) {
          status.textContent = ` — ${hits.length} searched word${hits.length === 1 ? "" : "s"} marked`;
        }
      });
  }

  // ?q= on this page's URL, else the search this page was opened from (same origin only).
  function searchedQuery() {
    const own = new URLSearchParams(window.location.search).get("q");
    if (own) return own;
    try {
      const from = new URL(document.referrer);
      if (from.origin === window.location.origin && from.pathname === "/search") {
        return from.searchParams.get("q");
      }
    } catch (error) {
      return "";
    }
    return "";
  }

  // OpenSeadragon appends an inline <style> to <head> (a focus outline for touch screens) when
  // it makes its first viewer. The CSP forbids inline styles, and Chromium reports even an empty
  // one, so while viewers are made that one element is not appended; the rule lives in
  // figures.css instead. Other appends pass through untouched.
  function withoutInlineStyle(make) {
    const head = document.head;
    head.appendChild = function (node) {
      if (node instanceof HTMLStyleElement && node.hasAttribute("data-openseadragon-mobile-css")) {
        return node;
      }
      return Node.prototype.appendChild.call(this, node);
    };
    try {
      return make();
    } finally {
      delete head.appendChild;
    }
  }

  function start() {
    if (typeof OpenSeadragon !== "function") return;
    const words = searchedWords(searchedQuery());
    withoutInlineStyle(() => {
      document.querySelectorAll(".scan-page__image[data-image]").forEach((figure) => showPage(figure, words));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
