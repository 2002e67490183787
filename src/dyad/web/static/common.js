// dyad dashboard: helpers shared by every page. Text from articles only ever reaches the page as text
// nodes (textContent / createTextNode); no page builds markup from strings.
"use strict";

const dyad = (() => {
  const KEY_STORE = "dyad-api-key";

  function apiKey() {
    return sessionStorage.getItem(KEY_STORE) || "";
  }

  function setApiKey(key) {
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
  }

  function headers(extra) {
    const h = Object.assign({ Accept: "application/json" }, extra || {});
    const key = apiKey();
    if (key) h["X-API-Key"] = key;
    return h;
  }

  async function answer(response) {
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const message = data && data.error ? data.error : `the server answered ${response.status}`;
      const err = new Error(message);
      err.status = response.status;
      throw err;
    }
    return data;
  }

  // GET /api/PATH with the non-empty params as a query string.
  async function get(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== "" && v !== false) query.set(k, String(v));
    }
    const qs = query.toString();
    return answer(await fetch(`/api/${path}${qs ? "?" + qs : ""}`, { headers: headers() }));
  }

  async function post(path, body, contentType) {
    const init = { method: "POST", headers: headers({ "Content-Type": contentType }), body };
    return answer(await fetch(`/api/${path}`, init));
  }

  // el("td", {class: "x", title: t}, "text", child): attributes are set one by one, strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) throw new Error("use addEventListener, not attributes");
      node.setAttribute(k, String(v));
    }
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // A link to a page of this dashboard with query parameters (never a URL taken from data).
  function link(path, params, ...children) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== "") query.set(k, v);
    const qs = query.toString();
    return el("a", { href: path + (qs ? "?" + qs : "") }, ...children);
  }

  // An outside link only for http(s) URLs: a javascript: URL from an article never becomes a link.
  function outside(url, text) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, text || url);
    }
    return url ? el("span", {}, text || url) : null;
  }

  function actorText(ref) {
    if (!ref) return "";
    const code = [ref.country, ref.sector].filter(Boolean).join(" ");
    const name = ref.name || ref.text || "";
    return code && code !== name ? `${name} (${code})` : name;
  }

  // The key to pass to the dyad page for an actor: its affiliation, country or name.
  function actorKey(ref) {
    return ref ? ref.affiliation || ref.country || ref.name || "" : "";
  }

  function badge(text, cls) {
    return el("span", { class: `badge ${cls || ""}` }, text);
  }

  function showError(container, err) {
    clear(container).appendChild(el("div", { class: "error", role: "alert" }, err.message || String(err)));
  }

  function params() {
    return new URLSearchParams(window.location.search);
  }

  function replaceParams(values) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v) query.set(k, v);
    const qs = query.toString();
    history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
  }

  // Fill a form's fields from the URL, and read them back as an object.
  function fillForm(form) {
    const p = params();
    for (const field of form.elements) {
      if (!field.name || !p.has(field.name)) continue;
      if (field.type === "checkbox") field.checked = p.get(field.name) === "true";
      else field.value = p.get(field.name);
    }
  }

  function readForm(form) {
    const out = {};
    for (const field of form.elements) {
      if (!field.name) continue;
      if (field.type === "checkbox") out[field.name] = field.checked ? "true" : "";
      else out[field.name] = field.value.trim();
    }
    return out;
  }

  async function header() {
    for (const a of document.querySelectorAll("header.top nav a")) {
      if (a.getAttribute("href") === window.location.pathname) a.classList.add("active");
    }
    await refreshCounts();
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  async function refreshCounts() {
    const counts = document.getElementById("counts");
    if (!counts) return;
    try {
      const s = await get("summary");
      counts.textContent = [plural(s.articles, "article"), plural(s.events, "event"), plural(s.ties, "tie")].join(" · ");
    } catch (err) {
      counts.textContent = err.message;
    }
  }

  document.addEventListener("DOMContentLoaded", header);

  return { actorKey, actorText, apiKey, badge, clear, el, fillForm, get, link, outside, params, plural, post,
           readForm, refreshCounts, replaceParams, setApiKey, showError, svg };
})();
