// Network page: the actors and edges around one actor drawn in SVG (center, then rings by distance), brokers
// ringed in gold; beside it the pairs the actor brokers and a what-if: who loses their last channel without it.
"use strict";

(() => {
  const { el, svg, link, get, clear, showError, plural } = dyad;
  const W = 820, H = 640, CX = W / 2, CY = H / 2;

  function short(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function layout(view) {
    const pos = new Map();
    pos.set(view.center, { x: CX, y: CY, angle: 0 });
    const rings = [[], [], [], []];
    for (const n of view.nodes) if (n.hops > 0) rings[n.hops].push(n.id);
    const radius = (h) => (Math.min(W, H) / 2 - 70) * (h / Math.max(view.hops, 1));
    const neighbours = new Map();
    for (const e of view.edges) {
      if (!neighbours.has(e.a)) neighbours.set(e.a, []);
      if (!neighbours.has(e.b)) neighbours.set(e.b, []);
      neighbours.get(e.a).push(e.b);
      neighbours.get(e.b).push(e.a);
    }
    for (let h = 1; h < rings.length; h++) {
      const ring = rings[h];
      if (!ring.length) continue;
      // Sit each node near the nodes of the ring inside it that it is joined to, so fewer edges cross.
      const wish = (id) => {
        const inner = (neighbours.get(id) || []).map((m) => pos.get(m)).filter((p) => p && p !== pos.get(view.center));
        return inner.length ? inner.reduce((s, p) => s + p.angle, 0) / inner.length : 0;
      };
      const order = h === 1 ? ring.slice().sort() : ring.slice().sort((a, b) => wish(a) - wish(b));
      order.forEach((id, i) => {
        const angle = (2 * Math.PI * i) / order.length - Math.PI / 2 + (h % 2 ? 0 : Math.PI / order.length);
        pos.set(id, { x: CX + radius(h) * Math.cos(angle), y: CY + radius(h) * Math.sin(angle), angle });
      });
    }
    return pos;
  }

  // Edges from the center are straight; others bend away from the center so none is drawn across it.
  function edgePath(a, b, straight) {
    if (straight) return `M${a.x.toFixed(1)},${a.y.toFixed(1)} L${b.x.toFixed(1)},${b.y.toFixed(1)}`;
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    let nx = mx - CX, ny = my - CY;
    if (Math.hypot(nx, ny) < len * 0.2) { nx = -(b.y - a.y); ny = b.x - a.x; }
    const n = Math.hypot(nx, ny) || 1;
    const cx = mx + (nx / n) * len * 0.35, cy = my + (ny / n) * len * 0.35;
    return `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
  }

  function graph(view) {
    const pos = layout(view);
    const box = svg("svg", { class: "network", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `network around ${view.name}` });
    const most = Math.max(0.001, ...view.edges.map((e) => Math.abs(e.net)));
    for (const e of view.edges) {
      const a = pos.get(e.a), b = pos.get(e.b);
      if (!a || !b) continue;
      const sign = e.sign > 0 ? "pos" : e.sign < 0 ? "neg" : "zero";
      const line = svg("path", { class: `edge ${sign}${e.channel ? "" : " nochannel"}`,
        d: edgePath(a, b, e.a === view.center || e.b === view.center), "stroke-width": (1.5 + 4.5 * Math.abs(e.net) / most).toFixed(2) });
      line.appendChild(svg("title", {}, `${e.a_name} – ${e.b_name}: net ${e.net}; ${e.events} events`
        + (e.ties.length ? `; ties: ${e.ties.join(", ")}` : "") + (e.channel ? "; a channel" : "; not a channel")));
      box.appendChild(line);
    }
    for (const n of view.nodes) {
      const p = pos.get(n.id);
      const r = n.id === view.center ? 16 : 9 + Math.min(10, 40 * n.betweenness);
      const g = svg("g", { class: `node${n.id === view.center ? " center" : ""}${n.broker ? " broker" : ""}`,
        transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`, "data-node": n.id, tabindex: 0 });
      if (n.broker) g.appendChild(svg("circle", { class: "ring", r: r + 5 }));
      g.appendChild(svg("circle", { r }));
      g.appendChild(svg("text", { y: r + 14, "text-anchor": "middle" }, short(n.name, 24)));
      if (n.broker) g.appendChild(svg("text", { class: "tag", y: -r - 8, "text-anchor": "middle" }, "broker"));
      g.appendChild(svg("title", {}, `${n.name} (${n.id}): ${n.hops} hop(s) away; betweenness ${n.betweenness}${n.broker ? "; a broker" : ""}`));
      const go = () => { window.location.assign(`/network?actor=${encodeURIComponent(n.id)}&hops=${view.hops}`); };
      g.addEventListener("click", go);
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
      box.appendChild(g);
    }
    return box;
  }

  function pairs(list, total) {
    const ul = el("ul", { class: "small" });
    for (const p of list.slice(0, 15)) {
      const via = p.channels.length ? p.channels[0].join(" – ") : "";
      ul.appendChild(el("li", {}, `${p.a} – ${p.b}`, p.last ? el("strong", {}, " (last channel)") : p.sole ? " (sole shortest)" : "",
        via ? el("div", { class: "muted" }, via) : null));
    }
    if (total > 15) ul.appendChild(el("li", { class: "muted" }, `… and ${total - 15} more`));
    return ul;
  }

  function side(box, view, form) {
    clear(box);
    const card = el("div", { class: "card" });
    card.appendChild(el("h2", {}, view.name));
    card.appendChild(el("p", { class: "small muted" },
      `${plural(view.nodes.length - 1, "actor")} within ${plural(view.hops, "hop")}, ${plural(view.edges.length, "edge")}; `
      + `as of ${view.as_of || "the latest event"}`));
    const b = view.brokerage;
    card.appendChild(el("p", {}, b.pairs_total ? `Brokers ${plural(b.pairs_total, "pair")} (betweenness ${b.betweenness}):` : "Brokers no pair."));
    if (b.pairs_total) card.appendChild(pairs(b.pairs, b.pairs_total));
    const brokers = view.nodes.filter((n) => n.broker).sort((x, y) => y.betweenness - x.betweenness);
    card.appendChild(el("h2", {}, "Brokers in view"));
    card.appendChild(brokers.length
      ? el("ul", { class: "small" }, brokers.map((n) => el("li", {}, link("/network", { actor: n.id, hops: view.hops }, n.name), ` — betweenness ${n.betweenness}`)))
      : el("p", { class: "muted small" }, "none"));
    const whatIf = el("button", { type: "button", class: "secondary", id: "what-if" }, `What if ${view.name} were gone?`);
    const lost = el("div", { id: "lost" });
    whatIf.addEventListener("click", async () => {
      try {
        const r = await get("network/what-if", { remove: view.center, as_of: form.elements.as_of.value });
        clear(lost).appendChild(el("p", { class: "small" }, `${plural(r.lost.length, "pair")} would lose their last channel.`));
        lost.appendChild(pairs(r.lost.map((p) => Object.assign({ last: true }, p)), r.lost.length));
      } catch (err) {
        showError(lost, err);
      }
    });
    card.appendChild(whatIf);
    card.appendChild(lost);
    box.appendChild(card);
  }

  async function draw(form) {
    const graphBox = clear(document.getElementById("graph-box"));
    const sideBox = clear(document.getElementById("side"));
    try {
      if (!form.elements.actor.value.trim()) {
        const top = await get("network", { as_of: form.elements.as_of.value, top: 1 });
        if (!top.brokers.length) {
          graphBox.appendChild(el("p", { class: "muted" }, "The network has no brokers yet: name an actor."));
          return;
        }
        form.elements.actor.value = top.brokers[0].broker;
      }
      const q = dyad.readForm(form);
      dyad.replaceParams(q);
      const view = await get("network/around", q);
      graphBox.appendChild(graph(view));
      side(sideBox, view, form);
    } catch (err) {
      showError(graphBox, err);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("filters");
    dyad.fillForm(form);
    form.addEventListener("submit", (ev) => { ev.preventDefault(); draw(form); });
    draw(form);
  });
})();
