// jobdesc studio: the variant in the address, the page in a frame, clauses to inspect and edit.
"use strict";
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const form = document.getElementById("variant");
const frame = document.getElementById("page");
let clauses = {};
let editing = null;

function query() {
  const params = new URLSearchParams();
  for (const select of form.elements) if (select.value) params.set(select.name, select.value);
  return params.toString();
}

function show(element, text) {
  element.textContent = text || "";
  element.hidden = !text;
}

async function json(url, options) {
  const response = await fetch(url, options);
  if ((response.headers.get("content-type") || "").startsWith("application/json")) return response.json();
  return { error: await response.text() };
}

async function choose() {
  const lists = await json("/api/choices");
  const wanted = new URLSearchParams(location.search);
  for (const select of form.elements) {
    for (const name of lists[select.name]) select.add(new Option(name, name));
    select.value = wanted.get(select.name) || (select.name === "role" ? lists.role[0] : "");
  }
}

function provenance(id) {
  const c = clauses[id];
  return c ? `${c.number} [${id}] · ${c.layer} · ${c.origin}` : "";
}

function decorate() {
  const doc = frame.contentDocument;
  for (const item of doc.querySelectorAll("li[id]")) {
    if (!(item.id in clauses)) continue;
    item.tabIndex = 0;
    item.title = provenance(item.id);
    item.style.cursor = "pointer";
    const point = () => { document.getElementById("provenance").textContent = provenance(item.id); };
    item.addEventListener("mouseenter", point);
    item.addEventListener("focus", point);
    item.addEventListener("click", (event) => { event.stopPropagation(); edit(item.id); });
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") edit(item.id); });
  }
}

function edit(id) {
  editing = id;
  document.getElementById("provenance").textContent = provenance(id);
  document.getElementById("text").value = clauses[id].text;
  document.getElementById("edit").hidden = false;
  show(document.getElementById("clause-problem"), "");
  document.getElementById("saved").textContent = "";
  document.getElementById("text").focus();
}

async function load() {
  const q = query();
  document.getElementById("pdf").href = `/export/pdf?${q}`;
  document.getElementById("docx").href = `/export/docx?${q}`;
  const result = await json(`/api/document?${q}`);
  if (q !== query()) return; // a newer choice is on its way
  show(document.getElementById("problem"), result.error);
  if (result.error) return;
  clauses = result.clauses;
  const scroll = frame.contentWindow ? frame.contentWindow.scrollY : 0;
  frame.onload = () => {
    decorate();
    frame.contentWindow.scrollTo(0, scroll);
    document.body.dataset.shown = q; // the variant on show, for a test or a script to wait for
    paginate(q);
  };
  frame.srcdoc = result.html;
  refreshStatus();
  if (!document.getElementById("redline").hidden) redline();
}

// Where the PDF starts each page, marked before the first clause of the page (WeasyPrint's layout).
async function paginate(q) {
  const doc = frame.contentDocument;
  const result = await json(`/api/pages?${q}`);
  if (result.error || doc !== frame.contentDocument || !doc.body || doc.querySelector(".studio-page")) return;
  const marked = new Set([1]);
  const mark = (before, page) => {
    const marker = doc.createElement("div");
    marker.className = "studio-page";
    marker.textContent = `page ${page} of ${result.pages}`;
    marker.style.cssText = "border-top: 2px dashed #999; color: #666; font: 11px sans-serif; margin: 1em 0; list-style: none";
    before.parentNode.insertBefore(marker, before);
  };
  mark(doc.body.firstChild, 1);
  for (const [id, page] of Object.entries(result.starts)) {
    const item = doc.getElementById(id);
    if (item && !marked.has(page)) { marked.add(page); mark(item, page); }
  }
}

async function refreshStatus() {
  const s = await json(`/api/status?${query()}`);
  let text;
  if (s.error) text = `Status: ${s.error}`;
  else if (!s.exists) text = `Status: not rendered yet (${s.file})`;
  else {
    const fields = s.fields.map((f) => `${f.name}: ${f.signed ? "signed by " + f.signer : "empty"}`).join("; ");
    text = `Status: ${s.file} is ${s.up_to_date ? "up to date" : "OUT OF DATE"}; ${fields || "no signature fields"}`;
  }
  document.getElementById("status").textContent = text;
}

async function redline() {
  const against = new URLSearchParams(new FormData(document.getElementById("against")));
  const result = await json(`/api/redline?${query()}&${against}`);
  const view = document.getElementById("redline");
  document.getElementById("counts").textContent = result.error || result.counts;
  view.hidden = !!result.error;
  if (result.error) return;
  view.onload = () => { const first = view.contentDocument.querySelector("ins, del"); if (first) view.contentWindow.scrollTo(0, first.getBoundingClientRect().top - 40); };
  view.srcdoc = result.html;
}

const post = (url, body) => fetch(url, {
  method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body),
});

document.getElementById("edit").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new URLSearchParams(query()));
  const result = await (await post("/api/clause", { ...body, id: editing, text: document.getElementById("text").value })).json();
  show(document.getElementById("clause-problem"), result.error);
  document.getElementById("saved").textContent = result.error ? "" : `Saved in ${result.file}${result.note ? "; " + result.note : ""}.`;
  if (!result.error) load();
});

document.getElementById("render").addEventListener("click", async () => {
  const result = await (await post(`/api/render?${query()}`, {})).json();
  show(document.getElementById("problem"), result.error);
  refreshStatus();
});

document.getElementById("against").addEventListener("submit", (event) => { event.preventDefault(); redline(); });

form.addEventListener("change", () => {
  history.pushState(null, "", `?${query()}`);
  document.getElementById("edit").hidden = true;
  load();
});

window.addEventListener("popstate", async () => {
  const wanted = new URLSearchParams(location.search);
  for (const select of form.elements) select.value = wanted.get(select.name) || (select.name === "role" ? select.options[0].value : "");
  load();
});

new EventSource("/events").addEventListener("change", load);
choose().then(load);
