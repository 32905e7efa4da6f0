import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Language, type Me, type Tool } from './api';
import { navigate } from './router';

const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,image/bmp,image/tiff,application/pdf,.tif,.tiff,.pdf';

function allowanceText(me: Me | null): string {
  const a = me?.allowance;
  if (!me) return '';
  if (!a) return `Plan: ${me.plan}.`;
  const period = a.limit === 'daily_pages' ? 'today' : a.limit === 'monthly_pages' ? 'this month' : 'in credits';
  const who = me.id ? `Your ${me.plan} plan` : 'Without an account you';
  if (a.remaining === null) return `${who}: no page limit.`;
  return `${who} can read ${a.remaining} more page${a.remaining === 1 ? '' : 's'} ${period} (${a.used} of ${a.cap ?? 'unlimited'} used), up to ${me.max_pages_per_file} pages per file.`;
}

export function Home({ me }: { me: Me | null }) {
  const [languages, setLanguages] = useState<Language[]>([]);
  const [tools, setTools] = useState<Tool[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [tool, setTool] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api.languages().then(setLanguages, () => setLanguages([]));
    api.tools().then(setTools, () => setTools([]));
  }, []);

  const chosen = tools.find((t) => t.slug === tool);

  async function submit(e: Event) {
    e.preventDefault();
    if (!file) {
      setError('Choose a file first.');
      return;
    }
    const form = new FormData(e.currentTarget as HTMLFormElement);
    form.set('file', file, file.name);
    for (const k of ['tool', 'translate_to']) if (!form.get(k)) form.delete(k);
    const language = String(form.get('language') ?? '').trim();
    // "English (en)" from the list, or a code typed by hand.
    form.set('language', /\(([^)]+)\)\s*$/.exec(language)?.[1] ?? (language || 'auto'));
    setBusy(true);
    setError(null);
    try {
      const job = await api.submit(form);
      navigate(`/documents/${job.uuid}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The upload failed; try again.');
    } finally {
      setBusy(false);
    }
  }

  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer?.files[0];
    if (f) setFile(f);
  }

  return (
    <>
      <h1 tabIndex={-1}>Turn a scan into text</h1>
      <p class="lead">
        Drop an image or a PDF: every page is read (more than 100 languages), and you get the text beside the page with
        each word's box, Markdown with its tables, downloads as txt, Markdown, JSON, searchable PDF, Word, CSV, hOCR or
        ALTO, and answers to questions about it with the page they come from.
      </p>
      <form class="card" onSubmit={submit} aria-describedby="allowance">
        <h2>Upload</h2>
        <input
          ref={input}
          id="file"
          name="file"
          type="file"
          class="visually-hidden"
          accept={ACCEPT}
          onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
        />
        <label
          class={`drop${over ? ' over' : ''}`}
          for="file"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          {file ? (
            <span>
              <strong>{file.name}</strong> ({Math.ceil(file.size / 1024)} KB) — choose another or drop it here
            </span>
          ) : (
            <span>
              <strong>Choose a file</strong> or drop it here (PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF)
            </span>
          )}
        </label>
        <div class="options">
          <div>
            <label for="tier">Tier</label>
            <select id="tier" name="tier">
              <option value="cpu">cpu: Tesseract</option>
              <option value="vlm">vlm: vision model (if the server has one)</option>
            </select>
          </div>
          <div>
            <label for="language">Language</label>
            <input id="language" name="language" type="search" list="language-list" placeholder="auto" autocomplete="off" aria-describedby="language-hint" />
            <datalist id="language-list">
              <option value="auto">auto: detect the language</option>
              {languages.map((l) => (
                <option key={l.code} value={`${l.name} (${l.code})`} />
              ))}
            </datalist>
            <p id="language-hint" class="muted">auto, or type to search {languages.length} installed languages</p>
          </div>
          <div>
            <label for="tool">Tool</label>
            <select id="tool" name="tool" value={tool} onChange={(e) => setTool((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">none: read the text</option>
              {tools.map((t) => (
                <option key={t.slug} value={t.slug} disabled={!t.available}>
                  {t.slug}
                  {t.available ? '' : ' (not on this server)'}
                </option>
              ))}
            </select>
            {chosen && <p class="muted">{chosen.description}</p>}
          </div>
          {chosen?.needsTarget && (
            <div>
              <label for="translate_to">Translate to</label>
              <input id="translate_to" name="translate_to" type="text" required placeholder="e.g. en, de, fr" />
            </div>
          )}
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Reading…' : 'Read it'}
        </button>
        <p id="allowance" class="muted">{allowanceText(me)}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <ol class="steps" aria-label="How it works">
        <li><strong>1. Upload</strong><br />Small files come back at once; long ones are read page by page while you watch.</li>
        <li><strong>2. Read</strong><br />The page with the boxes of its blocks, lines or words, the text and Markdown beside it.</li>
        <li><strong>3. Use it</strong><br />Download it in eight formats, or (signed in) ask questions and jump to the cited lines.</li>
      </ol>
    </>
  );
}
