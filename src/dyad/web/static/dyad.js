// Dyad page: the timeline of two actors drawn in SVG: merged events per period stacked by quad class, with
// the mean PLOVER score as a line; a click on a period lists its events and leads to their sentences.
"use strict";

(() => {
  const { el, svg, link, badge, get, clear, showError } = dyad;
  const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const W = 960, H = 360, M = { top: 20, right: 48, bottom: 72, left: 44 };

  function chart(series, onPick) {
    const points = series.points;
    const box = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "dyad timeline" });
    const innerW = W - M.left - M.right, innerH = H - M.top - M.bottom;
    const most = Math.max(1, ...points.map((p) => p.events));
    const step = innerW / Math.max(points.length, 1);
    const barW = Math.max(4, Math.min(48, step * 0.7));
    const y = (n) => M.top + innerH - (n / most) * innerH;
    const ys = (score) => M.top + innerH / 2 - (score / 10) * (innerH / 2);
    for (let t = 0; t <= most; t += Math.max(1, Math.ceil(most / 5))) {
      box.appendChild(svg("line", { class: "grid", x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }));
      box.appendChild(svg("text", { x: M.left - 6, y: y(t) + 4, "text-anchor": "end" }, String(t)));
    }
    box.appendChild(svg("line", { class: "axis", x1: M.left, x2: W - M.right, y1: y(0), y2: y(0) }));
    box.appendChild(svg("line", { class: "axis", x1: M.left, x2: M.left, y1: M.top, y2: y(0) }));
    box.appendChild(svg("text", { x: 4, y: M.top - 6 }, "events"));
    for (const s of [-10, 0, 10]) {
      box.appendChild(svg("text", { x: W - M.right + 6, y: ys(s) + 4 }, String(s)));
    }
    box.appendChild(svg("text", { x: W - M.right - 4, y: M.top - 6 }, "score"));
    const line = [];
    points.forEach((p, i) => {
      const x = M.left + step * i + (step - barW) / 2;
      let base = 0;
      const group = svg("g", { class: "bar", "data-period": p.period, tabindex: 0 });
      for (const q of [1, 2, 3, 4]) {
        const n = p.by_quad[String(q)] || 0;
        if (!n) continue;
        group.appendChild(svg("rect", { x, width: barW, y: y(base + n), height: y(base) - y(base + n), class: `q${q}` }));
        base += n;
      }
      const types = Object.entries(p.by_type).map(([t, n]) => `${t} ${n}`).join(", ");
      group.appendChild(svg("title", {}, `${p.period}: ${p.events} events (${p.reports} reports); ${types}; mean score ${p.mean_score ?? "–"}`));
      group.addEventListener("click", () => onPick(p));
      group.addEventListener("keydown", (ev) => { if (ev.key === "Enter") onPick(p); });
      box.appendChild(group);
      if (points.length <= 36 || i % Math.ceil(points.length / 36) === 0) {
        // Many periods: labels turned to read upwards so they do not run into each other.
        const lx = x + barW / 2, ly = y(0) + 14;
        box.appendChild(points.length > 10
          ? svg("text", { x: lx, y: ly, "text-anchor": "end", transform: `rotate(-40 ${lx} ${ly})` }, p.period)
          : svg("text", { x: lx, y: ly, "text-anchor": "middle" }, p.period));
      }
      if (p.mean_score !== null) line.push(`${x + barW / 2},${ys(p.mean_score)}`);
    });
    if (line.length > 1) box.appendChild(svg("polyline", { class: "score", points: line.join(" ") }));
    for (const pt of line) {
      const [cx, cy] = pt.split(",");
      box.appendChild(svg("circle", { cx, cy, r: 3, fill: "#1d2430" }));
    }
    return box;
  }

  function legend() {
    return el("div", { class: "legend" },
      Object.entries(QUADS).map(([q, name]) => el("span", {}, el("span", { class: `swatch q${q}` }), name)),
      el("span", {}, el("span", { class: "swatch score" }), "mean PLOVER score (−10 conflict … +10 cooperation)"));
  }

  function showPeriod(box, p) {
    clear(box);
    box.appendChild(el("h2", {}, `${p.period}: ${p.events} events`));
    const list = el("table", { id: "period-events" }, el("thead", {}, el("tr", {},
      el("th", {}, "Date"), el("th", {}, "Type"), el("th", {}, "Actor → recipient"), el("th", {}, "Reports"),
      el("th", {}, "Sources"), el("th", {}, "Articles"))), el("tbody"));
    for (const m of p.merged_events) {
      list.tBodies[0].appendChild(el("tr", {},
        el("td", { class: "small" }, m.date || ""),
        el("td", {}, badge(m.mode ? `${m.event_type}/${m.mode}` : m.event_type, "type")),
        el("td", {}, `${m.actor} → ${m.recipient || "—"}`),
        el("td", {}, String(m.num_reports)),
        el("td", { class: "small" }, m.sources.join(", ")),
        el("td", { class: "small" }, m.articles.map((id, i) => [i ? ", " : "", link("/article", { id }, id.slice(0, 8))])),
      ));
    }
    box.appendChild(list);
  }

  async function draw(form) {
    const q = dyad.readForm(form);
    dyad.replaceParams(q);
    const box = clear(document.getElementById("chart-box"));
    const period = clear(document.getElementById("period"));
    if (!q.a) {
      box.appendChild(el("p", { class: "muted" }, "Name actor A (and B) to draw their timeline."));
      return;
    }
    try {
      const s = await get("series", q);
      const who = s.b ? `${s.a} ${s.directed ? "→" : "↔"} ${s.b}` : `${s.a} ↔ everyone`;
      const periods = `${s.points.length} ${s.by}${s.points.length === 1 ? "" : "s"}`;
      box.appendChild(el("h2", {}, `${who}: ${s.events} events, ${s.reports} reports, ${periods}`
        + (s.undated.length ? ` (+${s.undated.length} undated)` : "")));
      if (!s.points.length) {
        box.appendChild(el("p", { class: "muted" }, "No dated events between them."));
        return;
      }
      box.appendChild(legend());
      box.appendChild(chart(s, (p) => showPeriod(period, p)));
      showPeriod(period, s.points[s.points.length - 1]);
    } catch (err) {
      showError(box, err);
    }
  }

  async function suggest(form) {
    const p = document.getElementById("suggest");
    try {
      const s = await get("summary");
      // Resolved actors only (codes and names start with a capital; "the talks" is a recipient as written).
      const named = (x) => /^[A-Z]/.test(x);
      const pairs = s.top_dyads.filter((d) => d.actor !== d.recipient && named(d.actor) && named(d.recipient)).slice(0, 8);
      if (!pairs.length) return;
      p.appendChild(document.createTextNode("Frequent dyads: "));
      pairs.forEach((d, i) => {
        if (i) p.appendChild(document.createTextNode(" · "));
        p.appendChild(link("/dyad", { a: d.actor, b: d.recipient }, `${d.actor}–${d.recipient} (${d.count})`));
      });
      if (!form.elements.a.value && pairs.length) {
        form.elements.a.value = pairs[0].actor;
        form.elements.b.value = pairs[0].recipient;
      }
    } catch (err) {
      /* suggestions are optional */
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const form = document.getElementById("filters");
    dyad.fillForm(form);
    await suggest(form);
    form.addEventListener("submit", (ev) => { ev.preventDefault(); draw(form); });
    draw(form);
  });
})();
