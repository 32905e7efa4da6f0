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

/**
 * Pages per day as a small bar chart (SVG, drawn on the server). The table below it carries the same
 * figures for screen readers, so the chart is an image with a one-line summary.
 */
export function usageChart(days: DayUsage[]): string {
  if (days.length === 0) return '';
  const shown = days.slice(-30);
  const max = Math.max(1, ...shown.map((d) => d.pages));
  const barW = 18;
  const gap = 6;
  const h = 120;
  const w = shown.length * (barW + gap) + 40;
  const bars = shown
    .map((d, i) => {
      const bh = Math.max(1, Math.round((d.pages / max) * (h - 30)));
      const x = 30 + i * (barW + gap);
      return `<rect class="bar" x="${x}" y="${h - 18 - bh}" width="${barW}" height="${bh}"><title>${esc(d.day)}: ${d.pages} pages</title></rect>` +
        (i === 0 || i === shown.length - 1 ? `<text x="${x}" y="${h - 4}">${esc(d.day.slice(5))}</text>` : '');
    })
    .join('');
  const total = shown.reduce((n, d) => n + d.pages, 0);
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Pages per day: ${total} pages over ${shown.length} day${shown.length === 1 ? '' : 's'}, at most ${max} in a day">
<line class="axis" x1="26" y1="${h - 18}" x2="${w}" y2="${h - 18}"/><text x="0" y="12">${max}</text>${bars}</svg>`;
}
