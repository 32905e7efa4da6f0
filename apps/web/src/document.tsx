import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, downloadUrl, pageImageUrl, type BBox, type Citation, type Job, type Page } from './api';
import { confidenceClass } from './format';
import { followJob } from './live';
import { Markdown } from './markdown';
import { PageOverlay, related, type Layer } from './page-overlay';
import { ChatPanel } from './chat';
import { navigate } from './router';
import { NearView } from './near-view';
import { keyboardHighlighted, mayFollowPointer } from './pointer-intent';

const FORMATS: Array<[string, string]> = [
  ['txt', 'Text'],
  ['md', 'Markdown'],
  ['json', 'JSON'],
  ['pdf', 'Searchable PDF'],
  ['docx', 'Word'],
  ['csv', 'CSV tables'],
  ['hocr', 'hOCR'],
  ['alto', 'ALTO'],
];

/** Lines of a page whose box overlaps the cited box (a citation names a snippet, not a line). */
function linesUnder(page: Page, box: BBox | null): string[] {
  if (!box) return [];
  const keys: string[] = [];
  page.blocks.forEach((b, bi) =>
    b.lines.forEach((l, li) => {
      const [x0, y0, x1, y1] = l.bbox;
      const overlap = Math.max(0, Math.min(y1, box[3]) - Math.max(y0, box[1]));
      if (overlap > (y1 - y0) / 2 && x0 < box[2] && x1 > box[0]) keys.push(`p${page.index}-b${bi}-l${li}`);
    }),
  );
  return keys;
}

function PageText({ page, hover, cited, onHover }: { page: Page; hover: string | null; cited: string[]; onHover: (k: string | null) => void }) {
  return (
    <div class="page-text">
      <h3>Page {page.index + 1}</h3>
      {page.blocks.map((b, bi) => (
        <p key={bi} class="block" dir="auto">
          {b.lines.map((l, li) => {
            const key = `p${page.index}-b${bi}-l${li}`;
            return (
              <span
                key={key}
                data-key={key}
                tabIndex={-1}
                class={`line${related(hover, key) || cited.includes(key) ? ' hl' : ''}`}
                title={`confidence ${Math.round(l.confidence * 100)}%`}
                onMouseEnter={(e) => mayFollowPointer(e) && onHover(key)}
                onMouseLeave={(e) => mayFollowPointer(e) && onHover(null)}
                onFocus={() => {
                  keyboardHighlighted();
                  onHover(key);
                }}
                onBlur={() => onHover(null)}
              >
                {l.text}
              </span>
            );
          })}
        </p>
      ))}
      {page.status === 'failed' && <p class="error">This page could not be read: {page.error}</p>}
    </div>
  );
}

export function DocumentView({ uuid, signedIn }: { uuid: string; signedIn: boolean }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [layer, setLayer] = useState<Layer>('lines');
  const [tab, setTab] = useState<'text' | 'markdown'>('text');
  const [hover, setHover] = useState<string | null>(null);
  const [cite, setCite] = useState<{ index: number; bbox: BBox | null } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);

  useEffect(() => {
    let stop: (() => void) | undefined;
    api.job(uuid).then(
      (j) => {
        setJob(j);
        if (j.status === 'done' || j.status === 'failed') return;
        // Pages appear as they are read: the job is fetched again after a page event, at most every 2 s.
        let pending: number | undefined;
        const refresh = () => {
          pending ??= window.setTimeout(() => {
            pending = undefined;
            void api.job(uuid).then((fresh) => setJob((old) => (old && (old.status === 'done' || old.status === 'failed') ? old : fresh)));
          }, 2000);
        };
        stop = followJob(
          uuid,
          (p) => {
            setProgress(p.pages_done + p.pages_failed);
            refresh();
          },
          () => {
            window.clearTimeout(pending);
            void api.job(uuid).then(setJob);
          },
        );
      },
      (err: unknown) => setError(err instanceof ApiError && err.status === 404 ? 'No such document (it may have been deleted).' : 'The document could not be loaded.'),
    );
    return () => stop?.();
  }, [uuid]);

  useEffect(() => {
    if (!cite) return;
    document.getElementById(`page-${cite.index}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    document.querySelector('.line.hl')?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [cite]);

  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>Document</h1>
        <p class="error" role="alert">{error}</p>
      </>
    );
  }
  if (!job) return <h1 tabIndex={-1}>Loading…</h1>;

  const finished = job.status === 'done' || job.status === 'failed';
  const citedPage = cite ? job.pages.find((p) => p.index === cite.index) : undefined;
  const cited = citedPage && cite ? linesUnder(citedPage, cite.bbox) : [];
  const done = job.status === 'done';

  async function remove() {
    if (!job || !confirm('Delete this document and its files?')) return;
    await api.remove(job.uuid);
    navigate(signedIn ? '/documents' : '/');
  }

  /** One tab stop for the whole text: the arrow keys move between its lines (a long document has thousands). */
  function stepLines(e: KeyboardEvent) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const lines = [...document.querySelectorAll<HTMLElement>('#panel-text .line')];
    if (lines.length === 0) return;
    e.preventDefault();
    const at = lines.indexOf(document.activeElement as HTMLElement);
    const next = at < 0 ? 0 : Math.max(0, Math.min(lines.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    lines[next]?.focus();
    const key = lines[next]?.dataset['key'];
    if (key) document.querySelector(`rect[data-key^="${key}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function onCite(c: Citation) {
    setCite({ index: c.page - 1, bbox: c.bbox });
  }

  return (
    <>
      <h1 tabIndex={-1}>Document</h1>
      {!finished && (
        <div class="card" role="status">
          <p>
            Reading page {Math.min(job.page_count, (progress ?? job.pages_done + job.pages_failed) + 1)} of {job.page_count}…
          </p>
          <progress max={job.page_count} value={progress ?? job.pages_done + job.pages_failed} aria-label="Pages read" />
        </div>
      )}
      {job.status === 'failed' && <p class="error" role="alert">The document could not be read: {job.error}</p>}
      {done && (
        <div class="card toolbar">
          <fieldset>
            <legend>Boxes</legend>
            {(['blocks', 'lines', 'words'] as const).map((l) => (
              <label key={l}>
                <input type="radio" name="layer" value={l} checked={layer === l} onChange={() => setLayer(l)} />
                {l}
              </label>
            ))}
          </fieldset>
          <div class="legend" aria-label="Confidence">
            <span><span class="swatch conf-hi" />85% and more</span>
            <span><span class="swatch conf-mid" />60–85%</span>
            <span><span class="swatch conf-lo" />under 60%</span>
          </div>
          <div class="downloads" role="group" aria-labelledby="downloads-label">
            <span id="downloads-label" class="downloads-label">Download</span>
            {FORMATS.map(([f, name]) => (
              <a key={f} class="button secondary" href={downloadUrl(job.uuid, f)} download data-format={f}>
                {name}
              </a>
            ))}
          </div>
          {job.translation && (
            <div class="downloads" role="group" aria-labelledby="downloads-t-label">
              <span id="downloads-t-label" class="downloads-label">Translation ({job.translation.language})</span>
              {FORMATS.slice(0, 5).map(([f, name]) => (
                <a key={`t-${f}`} class="button secondary" href={downloadUrl(job.uuid, f, true)} download aria-label={`${name} (${job.translation?.language})`}>
                  {name}
                </a>
              ))}
            </div>
          )}
          <button type="button" class="danger" onClick={remove}>Delete</button>
        </div>
      )}
      {done && (
        <p class="muted">
          {job.page_count} page{job.page_count === 1 ? '' : 's'}, mean confidence{' '}
          <span class={confidenceClass(job.mean_confidence)}>{Math.round(job.mean_confidence * 100)}%</span>
          {job.warnings.length > 0 && ` · ${job.warnings.join(' · ')}`}
        </p>
      )}
      <div class={`doc-grid${job.translation ? ' with-translation' : ''}`}>
        <section aria-label="Pages">
          {job.pages.map((p) =>
            p.status === 'done' && p.width && p.height ? (
              <figure key={p.index} id={`page-${p.index}`} class="page-figure">
                <figcaption>Page {p.index + 1}</figcaption>
                <NearView class="page-stage">
                  <img src={pageImageUrl(job.uuid, p.index)} width={p.width} height={p.height} loading="lazy" alt={`Page ${p.index + 1} of the scan`} />
                  <PageOverlay page={p} layer={layer} hover={hover} onHover={setHover} cite={cite?.index === p.index ? cite.bbox : null} />
                </NearView>
              </figure>
            ) : (
              <figure key={p.index} id={`page-${p.index}`} class="page-figure">
                <figcaption>Page {p.index + 1}: {p.status}</figcaption>
              </figure>
            ),
          )}
        </section>
        <section class="card text-panel" aria-label="Text">
          <div class="tabs" role="tablist" aria-label="Show">
            <button type="button" role="tab" id="tab-text" aria-selected={tab === 'text'} aria-controls="panel-text" onClick={() => setTab('text')}>Text</button>
            <button type="button" role="tab" id="tab-md" aria-selected={tab === 'markdown'} aria-controls="panel-text" onClick={() => setTab('markdown')}>Markdown</button>
          </div>
          {tab === 'text' && <p id="lines-hint" class="muted">Arrow keys step through the lines and light up their boxes.</p>}
          <div
            id="panel-text"
            role="tabpanel"
            tabIndex={0}
            aria-labelledby={tab === 'text' ? 'tab-text' : 'tab-md'}
            aria-describedby={tab === 'text' ? 'lines-hint' : undefined}
            onKeyDown={stepLines}
          >
            {tab === 'text'
              ? job.pages.map((p) => <PageText key={p.index} page={p} hover={hover} cited={cited} onHover={setHover} />)
              : job.pages.map((p) => (
                  <div key={p.index}>
                    <h3 class="muted">Page {p.index + 1}</h3>
                    <Markdown source={p.markdown} />
                  </div>
                ))}
          </div>
        </section>
        {job.translation && (
          <section class="card text-panel" aria-label={`Translation (${job.translation.language})`}>
            <h2>Translation ({job.translation.language})</h2>
            {job.pages.map((p) => (
              <div key={p.index}>
                <h3 class="muted">Page {p.index + 1}</h3>
                <Markdown source={p.translation?.markdown ?? p.markdown} lang={job.translation?.language} />
              </div>
            ))}
          </section>
        )}
      </div>
      {done && signedIn && <ChatPanel uuid={job.uuid} onCite={onCite} />}
      {done && !signedIn && (
        <p class="muted">
          <a href="/signin">Sign in</a> to ask questions about your documents.
        </p>
      )}
    </>
  );
}
