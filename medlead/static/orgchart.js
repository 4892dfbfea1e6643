// The interactive organisation chart: a collapsible tree of posts with search, division filter and zoom.
// Progressive enhancement: the list view (chart/list/) shows the same data without JavaScript.
(function () {
  "use strict";
  const root = document.getElementById("chart");
  if (!root) return;
  const toolbar = document.getElementById("chart-toolbar");
  const status = document.getElementById("chart-status");
  const search = document.getElementById("chart-search");
  const division = document.getElementById("chart-division");
  const postUrl = root.dataset.postUrl;
  let scale = 1;
  let nodes = [];
  const byId = new Map();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(data) {
    nodes = data.nodes;
    nodes.forEach((n) => { n.children = []; byId.set(n.id, n); });
    const roots = [];
    nodes.forEach((n) => {
      const parent = n.reports_to ? byId.get(n.reports_to) : null;
      (parent ? parent.children : roots).push(n);
    });
    root.textContent = "";
    root.appendChild(branch(roots));
    toolbar.hidden = false;
    status.textContent = nodes.length + " posts.";
  }

  function branch(list) {
    const ul = el("ul");
    list.forEach((n) => {
      const li = el("li");
      li.dataset.id = n.id;
      const box = el("div", "ml-node" + (n.holders.length ? "" : " ml-node--vacant"));
      n.box = box; n.li = li;
      const a = el("a", "ml-node__title", n.title);
      a.href = postUrl.replace("/0/", "/" + n.id + "/");
      box.appendChild(a);
      const who = n.holders.length ? n.holders.map((h) => h.name + (h.interim ? " (interim)" : "")).join(" and ") : "Vacant";
      box.appendChild(el("span", "ml-node__meta", who));
      box.appendChild(el("span", "ml-node__meta", n.type_name + " · " + Number(n.pas) + " PAs" + (n.division ? " · " + n.division : "")));
      li.appendChild(box);
      if (n.children.length) {
        const toggle = el("button", "ml-toggle", "Hide " + n.children.length + " reports");
        toggle.type = "button";
        toggle.setAttribute("aria-expanded", "true");
        const sub = branch(n.children);
        toggle.addEventListener("click", () => {
          const open = toggle.getAttribute("aria-expanded") === "true";
          toggle.setAttribute("aria-expanded", String(!open));
          toggle.textContent = (open ? "Show " : "Hide ") + n.children.length + " reports";
          sub.hidden = open;
        });
        n.toggle = toggle; n.sub = sub;
        box.appendChild(el("br"));
        box.appendChild(toggle);
        li.appendChild(sub);
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function expandTo(n) {
    let p = n.reports_to ? byId.get(n.reports_to) : null;
    while (p) {
      if (p.sub && p.sub.hidden) p.toggle.click();
      p = p.reports_to ? byId.get(p.reports_to) : null;
    }
  }

  function applyFilters() {
    const q = search.value.trim().toLowerCase();
    const div = division.value ? Number(division.value) : null;
    const keep = new Set();
    nodes.forEach((n) => {
      if (div === null || n.division_id === div || n.division_id === null) {
        keep.add(n.id);
      }
    });
    // keep ancestors of kept nodes so that the tree stays connected
    Array.from(keep).forEach((id) => {
      let p = byId.get(id).reports_to;
      while (p && !keep.has(p)) { keep.add(p); p = byId.get(p).reports_to; }
    });
    let matches = [];
    nodes.forEach((n) => {
      n.li.hidden = !keep.has(n.id);
      const hit = q.length > 1 && keep.has(n.id) && (n.title.toLowerCase().includes(q) || n.holders.some((h) => h.name.toLowerCase().includes(q)));
      n.box.classList.toggle("ml-node--match", hit);
      if (hit) matches.push(n);
    });
    if (q.length > 1) {
      matches.forEach(expandTo);
      status.textContent = matches.length + (matches.length === 1 ? " match." : " matches.");
      const people = root.dataset.peopleUrl;
      if (people) {
        // the chart holds posts: a doctor with no management post is found in the people directory
        const link = document.createElement("a");
        link.href = people + "?q=" + encodeURIComponent(search.value.trim());
        link.textContent = "Search the people directory for “" + search.value.trim() + "”";
        status.append(" ", matches.length ? "" : "Doctors who hold no management post are not on the chart. ", link);
      }
      if (matches.length) matches[0].box.scrollIntoView({ block: "center", inline: "center" });
    } else {
      status.textContent = keep.size + " posts shown.";
    }
  }

  function zoom(to) {
    scale = Math.min(2, Math.max(0.3, to));
    root.style.transform = "scale(" + scale + ")";
    document.getElementById("zoom-reset").textContent = Math.round(scale * 100) + "%";
  }

  search.addEventListener("input", applyFilters);
  division.addEventListener("change", applyFilters);
  document.getElementById("zoom-in").addEventListener("click", () => zoom(scale + 0.1));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(scale - 0.1));
  document.getElementById("zoom-reset").addEventListener("click", () => zoom(1));

  fetch(root.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(render)
    .catch(() => { status.textContent = "The chart could not be loaded. Use the list view instead."; });
})();
