// The HTTP API as the pages see it: JSON in and out, problem details as errors.

export class ApiError extends Error {
  // `problem` is the RFC 9457 body (or a stand-in when the API did not answer with one).
  constructor(problem, response) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
    this.status = problem.status;
    this.response = response;
  }

  // Field errors keyed by their JSON pointer (`#/setupPrice/amount`) or query parameter.
  fieldErrors() {
    return (this.problem.errors || []).map((error) => ({
      field: error.pointer || error.parameter || "",
      detail: error.detail || "",
    }));
  }
}

async function problemOf(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      return await response.json();
    } catch {
      // fall through: a broken body is described below
    }
  }
  return { status: response.status, title: response.statusText,
           detail: `The server answered ${response.status} ${response.statusText}.` };
}

// fetch() that resolves to {response, body} for 2xx and throws ApiError otherwise. A network
// failure (the API down) becomes an ApiError with status 0 and a sentence for people.
export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError({ status: 0, title: "Unreachable",
                         detail: "The API is not answering. Check your connection and retry." });
  }
  if (!response.ok) throw new ApiError(await problemOf(response), response);
  const body = response.status === 204 ? null : await response.json();
  return { response, body };
}

export async function getJson(url, options = {}) {
  return (await request(url, options)).body;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
