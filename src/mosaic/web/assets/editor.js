// The add/edit form. Edits carry the ETag read when the form opened (If-Match): a number changed
// by someone else meanwhile is refused (412) and the form says so instead of overwriting it.
import { ApiError } from "./api.js";

const FIELDS = ["value", "monthly", "setup", "currency"];

// Which input a problem's JSON pointer names (`#/monthlyPrice/amount` -> monthly).
export function fieldOf(pointer) {
  if (pointer.endsWith("/currency")) return "currency";
  if (pointer.startsWith("#/monthlyPrice")) return "monthly";
  if (pointer.startsWith("#/setupPrice")) return "setup";
  if (pointer.startsWith("#/value")) return "value";
  return "";
}

export class Editor {
  constructor(section, { session, onSaved }) {
    this.section = section;
    this.form = section.querySelector("form");
    this.session = session;
    this.onSaved = onSaved;
    this.current = null; // {id, etag} while editing
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    section.querySelector("#cancel").addEventListener("click", () => this.close());
    section.querySelector("#delete").addEventListener("click", () => this.askDelete());
    section.querySelector("#confirm-delete").addEventListener("click", () => this.remove());
    section.querySelector("#reload-current").addEventListener("click", () => this.edit(this.current.id));
  }

  element(id) {
    return this.section.querySelector(`#${id}`);
  }

  clearErrors() {
    for (const name of FIELDS) {
      this.element(name).removeAttribute("aria-invalid");
      this.element(`${name}-error`).hidden = true;
    }
    this.element("form-error").hidden = true;
    this.element("conflict").hidden = true;
  }

  open(title, values, { editing }) {
    this.clearErrors();
    this.element("editor-title").textContent = title;
    this.element("save").textContent = editing ? "Save changes" : "Add number";
    this.element("delete").hidden = !editing;
    this.element("confirm-delete").hidden = true;
    for (const name of FIELDS) this.element(name).value = values[name];
    this.section.hidden = false;
    this.element("editor-title").focus();
  }

  create() {
    this.current = null;
    this.open("Add a number", { value: "", monthly: "", setup: "", currency: "USD" },
      { editing: false });
  }

  async edit(id) {
    try {
      // no-store: the ETag must be the stored version's, never a cached copy's
      const { response, body } = await this.session.call(`/api/v2/numbers/${id}`,
        { cache: "no-store" });
      this.current = { id, etag: response.headers.get("ETag") };
      this.open(`Edit ${body.value}`, {
        value: body.value, monthly: body.monthlyPrice.amount, setup: body.setupPrice.amount,
        currency: body.monthlyPrice.currency,
      }, { editing: true });
    } catch (error) {
      this.section.hidden = false;
      this.showProblem(error);
    }
  }

  close() {
    this.current = null;
    this.section.hidden = true;
  }

  body() {
    const currency = this.element("currency").value;
    return {
      value: this.element("value").value.trim(),
      monthlyPrice: { amount: this.element("monthly").value.trim(), currency },
      setupPrice: { amount: this.element("setup").value.trim(), currency },
    };
  }

  async send(url, method, body) {
    const headers = { "Content-Type": "application/json" };
    if (this.current) headers["If-Match"] = this.current.etag;
    return this.session.call(url, { method, headers, body: body && JSON.stringify(body) });
  }

  async save() {
    this.clearErrors();
    const editing = Boolean(this.current);
    const url = editing ? `/api/v2/numbers/${this.current.id}` : "/api/v2/numbers";
    try {
      const { body } = await this.send(url, editing ? "PUT" : "POST", this.body());
      this.close();
      this.onSaved(`${editing ? "Saved" : "Added"} ${body.value}.`);
    } catch (error) {
      this.showProblem(error);
    }
  }

  askDelete() {
    this.element("confirm-delete").hidden = false;
    this.element("confirm-delete").focus();
  }

  async remove() {
    this.clearErrors();
    const label = this.element("value").value;
    try {
      await this.send(`/api/v2/numbers/${this.current.id}`, "DELETE");
      this.close();
      this.onSaved(`Deleted ${label}.`);
    } catch (error) {
      this.element("confirm-delete").hidden = true;
      this.showProblem(error);
    }
  }

  // Field errors next to their inputs; a stale edit as a conflict; anything else on top.
  showProblem(error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 412) {
      this.element("conflict-text").textContent =
        `Someone changed this number after you opened it, so your change was not saved. ${error.message}`;
      this.element("conflict").hidden = false;
      this.element("reload-current").focus();
      return;
    }
    const placed = error.fieldErrors().filter(({ field, detail }) => {
      const name = fieldOf(field);
      if (!name) return false;
      this.element(name).setAttribute("aria-invalid", "true");
      const message = this.element(`${name}-error`);
      message.textContent = detail;
      message.hidden = false;
      return true;
    });
    if (error.status === 409) {
      this.element("value").setAttribute("aria-invalid", "true");
      this.element("value-error").textContent = error.message;
      this.element("value-error").hidden = false;
    } else if (!placed.length || placed.length < error.fieldErrors().length) {
      this.element("form-error").textContent = error.message;
      this.element("form-error").hidden = false;
    }
    const first = this.form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }
}
