// Marsad dashboard: filters, offline SVG map, event table, article extraction.
// Plain browser JavaScript; it talks only to this server (see docs/api.md).
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const BASEMAP_URL = "/static/basemap/countries.geojson";
  // The region shown at start: lon -18..75, lat 10..45 (equirectangular: x = lon, y = -lat).
  const HOME = { x: -18, y: -45, w: 93, h: 35 };
  const EVENT_TYPES = [
    ["Battles", "#d62728"],
    ["Explosions/Remote violence", "#ff7f0e"],
    ["Violence against civilians", "#9467bd"],
    ["Protests", "#2ca02c"],
    ["Riots", "#8c564b"],
    ["Strategic developments", "#1f77b4"],
  ];
  const SUB_TYPES = [
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Grenade", "Sexual violence", "Attack",
    "Abduction/forced disappearance", "Peaceful protest", "Protest with intervention",
    "Excessive force against protesters", "Violent demonstration", "Mob violence", "Agreement",
    "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction",
    "Non-violent transfer of territory", "Other", "Displacement",
  ];
  const COLOURS = new Map(EVENT_TYPES);
  const OTHER_COLOUR = "#7f7f7f";
  const DOT_PX = 5;

  const $ = (id) => document.getElementById(id);
  const state = {
    view: Object.assign({}, HOME),
    offset: 0,
    hasMore: false,
    countries: new Map(),
    storeAttached: false,
    extracted: [],
  };

  // -- small helpers ---------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function colour(type) {
    return COLOURS.get(type) || OTHER_COLOUR;
  }

  function swatch(type) {
    const s = el("span", { class: "swatch" });
    s.style.background = colour(type);
    return s;
  }

  function actorName(a) {
    if (!a) return "";
    if (typeof a === "string") return a;
    return a.name || a.text || "";
  }

  function placeText(loc) {
    if (!loc) return "";
    const parts = [loc.name || loc.text, loc.admin1, loc.country].filter(Boolean);
    return [...new Set(parts)].join(", ");
  }

  async function getJSON(url, options) {
    const res = await fetch(url, options);
    let body = null;
    try {
      body = await res.json();
    } catch (err) {
      throw new Error(`${res.status} ${res.statusText}: the server did not answer JSON`);
    }
    if (!res.ok && !(body && Array.isArray(body.events))) {
      const e = new Error((body && body.error) || `${res.status} ${res.statusText}`);
      e.status = res.status;
      throw e;
    }
    return { status: res.status, body };
  }

  function showMessage(node, text, isError) {
    node.hidden = !text;
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  // -- filters ---------------------------------------------------------------------

  function filterParams() {
    const form = $("filters");
    const data = new FormData(form);
    const params = new URLSearchParams();
    for (const [k, v] of data.entries()) {
      const value = String(v).trim();
      if (value) params.set(k, value);
    }
    return params;
  }

  function withoutPaging(params) {
    const p = new URLSearchParams(params);
    p.delete("limit");
    p.delete("offset");
    return p;
  }

  function restoreFilters() {
    const params = new URLSearchParams(location.hash.slice(1));
    const form = $("filters");
    for (const [k, v] of params.entries()) {
      const field = form.elements.namedItem(k);
      if (!field) continue;
      if (field.type === "checkbox") field.checked = v === "1";
      else field.value = v;
    }
  }

  function fillSelects() {
    const typeSel = $("f-type");
    for (const [t] of EVENT_TYPES) typeSel.append(el("option", { value: t, text: t }));
    const list = $("subtypes");
    for (const s of SUB_TYPES) list.append(el("option", { value: s }));
    const legend = $("legend");
    for (const [t] of EVENT_TYPES) legend.append(el("li", {}, swatch(t), t));
  }

  function fillCountries(features) {
    const sel = $("f-country");
    const current = new URLSearchParams(location.hash.slice(1)).get("country") || sel.value;
    const items = features
      .map((f) => f.properties)
      .filter((p) => p.ISO_A2)
      .sort((a, b) => a.NAME_EN.localeCompare(b.NAME_EN));
    for (const p of items) {
      state.countries.set(p.ISO_A2, p);
      sel.append(el("option", { value: p.ISO_A2, text: `${p.NAME_EN} · ${p.NAME_AR} (${p.ISO_A2})` }));
    }
    if (current) sel.value = current;
  }

  // -- map -------------------------------------------------------------------------

  const map = $("map");

  function applyView() {
    const v = state.view;
    map.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
    const sea = $("sea");
    sea.setAttribute("x", -200);
    sea.setAttribute("y", -100);
    sea.setAttribute("width", 400);
    sea.setAttribute("height", 200);
    const r = DOT_PX * unitsPerPixel();
    for (const c of map.querySelectorAll("circle.dot")) c.setAttribute("r", c.classList.contains("extracted") ? r * 1.4 : r);
  }

  function unitsPerPixel() {
    const box = map.getBoundingClientRect();
    if (!box.width || !box.height) return state.view.w / 800;
    return Math.max(state.view.w / box.width, state.view.h / box.height);
  }

  function ringPath(ring) {
    let d = "";
    for (let i = 0; i < ring.length; i++) {
      const [x, y] = ring[i];
      d += (i ? "L" : "M") + x + "," + -y;
    }
    return d + "Z";
  }

  function drawBasemap(fc) {
    const g = $("countries");
    for (const f of fc.features) {
      const geom = f.geometry;
      const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
      let d = "";
      for (const poly of polys) for (const ring of poly) d += ringPath(ring);
      const path = svgEl("path", { d, class: "country", "fill-rule": "evenodd" });
      const t = svgEl("title", {});
      t.textContent = `${f.properties.NAME_EN} · ${f.properties.NAME_AR}`;
      path.append(t);
      g.append(path);
    }
  }

  function zoom(factor, cx, cy) {
    const v = state.view;
    const px = cx === undefined ? v.x + v.w / 2 : cx;
    const py = cy === undefined ? v.y + v.h / 2 : cy;
    const w = Math.min(360, Math.max(0.5, v.w * factor));
    const h = w * (HOME.h / HOME.w);
    state.view = { x: px - (px - v.x) * (w / v.w), y: py - (py - v.y) * (h / v.h), w, h };
    applyView();
  }

  function clientToMap(evt) {
    const pt = map.createSVGPoint();
    pt.x = evt.clientX;
    pt.y = evt.clientY;
    const m = map.getScreenCTM();
    return m ? pt.matrixTransform(m.inverse()) : { x: 0, y: 0 };
  }

  function setupMapControls() {
    map.addEventListener("wheel", (evt) => {
      evt.preventDefault();
      const p = clientToMap(evt);
      zoom(evt.deltaY < 0 ? 0.8 : 1.25, p.x, p.y);
    }, { passive: false });
    let drag = null;
    map.addEventListener("pointerdown", (evt) => {
      if (evt.target.classList && evt.target.classList.contains("dot")) return;
      drag = { start: clientToMap(evt), view: Object.assign({}, state.view) };
      map.classList.add("dragging");
      map.setPointerCapture(evt.pointerId);
    });
    map.addEventListener("pointermove", (evt) => {
      if (!drag) return;
      const p = clientToMap(evt);
      state.view.x -= p.x - drag.start.x;
      state.view.y -= p.y - drag.start.y;
      applyView();
    });
    const end = () => { drag = null; map.classList.remove("dragging"); };
    map.addEventListener("pointerup", end);
    map.addEventListener("pointercancel", end);
    $("zoom-in").addEventListener("click", () => zoom(0.67));
    $("zoom-out").addEventListener("click", () => zoom(1.5));
    $("zoom-reset").addEventListener("click", () => { state.view = Object.assign({}, HOME); applyView(); });
    window.addEventListener("resize", applyView);
  }

  function tooltipLines(props) {
    const where = props.location_name || props.location_text || "";
    const killed = props.fatalities !== null && props.fatalities !== undefined ? ` · ${props.fatalities} killed` : "";
    const actors = [props.actor1, props.actor2].filter(Boolean).map(actorName).join(" → ");
    return el("div", {},
      el("strong", { text: `${props.date || "?"} · ${props.sub_event_type || props.event_type || ""}` }),
      el("br"), `${where}${killed}`, actors ? el("br") : null, actors || null);
  }

  function showTooltip(evt, items) {
    const tip = $("tooltip");
    tip.replaceChildren();
    items.slice(0, 4).forEach((p) => tip.append(tooltipLines(p)));
    if (items.length > 4) tip.append(el("div", { class: "tt-more", text: `+${items.length - 4} more at this place` }));
    tip.hidden = false;
    const box = map.parentElement.getBoundingClientRect();
    let x = evt.clientX - box.left + 12;
    const y = evt.clientY - box.top + 12;
    if (x + 320 > box.width) x = Math.max(0, x - 340);
    tip.style.left = `${x}px`;
    tip.style.top = `${y}px`;
  }

  function hideTooltip() {
    $("tooltip").hidden = true;
  }

  function drawDots(group, items, extra) {
    group.replaceChildren();
    const byPlace = new Map();
    for (const it of items) {
      const key = `${it.lon.toFixed(3)},${it.lat.toFixed(3)}`;
      if (!byPlace.has(key)) byPlace.set(key, []);
      byPlace.get(key).push(it.props);
    }
    for (const it of items) {
      const c = svgEl("circle", {
        cx: it.lon, cy: -it.lat, r: 0.1,
        class: `dot${extra ? " " + extra : ""}`,
        fill: colour(it.props.event_type),
        "data-id": String(it.id),
      });
      const here = byPlace.get(`${it.lon.toFixed(3)},${it.lat.toFixed(3)}`);
      c.addEventListener("pointerenter", (evt) => showTooltip(evt, [it.props, ...here.filter((p) => p !== it.props)]));
      c.addEventListener("pointermove", (evt) => showTooltip(evt, [it.props, ...here.filter((p) => p !== it.props)]));
      c.addEventListener("pointerleave", hideTooltip);
      c.addEventListener("click", () => focusRow(String(it.id)));
      group.append(c);
    }
    applyView();
  }

  async function loadMapEvents(params) {
    const note = $("map-note");
    try {
      const { body } = await getJSON(`/events.geojson?${withoutPaging(params)}`);
      const items = body.features.map((f) => ({
        id: f.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], props: f.properties,
      }));
      drawDots($("dots"), items, "");
      note.textContent = `${items.length} events with coordinates`;
    } catch (err) {
      $("dots").replaceChildren();
      note.textContent = err.status === 503 ? "(no store: only pasted articles are shown)" : `(${err.message})`;
    }
  }

  function highlightDot(id, on) {
    for (const c of map.querySelectorAll(`circle.dot[data-id="${CSS.escape(id)}"]`)) c.classList.toggle("active", on);
  }

  // -- summary ---------------------------------------------------------------------

  async function loadSummary(params) {
    const box = $("summary");
    box.replaceChildren();
    try {
      const { body } = await getJSON(`/events/summary?${withoutPaging(params)}`);
      box.append(el("h3", { text: "Selection" }));
      const range = body.date_min ? ` · ${body.date_min} – ${body.date_max}` : "";
      box.append(el("p", { class: "totals", text: `${body.total} ${body.kind === "reports" ? "reports" : "events"} · ${body.fatalities} killed${range}` }));
      box.append(el("h3", { text: "By event type" }));
      bars(box, body.by_event_type, body.total, true);
      const countries = Object.entries(body.by_country).slice(0, 8);
      if (countries.length) {
        box.append(el("h3", { text: "By country" }));
        bars(box, Object.fromEntries(countries.map(([k, n]) => [state.countries.has(k) ? state.countries.get(k).NAME_EN : k, n])), body.total, false);
      }
    } catch (err) {
      if (err.status !== 503) box.append(el("p", { class: "message error", text: err.message }));
    }
  }

  function bars(box, counts, total, coloured) {
    for (const [name, n] of Object.entries(counts)) {
      const fill = el("span");
      fill.style.width = `${total ? (100 * n) / total : 0}%`;
      fill.style.background = coloured ? colour(name) : "#8aa0bd";
      box.append(el("div", { class: "bar-row" }, el("span", {}, coloured ? swatch(name) : null, name), el("span", { class: "num", text: n }), el("div", { class: "bar" }, fill)));
    }
  }

  // -- events table ----------------------------------------------------------------

  function eventRow(ev, reports) {
    const id = String(reports ? ev.event_id : ev.canonical_id);
    const sources = [...(ev.sources || []), ...(ev.outlets || (ev.outlet ? [ev.outlet] : []))];
    const nReports = reports ? "" : ` (${ev.n_reports || 1} report${(ev.n_reports || 1) > 1 ? "s" : ""})`;
    const actors = [actorName(ev.actor1), actorName(ev.actor2)].filter(Boolean).join(" → ");
    const tr = el("tr", { class: "event", "data-id": id, tabindex: "0" },
      el("td", {}, ev.date || "?", el("div", { class: "sub", text: `precision ${ev.time_precision ?? "?"}` })),
      el("td", {}, swatch(ev.event_type), ev.event_type || "", el("div", { class: "sub", text: ev.sub_event_type || "" })),
      el("td", { dir: "auto", text: actors }),
      el("td", { dir: "auto", text: placeText(ev.location) }),
      el("td", { class: "num", text: ev.fatalities ?? "" }),
      el("td", { dir: "auto" }, sources.join("; "), el("div", { class: "sub", text: nReports })));
    const toggle = () => toggleDetail(tr, ev, reports);
    tr.addEventListener("click", toggle);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
    tr.addEventListener("mouseenter", () => highlightDot(id, true));
    tr.addEventListener("mouseleave", () => highlightDot(id, false));
    return tr;
  }

  function evidenceBlock(spans) {
    const texts = (spans || []).map((s) => s.text).filter(Boolean);
    if (!texts.length) return el("p", { class: "sub", text: "no evidence text stored" });
    return el("div", {}, ...texts.map((t) => el("p", { class: "evidence", lang: "ar", dir: "rtl", text: t })));
  }

  function reportBlock(r) {
    const meta = [r.doc_id, r.outlet, r.published, r.fatalities !== null && r.fatalities !== undefined ? `${r.fatalities} killed` : null].filter(Boolean).join(" · ");
    return el("div", { class: "detail-report" },
      el("div", { class: "meta" }, meta, r.url ? " · " : null, r.url ? el("a", { href: r.url, rel: "noopener noreferrer", target: "_blank", text: "article" }) : null),
      evidenceBlock(r.evidence));
  }

  function toggleDetail(tr, ev, reports) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("detail")) {
      next.remove();
      tr.classList.remove("active");
      return;
    }
    tr.classList.add("active");
    const cell = el("td", { colspan: "6" });
    if (reports) cell.append(reportBlock(ev));
    else for (const r of ev.reports || []) cell.append(reportBlock(r));
    const dis = ev.disagreement && Object.keys(ev.disagreement).length
      ? el("p", { class: "sub", text: `reports disagree: ${Object.entries(ev.disagreement).map(([k, v]) => `${k} ${v.join(" / ")}`).join("; ")}` })
      : null;
    if (dis) cell.append(dis);
    const loc = ev.location;
    if (loc && loc.lat !== null && loc.lat !== undefined) {
      cell.append(el("p", { class: "sub", text: `${loc.text || ""} → ${loc.name || ""} (${loc.lat}, ${loc.lon}), geo precision ${loc.geo_precision ?? "?"}` }));
    }
    tr.after(el("tr", { class: "detail" }, cell));
  }

  function focusRow(id) {
    const row = document.querySelector(`#events tr.event[data-id="${CSS.escape(id)}"]`);
    if (!row) {
      showMessage($("events-message"), "That event is not on this page of the table; narrow the filters or page through.", false);
      return;
    }
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    if (!(row.nextElementSibling && row.nextElementSibling.classList.contains("detail"))) row.click();
  }

  async function loadEvents(params) {
    const tbody = document.querySelector("#events tbody");
    const msg = $("events-message");
    showMessage(msg, "", false);
    tbody.replaceChildren();
    const p = new URLSearchParams(params);
    p.set("offset", String(state.offset));
    try {
      const { body } = await getJSON(`/events?${p}`);
      const reports = body.kind === "reports";
      for (const ev of body.events) tbody.append(eventRow(ev, reports));
      state.hasMore = body.has_more;
      const first = body.count ? body.offset + 1 : 0;
      $("page-info").textContent = `${first}–${body.offset + body.count}`;
      $("events-count").textContent = body.count ? "" : "(none match)";
    } catch (err) {
      state.hasMore = false;
      $("page-info").textContent = "";
      showMessage(msg, err.message, err.status !== 503);
    }
    $("prev").disabled = state.offset === 0;
    $("next").disabled = !state.hasMore;
  }

  function refresh(resetOffset) {
    if (resetOffset) state.offset = 0;
    const params = filterParams();
    history.replaceState(null, "", `#${params}`);
    const plain = withoutPaging(params);
    $("dl-csv").href = `/events.csv?${plain}`;
    $("dl-geojson").href = `/events.geojson?${plain}`;
    loadEvents(params);
    loadMapEvents(params);
    loadSummary(params);
  }

  // -- paste an article ------------------------------------------------------------

  function renderArticle(text, events) {
    // Evidence offsets are Python string indices (code points) into the text exactly
    // as sent; Array.from splits by code points too (JavaScript indices count UTF-16 units).
    const spans = [];
    events.forEach((ev, i) => (ev.evidence || []).forEach((s) => spans.push({ start: s.start, end: s.end, i })));
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const box = el("div", { class: "article", lang: "ar", dir: "rtl" });
    const chars = Array.from(text);
    let pos = 0;
    for (const s of spans) {
      if (s.start < pos) continue; // overlapping evidence: keep the first
      box.append(chars.slice(pos, s.start).join(""));
      box.append(el("mark", { "data-event": String(s.i), text: chars.slice(s.start, s.end).join("") }));
      pos = s.end;
    }
    box.append(chars.slice(pos).join(""));
    return box;
  }

  function renderExtraction(text, out) {
    const result = $("extract-result");
    result.replaceChildren();
    const events = out.events || [];
    const table = el("table", {}, el("thead", {}, el("tr", {}, ...["#", "Date", "Type", "Actors", "Place", "Killed", "Sources"].map((h) => el("th", { text: h })))));
    const tbody = el("tbody");
    const article = renderArticle(text, events);
    events.forEach((ev, i) => {
      const actors = [actorName(ev.actor1), actorName(ev.actor2)].filter(Boolean).join(" → ");
      const tr = el("tr", { class: "event", tabindex: "0" },
        el("td", { text: i + 1 }), el("td", { text: ev.date || "?" }),
        el("td", {}, swatch(ev.event_type), ev.event_type, el("div", { class: "sub", text: ev.sub_event_type })),
        el("td", { dir: "auto", text: actors }), el("td", { dir: "auto", text: placeText(ev.location) }),
        el("td", { class: "num", text: ev.fatalities ?? "" }), el("td", { dir: "auto", text: (ev.sources || []).join("; ") }));
      tr.addEventListener("click", () => {
        for (const m of article.querySelectorAll("mark")) m.classList.toggle("active", m.dataset.event === String(i));
        const first = article.querySelector(`mark[data-event="${i}"]`);
        if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
      });
      tbody.append(tr);
    });
    table.append(tbody);
    result.append(el("p", { text: `${events.length} event${events.length === 1 ? "" : "s"} in ${out.doc_id}. Click an event to see its evidence in the text.` }));
    if (events.length) result.append(el("div", { class: "table-wrap" }, table));
    result.append(article);
    const items = events
      .filter((ev) => ev.location && ev.location.lat !== null && ev.location.lat !== undefined)
      .map((ev) => ({
        id: ev.event_id, lon: ev.location.lon, lat: ev.location.lat,
        props: Object.assign({}, ev, { location_name: ev.location.name, location_text: ev.location.text }),
      }));
    drawDots($("extracted-dots"), items, "extracted");
  }

  function setupExtract() {
    const form = $("extract");
    const msg = $("extract-message");
    form.addEventListener("submit", async (evt) => {
      evt.preventDefault();
      const data = new FormData(form);
      const text = String(data.get("text") || "");
      const item = { text };
      const published = String(data.get("published") || "").trim();
      const docId = String(data.get("doc_id") || "").trim();
      if (published) item.published = published;
      if (docId) item.doc_id = docId;
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      showMessage(msg, "extracting…", false);
      try {
        const { body } = await getJSON("/extract", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(item),
        });
        showMessage(msg, body.error ? `This article could not be read: ${body.error}` : "", Boolean(body.error));
        renderExtraction(text, body);
      } catch (err) {
        showMessage(msg, err.message, true);
      } finally {
        button.disabled = false;
      }
    });
    $("extract-clear").addEventListener("click", () => {
      form.reset();
      $("extract-result").replaceChildren();
      $("extracted-dots").replaceChildren();
      showMessage(msg, "", false);
    });
  }

  // -- start -----------------------------------------------------------------------

  async function loadHealth() {
    try {
      const { body } = await getJSON("/health");
      const store = body.store || {};
      state.storeAttached = Boolean(store.attached);
      const counts = store.counts;
      const storeText = !store.attached
        ? "no event store attached (start with --db to browse events)"
        : counts ? `${store.url}: ${counts.canonical_events} events, ${counts.events} reports, ${counts.articles} articles` : store.error;
      $("health").textContent = `marsad ${body.marsad_version} · ${body.pipeline.length} pipeline stages · ${storeText}`;
    } catch (err) {
      $("health").textContent = `server unreachable: ${err.message}`;
    }
  }

  async function start() {
    fillSelects();
    restoreFilters();
    setupMapControls();
    setupExtract();
    applyView();
    $("filters").addEventListener("submit", (evt) => { evt.preventDefault(); refresh(true); });
    $("filters").addEventListener("reset", () => setTimeout(() => refresh(true), 0));
    $("prev").addEventListener("click", () => {
      const limit = Number(filterParams().get("limit") || 100);
      state.offset = Math.max(0, state.offset - limit);
      loadEvents(filterParams());
    });
    $("next").addEventListener("click", () => {
      state.offset += Number(filterParams().get("limit") || 100);
      loadEvents(filterParams());
    });
    await loadHealth();
    try {
      const { body } = await getJSON(BASEMAP_URL);
      drawBasemap(body);
      fillCountries(body.features);
    } catch (err) {
      $("map-note").textContent = `(basemap unavailable: ${err.message})`;
    }
    refresh(false);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
