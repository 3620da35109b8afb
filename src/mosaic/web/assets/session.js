// Sign-in with the token endpoint. Tokens are kept for the tab only (sessionStorage); the CSP
// (no inline or foreign script) is what keeps other code from reading them.
import { ApiError, request } from "./api.js";

const KEY = "mosaic.session";
const AUTH = "/api/v1/auth";

function post(url, token, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers["Content-Type"] = "application/json";
  return request(url, { method: "POST", headers, body: body && JSON.stringify(body) });
}

export class Session {
  constructor(onChange) {
    this.onChange = onChange;
    try {
      this.tokens = JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch {
      this.tokens = null;
    }
  }

  get username() {
    return this.tokens?.username || "";
  }

  save(tokens) {
    this.tokens = tokens;
    if (tokens) sessionStorage.setItem(KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(KEY);
    this.onChange(this);
  }

  async signIn(username, password) {
    const { body } = await post(`${AUTH}/token`, null, { username, password });
    this.save({ username, access: body.access_token, refresh: body.refresh_token });
  }

  async signOut() {
    const access = this.tokens?.access;
    this.save(null);
    if (access) await post(`${AUTH}/logout`, access).catch(() => null); // revoke; best effort
  }

  // An API call with the access token; on 401 the refresh token gets a new one, once.
  async call(url, options = {}) {
    const attempt = () => request(url, {
      ...options,
      headers: { Accept: "application/json", ...options.headers,
                 Authorization: `Bearer ${this.tokens?.access || ""}` },
    });
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !this.tokens?.refresh) throw error;
      try {
        const { body } = await post(`${AUTH}/refresh`, this.tokens.refresh);
        this.save({ ...this.tokens, access: body.access_token });
      } catch {
        this.save(null);
        throw new ApiError({ status: 401, detail: "Your session ended: sign in again." });
      }
      return attempt();
    }
  }
}
