/**
 * Follow a background job through GET /api/jobs/{id}/ until it is done or failed.
 *
 * @module manage/job-progress
 */

import { request } from './api.js';

const FIRST_MS = 300;
const MAX_MS = 2000;

/**
 * @param {number} jobId
 * @param {(job: object) => void} onUpdate  called with every job state read
 * @returns {Promise<object>}  the finished job (state "done" or "failed")
 */
export async function watchJob(jobId, onUpdate) {
  let wait = FIRST_MS;
  for (;;) {
    let job;
    try {
      job = await request('GET', `/api/jobs/${jobId}/`);
    } catch (err) {
      // A hiccup (server restarting) is not the job failing: keep polling, slower.
      onUpdate({ state: 'unknown', progress: null, message: `cannot read the job's state: ${err.message}; retrying` });
      job = null;
    }
    if (job) {
      onUpdate(job);
      if (job.state === 'done' || job.state === 'failed') return job;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(MAX_MS, Math.round(wait * 1.3));
  }
}
