import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type ChatMessage, type Citation } from './api';

export function ChatPanel({ uuid, onCite }: { uuid: string; onCite: (c: Citation) => void }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.history(uuid).then((h) => setMessages(h.messages), () => setMessages([]));
  }, [uuid]);

  async function ask(e: Event) {
    e.preventDefault();
    const text = question.trim();
    if (!text) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.ask(uuid, text);
      setMessages((m) => [...m, { role: 'user', content: text }, r.message]);
      setQuestion('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The question could not be answered.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" aria-labelledby="chat-h">
      <h2 id="chat-h">Ask about this document</h2>
      <ol class="chat-log" aria-live="polite">
        {messages.map((m, i) => (
          <li key={i} class={m.role}>
            <span class="visually-hidden">{m.role === 'user' ? 'You: ' : 'Answer: '}</span>
            <span dir="auto">{m.content}</span>
            {m.citations && m.citations.length > 0 && (
              <div class="citations">
                <span class="muted">Sources:</span>
                {m.citations.map((c, j) => (
                  <button key={j} type="button" class="secondary citation" title={c.snippet} onClick={() => onCite(c)}>
                    page {c.page}: “{c.snippet.length > 40 ? `${c.snippet.slice(0, 40)}…` : c.snippet}”
                  </button>
                ))}
              </div>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={ask}>
        <label for="question">Question</label>
        <input id="question" type="text" value={question} maxLength={2000} onInput={(e) => setQuestion((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>{busy ? 'Thinking…' : 'Ask'}</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
