// The review page: the report's data comes as JSON from /api/report/<id> and goes into the page
// only as text nodes and attributes (never as HTML), so whatever a report holds stays text.
(() => {
  "use strict";
  const token = document.querySelector('meta[name="review-token"]').content;
  const main = document.querySelector("main.report");
  if (!main) return;
  const rid = main.dataset.report;
  const LOW = 0.5;
  let S = null;          // the report's state (review/web/state.py)
  let selected = null;   // the selected item's key, "places:pl-3"
  let change = -1;       // the change last gone to
  let picked = null;     // the text selected for an addition: [start, end]
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else if (k === "dataset") Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined) continue;
      e.append(typeof kid === "string" || typeof kid === "number" ? document.createTextNode(String(kid)) : kid);
    }
    return e;
  }

  async function api(path, body) {
    const opt = {headers: {"X-Review-Token": token}};
    if (body !== undefined) {
      opt.method = "POST";
      opt.headers["Content-Type"] = "application/json";
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    const data = await r.json();
    if (!r.ok) throw new Error(data.error || r.statusText);
    return data;
  }

  function say(message, bad) {
    const s = $("status");
    s.textContent = message;
    s.className = bad ? "bad" : "ok";
  }

  const base = `/api/report/${encodeURIComponent(rid)}`;

  async function load() {
    try {
      S = await api(base);
      render();
    } catch (e) {
      say(`cannot load the report: ${e.message}`, true);
    }
  }

  async function post(path, body) {
    try {
      const data = await api(path, body);
      S = data;
      if (selected && !S.items.some((it) => it.key === selected)) selected = null;
      render();
      say(`saved: ${data.done}`);
    } catch (e) {
      say(e.message, true);
    }
  }

  const decide = (body) => post(`${base}/decisions`, body);

  function byKey(key) { return S.items.find((it) => it.key === key); }
  function low(it) { return it.confidence !== null && it.confidence < LOW; }

  function visible() {
    const type = $("f-type").value, state = $("f-state").value;
    return S.items.filter((it) => (!type || it.category === type) &&
      (!state || (state === "unreviewed" && it.state === "unreviewed") || (state === "changed" && it.changed) ||
       (state === "low" && low(it))));
  }

  function classes(it) {
    return [it.state !== "unreviewed" ? it.state : "", it.changed ? "changed" : "", low(it) ? "low" : "",
            it.key === selected ? "selected" : ""].filter(Boolean);
  }

  // ---- the text: cut at every span edge; each piece knows its offset (data-s) and its items ----
  function renderText() {
    const text = S.text, cuts = new Set([0, text.length]), spans = [];
    for (const it of S.items) {
      for (const sp of it.spans) {
        if (sp.start < 0 || sp.end > text.length || sp.start >= sp.end) continue;
        spans.push({...sp, it});
        cuts.add(sp.start); cuts.add(sp.end);
      }
    }
    const edges = [...cuts].sort((a, b) => a - b), box = $("text");
    box.replaceChildren();
    for (let i = 0; i + 1 < edges.length; i++) {
      const a = edges[i], b = edges[i + 1];
      const over = spans.filter((sp) => sp.start <= a && sp.end >= b);
      const piece = el("span", {dataset: {s: a}}, text.slice(a, b));
      const ents = over.filter((sp) => sp.it.category !== "events" && sp.it.category !== "tasks")
        .sort((x, y) => (x.end - x.start) - (y.end - y.start));
      const rest = over.filter((sp) => sp.it.category === "events" || sp.it.category === "tasks");
      const top = ents[0] || rest[0];
      if (top) {
        piece.classList.add("m", ...classes(top.it));
        if (ents[0]) piece.classList.add(`t-${ents[0].it.category}`);
        if (rest.some((sp) => sp.it.category === "events")) piece.classList.add("ev");
        if (rest.some((sp) => sp.it.category === "tasks")) piece.classList.add("task");
        piece.dataset.item = top.it.key;
        piece.title = `${top.it.label}${top.it.confidence !== null ? ` · confidence ${top.it.confidence}` : ""}` +
          (top.page ? ` · page ${top.page}` : "");
      }
      box.append(piece);
    }
  }

  function renderItems() {
    const list = $("item-list");
    list.replaceChildren(...visible().map((it) => el("li", {class: classes(it).join(" "), dataset: {item: it.key}},
      el("span", {class: `conf${low(it) ? " low" : ""}`}, it.confidence === null ? "—" : it.confidence.toFixed(2)),
      " ", el("span", {class: `t-${it.category}`}, it.category), " ", it.label,
      it.state !== "unreviewed" ? el("span", {class: "badge"}, ` ${it.state}`) : null)));
  }

  function renderChanges() {
    const box = $("changes");
    const head = el("h2", {}, `Changes against ${S.against} (${S.changes.length})`);
    const lis = S.changes.map((c) => el("li", {class: `${c.kind}${c.item && c.item === selected ? " current" : ""}`,
      dataset: c.item ? {item: c.item} : {}},
      `${c.kind} ${c.category} `, el("b", {}, c.label), ...c.words.map((w) => el("div", {class: "fields"}, w))));
    box.replaceChildren(head, lis.length ? el("ul", {}, lis) : el("p", {class: "meta"}, "No changes."));
  }

  function renderDecisions() {
    $("decision-list").replaceChildren(...S.decisions.map((d) => el("li", {class: d.status},
      `#${d.n} ${d.what} `, el("span", {class: "badge"}, `[${d.status}]`), " ", d.message, " ",
      el("button", {type: "button", class: "undo", on: {click: () => post(`${base}/drop/${d.n}`, {})}}, "undo"))));
  }

  function renderWarnings() {
    $("warning-list").replaceChildren(...S.warnings.map((w) => el("li", {}, w)));
  }

  function fieldInput(f, id) {
    if (f.options) {
      const current = f.value === "" ? "none" : f.value;
      return el("select", {id}, f.options.map((o) => el("option", {value: o, selected: o === current}, o)));
    }
    return el("input", {id, value: f.value, autocomplete: "off"});
  }

  function renderEditor() {
    const box = $("editor"), it = selected && byKey(selected);
    if (!it) {
      box.replaceChildren(el("h2", {}, "Item"), el("p", {class: "meta"},
        "Click an item in the text or the list. Select text to add a missed item."));
      return;
    }
    const pages = [...new Set(it.spans.map((sp) => sp.page).filter(Boolean))];
    const rows = it.fields.map((f) => {
      const id = `fix-${f.name}`;
      return el("div", {class: "field"}, el("label", {for: id}, f.name), fieldInput(f, id),
        el("button", {type: "button", class: "fix", dataset: {field: f.name},
          on: {click: () => decide({action: "fix", item: it.key, field: f.name, value: $(id).value})}}, "fix"));
    });
    box.replaceChildren(el("h2", {}, `${it.category}: `, it.label),
      el("p", {class: "meta"}, `${it.id} · ${it.state}${it.changed ? " · changed" : ""} · confidence ` +
        `${it.confidence === null ? "—" : it.confidence}` + (pages.length ? ` · page ${pages.join(", ")}` : "")),
      el("div", {class: "actions"},
        el("button", {type: "button", id: "accept", on: {click: () => decide({action: "accept", item: it.key})}}, "accept (a)"),
        el("button", {type: "button", id: "reject", on: {click: () => decide({action: "reject", item: it.key})}}, "reject (r)")),
      ...rows);
  }

  function renderAdder() {
    const box = $("adder");
    if (!picked) { box.hidden = true; return; }
    const [a, b] = picked, text = S.text.slice(a, b);
    const cat = el("select", {id: "add-category"}, Object.keys(S.add).map((c) => el("option", {value: c}, c)));
    const fields = el("div", {id: "add-fields"});
    const fill = () => fields.replaceChildren(...S.add[cat.value].map((f) => el("div", {class: "field"},
      el("label", {for: `add-${f.name}`}, f.name), fieldInput({...f, value: ""}, `add-${f.name}`))));
    cat.addEventListener("change", fill);
    fill();
    const send = () => {
      const values = {};
      for (const f of S.add[cat.value]) values[f.name] = $(`add-${f.name}`).value;
      picked = null;
      renderAdder();
      decide({action: "add", category: cat.value, text, fields: values});
    };
    box.hidden = false;
    box.replaceChildren(el("h2", {}, "Add a missed item"), el("p", {}, "«", el("b", {id: "add-text"}, text), "»"),
      el("div", {class: "field"}, el("label", {for: "add-category"}, "type"), cat), fields,
      el("button", {type: "button", id: "add", on: {click: send}}, "add"),
      el("button", {type: "button", on: {click: () => { picked = null; renderAdder(); }}}, "cancel"));
  }

  function render() {
    const types = $("f-type");
    if (types.options.length === 1) {
      for (const c of [...new Set(S.items.map((it) => it.category))]) types.append(el("option", {value: c}, c));
    }
    renderText(); renderItems(); renderChanges(); renderDecisions(); renderWarnings(); renderEditor(); renderAdder();
  }

  function select(key, scroll) {
    selected = key;
    render();
    const target = key && document.querySelector(`#text [data-item="${CSS.escape(key)}"]`);
    if (target && scroll) target.scrollIntoView({block: "center"});
    const li = key && document.querySelector(`#item-list [data-item="${CSS.escape(key)}"]`);
    if (li && scroll) li.scrollIntoView({block: "nearest"});
  }

  function step(list, by) {
    if (!list.length) return;
    const at = list.findIndex((it) => it.key === selected);
    select(list[(at + by + list.length) % list.length].key, true);
  }

  function offsetOf(node, offset) {
    const piece = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const s = piece && piece.closest("[data-s]");
    return s ? Number(s.dataset.s) + (node.nodeType === Node.TEXT_NODE ? offset : 0) : null;
  }

  main.addEventListener("click", (e) => {
    const hit = e.target.closest("[data-item]");
    if (hit && !e.target.closest("button") && window.getSelection().isCollapsed) select(hit.dataset.item, false);
  });
  $("text").addEventListener("mouseup", () => {
    const sel = window.getSelection();
    if (sel.isCollapsed || !sel.rangeCount) return;
    const r = sel.getRangeAt(0);
    let a = offsetOf(r.startContainer, r.startOffset), b = offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null) return;
    if (a > b) [a, b] = [b, a];
    while (a < b && /\s/.test(S.text[a])) a++;
    while (b > a && /\s/.test(S.text[b - 1])) b--;
    if (b > a) { picked = [a, b]; renderAdder(); }
  });
  $("f-type").addEventListener("change", renderItems);
  $("f-state").addEventListener("change", renderItems);
  document.addEventListener("keydown", (e) => {
    if (!S || e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, select, textarea")) return;
    const it = selected && byKey(selected);
    const changes = S.changes.filter((c) => c.item);
    if (e.key === "j") step(visible(), 1);
    else if (e.key === "k") step(visible(), -1);
    else if ((e.key === "n" || e.key === "p") && changes.length) {
      change = (change + (e.key === "n" ? 1 : -1) + changes.length) % changes.length;
      select(changes[change].item, true);
    } else if (e.key === "a" && it) decide({action: "accept", item: it.key});
    else if (e.key === "r" && it) decide({action: "reject", item: it.key});
    else if (e.key === "Escape") { picked = null; select(null, false); }
    else return;
    e.preventDefault();
  });
  load();
})();
