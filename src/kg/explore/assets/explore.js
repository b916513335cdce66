// Search authorities, inspectors and themes by name, ignoring case and accents, over the JSON
// index shipped in the page (works offline; no requests).
(function () {
  "use strict";
  const data = document.getElementById("search-index");
  const input = document.getElementById("search");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!data || !input || !list) return;
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const entries = JSON.parse(data.textContent).map((e) => ({ label: e[0], kind: e[1], href: e[2], key: fold(e[0]) }));
  function show() {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) { status.textContent = ""; return; }
    const hits = entries.filter((e) => words.every((w) => e.key.includes(w)));
    for (const e of hits.slice(0, 50)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = e.href; a.textContent = e.label;
      const k = document.createElement("span");
      k.className = "k"; k.textContent = e.kind;
      li.append(a, k); list.append(li);
    }
    status.textContent = hits.length === 0 ? "No match." :
      hits.length > 50 ? `${hits.length} matches; showing the first 50.` : `${hits.length} match${hits.length === 1 ? "" : "es"}.`;
  }
  input.addEventListener("input", show);
  input.form && input.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const first = list.querySelector("a");
    if (first) first.click();
  });
  show();
})();
