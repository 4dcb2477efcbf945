/* Figures as data: a measure's values over time as an inline SVG line chart, a table of the values
   with their citations, and a CSV download. Each point and row opens the passage that prints it. */
import { $, el, humanDate, svg } from "./dom.js";
import { openReader, readerHref } from "./url.js";

const panel = $("figures");
export const FIGURE_QUESTION = /\b(how (many|much|long)|what (percentage|proportion|number|share|rate)|number of|percentage of)\b/i;

export function hideFigures() {
  panel.hidden = true;
}

function when(f) {
  return f.period_end || f.period_start || f.document.meeting_date || "";
}

function shown(f) {
  const unit = f.unit.startsWith("rate per") ? ` ${f.unit.replace("rate ", "")}` : ["days", "weeks", "months", "years"].includes(f.unit) && !/[a-z]/i.test(f.value_text) ? ` ${f.unit}` : "";
  return `${f.value_text}${unit}`;
}

function open(event, passageId) {
  event.preventDefault();
  openReader(passageId, true);
}

function chart(points, unit) {
  const width = 640, height = 200, left = 56, right = 16, top = 16, bottom = 36;
  const times = points.map((p) => Date.parse(when(p)));
  const values = points.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.min(0, ...values), Math.max(...values)];
  const x = (t) => left + (t1 === t0 ? (width - left - right) / 2 : ((t - t0) / (t1 - t0)) * (width - left - right));
  const y = (v) => top + (v1 === v0 ? (height - top - bottom) / 2 : (1 - (v - v0) / (v1 - v0)) * (height - top - bottom));
  const picture = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", class: "figure-chart",
    "aria-label": `${unit}: ${points.map((p) => `${humanDate(when(p))} ${shown(p)}`).join(", ")}` });
  picture.append(svg("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: "axis" }));
  picture.append(svg("line", { x1: left, x2: left, y1: top, y2: height - bottom, class: "axis" }));
  for (const v of [v0, (v0 + v1) / 2, v1]) {
    picture.append(svg("text", { x: left - 6, y: y(v) + 4, class: "bar-label", "text-anchor": "end" },
      Number(v.toFixed(2)).toLocaleString()));
  }
  picture.append(svg("polyline", { points: points.map((p, i) => `${x(times[i])},${y(p.value)}`).join(" "), class: "figure-line" }));
  points.forEach((p, i) => {
    const label = `${humanDate(when(p))}: ${shown(p)} (${p.citation})`;
    const link = svg("a", { href: readerHref(p.passage_id), class: "figure-point", "aria-label": `${label}. Open the passage.` },
      svg("title", {}, label), svg("circle", { cx: x(times[i]), cy: y(p.value), r: 5 }));
    link.addEventListener("click", (event) => open(event, p.passage_id));
    picture.append(link);
  });
  for (const t of [t0, t1]) {
    picture.append(svg("text", { x: x(t), y: height - bottom + 18, class: "bar-label", "text-anchor": "middle" },
      humanDate(new Date(t).toISOString().slice(0, 10)).replace(/^\d+ /, "")));
  }
  return picture;
}

/** Show a /figures response: the chart, the table and the CSV link, or hide the panel. */
export function renderFigures(data, query) {
  const figures = (data && data.figures || []).filter((f) => !Number.isNaN(Date.parse(when(f))));
  panel.hidden = !data || !data.metric || figures.length < 2;
  if (panel.hidden) return;
  const metric = data.metric;
  $("figures-caption").textContent = `${metric.name} (${metric.unit}): ${figures.length} figures from ${metric.documents} paper${metric.documents === 1 ? "" : "s"}`;
  $("figures-chart").replaceChildren(chart(figures, metric.name));
  $("figures-rows").replaceChildren(...figures.map((f) => el("tr", {},
    el("td", {}, f.period || humanDate(f.document.meeting_date)),
    el("td", { class: "number" }, shown(f)),
    el("td", {}, f.geography || ""),
    el("td", {}, el("a", { href: readerHref(f.passage_id), onclick: (event) => open(event, f.passage_id) }, f.citation)))));
  $("figures-csv").href = `/figures?${new URLSearchParams([["metric", String(metric.id)], ["format", "csv"]])}`;
}
