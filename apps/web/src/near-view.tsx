import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Renders its children once the element comes near the viewport, and keeps them: a long document's
 * pages get their boxes (hundreds of SVG rects each) only when someone scrolls to them. The first
 * child (the page image, which reserves the page's height) is always rendered.
 */
export function NearView({ children, class: className }: { children: [ComponentChildren, ComponentChildren]; class: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || near) return;
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setNear(true);
        seen.disconnect();
      }
    }, { rootMargin: '800px 0px' });
    seen.observe(el);
    return () => seen.disconnect();
  }, [near]);
  return (
    <div ref={ref} class={className}>
      {children[0]}
      {near && children[1]}
    </div>
  );
}
