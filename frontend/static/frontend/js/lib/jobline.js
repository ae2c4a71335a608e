// One line for a job's state and message (pure, no DOM). The server's messages may already
// start with a state word ("queued: waiting for a free worker", "waiting: no worker…"):
// those are shown as they are, so the line never reads "queued: queued: …".

const STATE_WORDS = ['queued', 'waiting', 'running', 'requeued', 'done', 'failed'];

/** @param {{state: string, message?: string}} job */
export function jobLine(job) {
  const message = (job.message || '').trim();
  if (!message) return job.state;
  if (STATE_WORDS.some((word) => message.startsWith(`${word}:`))) return message;
  return `${job.state}: ${message}`;
}
