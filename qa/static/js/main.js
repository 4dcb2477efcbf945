/* Entry point: routes the URL to a view and wires the form, tabs and token form to the modules. */
import { api, askForToken, wireTokenForm } from "./api.js";
import { $, el } from "./dom.js";
import { forgetPeople, showPeople, wirePeople } from "./people.js";
import { closeReader, forgetReader, showReader, wireReader } from "./reader.js";
import { forgetSearch, runSearch } from "./search.js";
import { FILTERS, fillForm, filterFields, navigate, paramsFromForm, queryField, searchParams, setRouter } from "./url.js";

const views = { search: $("view-search"), reader: $("view-reader"), people: $("view-people") };
const tabs = { search: $("tab-search"), people: $("tab-people") };

function showView(name) {
  for (const [key, view] of Object.entries(views)) view.hidden = key !== name;
  tabs.search.toggleAttribute("aria-current", name !== "people");
  if (name !== "people") tabs.search.setAttribute("aria-current", "page");
  tabs.people.toggleAttribute("aria-current", name === "people");
  if (name === "people") tabs.people.setAttribute("aria-current", "page");
}

/** Show whatever the address names: the reader, the people list, or search results. */
async function route() {
  const params = new URLSearchParams(location.search);
  fillForm(params);
  const view = params.get("view");
  const passage = Number(params.get("passage"));
  if (view === "reader" && passage > 0) {
    showView("reader");
    await showReader(passage);
  } else if (view === "people") {
    showView("people");
    await showPeople();
  } else {
    showView("search");
    closeReader();
    await runSearch(searchParams(params));
  }
}

// Committee names for the body filter; the API matches a substring, so full names are fine.
async function loadBodies() {
  try {
    const documents = await api("/documents");
    const select = filterFields.body;
    const current = select.value;
    const bodies = [...new Set(documents.map((d) => d.body).filter(Boolean))].sort();
    select.replaceChildren(el("option", { value: "" }, "Any"), ...bodies.map((b) => el("option", { value: b }, b)));
    if (current && !bodies.includes(current)) select.append(el("option", { value: current }, current));
    select.value = current;
  } catch (error) {
    if (error.status === 401) askForToken(error.message);
    // Otherwise the search itself reports the problem.
  }
}

setRouter(route);

$("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  forgetSearch();  // Enter always searches again, even for the same words
  navigate(paramsFromForm(), true);
});
for (const name of FILTERS) {
  const field = filterFields[name];
  field.addEventListener("change", () => {
    if (name.startsWith("date") && field.value && !field.checkValidity()) return;
    if (queryField.value.trim()) navigate(paramsFromForm(), true);
  });
}
const clearFilters = () => {
  for (const name of FILTERS) filterFields[name].value = "";
  navigate(paramsFromForm(), true);
  queryField.focus();
};
$("clear-filters").addEventListener("click", clearFilters);
$("empty-clear").addEventListener("click", clearFilters);
$("home").addEventListener("click", (event) => { event.preventDefault(); navigate(new URLSearchParams(), true); queryField.focus(); });
tabs.search.addEventListener("click", () => navigate(searchParams(new URLSearchParams(location.search)), true));
tabs.people.addEventListener("click", () => {
  const params = searchParams(new URLSearchParams(location.search));
  params.set("view", "people");
  navigate(params, true);
});
$("reader-back").addEventListener("click", () => {
  tabs.search.click();
});
wirePeople();
wireReader();
wireTokenForm(() => {
  forgetSearch(); forgetReader(); forgetPeople();
  loadBodies();
  route();
});
window.addEventListener("popstate", () => route());

loadBodies();
route();
