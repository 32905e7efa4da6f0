import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Me } from './api';
import { usePath } from './router';
import { Home } from './home';
import { Documents } from './documents';
import { DocumentView } from './document';

export function App() {
  const path = usePath();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    api.me().then(setMe, () => setMe(null));
  }, [path]);
  const signedIn = !!me?.id;
  const doc = /^\/documents\/([0-9a-f-]{36})\/?$/i.exec(path);
  let screen;
  if (doc?.[1]) screen = <DocumentView uuid={doc[1]} signedIn={signedIn} />;
  else if (path.startsWith('/documents')) screen = <Documents signedIn={signedIn} known={me !== null} />;
  else screen = <Home me={me} />;
  useEffect(() => {
    // Each screen has its own title, so history entries and screen readers tell them apart.
    document.title = `${doc ? 'Document' : path.startsWith('/documents') ? 'Your documents' : 'Turn a scan into text'} · OCR`;
  }, [path]);
  const first = useRef(true);
  useEffect(() => {
    // A screen change moves focus to its heading, as a page load would for a screen reader.
    if (first.current) first.current = false;
    else document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="site-header">
        <a class="brand" href="/" data-nav>OCR</a>
        <nav aria-label="Main">
          <a href="/" data-nav aria-current={path === '/' ? 'page' : undefined}>Upload</a>
          {signedIn && (
            <a href="/documents" data-nav aria-current={path.startsWith('/documents') ? 'page' : undefined}>Documents</a>
          )}
          {signedIn ? (
            <>
              <a href="/account">Account</a>
              <form method="post" action="/signout" class="inline-form">
                <button type="submit" class="secondary">Sign out</button>
              </form>
            </>
          ) : (
            <>
              <a href="/signin">Sign in</a>
              <a href="/signup">Sign up</a>
            </>
          )}
        </nav>
      </header>
      <main id="main">{screen}</main>
    </>
  );
}
