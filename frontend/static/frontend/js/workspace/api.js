/**
 * The endpoints the workspace uses (see CONTRACT.md); requests and errors are lib/http.js's.
 *
 * @module api
 */

import { request } from '../lib/http.js';

export const api = {
  /** @param {number|string} projectId */
  next: (projectId) => request('GET', `/api/projects/${projectId}/next/`),
  /** @param {number|string} projectId */
  progress: (projectId) => request('GET', `/api/projects/${projectId}/progress/`),
  /** @param {number|string} sentenceId */
  sentence: (sentenceId) => request('GET', `/api/sentences/${sentenceId}/`),
  /** @param {number|string} sentenceId @param {object} body */
  save: (sentenceId, body) => request('PUT', `/api/sentences/${sentenceId}/annotation/`, body),
};
