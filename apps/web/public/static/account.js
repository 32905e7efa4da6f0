// The account page's copy buttons (a file, not an inline script: a strict CSP blocks those).
document.addEventListener('click', async (e) => {
  const b = e.target instanceof Element ? e.target.closest('[data-copy]') : null;
  if (!b) return;
  const i = document.getElementById(b.dataset.copy);
  i.select();
  let ok = false;
  try {
    await navigator.clipboard.writeText(i.value);
    ok = true;
  } catch {
    ok = document.execCommand('copy');
  }
  const s = document.getElementById(b.dataset.copy + '-status');
  if (s) s.textContent = ok ? 'Copied.' : 'Select the token and copy it.';
});
