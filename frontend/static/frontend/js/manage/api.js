/**
 * API client of the lead's pages: lib/http.js's requests, answering with the parsed JSON
 * (null for 204); failures throw ApiError.
 *
 * @module manage/api
 */

import { ApiError, request as send } from '../lib/http.js';

export { ApiError };

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]  a FormData is sent as multipart, anything else as JSON
 * @returns {Promise<any>}  the parsed JSON answer, or null for 204
 */
export async function request(method, url, body) {
  return (await send(method, url, body)).data;
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
