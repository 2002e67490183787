// Ingest page: paste an article or upload files; they are POSTed to /api/articles with the API key given here
// (kept for this browser tab only) and each article's fate is listed with a link to it.
"use strict";

(() => {
  const { el, link, clear, showError, post } = dyad;

  function results(box, answer) {
    clear(box);
    const card = el("div", { class: "card results" });
    card.appendChild(el("h2", {}, `Read ${answer.read}: stored ${answer.stored}, already stored ${answer.already_stored}, `
      + `near duplicates ${answer.near_duplicates}, refused ${answer.refused}; `
      + `${dyad.plural(answer.events, "event")}, ${dyad.plural(answer.ties, "tie")}`));
    const table = el("table", { id: "ingested" }, el("thead", {}, el("tr", {},
      el("th", {}, "#"), el("th", {}, "Status"), el("th", {}, "Article"), el("th", {}, "Events"), el("th", {}, "Note"))), el("tbody"));
    for (const a of answer.articles) {
      const target = a.status === "near duplicate" ? a.duplicate_of : a.id;
      table.tBodies[0].appendChild(el("tr", {},
        el("td", {}, String(a.index)),
        el("td", { class: `status-${a.status.replace(/ /g, "-")}` }, a.status),
        el("td", {}, target && a.status !== "refused" ? link("/article", { id: target }, target) : "—"),
        el("td", {}, a.events !== undefined ? String(a.events) : ""),
        el("td", { class: "small" }, a.reason || (a.duplicate_of ? `copies ${a.duplicate_of} (similarity ${a.similarity})` : "")),
      ));
    }
    card.appendChild(table);
    box.appendChild(card);
  }

  async function send(body, contentType) {
    const box = document.getElementById("result");
    clear(box).appendChild(el("p", { class: "muted" }, "Coding… (the first article after the server starts takes a few seconds)"));
    try {
      results(box, await post("articles", body, contentType));
      dyad.refreshCounts();
    } catch (err) {
      showError(box, err.status === 401 || err.status === 403 ? new Error(`${err.message} — enter a key above`) : err);
    }
  }

  async function fileRecords(file) {
    const text = await file.text();
    const name = file.name.toLowerCase();
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return text.split(/\r?\n/).filter((l) => l.trim());
    if (name.endsWith(".json")) {
      const data = JSON.parse(text);
      return (Array.isArray(data) ? data : [data]).map((r) => JSON.stringify(r));
    }
    return [JSON.stringify({ text, title: file.name.replace(/\.[^.]*$/, "") })];
  }

  document.addEventListener("DOMContentLoaded", () => {
    const keyForm = document.getElementById("key-form");
    const keyStatus = document.getElementById("key-status");
    const showKey = () => { keyStatus.textContent = dyad.apiKey() ? "a key is set for this tab" : "no key set: writing will be refused"; };
    showKey();
    keyForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      dyad.setApiKey(keyForm.elements.key.value.trim());
      keyForm.elements.key.value = "";
      showKey();
    });

    const paste = document.getElementById("paste");
    paste.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const record = dyad.readForm(paste);
      for (const k of Object.keys(record)) if (!record[k]) delete record[k];
      send(JSON.stringify(record), "application/json");
    });

    const upload = document.getElementById("upload");
    upload.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const files = Array.from(document.getElementById("files").files);
      if (!files.length) return;
      try {
        const lines = [];
        for (const f of files) lines.push(...(await fileRecords(f)));
        send(lines.join("\n") + "\n", "application/x-ndjson");
      } catch (err) {
        showError(document.getElementById("result"), new Error(`cannot read the files: ${err.message}`));
      }
    });
  });
})();
