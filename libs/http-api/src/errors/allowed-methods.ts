/**
 * The methods the app's router answers on a path, read from Express's own route table, so a
 * request with another method on a known path is a 405 with `Allow` (RFC 9110 15.5.6) rather than
 * a 404 that would say the path does not exist. Only the parts of the router used here are typed.
 */
interface RouteLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

function routeLayers(app: unknown): RouteLayer[] {
  const router = (app as { router?: { stack?: unknown } } | null)?.router;
  return Array.isArray(router?.stack) ? (router.stack as RouteLayer[]) : [];
}

export function allowedMethods(app: unknown, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of routeLayers(app)) {
    if (!layer.route || !layer.match(path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  if (methods.size > 0) methods.add('OPTIONS');
  return [...methods].sort();
}
