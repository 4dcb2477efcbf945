/* The JSON API client: fetch with the saved token, API errors as ApiError, and how errors reach the officer. */
import { $, el } from "./dom.js";

const TOKEN_KEY = "council-qa-token";

export class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

/** GET (or options.method) a JSON API path; rejects with ApiError, or the AbortError of options.signal. */
export async function api(path, options = {}) {
  const headers = { Accept: "application/json", ...(options.headers || {}) };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Could not reach the council-qa service. Is it running?");
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    const detail = body && (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail));
    throw new ApiError(response.status, detail || response.statusText || "request failed");
  }
  return body;
}

export function showAlert(error) {
  if (error.name === "AbortError") return;
  if (error.status === 401) { askForToken(error.message); return; }
  let text = error.message;
  if (error.status === 503) {
    text = `The search index is not available: ${error.message}.`;
    if (!/qa index/.test(error.message)) text += ' An administrator needs to run "qa index".';
  } else if (error.status === 422) text = `The request was not accepted: ${error.message}`;
  else if (error.status === 404) text = `Not found: ${error.message}`;
  else if (error.status) text = `The service answered ${error.status}: ${error.message}`;
  const alert = $("alert");
  alert.replaceChildren(el("strong", {}, "Problem: "), text);
  alert.hidden = false;
}

export function clearAlert() {
  const alert = $("alert");
  alert.hidden = true;
  alert.replaceChildren();
}

export function askForToken(detail) {
  const form = $("token-form");
  $("token-reason").textContent = localStorage.getItem(TOKEN_KEY)
    ? `The saved API token was refused (${detail}). Enter a new one.`
    : "This service needs an API token. Enter it to continue; it is kept in this browser only.";
  form.hidden = false;
  $("status").textContent = "An API token is needed.";
  $("token").focus();
}

/** Save or forget the token from the token form; onSaved reloads whatever the old token could not fetch. */
export function wireTokenForm(onSaved) {
  const form = $("token-form"), input = $("token");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token) localStorage.setItem(TOKEN_KEY, token);
    form.hidden = true;
    input.value = "";
    onSaved();
  });
  $("token-forget").addEventListener("click", () => { localStorage.removeItem(TOKEN_KEY); input.focus(); });
}
