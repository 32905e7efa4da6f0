/** Plain server-rendered pages: no framework, one small script for the copy buttons. */

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin:.75rem 0 .25rem}input[type=email],input[type=password],input[type=text]{width:100%;max-width:28rem;padding:.4rem;font:inherit}
button{font:inherit;padding:.35rem .9rem;margin-top:.5rem;cursor:pointer}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}.error{color:#a00000;font-weight:600}
.token{display:flex;gap:.5rem;align-items:center}.token input{font-family:monospace}nav a{margin-right:1rem}`;

/** Copies the text of the input a button names; works without it too (the token is selectable). */
const COPY_SCRIPT = `document.addEventListener('click',async e=>{const b=e.target.closest('[data-copy]');if(!b)return;
const i=document.getElementById(b.dataset.copy);i.select();let ok=false;
try{await navigator.clipboard.writeText(i.value);ok=true}catch{ok=document.execCommand('copy')}
const s=document.getElementById(b.dataset.copy+'-status');if(s)s.textContent=ok?'Copied.':'Select the token and copy it.'});`;

export function page(title: string, body: string, signedIn: boolean): string {
  const nav = signedIn
    ? `<nav aria-label="Account"><a href="/account">Account</a><a href="/account/usage">Usage</a>
<form method="post" action="/signout" style="display:inline"><button type="submit">Sign out</button></form></nav>`
    : `<nav aria-label="Account"><a href="/signin">Sign in</a><a href="/signup">Sign up</a></nav>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · OCR</title><style>${STYLE}</style></head><body><header>${nav}</header><main><h1>${esc(title)}</h1>
${body}</main><script>${COPY_SCRIPT}</script></body></html>`;
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
