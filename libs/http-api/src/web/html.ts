/**
 * Plain server-rendered pages: no framework, one small script for the copy buttons. Style and script
 * are files (web/assets.ts), never inline, so the Content-Security-Policy can forbid inline code.
 */

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export function page(title: string, body: string, signedIn: boolean): string {
  const nav = signedIn
    ? `<nav aria-label="Account"><a href="/account">Account</a><a href="/account/usage">Usage</a>
<form method="post" action="/signout" class="inline"><button type="submit">Sign out</button></form></nav>`
    : `<nav aria-label="Account"><a href="/signin">Sign in</a><a href="/signup">Sign up</a></nav>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · OCR</title><link rel="stylesheet" href="/static/forms.css"><script src="/static/forms.js" defer></script></head><body><header>${nav}</header><main><h1>${esc(title)}</h1>
${body}</main></body></html>`;
}

export function errorLine(message: string | null): string {
  return message ? `<p class="error" role="alert">${esc(message)}</p>` : '';
}

export function credentialsForm(action: '/signup' | '/signin', email: string, error: string | null): string {
  const submit = action === '/signup' ? 'Create account' : 'Sign in';
  const autocomplete = action === '/signup' ? 'new-password' : 'current-password';
  return `${errorLine(error)}<form method="post" action="${action}">
<label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="email" value="${esc(email)}">
<label for="password">Password${action === '/signup' ? ' (at least 8 characters)' : ''}</label>
<input id="password" name="password" type="password" required minlength="${action === '/signup' ? 8 : 1}" autocomplete="${autocomplete}">
<div><button type="submit">${submit}</button></div></form>`;
}
