/** Plain server-rendered pages: no framework; the web app's stylesheet, one small script for the copy buttons. */

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The account pages share the web app's stylesheet and a small script file for the copy buttons:
 * no inline script or style, so a strict Content-Security-Policy (default-src 'self') holds.
 */
export function page(title: string, body: string, signedIn: boolean): string {
  const nav = signedIn
    ? `<a href="/">Upload</a><a href="/documents">Documents</a><a href="/account">Account</a><a href="/account/usage">Usage</a>
<form method="post" action="/signout" class="inline-form"><button type="submit" class="secondary">Sign out</button></form>`
    : `<a href="/">Upload</a><a href="/signin">Sign in</a><a href="/signup">Sign up</a>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · OCR</title><link rel="stylesheet" href="/static/site.css"><script src="/static/account.js" defer></script></head>
<body><a class="skip" href="#main">Skip to content</a><header class="site-header"><a class="brand" href="/">OCR</a><nav aria-label="Account">${nav}</nav></header>
<main id="main" class="narrow"><h1>${esc(title)}</h1>
${body}</main></body></html>`;
}

export function errorLine(message: string | null): string {
  return message ? `<p class="error" role="alert">${esc(message)}</p>` : '';
}

export function credentialsForm(action: '/signup' | '/signin', email: string, error: string | null): string {
  const submit = action === '/signup' ? 'Create account' : 'Sign in';
  const autocomplete = action === '/signup' ? 'new-password' : 'current-password';
  return `${errorLine(error)}<form method="post" action="${action}" class="card">
<label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="email" value="${esc(email)}">
<label for="password">Password${action === '/signup' ? ' (at least 8 characters)' : ''}</label>
<input id="password" name="password" type="password" required minlength="${action === '/signup' ? 8 : 1}" autocomplete="${autocomplete}">
<div><button type="submit">${submit}</button></div></form>`;
}

export interface DayUsage {
  day: string;
  pages: number;
}

/** Days the usage chart spans, ending today (UTC). */
const CHART_DAYS = 30;

/**
 * Pages per day over the last 30 days as a small bar chart (SVG drawn on the server, days without
 * pages at zero). The table below it carries the same figures for screen readers, so the chart is an
 * image with a one-line summary.
 */
export function usageChart(days: DayUsage[], today: Date = new Date()): string {
  const pagesOn = new Map(days.map((d) => [d.day, d.pages]));
  const span = Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = new Date(today.getTime() - (CHART_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day, pages: pagesOn.get(day) ?? 0 };
  });
  const max = Math.max(1, ...span.map((d) => d.pages));
  const [barW, gap, left, h] = [16, 4, 34, 130];
  const base = h - 20;
  const w = left + CHART_DAYS * (barW + gap);
  const bars = span
    .map((d, i) => {
      const x = left + i * (barW + gap);
      const bh = d.pages === 0 ? 0 : Math.max(2, Math.round((d.pages / max) * (base - 14)));
      const last = i === CHART_DAYS - 1;
      const label =
        (i % 7 === 0 && i < CHART_DAYS - 4) || last
          ? `<text x="${last ? x + barW : x}" y="${h - 4}"${last ? ' text-anchor="end"' : ''}>${esc(d.day.slice(5))}</text>`
          : '';
      return `${bh > 0 ? `<rect class="bar" x="${x}" y="${base - bh}" width="${barW}" height="${bh}"><title>${esc(d.day)}: ${d.pages} pages</title></rect>` : ''}${label}`;
    })
    .join('');
  const total = span.reduce((n, d) => n + d.pages, 0);
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Pages per day over the last ${CHART_DAYS} days: ${total} in all, at most ${max} in a day">
<line class="axis" x1="${left - 4}" y1="${base}" x2="${w}" y2="${base}"/><text x="0" y="16">${max}</text><text x="0" y="${base}">0</text>${bars}</svg>`;
}
