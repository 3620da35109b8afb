// The status line under the filters: loading, cleared, or an error with a retry button.

export class Status {
  constructor(element) {
    this.element = element;
  }

  loading(what) {
    this.element.classList.remove("error");
    this.element.textContent = `Loading ${what.toLowerCase()}…`;
  }

  done(message) {
    this.element.classList.remove("error");
    this.element.textContent = message;
  }

  clear() {
    this.element.classList.remove("error");
    this.element.textContent = "";
  }

  error(message, retry) {
    this.element.classList.add("error");
    const text = document.createElement("span");
    text.textContent = message;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Retry";
    button.addEventListener("click", retry);
    this.element.replaceChildren(text, " ", button);
  }
}
