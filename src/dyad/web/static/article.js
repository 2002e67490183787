// Article page: the text sentence by sentence with actors and event triggers marked, each sentence's events
// (type, actor -> recipient, modality, attribution) under it. Without ?id=, the list of stored articles.
"use strict";

(() => {
  const { el, link, badge, actorText, actorKey, get, clear, showError, outside } = dyad;

  function mark(segment, view) {
    const m = segment.mark;
    if (!m) return document.createTextNode(segment.text);
    if (m.kind === "actor") {
      const mention = view.mentions[m.mention];
      const a = mention.actor;
      const tag = a.country || a.sector || a.affiliation || "?";
      const title = [a.name, a.country, a.sector, a.affiliation, mention.antecedent ? `refers to ${mention.antecedent}` : "", `by ${mention.how}`]
        .filter(Boolean).join(" · ");
      return el("mark", { class: "actor", title }, segment.text, el("sup", {}, tag));
    }
    const types = m.events.map((n) => view.events[n].event_type).join(", ");
    return el("mark", { class: "trigger", title: `trigger of ${types}` }, segment.text);
  }

  function eventItem(e) {
    const type = e.mode ? `${e.event_type}/${e.mode}` : e.event_type;
    const who = e.recipient ? `${actorText(e.actor)} → ${actorText(e.recipient)}` : actorText(e.actor);
    return el("li", { class: "event", "data-index": e.index },
      badge(type, "type"), " ", who, " ",
      badge(e.modality, e.modality), " ",
      el("span", { class: "small" }, "attribution: ", e.attribution ? e.attribution : el("span", { class: "muted" }, "none")),
      e.date ? el("span", { class: "small muted" }, ` · ${e.date}${e.date_precision ? " (" + e.date_precision + ")" : ""}`) : null,
      e.location ? el("span", { class: "small muted" }, ` · in ${e.location}`) : null,
      e.recipient ? el("span", { class: "small" }, " · ", link("/dyad", { a: actorKey(e.actor), b: actorKey(e.recipient) }, "dyad timeline")) : null,
    );
  }

  function tieItem(t) {
    return el("li", { class: "tie" }, badge(`tie: ${t.kind}`, ""), " ", `${actorText(t.a)} → ${actorText(t.b)}`);
  }

  function showArticle(box, view, target) {
    const a = view.article;
    const meta = [a.date || "undated", a.source, a.origin].filter(Boolean).join(" · ");
    box.appendChild(el("h1", {}, a.title || `Article ${a.id}`));
    box.appendChild(el("p", { class: "muted small" }, meta, " · id ", el("code", {}, a.id), a.url ? " · " : "", outside(a.url)));
    box.appendChild(el("div", { class: "legend" },
      el("span", {}, el("mark", { class: "actor" }, "actor", el("sup", {}, "ISO")), " resolved actor"),
      el("span", {}, el("mark", { class: "trigger" }, "verb"), " event trigger"),
      el("span", {}, `${view.events.length} events, ${view.ties.length} ties in ${view.sentences.length} sentences`)));
    const card = el("div", { class: "card" });
    for (const s of view.sentences) {
      const block = el("div", { class: "sentence-block" + (s.events.length ? " has-events" : ""), id: `s${s.index}` },
        el("span", { class: "num" }, `(${s.index})`),
        el("span", { class: "text" }, s.segments.map((seg) => mark(seg, view))));
      if (s.events.length || s.ties.length) {
        block.appendChild(el("ul", { class: "events" },
          s.events.map((n) => eventItem(view.events[n])), s.ties.map((n) => tieItem(view.ties[n]))));
      }
      card.appendChild(block);
    }
    box.appendChild(card);
    if (target !== null) {
      const hit = document.getElementById(`s${target}`);
      if (hit) {
        hit.classList.add("target");
        hit.scrollIntoView({ block: "center" });
      }
    }
  }

  async function listArticles(box, cursor) {
    let table = box.querySelector("table");
    if (!table) {
      box.appendChild(el("h1", {}, "Articles"));
      table = el("table", { id: "articles" }, el("thead", {}, el("tr", {},
        el("th", {}, "Date"), el("th", {}, "Title"), el("th", {}, "Source"), el("th", {}, "Beginning"))), el("tbody"));
      box.appendChild(table);
      box.appendChild(el("div", { class: "pager" }, el("button", { id: "more", class: "secondary", hidden: true }, "More articles")));
    }
    const page = await get("articles", { cursor, limit: 50 });
    for (const a of page.items) {
      table.tBodies[0].appendChild(el("tr", {},
        el("td", { class: "small" }, a.date || "undated"),
        el("td", {}, link("/article", { id: a.id }, a.title || a.id)),
        el("td", { class: "small" }, a.source || ""),
        el("td", { class: "small muted" }, a.snippet)));
    }
    const more = box.querySelector("#more");
    more.hidden = !page.next_cursor;
    more.addEventListener("click", () => listArticles(box, page.next_cursor).catch((err) => showError(box, err)), { once: true });
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const box = document.getElementById("article");
    const p = dyad.params();
    const id = p.get("id");
    const hash = window.location.hash.match(/^#s(\d+)$/);
    const target = p.has("s") ? Number(p.get("s")) : hash ? Number(hash[1]) : null;
    try {
      if (!id) await listArticles(box, null);
      else showArticle(clear(box), await get(`articles/${encodeURIComponent(id)}`), target);
    } catch (err) {
      showError(box, err);
    }
  });
})();
