// Progressive enhancement for passage links on a document page. Without it every paragraph's ¶
// and every "p. 101" mark is still a plain link to its own anchor (#p-3, #page-101).
// With it: clicking one also copies the passage's full URL; a targeted passage on a printed page
// gets a short citation with its page in the Cite panel; and ?page=101 scrolls to page 101.
(() => {
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");

  function announce(message) {
    status.textContent = message;
    setTimeout(() => { status.textContent = ""; }, 3000);
  }

  function copyOnClick(link) {
    link.addEventListener("click", async () => {
      if (!navigator.clipboard) return;
      try {
        await navigator.clipboard.writeText(link.href);
        announce("Link to this passage copied");
      } catch {
        // Reading the URL from the address bar still works; nothing to undo.
      }
    });
  }

  // "“Title,” July 13, 1950, p. 101." — the short note with the targeted passage's page.
  function citePassage() {
    const box = document.getElementById("cite-passage");
    const short = document.getElementById("cite-chicago-short");
    if (!box || !short) return;
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    const pages = target && (target.dataset.page || target.dataset.pages);
    if (!pages) {
      box.hidden = true;
      return;
    }
    const locator = pages.includes("–") ? `pp. ${pages}` : `p. ${pages}`;
    box.textContent = `This passage: ${short.textContent.trim().replace(/\.$/, "")}, ${locator}.`;
    box.hidden = false;
  }

  // /documents/ID?page=101 lands on printed page 101, as #page-101 would.
  function goToPage() {
    const wanted = new URLSearchParams(location.search).get("page");
    if (!wanted || location.hash) return;
    const mark = [...document.querySelectorAll(".page-break")].find((m) => m.dataset.page === wanted);
    if (mark) location.replace(`#${mark.id}`);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.body.append(status);
    document.querySelectorAll(".passage__link, .page-break").forEach(copyOnClick);
    goToPage();
    citePassage();
    window.addEventListener("hashchange", citePassage);
  });
})();
