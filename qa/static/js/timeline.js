/* The timeline: an SVG bar per meeting date with matching passages, each bar opening its top match. */
import { $, humanDate, svg } from "./dom.js";
import { openReader, readerHref } from "./url.js";

const figure = $("timeline");

export function hideTimeline() {
  figure.hidden = true;
}

/** Draw the /timeline points, or hide the figure when no meeting matched. */
export function renderTimeline(data) {
  const points = (data && data.points || []).filter((p) => p.count > 0);
  figure.hidden = points.length === 0;
  if (!points.length) return;
  // Meetings share a date across bodies; one bar per date, the bodies in its tooltip.
  const byDate = new Map();
  for (const p of points) {
    const entry = byDate.get(p.meeting_date) || { date: p.meeting_date, count: 0, bodies: [], top: p.top };
    entry.count += p.count;
    entry.bodies.push(`${p.body || "unknown body"}: ${p.count}`);
    byDate.set(p.meeting_date, entry);
  }
  const bars = [...byDate.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const max = Math.max(...bars.map((b) => b.count));
  const slot = 88, height = 56, top = 16, base = top + height, width = Math.max(bars.length * slot, 240);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${base + 24}`, width, height: base + 24, role: "img",
    "aria-label": `Matching passages per meeting: ${bars.map((b) => `${humanDate(b.date)} ${b.count}`).join(", ")}` });
  chart.append(svg("line", { x1: 0, x2: width, y1: base, y2: base, class: "axis" }));
  bars.forEach((b, i) => {
    const h = Math.max(2, Math.round((b.count / max) * height));
    const x = i * slot + slot * 0.2, w = slot * 0.6;
    const label = `${humanDate(b.date)}: ${b.count} matching passage${b.count === 1 ? "" : "s"} (${b.bodies.join("; ")})`;
    const link = svg("a", { href: readerHref(b.top.passage_id), class: "bar-link", "aria-label": `${label}. Open the top match.` },
      svg("title", {}, label),
      svg("rect", { x, y: base - h, width: w, height: h, rx: 2, class: "bar" }),
      svg("text", { x: x + w / 2, y: base - h - 5, class: "bar-count", "text-anchor": "middle" }, b.count),
      svg("text", { x: x + w / 2, y: base + 16, class: "bar-label", "text-anchor": "middle" },
        b.date ? humanDate(b.date).replace(/^(\d+ \w{3})\w* (\d{4})$/, "$1 $2") : "undated"));
    link.addEventListener("click", (event) => { event.preventDefault(); openReader(b.top.passage_id, true); });
    chart.append(link);
  });
  $("timeline-chart").replaceChildren(chart);
}
