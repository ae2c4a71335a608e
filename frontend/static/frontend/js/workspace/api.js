/**
 * API client of the workspace: JSON over fetch with the session cookie and CSRF token.
 * Every failure becomes an ApiError carrying the server's error shape
 * {detail, field, errors} (and `current` on a 409 version conflict).
 *
 * @module api
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

/**
 * @param {string} name
 * @returns {string}
 */
function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return '';
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @returns {Promise<{status: number, data: any}>}  data is null for 204
 */
async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRFToken'] = cookie('csrftoken');
  let response;
  try {
    response = await fetch(url, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, {});
  }
  if (response.status === 204) return { status: 204, data: null };
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data ?? {});
  return { status: response.status, data };
}

/** The endpoints the workspace uses (see CONTRACT.md). */
export const api = {
  /** @param {number|string} projectId */
  next: (projectId) => request('GET', `/api/projects/${projectId}/next/`),
  /** @param {number|string} sentenceId */
  sentence: (sentenceId) => request('GET', `/api/sentences/${sentenceId}/`),
  /** @param {number|string} projectId @param {number} [page] */
  queue: (projectId, page = 1) => request('GET', `/api/projects/${projectId}/queue/?page=${page}`),
  /** @param {number|string} sentenceId @param {object} body */
  save: (sentenceId, body) => request('PUT', `/api/sentences/${sentenceId}/annotation/`, body),
};
