// Events page: a filtered table of coded events, paged by cursor; each row leads to its sentence.
"use strict";

(() => {
  const { el, link, badge, actorText, actorKey, get, clear, showError } = dyad;
  let cursor = null;
  let query = {};

  function row(e) {
    const type = e.mode ? `${e.event_type}/${e.mode}` : e.event_type;
    const dyadLink = e.recipient
      ? link("/dyad", { a: actorKey(e.actor), b: actorKey(e.recipient) }, "timeline")
      : link("/dyad", { a: actorKey(e.actor) }, "timeline");
    return el("tr", { "data-event": e.id },
      el("td", { class: "small" }, e.date || "undated", e.date_precision ? el("div", { class: "muted" }, e.date_precision) : null),
      el("td", {}, badge(type, "type")),
      el("td", {}, actorText(e.actor)),
      el("td", {}, e.recipient ? actorText(e.recipient) : el("span", { class: "muted" }, "—")),
      el("td", {}, badge(e.modality, e.modality)),
      el("td", { class: "small" }, e.attribution || el("span", { class: "muted" }, "—")),
      el("td", { class: "sentence" },
        link("/article", { id: e.article_id, s: e.sentence_index }, e.sentence),
      ),
      el("td", { class: "small" }, dyadLink),
    );
  }

  async function load(more) {
    const body = document.querySelector("#events tbody");
    const status = document.getElementById("status");
    const button = document.getElementById("more");
    if (!more) {
      clear(body);
      cursor = null;
    }
    try {
      const page = await get("events", Object.assign({}, query, { cursor, limit: 50 }));
      for (const e of page.items) body.appendChild(row(e));
      cursor = page.next_cursor;
      button.hidden = !cursor;
      const shown = body.children.length;
      status.textContent = shown ? `${dyad.plural(shown, "event")} shown${cursor ? " (more below)" : ""}` : "No events match these filters.";
    } catch (err) {
      showError(status, err);
    }
  }

  async function types(select) {
    try {
      const s = await get("summary");
      for (const name of Object.keys(s.events_by_type).sort()) {
        select.appendChild(el("option", { value: name }, `${name} (${s.events_by_type[name]})`));
      }
    } catch (err) {
      /* the type list is a convenience; the table shows the error if the API is down */
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const form = document.getElementById("filters");
    await types(form.elements.type);
    dyad.fillForm(form);
    query = dyad.readForm(form);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      query = dyad.readForm(form);
      dyad.replaceParams(query);
      load(false);
    });
    document.getElementById("reset").addEventListener("click", () => {
      form.reset();
      query = {};
      dyad.replaceParams({});
      load(false);
    });
    document.getElementById("more").addEventListener("click", () => load(true));
    load(false);
  });
})();
