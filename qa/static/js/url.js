/* URL state: the query, filters, view and passage live in the address bar, so every screen is a link. */
import { $, el } from "./dom.js";

export const FILTERS = ["body", "date_from", "date_to", "kind", "person"];

export const queryField = $("q");
export const filterFields = {
  body: $("f-body"), date_from: $("f-date-from"), date_to: $("f-date-to"), kind: $("f-kind"), person: $("f-person"),
};

// The views navigate and the router renders them; main.js hands the router in, so no view imports main.js.
let route = async () => {};

export function setRouter(handler) {
  route = handler;
}

/** The query and filters as typed in the form, blanks left out. */
export function paramsFromForm() {
  const params = new URLSearchParams();
  const q = queryField.value.trim();
  if (q) params.set("q", q);
  for (const name of FILTERS) {
    const value = filterFields[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

/** Put the URL's query and filters back in the form; a select gains an option it lacks (a shared link). */
export function fillForm(params) {
  queryField.value = params.get("q") || "";
  for (const name of FILTERS) {
    const value = params.get(name) || "";
    const field = filterFields[name];
    if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
      field.append(el("option", { value }, value));
    }
    field.value = value;
  }
}

export function filtersActive(params) {
  return FILTERS.some((name) => params.has(name));
}

/** Only what selects results: the query and filters, without view or passage. */
export function searchParams(params) {
  const out = new URLSearchParams();
  for (const name of ["q", ...FILTERS]) if (params.get(name)) out.set(name, params.get(name));
  return out;
}

/** Change the address (a new history entry when push) and show what it names. */
export function navigate(params, push) {
  const url = `${location.pathname}${params.toString() ? `?${params}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) {
    history[push ? "pushState" : "replaceState"]({}, "", url);
  }
  return route();
}

export function readerHref(passageId) {
  const params = new URLSearchParams(location.search);
  params.set("view", "reader");
  params.set("passage", passageId);
  return `?${params}`;
}

export function openReader(passageId, push) {
  const params = new URLSearchParams(location.search);
  params.set("view", "reader");
  params.set("passage", passageId);
  navigate(params, push);
}

/** Click handler for links made with readerHref and data-passage. */
export function openReaderLink(event) {
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return;  // new tab still works
  event.preventDefault();
  openReader(Number(event.currentTarget.dataset.passage), true);
}
