// Dragging across the timeline's bars narrows the search to that range of years or months.
// Without this script every bar is still a link to its own year or month; with it, a press on
// one bar and a release on another (mouse, pen or touch) goes to the same search with the range
// written in the query language: year:1950..1953, or date:1950-07..1950-09 for months. Any date
// filter already in the query was left out of data-base-query by the server: it is replaced.
(() => {
  const section = document.getElementById("timeline");
  if (!section) return;
  const svg = section.querySelector("svg");
  const bars = Array.from(svg.querySelectorAll(".timeline__bar"));
  const selection = svg.querySelector(".timeline__selection");
  const status = document.getElementById("timeline-status");
  const help = section.querySelector(".timeline__drag-help");
  if (help) help.hidden = false;
  svg.classList.add("is-draggable");
  let from = null;
  let to = null;
  let moved = false;

  function barAt(event) {
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const x = point.matrixTransform(svg.getScreenCTM().inverse()).x;
    let found = null;
    for (const bar of bars) {
      const box = bar.querySelector(".timeline__hit");
      const left = Number(box.getAttribute("x"));
      if (x >= left) found = bar;
    }
    return found;
  }

  function range() {
    const [a, b] = [bars.indexOf(from), bars.indexOf(to)].sort((m, n) => m - n);
    return [bars[a], bars[b]];
  }

  function draw() {
    const [first, last] = range();
    const left = Number(first.querySelector(".timeline__hit").getAttribute("x"));
    const lastBox = last.querySelector(".timeline__hit");
    const right = Number(lastBox.getAttribute("x")) + Number(lastBox.getAttribute("width"));
    selection.setAttribute("x", String(left));
    selection.setAttribute("width", String(right - left));
    status.textContent = `From ${first.dataset.start} to ${last.dataset.end}`;
  }

  function go() {
    const [first, last] = range();
    const unit = section.dataset.unit === "month" ? "date" : "year";
    const span = first.dataset.start === last.dataset.end
      ? first.dataset.start : `${first.dataset.start}..${last.dataset.end}`;
    const query = `${section.dataset.baseQuery} ${unit}:${span}`.trim();
    const params = new URLSearchParams({ q: query });
    if (section.dataset.sort && section.dataset.sort !== "relevance") {
      params.set("sort", section.dataset.sort);
    }
    window.location.assign(`/search?${params.toString()}`);
  }

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    from = to = barAt(event);
    moved = false;
    if (!from) return;
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (!from) return;
    const bar = barAt(event);
    if (bar && bar !== to) {
      to = bar;
      moved = true;
      draw();
    }
  });
  svg.addEventListener("pointerup", (event) => {
    if (!from) return;
    svg.releasePointerCapture(event.pointerId);
    if (moved && from !== to) {
      go();
    } else if (from.tagName.toLowerCase() === "a") {
      window.location.assign(from.getAttribute("href"));
    }
    from = to = null;
  });
  // A pointer's press and release were handled above; its click must not follow the link again.
  // A keyboard's Enter on a focused bar is a click with detail 0: left to the link.
  svg.addEventListener("click", (event) => {
    if (event.detail > 0) event.preventDefault();
  });
})();
