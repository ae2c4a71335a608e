/**
 * API client of the lead's pages: JSON (or multipart) over fetch with the session
 * cookie and the CSRF token. Every failure becomes an ApiError carrying the server's
 * error shape {detail, field, errors}.
 *
 * @module manage/api
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
  }
}

/** @returns {string} the CSRF token from the cookie, else from the page's form field */
function csrfToken() {
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
 * @returns {Promise<any>}  the parsed JSON answer, or null for 204
 */
export async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  const isForm = body instanceof FormData;
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
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return data;
}

/**
 * Every item of a paginated list ({count, next, results}), following `next`.
 * @param {string} url
 * @returns {Promise<any[]>}
 */
export async function listAll(url) {
  const items = [];
  let next = url;
  while (next) {
    const page = await request('GET', next);
    items.push(...page.results);
    next = page.next;
  }
  return items;
}
