import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type JobSummary } from './api';
import { timeLeft, when } from './format';
import { followJob } from './live';

function Row({ job, onChange, onDelete }: { job: JobSummary; onChange: (j: JobSummary) => void; onDelete: (j: JobSummary) => void }) {
  useEffect(() => {
    if (job.status === 'done' || job.status === 'failed') return;
    return followJob(
      job.uuid,
      (p) => onChange({ ...job, status: 'processing', pages_done: Math.max(job.pages_done, p.pages_done), pages_failed: p.pages_failed }),
      // The finished job knows its retention clock: read the row again.
      () => void api.list().then((r) => {
        const fresh = r.jobs.find((j) => j.uuid === job.uuid);
        if (fresh) onChange(fresh);
      }),
    );
  }, [job.uuid, job.status === 'done' || job.status === 'failed']);
  const name = job.filename ?? job.uuid;
  return (
    <tr>
      <td class="name">
        <a href={`/documents/${job.uuid}`} data-nav>{name}</a>
      </td>
      <td data-label="status"><span class={`status status-${job.status}`}>{job.status}</span></td>
      <td data-label="pages">
        <span aria-label={`${job.pages_done} of ${job.page_count} pages read`}>{job.pages_done} / {job.page_count}</span>
        {job.pages_failed > 0 && <span class="muted"> ({job.pages_failed} failed)</span>}
      </td>
      <td data-label="uploaded">{when(job.created_at)}</td>
      <td data-label="time left">{timeLeft(job.expires_in_seconds)}</td>
      <td>
        <button type="button" class="danger" aria-label={`Delete ${name}`} onClick={() => onDelete(job)}>Delete</button>
      </td>
    </tr>
  );
}

export function Documents({ signedIn, known }: { signedIn: boolean; known: boolean }) {
  const [jobs, setJobs] = useState<JobSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');

  useEffect(() => {
    if (!signedIn) return;
    api.list().then(
      (r) => {
        setJobs(r.jobs);
        setNext(r.next_cursor);
      },
      (err: unknown) => setError(err instanceof ApiError ? err.message : 'The list could not be loaded.'),
    );
  }, [signedIn]);

  if (!signedIn) {
    return (
      <>
        <h1 tabIndex={-1}>Your documents</h1>
        {known && (
          <p>
            <a href="/signin">Sign in</a> to keep a list of your documents and ask questions about them.
          </p>
        )}
      </>
    );
  }

  async function more() {
    if (!next) return;
    const r = await api.list(next);
    setJobs([...(jobs ?? []), ...r.jobs]);
    setNext(r.next_cursor);
  }

  async function remove(job: JobSummary) {
    if (!confirm(`Delete ${job.filename ?? job.uuid} and its files?`)) return;
    try {
      await api.remove(job.uuid);
      setJobs((jobs ?? []).filter((j) => j.uuid !== job.uuid));
      setNote(`Deleted ${job.filename ?? job.uuid}.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The document could not be deleted.');
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Your documents</h1>
      <p role="status" class="muted">{note}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {jobs === null ? (
        <p>Loading…</p>
      ) : jobs.length === 0 ? (
        <p>
          No documents yet: <a href="/" data-nav>upload one</a>.
        </p>
      ) : (
        <div class="card table-scroll">
          <table class="doc-table">
            <caption>Newest first; finished documents are deleted when their time runs out.</caption>
            <thead>
              <tr>
                <th scope="col">document</th>
                <th scope="col">status</th>
                <th scope="col">pages</th>
                <th scope="col">uploaded</th>
                <th scope="col">time left</th>
                <th scope="col"><span class="visually-hidden">actions</span></th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <Row key={j.uuid} job={j} onDelete={remove} onChange={(c) => setJobs((all) => (all ?? []).map((x) => (x.uuid === c.uuid ? c : x)))} />
              ))}
            </tbody>
          </table>
          {next && (
            <button type="button" class="secondary" onClick={more}>
              Older documents
            </button>
          )}
        </div>
      )}
    </>
  );
}
