// `/numbers`: the supervisors' table of DID numbers (v2 API): browse, search, sort and page for
// everyone; sign in to add, edit (If-Match) and delete.
import "./base.css";
import "./numbers.css";
import { listQuery, fetchPage, nextSort, readListState, renderRows, showSort } from "./inventory.js";
import { Editor } from "./editor.js";
import { Session } from "./session.js";
import { Status } from "./status.js";

const state = readListState(window.location.search);
const table = document.getElementById("numbers");
const search = document.getElementById("search");
const status = new Status(document.getElementById("status"));
const session = new Session(showSession);
const editor = new Editor(document.getElementById("editor"), {
  session,
  onSaved: (message) => load().then(() => status.done(message)),
});
let loading = null;

function showSession() {
  const signedIn = Boolean(session.username);
  document.getElementById("sign-in").hidden = signedIn;
  document.getElementById("signed-in").hidden = !signedIn;
  document.getElementById("who").textContent = session.username;
  if (!signedIn) editor.close();
}

function showSearch() {
  search.elements.q.value = state.q;
  search.elements.currency.value = state.currency;
  search.elements.per_page.value = String(state.perPage);
}

async function load() {
  loading?.abort();
  loading = new AbortController();
  document.body.dataset.state = "loading";
  status.loading("Numbers");
  table.setAttribute("aria-busy", "true");
  try {
    const page = await fetchPage(state, loading.signal);
    const pages = Math.max(1, Math.ceil(page.total / state.perPage));
    renderRows(table.tBodies[0], page.items, {
      canEdit: Boolean(session.username), onEdit: (id) => editor.edit(id),
    });
    showSort(table, state.sort);
    document.getElementById("caption").textContent =
      `Numbers for sale: ${page.total} found, page ${state.page} of ${pages}`;
    document.getElementById("page-info").textContent = `Page ${state.page} of ${pages}`;
    document.getElementById("previous").disabled = state.page <= 1;
    document.getElementById("next").disabled = state.page >= pages;
    window.history.replaceState(null, "", `${window.location.pathname}${listQuery(state)}`);
    status.clear();
    document.body.dataset.state = "ready";
  } catch (error) {
    if (error.name === "AbortError") return;
    document.body.dataset.state = "error";
    status.error(`Could not load the numbers: ${error.message}`, load);
  } finally {
    table.removeAttribute("aria-busy");
  }
}

search.addEventListener("submit", (event) => {
  event.preventDefault();
  state.q = search.elements.q.value.trim();
  state.currency = search.elements.currency.value;
  state.perPage = Number(search.elements.per_page.value);
  state.page = 1;
  load();
});
for (const button of table.querySelectorAll("button.sort")) {
  button.addEventListener("click", () => {
    state.sort = nextSort(state.sort, button.dataset.sort);
    state.page = 1;
    load();
  });
}
document.getElementById("previous").addEventListener("click", () => {
  state.page -= 1;
  load();
});
document.getElementById("next").addEventListener("click", () => {
  state.page += 1;
  load();
});
document.getElementById("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const message = document.getElementById("sign-in-error");
  message.hidden = true;
  try {
    await session.signIn(form.elements.username.value.trim(), form.elements.password.value);
    form.reset();
    load();
  } catch (error) {
    message.textContent = error.message;
    message.hidden = false;
  }
});
document.getElementById("sign-out").addEventListener("click", () => session.signOut().then(load));
document.getElementById("add").addEventListener("click", () => editor.create());

showSession();
showSearch();
load();
