/* The people view: officers and councillors named in the papers; choosing one searches what they said. */
import { api, clearAlert, showAlert } from "./api.js";
import { $, dateNode, el } from "./dom.js";
import { navigate, paramsFromForm } from "./url.js";

// The /people request, fetched once and shared by the list, its filter box and the person field's suggestions.
let people = null;

/** After a token change: fetch the list again next time. */
export function forgetPeople() {
  people = null;
}

async function loadPeople() {
  if (!people) people = api("/people");
  try { return await people; } catch (error) { people = null; throw error; }
}

function renderPeople(list) {
  const needle = $("people-filter").value.trim().toLowerCase();
  const match = (p) => !needle || `${p.name} ${p.role || ""}`.toLowerCase().includes(needle);
  const entry = (p) => el("li", {},
    el("button", { type: "button", class: "person", onclick: () => searchPerson(p) }, p.name),
    p.role ? el("span", { class: "role" }, p.role) : null,
    p.meetings.length ? el("span", { class: "muted meetings" }, "Meetings: ",
      p.meetings.map((d, i) => [i ? ", " : "", dateNode(d)])) : null);
  const officers = list.filter((p) => !p.is_councillor && match(p));
  const councillors = list.filter((p) => p.is_councillor && match(p));
  $("people-officers").replaceChildren(...(officers.length ? officers.map(entry) : [el("li", { class: "muted" }, "No one matches.")]));
  $("people-councillors").replaceChildren(...(councillors.length ? councillors.map(entry) : [el("li", { class: "muted" }, "No one matches.")]));
}

export async function showPeople() {
  clearAlert();
  try {
    const list = await loadPeople();
    renderPeople(list);
    $("status").textContent = `${list.length} people named in the papers.`;
    const names = $("people-names");
    if (!names.children.length) names.replaceChildren(...list.map((p) => el("option", { value: p.name })));
  } catch (error) {
    showAlert(error);
  }
}

// What a person said: their name and their post (minutes often say "the Director of ... said"),
// restricted by the person filter to passages that name them or their post at their meetings.
function searchPerson(person) {
  const params = paramsFromForm();
  params.set("person", person.name);
  const post = (person.role || "").split(",")[0].trim();
  const isPost = /\b(Director|Head of|Manager|Officer|Commissioner|Consultant|Chair)/.test(post);
  params.set("q", isPost ? `${person.name} ${post}` : person.name);
  params.delete("view");
  navigate(params, true);
}

/** The filter box narrows the list already fetched. */
export function wirePeople() {
  $("people-filter").addEventListener("input", () => { if (people) people.then(renderPeople, () => {}); });
}
