import { useEffect, useState } from 'preact/hooks';

/** Path routing on the History API: links marked data-nav stay in the app. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    const click = (e: MouseEvent) => {
      const a = e.target instanceof Element ? e.target.closest('a[data-nav]') : null;
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(a.getAttribute('href') ?? '/');
    };
    document.addEventListener('click', click);
    return () => {
      removeEventListener('popstate', update);
      document.removeEventListener('click', click);
    };
  }, []);
  return path;
}
