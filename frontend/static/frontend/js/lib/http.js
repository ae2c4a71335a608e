/**
 * JSON over fetch for our pages: the session cookie, the CSRF token, and every failure
 * as an ApiError carrying the server's error shape {detail, field, errors} (and
 * `current` on a 409 version conflict). The workspace, the lead's pages and
 * adjudication all talk to the API through this.
 *
 * @module http
 */

export class ApiError extends Error {
  /**
   * @param {number} status  HTTP status (0 for a network failure)
   * @param {object} body    parsed JSON error body, or {}
   */
  constructor(status, body) {
    super(body?.detail || (status ? `request failed (HTTP ${status})` : 'network error: the server cannot be reached'));
    this.status = status;
    this.field = body?.field ?? null;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.body = body ?? {};
  }

  /** @returns {boolean} a stale version (409): `body.current` holds the stored annotation */
  get isConflict() {
    return this.status === 409;
  }
}

/** @returns {string} the CSRF token from the cookie, else from the page's form field */
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === 'csrftoken') return decodeURIComponent(value.join('='));
  }
  const input = document.querySelector('input[name=csrfmiddlewaretoken]');
  return input ? input.value : '';
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]  a FormData is sent as multipart, anything else as JSON
 * @returns {Promise<{status: number, data: any}>}  data is null for 204 (or no JSON);
 *   an answer that is not 2xx, or no answer at all, throws ApiError
 */
export async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : (isForm ? body : JSON.stringify(body)),
    });
  } catch (err) {
    throw new ApiError(0, {});
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return { status: response.status, data };
}
